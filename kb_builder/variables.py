"""`{market.NAME}` variables and `{name}` ticket placeholders in content text.

Content is never evaluated as a template: this module only recognises three tokens with a
regular expression (`{{`, `}}` and `{identifier}`), so nothing in content can run code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}")


@dataclass(frozen=True)
class Token:
    """A `{...}` occurrence: `market` is True for `{market.NAME}`; offset is into the text."""

    name: str
    market: bool
    offset: int


def tokens(text: str) -> Iterator[Token]:
    """Yield the variables and placeholders found in text (literal `{{` and `}}` are skipped)."""
    for m in TOKEN.finditer(text):
        name = m.group(1)
        if not name:
            continue
        if name.startswith("market."):
            yield Token(name[len("market."):], True, m.start())
        elif "." not in name:
            yield Token(name, False, m.start())


def market_variables(text: str) -> set[str]:
    """Names of the `{market.NAME}` variables used in text."""
    return {t.name for t in tokens(text) if t.market}


def placeholders(text: str) -> set[str]:
    """Names of the `{name}` ticket placeholders used in text."""
    return {t.name for t in tokens(text) if not t.market}


def substitute(text: str, values: dict[str, str] | None,
               placeholder: Callable[[str], str] | None = None,
               missing: Callable[[str], str] | None = None) -> str:
    """Replace `{market.NAME}` with values[NAME] and `{{`/`}}` with single braces.

    `values=None` leaves market variables as written (a view for no particular market).
    Ticket placeholders stay as `{name}` unless `placeholder` maps them (e.g. to highlighted
    markup). An undefined variable is kept as written unless `missing` says otherwise; the
    checker reports it, so rendering never has to fail on it.
    """

    def repl(m: re.Match) -> str:
        tok = m.group(0)
        if tok == "{{":
            return "{"
        if tok == "}}":
            return "}"
        name = m.group(1)
        if name.startswith("market."):
            key = name[len("market."):]
            if values is None:
                return tok
            if key in values:
                return values[key]
            return missing(key) if missing else tok
        if "." not in name and placeholder is not None:
            return placeholder(name)
        return tok

    return TOKEN.sub(repl, text)
