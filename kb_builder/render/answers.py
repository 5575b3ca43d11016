"""FAQ answers as safe HTML for the public help centers, rendered once and filled per market.

The same answer text appears in every market that speaks its language, with different
`{market.NAME}` values. Rendering Markdown and sanitising it is most of the cost of a help
center, so `answer_html` renders each text once per process with the variables left as
private-use sentinels, then puts each market's (escaped) values in. `public_html` is the plain
reference path (fill, render, sanitise); the fast path falls back to it whenever it cannot be
sure to give the same result: a value with Markdown or HTML meaning, or a variable that ended
up inside an attribute (a link target) where sentinels do not survive unchanged.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from markupsafe import Markup

from kb_builder.render import text as T
from kb_builder.variables import TOKEN

_VAR_OPEN, _VAR_CLOSE, _LBRACE, _RBRACE = "\ue010", "\ue011", "\ue012", "\ue013"
_SENTINEL = re.compile(_VAR_OPEN + r"([A-Za-z0-9_]+)" + _VAR_CLOSE)
_FOREIGN_IMG = re.compile(r'<img\b[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>')
# A value with any of these could mean something to Markdown or HTML: take the reference path.
_MARKUP_CHARS = set("\\`*_[]<>|#~!\n\r\u00a0")


def public_html(text: str, values: dict[str, str]) -> Markup:
    """An answer as safe HTML for the public site: values filled, Markdown rendered, sanitised, and
    images kept only when they come from the site itself (another host would be a request leaving
    the help center)."""
    return _drop_foreign_images(str(T.markdown_html(text, values)))


def answer_html(text: str, values: dict[str, str]) -> Markup:
    """The same HTML as `public_html(text, values)`, from a per-process cache of rendered texts."""
    prepared = _prepared(text)
    if prepared is None:
        return public_html(text, values)
    rendered, names = prepared
    for name in names:
        value = values.get(name)
        if value is not None and (_MARKUP_CHARS.intersection(value) or value[:1] in "-+" or value != value.strip()):
            return public_html(text, values)

    def fill(m: re.Match) -> str:
        name = m.group(1)
        if name in values:
            return html.escape(values[name], quote=False)
        return html.escape("{market." + name + "}", quote=False)  # undefined: kept as written

    return Markup(_SENTINEL.sub(fill, rendered).replace(_LBRACE, "{").replace(_RBRACE, "}"))


@lru_cache(maxsize=20000)
def _prepared(text: str) -> tuple[str, tuple[str, ...]] | None:
    """Rendered HTML with sentinels for variables and literal braces, and the variable names;
    None when a sentinel did not come through as plain text (e.g. inside a link target)."""
    names: list[str] = []

    def mark(m: re.Match) -> str:
        tok = m.group(0)
        if tok == "{{":
            return _LBRACE
        if tok == "}}":
            return _RBRACE
        name = m.group(1)
        if name.startswith("market."):
            names.append(name[len("market."):])
            return _VAR_OPEN + name[len("market."):] + _VAR_CLOSE
        return tok  # a `{placeholder}`: left as written, as the reference path does

    marked = TOKEN.sub(mark, text)
    out = str(public_html(marked, None))  # no tokens left for substitute() to act on
    intact = (sorted(_SENTINEL.findall(out)) == sorted(names)
              and out.count(_VAR_OPEN) == out.count(_VAR_CLOSE) == len(names)
              and "%EE%80" not in out.upper())  # percent-encoded: a sentinel inside a URL
    return (out, tuple(dict.fromkeys(names))) if intact else None


def _drop_foreign_images(out: str) -> Markup:
    if "<img" in out:
        out = _FOREIGN_IMG.sub("", out)
    return Markup(out)
