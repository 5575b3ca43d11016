"""The text fields of entries, and an index of the ones that several checks look into.

Large catalogs hold over a million texts; one pass sorts out the few that contain braces,
Markdown links or nothing at all, so each check reads only those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from kb_builder.errors import Mark
from kb_builder.model import Catalog, Entry
from kb_builder.render.limits import MAX_BRACKETS


class EntryText(NamedTuple):
    """One text of an entry: field path, language (None for the source), the text, and the
    `{market.NAME}` variables and `{name}` placeholders it uses."""

    entry: Entry
    path: str
    lang: str | None
    text: str
    variables: frozenset[str] = frozenset()
    placeholders: frozenset[str] = frozenset()

    @property
    def mark(self) -> Mark | None:
        return text_mark(self.entry, self.path, self.lang)


def text_mark(entry: Entry, path: str, lang: str | None) -> Mark | None:
    """Where a source field (lang None) or a translated field was written."""
    if lang is None:
        return entry.mark_of(path)
    tr = entry.translations.get(lang)
    return entry.marks.get(f"translations.{lang}.{path}") or (tr.mark if tr else None) or entry.mark


@dataclass
class TextIndex:
    """Entry texts with variables or placeholders, with Markdown link syntax, and blank ones, each in
    catalog order (an entry's source fields first, then its translations)."""

    braces: list[EntryText] = field(default_factory=list)
    links: list[EntryText] = field(default_factory=list)
    blank: list[EntryText] = field(default_factory=list)
    brackets: list[EntryText] = field(default_factory=list)  # more `[` than Markdown renders in time


_MARKET_VARIABLE = re.compile(r"\{\{|\}\}|\{market\.([A-Za-z_][A-Za-z0-9_]*)\}")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NONE: frozenset[str] = frozenset()


def tokens(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The `{market.NAME}` variables and `{name}` placeholders of a text (same rules as kb_builder.variables)."""
    braces = text.count("{")
    market = text.count("{market.")
    variables = frozenset(filter(None, _MARKET_VARIABLE.findall(text))) if market else _NONE
    names = frozenset(filter(None, _PLACEHOLDER.findall(text))) if braces > market else _NONE
    return variables, names


def index_texts(catalog: Catalog) -> TextIndex:
    """Scan every entry text once."""
    index = TextIndex()
    braces, links, blank = index.braces.append, index.links.append, index.blank.append
    for entry in catalog.entries():
        for fields, lang in [(entry.source, None), *((tr.fields, lang) for lang, tr in entry.translations.items())]:
            for path, text in fields.items():
                if "{" in text:
                    variables, names = tokens(text)
                    if variables or names:
                        braces(EntryText(entry, path, lang, text, variables, names))
                if "](" in text or "]:" in text:
                    links(EntryText(entry, path, lang, text))
                if "[" in text and text.count("[") > MAX_BRACKETS:
                    index.brackets.append(EntryText(entry, path, lang, text))
                if not text or text.isspace():
                    blank(EntryText(entry, path, lang, text))
    return index
