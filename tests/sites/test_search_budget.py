"""The internal site's browser search index on a text budget (issue 17 item 4): every entry keeps
its location and title, and only the start of its text, escaped, without controls."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from hypothesis import given, settings, strategies as st

from kb_builder.sites.engine import build_site
from kb_builder.sites.search_sections import INTERNAL_TEXT_BUDGET, Sections, summary

from .test_search_index import MINI, _plan

# hostile pieces: markup, entities, quotes, a script end, Markdown, RTL and CJK text, zero-width spaces
PIECES = ["a", "word", " ", "  ", "\n", "<", ">", "&", "&amp;", '"', "'", "</script>", "<b>", "**x**", "[l](u)",
          "مرحبا", "שלום", "返品", "注文", "\u200b", "é", "\u202e"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=8), TEXT, st.integers(min_value=8, max_value=400))
def test_summary_is_the_escaped_start_of_the_text(blocks, title, budget):
    text = "".join(f"<p>{html.escape(b, quote=False)}</p>" for b in blocks)
    out = summary(text, html.escape(title, quote=False), budget)
    kept = [_norm(b) for b in blocks]
    whole = " ".join(b for b in kept if b and b.replace("\u200b", "") != _norm(title))
    if not whole:
        assert out == ""
        return
    assert out.startswith("<p>") and out.endswith("</p>")
    inner = out[3:-4]
    assert "<" not in inner and ">" not in inner  # nothing of the content can open a tag
    shown = html.unescape(inner)
    assert html.escape(shown, quote=False) == inner
    assert len(shown) <= budget and whole.startswith(shown)
    if len(whole) <= budget:
        assert shown == whole
    elif len(shown) < budget and shown:  # cut short of the budget: at a word boundary
        assert whole[len(shown)] in " \u200b"


PAGE = """<h1 id="item">Item &amp; <b>box</b></h1><p>Intro about the kettle.</p>
<h2 id="step">Step one<a class="headerlink" href="#step">¶</a></h2>
<p class="kb-q"><strong>Step one</strong></p>
<div class="tabbed-labels"><label for="t1">English</label><label for="t2">Deutsch</label></div>
<p>""" + "Refund the customer now. " * 40 + """</p><p><button type="button">Copy answer (DE)</button></p>
<script>var secret = 1;</script><h2 id="empty">Nothing here</h2>"""


def test_budgeted_entries_keep_titles_and_drop_controls():
    full = Sections(chinese=False).entries(PAGE, "sops/x/", "Item")
    short = Sections(chinese=False, text_budget=120).entries(PAGE, "sops/x/", "Item")
    assert [(e["location"], e["title"]) for e in short] == [(e["location"], e["title"]) for e in full] == [
        ("sops/x/", "Item &amp; box"), ("sops/x/#step", "Step one"), ("sops/x/#empty", "Nothing here")]
    assert short[0]["text"] == "<p>Intro about the kettle.</p>"
    step = short[1]["text"]
    assert step.startswith("<p>Refund the customer now.") and len(step) <= 120 + 7
    assert "English" in full[1]["text"] and "Copy answer" in full[1]["text"]
    assert not any(w in step for w in ("English", "Deutsch", "Copy answer", "Step one", "secret"))
    assert short[2]["text"] == ""


def test_a_budgeted_site_has_the_same_entries_with_the_start_of_their_text(tmp_path):
    plan = _plan(MINI)
    build_site(plan, tmp_path / "full")
    plan.search_text_budget, plan.search_unicode = INTERNAL_TEXT_BUDGET, True
    build_site(plan, tmp_path / "short")
    full = json.loads((tmp_path / "full/search/search_index.json").read_text(encoding="utf-8"))["docs"]
    raw = (tmp_path / "short/search/search_index.json").read_text(encoding="utf-8")
    short = json.loads(raw)["docs"]
    assert [(d["location"], d["title"]) for d in short] == [(d["location"], d["title"]) for d in full]
    assert raw == json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False)  # UTF-8, no \\u escapes
    assert "Wo ist meine Bestellung" in raw
    words = lambda text: set(re.findall(r"\w+", html.unescape(re.sub(r"<[^>]+>", " ", text))))
    assert any(len(d["text"]) > INTERNAL_TEXT_BUDGET + 7 for d in full)  # the mini site has long sections
    for s, f in zip(short, full):
        shown = html.unescape(s["text"][3:-4])
        assert len(shown) <= INTERNAL_TEXT_BUDGET
        # nothing invented: every whole word shown is a word of the full text (the last may be cut)
        assert set(re.findall(r"\w+", shown)[:-1]) <= words(f["text"]), s["location"]


# hostile HTML for the budgeted summary's shortcut: block ends, empty blocks, inline and other
# tags, a tag-like attribute, entities, Han text (segmented on Chinese sites), zero-width spaces
FRAGMENT_PIECES = ["<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<ol>", "</ol>", "<pre>", "</pre>", "<P >",
                   "</LI>", "<code>", "</code>", "<b>", "</b>", "<div>", "</div>", "<br>", '<a title="</p>">',
                   "</a>", "<p> </p>", "<li>\n</li>", " ", "  ", "\n", "word", "Refund now.", "&amp;", "&lt;p&gt;",
                   "&#x3C;", "&", "<", ">", "返品について", "注文", "\u200b", "Title", "مرحبا", "é" * 30]
FRAGMENT_PIECES += ["Refund", "<div>now.", "Refund<div>now.", "<p>Refund now.</p>", "<li>Title</li>"]
# blocks of those pieces, enough of them that the summary is often made from a prefix
BLOCK = st.tuples(st.sampled_from(["<p>", "<li>", "<pre>", "<div>", ""]),
                  st.lists(st.sampled_from(FRAGMENT_PIECES), max_size=6).map("".join),
                  st.sampled_from(["</p>", "</li>", "</pre>", "</div>", ""])).map("".join)
FRAGMENT = st.lists(BLOCK, min_size=12, max_size=120).map("".join)


@settings(max_examples=5000, deadline=None)
@given(FRAGMENT, st.sampled_from(["Title", "word", "", "返品について", "Refund now."]),
       st.integers(min_value=1, max_value=40), st.booleans())
def test_the_summary_of_a_prefix_equals_the_summary_of_the_whole_text(fragment, title, budget, chinese):
    sections = Sections(chinese=chinese)
    assert sections._summary(fragment, title, budget) == summary(sections._text(fragment), title, budget)


def test_a_long_section_is_summed_up_from_its_start_only(monkeypatch):
    sections = Sections(chinese=False)
    fragment = "".join(f"<details><p>Step {i}: refund the customer &amp; say sorry.</p></details>" for i in range(2000))
    read = []
    finish = sections._finish
    monkeypatch.setattr(sections, "_finish", lambda pieces: read.append(len(pieces)) or finish(pieces))
    out = sections._summary(fragment, "Procedures", INTERNAL_TEXT_BUDGET)
    assert out == summary(Sections(chinese=False)._text(fragment), "Procedures", INTERNAL_TEXT_BUDGET)
    assert out.startswith("<p>Step 0: refund the customer &amp; say sorry. Step 1:")
    assert read and max(read) < 200  # a few dozen of the 10,000 pieces, not all of them
