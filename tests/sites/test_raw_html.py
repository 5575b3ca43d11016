"""Finished HTML blocks go past Markdown and come out exactly as written."""

from __future__ import annotations

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
