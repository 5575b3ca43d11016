"""The help centers' fast path (answer pages filled into a shell MkDocs built, sites/answer_shell.py)
writes the same bytes as the reference path (MkDocs builds every page), on hostile content, and
its incremental rebuilds equal clean builds without touching the previous output."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from kb_builder.model import MarketScope
from kb_builder.render.public_content import PublicChannel, PublicContent, PublicFaq, PublicMarket
from kb_builder.sites.answer_shell import ANSWERS_STATE, page_order
from kb_builder.sites.incremental import STATE_FILE
from kb_builder.sites.public import build_help_center

BUILD_DATE = 1_790_000_000
# The build's own bookkeeping, not pages: the fast path keeps a second file.
STATE = {STATE_FILE, ANSWERS_STATE}

HOSTILE = ["</script><script>alert(1)</script>", '" onmouseover="alert(1)', "' onfocus='x", "{{ config }}",
           "{% raw %}", "{# c #}", "&amp; &lt;b&gt; &#60;", "& < > \"", "<b>bold</b> <i>x", "**bold** _it_ `code`",
           "[link](javascript:alert(1))", "# Heading\n\n- item\n1. one", "| a | b |\n|---|---|\n| c | d |",
           "<!-- comment -->", "<!--kb-raw-->", "kbanswershell", "مرحبا بكم في مركز المساعدة", "配送について教えてください",
           "שלום עולם", "x" * 300, "emoji 😀 and \u200b zero width", "line\nbreak", "  spaced  ", "\\ back\\slash",
           "{market.return_days}", "---\ntitle: x\n---"]
text = st.one_of(st.sampled_from(HOSTILE), st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3).map(" ".join),
                 st.text(alphabet=st.sampled_from(list("aZ 09<>&\"';=/:*_[](){}#`!|\\%-\nبج配")), min_size=1, max_size=40))


def market(languages=("en", "ar")) -> PublicMarket:
    return PublicMarket(code="AE", name="Emirates", languages=languages, timezone="Asia/Dubai",
                        support_hours="Mon-Fri 09:00-17:00",
                        channels=(PublicChannel("email", "help@example.ae", 24, "", ""),
                                  PublicChannel("whatsapp", "", 1, "+971 50 123", "")),
                        values={"return_days": "14 <days>"})


def content(faqs: list[PublicFaq], site_url: str = "", languages=("en", "ar"), feedback_url: str = "") -> PublicContent:
    return PublicContent(name="Help & <Support>", source_language="en", languages=list(languages),
                         categories={"orders": {"en": "Orders", "ar": "الطلبات"},
                                     "returns": {"en": "Returns & \"refunds\""}},
                         labels={}, markets=[market(languages)], faqs=faqs, site_url=site_url,
                         feedback_url=feedback_url)


def faq(i: int, question: str, answer: str, arabic: bool, category: str = "orders") -> PublicFaq:
    q, a = {"en": question}, {"en": answer}
    if arabic:
        q["ar"], a["ar"] = "سؤال " + question, "جواب " + answer
    return PublicFaq(id=f"entry-{i}", category=category, markets=MarketScope(), question=q, answer=a,
                     updated={"en": dt.date(2026, 1, 2 + i)}, tags=("t",) if i % 2 else ())


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and p.name not in STATE}


def build(pub: PublicContent, out: Path, lang: str, reference: bool = False, previous: Path | None = None):
    return build_help_center(pub, "AE", lang, out, previous, BUILD_DATE, None, reference=reference)


# each example is two MkDocs builds: no shrinking (slow), the failing example is printed as found
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@example(entries=[("emoji 😀 and \u200b zero width", "</script><script>alert(1)</script>", True, "orders"),
                  ("{{ page.title }} & <b>", "{% if x %}&amp;", False, "orders")], lang="ar", site_url="https://h.example/",
         feedback_url="/api/feedback")
@given(entries=st.lists(st.tuples(text, text, st.booleans(), st.sampled_from(["orders", "returns"])),
                        min_size=1, max_size=4),
       lang=st.sampled_from(["en", "ar"]), site_url=st.sampled_from(["", "https://help.example.com/"]),
       feedback_url=st.sampled_from(["", "https://help.example.com/api/feedback?a=1&b=\"2\""]))
def test_filled_answer_pages_equal_the_pages_mkdocs_builds(tmp_path_factory, entries, lang, site_url, feedback_url):
    pub = content([faq(i, q, a, ar, cat) for i, (q, a, ar, cat) in enumerate(entries)], site_url,
                  feedback_url=feedback_url)
    fast_dir, ref_dir = tmp_path_factory.mktemp("fast"), tmp_path_factory.mktemp("ref")
    fast = build(pub, fast_dir, lang)
    build(pub, ref_dir, lang, reference=True)
    fast_files, ref_files = tree(fast_dir), tree(ref_dir)
    assert sorted(fast_files) == sorted(ref_files)
    differ = [rel for rel in ref_files if fast_files[rel] != ref_files[rel]]
    assert differ == []
    # the shell really was used for every answer but each topic's canary
    topics = {cat for *_, cat in entries}
    assert f"{len(entries) - len(topics)} of {len(entries) - len(topics)} answer pages filled" in fast.built
    assert not any("kbanswershell" in rel for rel in fast_files)


def test_the_search_index_lists_pages_in_mkdocs_order():
    assert page_order(["index.md", "b.md", "a-b/x.md", "a/z.md", "a/index.md", "a.md", "contact.md"]) == \
        ["index.md", "a.md", "b.md", "contact.md", "a/index.md", "a/z.md", "a-b/x.md"]


def inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("index.html")}


def digests(root: Path) -> dict[str, str]:
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in tree(root).items()}


def test_rebuilds_after_a_sequence_of_edits_equal_clean_builds_and_touch_only_what_changed(tmp_path):
    faqs = [faq(i, f"Question {i}?", f"Answer number {i} with *emphasis*.", i % 3 == 0,
                "orders" if i < 4 else "returns") for i in range(7)]
    def edit_one(fs, entry_id, **change):
        return [replace(f, **change) if f.id == entry_id else f for f in fs]

    long_answer = {"en": "Answer number 5. " + "More words. " * 40 + "Edited ending."}
    edits = [
        ("answer past the excerpt", lambda fs: edit_one(fs, "entry-5", answer=long_answer)),
        ("question", lambda fs: edit_one(fs, "entry-2", question={"en": "Renamed <b>&</b>?"})),
        ("added", lambda fs: [*fs, faq(9, "New one?", "Brand new answer.", False, "returns")]),
        ("removed", lambda fs: [f for f in fs if f.id != "entry-1"]),
        ("nothing", lambda fs: fs),
    ]
    previous = None
    for step, (name, edit) in enumerate([("first", lambda fs: fs), *edits]):
        faqs = edit(faqs)
        pub = content(faqs)
        out = tmp_path / f"out{step}"
        before = digests(previous) if previous else None
        res = build(pub, out, "en", previous=previous)
        clean = tmp_path / f"clean{step}"
        build(pub, clean, "en", reference=True)
        assert digests(out) == digests(clean), name
        if previous is not None:
            assert digests(previous) == before, f"{name}: the previous output was modified"
            old, new = inodes(previous), inodes(out)
            kept = {rel for rel in new if old.get(rel) == new[rel]}
            if name == "answer past the excerpt":
                assert "ae/en/returns/entry-5/index.html" not in kept
                assert "ae/en/returns/entry-6/index.html" in kept and "ae/en/orders/entry-2/index.html" in kept
                assert "Edited ending." in (out / "ae/en/returns/entry-5/index.html").read_text("utf-8")
                assert "1 of 5 answer pages filled" in res.built
            if name == "question":  # related answers name it: those pages are filled again too
                assert "Renamed" in (out / "ae/en/orders/entry-2/index.html").read_text("utf-8")
            if name == "removed":
                assert not (out / "ae/en/orders/entry-1").exists()
            if name != "first":  # theme assets are linked, never copied again
                assets = [p for p in (out / "ae/en/assets").rglob("*") if p.is_file()]
                assert assets and all(p.stat().st_ino == (previous / p.relative_to(out)).stat().st_ino
                                      for p in assets)
            if name == "nothing":
                assert res.built == "no page changed"
                assert kept == set(new)
        previous = out
    index = json.loads((previous / "ae/en/search/search_index.json").read_text("utf-8"))
    assert any(d["location"] == "returns/entry-9/" for d in index["docs"])
    assert not any(d["location"].startswith("orders/entry-1/") for d in index["docs"])


def test_a_shell_the_filler_cannot_read_falls_back_to_mkdocs_for_every_page(tmp_path):
    """A project's theme layer that prints the title its own way: the canary check notices."""
    overrides = tmp_path / "theme"
    (overrides / "partials").mkdir(parents=True)
    header = Path(__import__("material").__file__).parent / "templates/partials/header.html"
    (overrides / "partials/header.html").write_text(
        header.read_text("utf-8").replace("{{ page.meta.title }}", "{{ page.meta.title | upper }}"), "utf-8")
    pub = content([faq(i, f"question {i}", "answer", False) for i in range(3)])
    res = build_help_center(pub, "AE", "en", tmp_path / "out", None, BUILD_DATE, str(overrides))
    assert "every page by MkDocs" in res.built
    page = (tmp_path / "out/ae/en/orders/entry-1/index.html").read_text("utf-8")
    assert "QUESTION 1" in page
    ref = tmp_path / "ref"
    build_help_center(pub, "AE", "en", ref, None, BUILD_DATE, str(overrides), reference=True)
    assert digests(tmp_path / "out") == digests(ref)
