"""Sanitised content HTML back to plain text, as an agent pastes it into a reply."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"p", "div", "ul", "ol", "table", "blockquote", "pre", "h3", "h4", "h5", "h6", "dl"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is ordered, item number]
        self.href: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.out.append("\n\n")
        if tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            prefix = "- "
            if self.lists:
                self.lists[-1][1] += 1
                if self.lists[-1][0]:
                    prefix = f"{self.lists[-1][1]}. "
            self.out.append("\n" + "  " * max(0, len(self.lists) - 1) + prefix)
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("tr", "dt", "dd"):
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href and href.startswith(("http:", "https:")) and not self.out[-1].strip() == href:
                self.out.append(f" ({href})")

    def handle_data(self, data):
        self.out.append(data)


def html_to_text(fragment: str) -> str:
    """Paragraphs separated by a blank line, list items as `- ` (or numbered), links as `text (url)`."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
