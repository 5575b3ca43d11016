"""Finished HTML blocks past MkDocs's Markdown parser (see `render.common.raw`).

Python-Markdown's raw-HTML handling walks every tag of a page with an HTML parser; on pages that
are mostly generated HTML (answers in every language, reply templates, SVG flowcharts) that is
most of the build. Each marked block is replaced by a one-line slot before MkDocs reads the page
and put back right after Markdown ran (`on_page_content`), before the theme and the search
plugin see the page, so what they get is the same HTML as without this step.
"""

from __future__ import annotations

import re

from mkdocs.plugins import BasePlugin, event_priority

from kb_builder.render.common import RAW_CLOSE, RAW_OPEN

_BLOCK = re.compile(re.escape(RAW_OPEN) + r"\n(.*?)\n" + re.escape(RAW_CLOSE), re.S)
_SLOT = re.compile(r"<!--kb-raw:(\d+)-->")


def extract(markdown: str) -> tuple[str, list[str]]:
    """The page with each marked block replaced by a numbered slot, and the blocks."""
    blocks: list[str] = []

    def slot(m: re.Match) -> str:
        blocks.append(m.group(1))
        return f"<!--kb-raw:{len(blocks) - 1}-->"

    return _BLOCK.sub(slot, markdown), blocks


def restore(html: str, blocks: list[str]) -> str:
    """Put the blocks back into the HTML Markdown made of the page."""
    return _SLOT.sub(lambda m: blocks[int(m.group(1))], html) if blocks else html


class RawHtmlPlugin(BasePlugin):
    """Holds the blocks of each page (by its docs-relative path) and restores them."""

    def __init__(self, blocks: dict[str, list[str]]):
        super().__init__()
        self.blocks = blocks

    @event_priority(100)  # first: every other plugin sees the page's finished HTML
    def on_page_content(self, html, page, config, files):  # noqa: D102 (an MkDocs event)
        return restore(html, self.blocks.pop(page.file.src_uri, []))

    @event_priority(-100)  # last: nobody reads page.content after it
    def on_post_page(self, output, page, config):  # noqa: D102 (an MkDocs event)
        # The page is written and indexed: its HTML is not needed again, and on a big KB keeping
        # every page's HTML until the end of the build is most of the memory.
        page.content = None
        return output
