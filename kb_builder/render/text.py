"""Content text to safe HTML: market variables filled, Markdown rendered, then sanitised by nh3.

Content is data, never a template: Jinja never sees it as source, and `{% %}` or `{{ }}` in
content shows literally.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

from kb_builder.variables import TOKEN, substitute

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
_ALLOWED_ATTRS = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "span": {"class", "title"},
    "td": {"align"}, "th": {"align"}, "code": {"class"}, "ol": {"start"},
}
# Private-use sentinels survive Markdown and sanitising untouched; they become markup afterwards.
_VAR_OPEN, _VAR_CLOSE = "\ue000", "\ue001"


@lru_cache(maxsize=1)
def _md() -> markdown.Markdown:
    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


_NEEDS_MARKDOWN = re.compile(r"[*_`\[\]<>#|\\!&~]|^\s*(?:[-+]|\d+[.)])\s|\n\s*\n|  \n", re.M)


@lru_cache(maxsize=65536)
def _to_safe_html(text: str) -> str:
    """Markdown to sanitised HTML; plain one-paragraph text skips the Markdown parser (most fields)."""
    if not _NEEDS_MARKDOWN.search(text):
        body = html.escape(text.strip(), quote=False)
        return f"<p>{body}</p>" if body else ""
    md = _md()
    md.reset()
    return sanitize(md.convert(text))


def sanitize(fragment: str) -> str:
    """Remove scripts, event handlers, `javascript:` links and any tag not on the allow list."""
    return nh3.clean(fragment, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")


def markdown_html(text: str, values: dict[str, str] | None = None, chips: bool = False) -> Markup:
    """Render a long text field: fill `{market.NAME}` from values (or show chips), Markdown, sanitise.

    With `values=None` and `chips=True`, each market variable is shown as a highlighted chip
    naming it (for views that are not about one market).
    """
    if values is None and chips:
        text = TOKEN.sub(lambda m: (_VAR_OPEN + m.group(1)[7:] + _VAR_CLOSE)
                         if m.group(1) and m.group(1).startswith("market.") else m.group(0), text)
    out = _to_safe_html(substitute(text, values))
    if chips:
        out = re.sub(_VAR_OPEN + r"([A-Za-z0-9_]+)" + _VAR_CLOSE,
                     r'<span class="kb-var" title="market value: differs per market">\1</span>', out)
    return Markup(out)


def inline_html(text: str, values: dict[str, str] | None = None, chips: bool = False) -> Markup:
    """Like markdown_html for short one-line fields (titles, branch conditions): no <p> wrapper."""
    out = str(markdown_html(text, values, chips))
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return Markup(out)


def plain(text: str, values: dict[str, str] | None = None) -> str:
    """Text with market variables filled and literal braces unescaped, no markup (titles, search)."""
    return substitute(text, values)


def reply_html(text: str, values: dict[str, str] | None, placeholders: set[str] | None = None) -> Markup:
    """A reply template's text as it will be copied: escaped, never Markdown-rendered, with ticket
    placeholders highlighted (and unfilled market variables shown as chips)."""

    def ph(name: str) -> str:
        cls = "kb-ph" if placeholders is None or name in placeholders else "kb-ph kb-ph-undeclared"
        return f'{_VAR_OPEN}{cls}|{{{name}}}{_VAR_CLOSE}'

    def missing(name: str) -> str:
        return f"{_VAR_OPEN}kb-var|{{market.{name}}}{_VAR_CLOSE}"

    filled = substitute(text.strip("\n"), values, placeholder=ph, missing=missing) if values is not None else \
        substitute(text.strip("\n"), {}, placeholder=ph, missing=missing)
    escaped = html.escape(filled, quote=False)
    return Markup(re.sub(_VAR_OPEN + r"([a-z -]+)\|([^" + _VAR_CLOSE + r"]*)" + _VAR_CLOSE,
                         r'<span class="\1">\2</span>', escaped))
