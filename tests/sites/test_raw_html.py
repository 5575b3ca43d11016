"""Finished HTML blocks go past Markdown and come out exactly as written."""

from __future__ import annotations

import datetime as dt

from kb_builder.render.common import raw
from kb_builder.sites.engine import MkDocsSite, build_site
from kb_builder.sites.raw_html import extract, restore

BLOCK = '<div class="kb-x"><p>a &amp; b</p>\n<pre><code>{customer_name}\n  - not a list</code></pre></div>'


def test_extract_and_restore_round_trip():
    page = "# T\n" + raw(BLOCK) + "Text\n" + raw("<p>two</p>")
    slotted, blocks = extract(page)
    assert blocks == [BLOCK, "<p>two</p>"]
    assert "kb-x" not in slotted and "<!--kb-raw:0-->" in slotted and "<!--kb-raw:1-->" in slotted
    assert restore(slotted, blocks) == "# T\n\n\n" + BLOCK + "\n\nText\n\n\n<p>two</p>\n\n"


def test_raw_blocks_reach_the_page_unchanged_and_are_searchable(tmp_path):
    page = "# Home\n\nSome *Markdown*.\n" + raw(BLOCK) + "\n## After\n\nMore.\n"
    build_site(MkDocsSite(name="T", language="en", pages={"index.md": page}, nav=[{"Home": "index.md"}]), tmp_path)
    html = (tmp_path / "index.html").read_text("utf-8")
    assert BLOCK in html and "<!--kb-raw" not in html
    assert "<em>Markdown</em>" in html and 'id="after"' in html
    assert "not a list" in (tmp_path / "search/search_index.json").read_text("utf-8")


def test_the_health_page_is_the_same_html_with_its_tables_past_markdown(make_project, tmp_path):
    """The health page's big tables (coverage, tallies, other findings) go past Markdown as raw
    blocks; its HTML is the page Markdown made of them before, on hostile finding texts."""
    import re

    from kb_builder.checks import coverage, run_checks
    from kb_builder.errors import Problem
    from kb_builder.loading.loader import load
    from kb_builder.render.common import RAW_CLOSE, RAW_OPEN
    from kb_builder.render.health import health_markdown

    content = make_project({})
    result = load(content)
    catalog = result.catalog
    hostile = ["*not* emphasis_ & <b>x</b>", "line\n\n    indented code?", "# heading?", "| a | b |\n|---|---|",
               "[link](http://x) `code` &amp; &lt;", "- list\n1. item", "{market.refund_limit} {{x}}", "<!--kb-raw-->"]
    problems = list(result.problems) + run_checks(catalog, dt.date(2026, 11, 23))
    entry = next(iter(catalog.faqs.values())).ref
    for i, text in enumerate(hostile):
        problems.append(Problem("warning", "untranslated", text, hint=text, entry=entry, lang="de"))
        problems.append(Problem("warning", f"odd-{i}", text, hint=text, market="DE"))  # other findings
        problems.append(Problem("warning", "stale-translation", text, entry=f"sop:gone-{i}", lang="fr"))
    page = health_markdown(catalog, problems, coverage(catalog))
    assert page.count(RAW_OPEN) >= 5 and "<h2" not in page
    # the same page with those tables left to Markdown, as before they were raw blocks (the
    # entries' blocks were raw blocks already)
    tables = ('<div class="kb-table kb-health-coverage">', '<div class="kb-table kb-health-tally">',
              '<div class="kb-health-entry" id="other">')
    block = re.compile(re.escape(RAW_OPEN) + r"\n(.*?)\n" + re.escape(RAW_CLOSE), re.S)
    plain = block.sub(lambda m: "\n" + m.group(1) if m.group(1).startswith(tables) else m.group(0), page)
    assert sum(1 for m in block.finditer(page) if m.group(1).startswith(tables)) == 5
    built = {}
    for name, text in (("raw", page), ("markdown", plain)):
        site = MkDocsSite(name="T", language="en", pages={"health.md": text}, nav=[{"Content health": "health.md"}],
                          build_date=1790812800)
        build_site(site, tmp_path / name)
        built[name] = (tmp_path / name / "health/index.html").read_text("utf-8")
    assert built["raw"] == built["markdown"]
    assert "kb-health-tally" in built["raw"] and 'id="other"' in built["raw"] and "odd-7" in built["raw"]
