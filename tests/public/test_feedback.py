""""Was this helpful?" in the built help centers: with kb.yaml feedback_url every answer page has
the widget (in its language, naming its market, language and entry); without it no page has
it. What customers sent (kb serve's database in OUT) shows on the internal health page and in no
public file."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from conftest import write_project  # tests/conftest.py

from kb_builder.feedback.store import FeedbackStore, SearchMiss, Vote, database_path
from kb_builder.pipeline import build
from kb_builder.render.labels import _FEEDBACK_KEYS, BUILTIN

from .markers import FILES, INTERNAL_MARKERS, output_texts, page

URL = "https://feedback.example.com/v1/votes?src=help&v=2"
REASON_MARKER = "ZQX-FBREASON-1f1f"
QUERY_MARKER = "zqx-fbquery-2e2e"


@pytest.fixture(scope="module")
def fb_out(tmp_path_factory) -> Path:
    """The marker project with feedback_url, built (internal and public) over an output folder whose
    feedback database already holds votes and failed searches."""
    root = tmp_path_factory.mktemp("feedback")
    files = dict(FILES, **{"kb.yaml": FILES["kb.yaml"] + f'feedback_url: "{URL}"\n'})
    content = write_project(root, files, base=False)
    store = FeedbackStore(database_path(root / "out"))
    store.add_vote(Vote("DE", "de", "where-is-my-order", False, f"unclear: {REASON_MARKER} <b>bold</b> | pipe",
                        at="2026-12-01T10:00:00Z"))
    store.add_vote(Vote("DE", "de", "where-is-my-order", True, at="2026-12-01T11:00:00Z"))
    store.add_search_miss(SearchMiss(QUERY_MARKER, "DE", "de", "", at="2026-12-01T12:00:00Z"))
    store.close()
    build(content, root / "out", audience="all", progress=False)
    return root / "out"


def answer_pages(public: Path) -> list[Path]:
    return sorted(p for p in public.glob("*/*/*/*/index.html"))


def test_every_answer_page_has_the_widget_in_its_language(fb_out):
    pages = answer_pages(fb_out / "public")
    assert len(pages) >= 5
    for path in pages:
        market, lang, _category, entry = path.relative_to(fb_out / "public").parts[:4]
        html = path.read_text("utf-8")
        attrs = re.search(r'<section class="kb-pub-feedback"[^>]*>', html).group(0)
        assert f'data-kb-feedback="{URL.replace("&", "&amp;")}"' in attrs
        assert f'data-market="{market.upper()}" data-lang="{lang}" data-entry="{entry}"' in attrs
        assert " hidden " in attrs  # shown by kb-public.js only: without script no dead buttons
        words = BUILTIN.get(lang, BUILTIN["en"])
        assert f">{words['feedback_question']}</h2>" in html, path


def test_german_widget_words_and_reasons(fb_out):
    html = page(fb_out / "public", "de/de/shipping/where-is-my-order/index.html")
    assert re.findall(r'<input type="radio" name="kb-feedback-reason" value="([a-z]+)"> ([^<]+)</label>', html) == [
        ("unclear", "Schwer verständlich"), ("incomplete", "Meine Frage wurde nicht beantwortet"),
        ("wrong", "Falsch oder veraltet"), ("other", "Etwas anderes")]
    assert '<button type="button" class="md-button" data-helpful="false" aria-expanded="false" ' \
           'aria-controls="kb-feedback-form">Nein</button>' in html
    assert 'role="status" aria-live="polite" data-thanks="Vielen Dank für Ihr Feedback."' in html


def test_no_page_but_answer_pages_has_it(fb_out):
    public = fb_out / "public"
    with_widget = {p for p in public.rglob("*.html") if "kb-pub-feedback\"" in p.read_text("utf-8")}
    assert with_widget == set(answer_pages(public))


def test_every_bundled_language_has_every_feedback_word():
    missing = {lang: [k for k in _FEEDBACK_KEYS if k not in words] for lang, words in BUILTIN.items()}
    assert {lang: keys for lang, keys in missing.items() if keys} == {}
    assert len({BUILTIN[lang]["feedback_question"] for lang in BUILTIN}) == len(BUILTIN)  # none left in English


def test_without_feedback_url_no_page_has_the_widget(public_out):
    """public_out: the marker project without feedback_url (tests/public/conftest.py)."""
    hits = [str(p) for p, text in output_texts(public_out) if "kb-pub-feedback\"" in text or "data-kb-feedback=" in text]
    assert hits == []
    js = (public_out / "de/de/assets/kb-public.js").read_text("utf-8")
    assert 'document.querySelector(".kb-pub-feedback[data-kb-feedback]");\n  if (!box' in js  # the only way to fetch


def test_the_health_page_shows_the_feedback_and_the_failed_searches(fb_out):
    health = (fb_out / "internal" / "health" / "index.html").read_text("utf-8")
    assert "What customers told the help centers" in health
    assert (f"<td>unclear: {REASON_MARKER} &lt;b&gt;bold&lt;/b&gt; | pipe</td>" in health)
    assert re.search(r'<tr><td>DE/de</td><td><a href="../faq/shipping/#faq-where-is-my-order">where-is-my-order</a></td>'
                     r'<td>1</td><td>1</td><td>50%</td>', health)
    assert f"<tr><td>1</td><td>{QUERY_MARKER}</td><td>DE</td><td>de</td><td>2026-12-01T12:00:00Z</td></tr>" in health


@pytest.mark.parametrize("marker", [REASON_MARKER, QUERY_MARKER, *INTERNAL_MARKERS.values()])
def test_nothing_customers_sent_reaches_a_public_file(fb_out, marker):
    hits = [str(p.relative_to(fb_out)) for p, text in output_texts(fb_out / "public") if marker in text]
    assert hits == []


def test_without_a_database_the_health_page_has_no_feedback_section(tmp_path):
    content = write_project(tmp_path, FILES, base=False)
    build(content, tmp_path / "out", audience="internal", progress=False)
    health = (tmp_path / "out" / "internal" / "health" / "index.html").read_text("utf-8")
    assert "Content health" in health and "What customers told" not in health
    assert not database_path(tmp_path / "out").exists()


def test_a_new_vote_makes_an_unchanged_build_refresh_the_health_page(tmp_path):
    content = write_project(tmp_path, FILES, base=False)
    past = time.time() - 10  # no file counts as edited while the build began (runtime/build_record.py)
    for path in content.rglob("*"):
        os.utime(path, (past, past))
    out = tmp_path / "out"
    store = FeedbackStore(database_path(out))
    store.add_vote(Vote("DE", "de", "where-is-my-order", False, "first reason"))
    build(content, out, audience="internal", progress=False)
    assert build(content, out, audience="internal", progress=False).unchanged  # nothing new: skipped
    store.add_vote(Vote("DE", "de", "where-is-my-order", False, "second reason"))
    store.close()
    assert not build(content, out, audience="internal", progress=False).unchanged
    health = (out / "internal" / "health" / "index.html").read_text("utf-8")
    assert "<td>second reason | first reason</td>" in health
