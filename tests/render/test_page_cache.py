"""The internal site's page cache: pages taken from it equal pages rendered afresh, after any edit,
and an edit renders again only the pages that read the edited entry."""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_builder import pipeline
from kb_builder.cli import main
from kb_builder.render import parallel

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"
TODAY = dt.date(2026, 11, 23)
FAQ = "faq/where-is-my-order.yaml"
SOP = "sops/damaged-item.yaml"
MARKET = "markets/de.yaml"

HOSTILE = st.sampled_from(["<script>alert(1)</script>", "</script>", '"quoted" \'text\'', "مرحبا بالعالم",
                           "配送状況を確認する", "**bold** [link](http://x) `code`", "a & b < c", "# heading",
                           "{market.return_window_days}", "| a | b |", "\u202ereversed"])
# any printable text (YAML refuses control characters; line separators would end the line)
TEXT = st.lists(st.one_of(HOSTILE, st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")),
                                           min_size=1, max_size=15)), min_size=1, max_size=4).map(" ".join)


def edit(content: Path, rel: str, old: str, new: str) -> None:
    path = content / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render(content: Path, cache: bool | None) -> dict[str, str]:
    catalog, problems = pipeline.load_and_check(content, TODAY)
    return pipeline.internal_site(catalog, problems, TODAY, page_cache=cache).pages


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer=TEXT, step=TEXT, value=TEXT, new_value=st.booleans())
def test_pages_from_the_cache_equal_pages_rendered_afresh(answer, step, value, new_value, monkeypatch):
    root = Path(tempfile.mkdtemp(prefix="kb-page-cache-"))
    try:
        monkeypatch.chdir(root)
        monkeypatch.setenv("KB_CACHE_DIR", str(root / "cache"))
        content = root / "content"
        shutil.copytree(MINI, content)
        render(content, True)  # fills the cache from the bundled text
        # a line of a block scalar (any printable text), and JSON strings, which are YAML
        edit(content, FAQ, "Track it with the link in your shipping email.", "Track it: " + answer)
        edit(content, SOP, "do: Offer the customer a choice of resolutions.", f"do: {quoted(step)}")
        if new_value:
            edit(content, MARKET, "vars:\n", f"vars:\n  gift_wrap_note: {quoted(value)}\n")
        else:
            edit(content, MARKET, 'agent_refund_limit: "50 EUR"', f"agent_refund_limit: {quoted(value)}")
        assert render(content, True) == render(content, None)
        # a sequence: the other answer of the category, then the first one back and the step again;
        # the blocks of the answers and SOPs kept from the builds before must still be right
        edit(content, "faq/carrier-claims.yaml", "answer: Seven days from the delivery scan.",
             f"answer: {quoted('Seven days: ' + step)}")
        assert render(content, True) == render(content, None)
        edit(content, FAQ, "Track it: " + answer, "Track it with the link in your shipping email.")
        edit(content, SOP, f"do: {quoted(step)}", f"do: {quoted(answer)}")
        assert render(content, True) == render(content, None)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_an_edit_renders_again_only_the_pages_that_read_the_entry(make_project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    rendered: list[list[str]] = []
    real = parallel._render
    monkeypatch.setattr(parallel, "_render", lambda tasks: rendered.append([p for p, _ in tasks]) or real(tasks))
    first = render(content, True)
    assert rendered[-1] == list(first)
    render(content, True)
    assert rendered[-1] == ["health.md"]  # its text is made before, it is never cached
    edit(content, "faq/carrier-claims.yaml", "Seven days from the delivery scan.", "Ten days from the scan.")
    render(content, True)
    again = set(rendered[-1])
    assert "faq/shipping.md" in again and "sops/damaged-item.md" not in again
    assert not any(p.startswith("templates/") and p != "templates/index.md" for p in again)
    assert "Ten days" in render(content, None)["faq/shipping.md"]


def test_a_template_page_reads_of_other_sops_only_which_templates_they_use(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    apology = (content / "templates/apology-damaged.yaml").read_text("utf-8")
    (content / "templates/thank-you.yaml").write_text(apology.replace("scenario: damaged-item\n", ""), "utf-8")
    rendered: list[list[str]] = []
    real = parallel._render
    monkeypatch.setattr(parallel, "_render", lambda tasks: rendered.append([p for p, _ in tasks]) or real(tasks))
    render(content, True)
    edit(content, SOP, "do: Offer the customer a choice of resolutions.", "do: Offer a refund or a new one.")
    pages = render(content, True)
    assert "templates/apology-damaged.md" in rendered[-1]  # it names the SOP as its scenario and user
    assert "templates/thank-you.md" not in rendered[-1]  # the SOP's templates are as they were
    assert pages == render(content, None)
    edit(content, SOP, "templates: [apology-damaged]", "templates: [apology-damaged, thank-you]")
    pages = render(content, True)
    assert "templates/thank-you.md" in rendered[-1]
    assert "damaged-item" in pages["templates/thank-you.md"]
    assert pages == render(content, None)


def test_kb_build_after_a_sequence_of_edits_equals_a_clean_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content, out, clean = tmp_path / "content", tmp_path / "out", tmp_path / "clean"
    shutil.copytree(MINI, content)
    args = ["--content", str(content), "--today", TODAY.isoformat(), "--audience", "internal", "-q"]
    original = {rel: (content / rel).read_text("utf-8") for rel in (FAQ, SOP, MARKET)}
    steps = [
        (FAQ, "shipping email.", "shipping email or <b>text</b> </script> message, 配送 مرحبا."),
        (SOP, "Offer the customer a choice of resolutions.", "Offer a choice, **refund** or [reship](#x) &amp; <i>more</i>."),
        (MARKET, "vars:\n", "vars:\n  gift_wrap_note: \"Wrapped & <signed>\"\n"),
        (MARKET, 'agent_refund_limit: "50 EUR"', 'agent_refund_limit: "60 EUR"'),
    ]
    assert main(["build", *args, "--out", str(out)]) == 0
    for step in [*steps, None]:
        if step is None:  # and back to the start
            for name, text in original.items():
                (content / name).write_text(text, "utf-8")
        else:
            edit(content, *step)
        rel = step[0] if step else "reverted"
        assert main(["build", *args, "--out", str(out)]) == 0
        shutil.rmtree(clean, ignore_errors=True)
        assert main(["build", *args, "--out", str(clean), "--clean"]) == 0
        assert site_files(out) == site_files(clean), rel
    page = (out / "internal/faq/shipping/index.html").read_text("utf-8")
    assert "shipping email." in page and "配送" not in page


def site_files(out: Path) -> dict[str, bytes]:
    site = out / "internal"
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_an_edit_renders_again_only_the_blocks_of_the_edited_entry(tmp_path, monkeypatch):
    """A market page shows every SOP and a FAQ category page every answer of the category: after
    an edit of one SOP or answer, only that entry's block is rendered again (page_cache.fragment)."""
    from kb_builder.render.internal import InternalSite

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    (content / "sops/second-sop.yaml").write_text(
        (content / SOP).read_text("utf-8").replace("Item arrived damaged", "Second item"), "utf-8")
    blocks: list[str] = []
    for name in ("_market_sop", "_faq_entry"):
        real = getattr(InternalSite, name)

        @functools.wraps(real)  # the block's function by its name, as the cache keys it
        def spy(self, entry, *args, _real=real):
            blocks.append(entry.ref)
            return _real(self, entry, *args)
        monkeypatch.setattr(InternalSite, name, spy)
    first = render(content, True)
    markets = [p for p in first if p.startswith("markets/") and p != "markets/index.md"]
    assert blocks.count("sop:second-sop") == len(markets) >= 2 and blocks.count("faq:carrier-claims") == 1
    blocks.clear()
    edit(content, "faq/carrier-claims.yaml", "Seven days from the delivery scan.", "Ten days from the scan.")
    edit(content, SOP, "do: Offer the customer a choice of resolutions.", "do: Offer a refund or a new one.")
    pages = render(content, True)
    assert sorted(set(blocks)) == ["faq:carrier-claims", "sop:damaged-item"], blocks
    assert blocks.count("sop:damaged-item") == len(markets)
    assert pages == render(content, None)
    assert "Ten days" in pages["faq/shipping.md"] and "Offer a refund" in pages[markets[0]]
    # a new answer sorted first on the category page: every later answer's tabs are numbered on
    (content / "faq/a-first-question.yaml").write_text((content / "faq/carrier-claims.yaml").read_text("utf-8")
                                                       .replace("How long", "Aaa, how long"), "utf-8")
    pages = render(content, True)
    assert pages == render(content, None)
    assert pages["faq/shipping.md"].index("Aaa, how long") < pages["faq/shipping.md"].index("Where is my order")
    # a build that takes the category page whole keeps its blocks: the next answer edit renders one
    edit(content, SOP, "do: Offer a refund or a new one.", "do: Offer a refund or a new item.")
    render(content, True)
    blocks.clear()
    edit(content, "faq/carrier-claims.yaml", "Ten days from the scan.", "Ten days from the delivery scan.")
    pages = render(content, True)
    assert [b for b in blocks if b.startswith("faq:")] == ["faq:carrier-claims"], blocks
    assert pages == render(content, None)


def test_each_page_keeps_its_own_blocks_as_spans_across_slices(monkeypatch):
    """A render worker hands its blocks back after each slice (take_fresh_fragments) and keeps on
    rendering: the blocks of a page rendered later become spans of that page, however many blocks
    the earlier slice had, and a block whose text the page does not show keeps its own text."""
    from kb_builder.render import page_cache

    cache = page_cache.PageCache(path=None, catalog=None, status={}, common="c")
    monkeypatch.setattr(cache, "_given", lambda make: make.args[0])
    monkeypatch.setattr(cache, "key", lambda ident, make, reads: f"key:{ident}")

    def block(text: str) -> str:
        return text

    def render(page: str, texts: list[str], shown: str) -> None:
        for t in texts:
            page_cache.fragment(functools.partial(block, t), page)
        cache.keep(page, functools.partial(block, page), shown, frozenset())

    with page_cache.caching(cache):
        render("a.md", ["alpha", "beta"], "# A\nalpha\nbeta\n")
        first = page_cache.take_fresh_fragments()
        render("b.md", ["gamma", "delta"], "# B\ndelta\ngamma\n")  # as many blocks as the first slice
        render("c.md", ["not shown"], "# C\n")
        second = page_cache.take_fresh_fragments()
    assert {ident.split("\0")[1]: b.span for ident, b in first.items()} == {"alpha": (4, 9), "beta": (10, 14)}
    spans = {ident.split("\0")[1]: (b.span, b.text) for ident, b in second.items()}
    assert spans == {"gamma": ((10, 15), None), "delta": ((4, 9), None), "not shown": (None, "not shown")}
    assert all(b.text is None for b in first.values())
