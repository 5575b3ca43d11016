"""FAQ answers as safe HTML for the public help centers.

The same answer text appears in every market that speaks its language, with different
`{market.NAME}` values; `text.markdown_html` renders each text once and fills each market's
values in. `public_html` is the reference path (fill, render, sanitise) that it must equal.
Images are kept only when they come from the site itself: another host would be a request
leaving the help center.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from kb_builder.render import text as T

_FOREIGN_IMG = re.compile(r'<img\b[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>')


def public_html(text: str, values: dict[str, str]) -> Markup:
    """An answer as safe HTML for the public site, by the reference path (no render-once cache)."""
    return _drop_foreign_images(T.reference_html(text, values))


def answer_html(text: str, values: dict[str, str]) -> Markup:
    """The same HTML as `public_html(text, values)`, rendered once per text and filled per market."""
    return _drop_foreign_images(str(T.markdown_html(text, values)))


def _drop_foreign_images(out: str) -> Markup:
    if "<img" in out:
        out = _FOREIGN_IMG.sub("", out)
    return Markup(out)
