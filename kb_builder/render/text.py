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

from kb_builder.render.limits import MAX_BRACKETS
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


# Conversions from an earlier build (see conversions.py) and the ones this process made or used.
_STORED: dict[str, str] = {}
_USED: dict[str, str] = {}


def start_build() -> None:
    """Forget the previous build's conversions, so a long-lived process (kb serve) keeps only what
    the current build uses and stores no text that was deleted from the content."""
    _STORED.clear()
    _USED.clear()
    _to_safe_html.cache_clear()
    _prepared.cache_clear()


def use_conversions(stored: dict[str, str]) -> None:
    """Take conversions made by an earlier build (same code and library versions)."""
    _STORED.update(stored)


def stored_conversions() -> dict[str, str]:
    """The conversions taken from an earlier build (use_conversions)."""
    return dict(_STORED)


def used_conversions() -> dict[str, str]:
    """Every Markdown conversion this process needed, for the next build."""
    return dict(_USED)


def record_conversions(done: dict[str, str]) -> None:
    """Count conversions another process made for this build as used here (see parallel.py)."""
    _USED.update(done)


@lru_cache(maxsize=65536)
def _to_safe_html(text: str) -> str:
    """Markdown to sanitised HTML; plain one-paragraph text skips the Markdown parser (most fields)."""
    if text.count("[") > MAX_BRACKETS:
        body = html.escape(text.strip(), quote=False)
        return f"<p>{body}</p>" if body else ""
    if not _NEEDS_MARKDOWN.search(text):
        body = html.escape(text.strip(), quote=False)
        return f"<p>{body}</p>" if body else ""
    out = _STORED.get(text)
    if out is None:
        md = _md()
        md.reset()
        out = sanitize(md.convert(text))
    _USED[text] = out
    return out


def sanitize(fragment: str) -> str:
    """Remove scripts, event handlers, `javascript:` links and any tag not on the allow list."""
    return nh3.clean(fragment, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer")


def markdown_html(text: str, values: dict[str, str] | None = None, chips: bool = False) -> Markup:
    """Render a long text field: fill `{market.NAME}` from values (or show chips), Markdown, sanitise.

    With `values=None` and `chips=True`, each market variable is shown as a highlighted chip
    naming it (for views that are not about one market). The same text appears once per market
    with different values, so it is rendered once with the variables as sentinels and each
    market's escaped values are put in afterwards; `reference_html` is the plain path, taken
    whenever that shortcut could give a different result (see `_fill`).
    """
    prepared = _prepared(text)
    if prepared is not None:
        out = _fill(prepared, values, chips)
        if out is not None:
            return Markup(out)
    return Markup(reference_html(text, values, chips))


def reference_html(text: str, values: dict[str, str] | None = None, chips: bool = False) -> str:
    """Fill the values, then render Markdown and sanitise: the definition `markdown_html` must equal."""
    if values is None and chips:
        text = TOKEN.sub(lambda m: (_VAR_OPEN + m.group(1)[7:] + _VAR_CLOSE)
                         if m.group(1) and m.group(1).startswith("market.") else m.group(0), text)
    out = _to_safe_html(substitute(text, values))
    if chips:
        out = _CHIP.sub(_CHIP_HTML, out)
    return out


_CHIP = re.compile(_VAR_OPEN + r"([A-Za-z0-9_]+)" + _VAR_CLOSE)
_CHIP_HTML = r'<span class="kb-var" title="market value: differs per market">\1</span>'
# Sentinels for the render-once path (distinct from the chip sentinels above).
_SLOT_OPEN, _SLOT_CLOSE, _LBRACE, _RBRACE = "\ue010", "\ue011", "\ue012", "\ue013"
_SLOT = re.compile(_SLOT_OPEN + r"([A-Za-z0-9_]+)" + _SLOT_CLOSE)
# A value is put into the render-once HTML as it is only when it contains none of these: what
# Markdown or HTML could read as syntax, what the sanitiser's serialiser writes as a character
# reference (`&`, `<`, `>`, `"`, no-break space), braces (attribute lists), control characters
# (the HTML parser drops or rewrites some) and the private-use sentinels. Anything else takes the
# reference path, so the fast path never has to know how a character is escaped in which place.
_MARKUP_CHARS = frozenset("\\`*_[]<>|#~!&\"{}\u00a0\u2028\u2029") | frozenset(map(chr, range(0x20))) \
    | frozenset(map(chr, range(0x7f, 0xa0))) | frozenset(map(chr, range(0xe000, 0xf900)))
_LIST_START = re.compile(r"\d+[.)]")
# A start tag as the sanitiser writes it (attributes always in double quotes, `>` may be inside).
_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
# An abbreviation definition (`*[EU]: European Union`) changes how a value reads.
_ABBREVIATION = re.compile(r"^ {0,3}\*\[", re.M)


def _slotted(text: str) -> tuple[str, list[str]]:
    """The text with each market variable as a slot and literal braces as sentinels, and the names."""
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
            return _SLOT_OPEN + name[len("market."):] + _SLOT_CLOSE
        return tok  # a `{placeholder}`: left as written, as the reference path does

    return TOKEN.sub(mark, text), names


@lru_cache(maxsize=65536)
def _prepared(text: str) -> tuple[str, tuple[str, ...]] | None:
    """Rendered HTML with slots for market variables and literal braces, and the variable names;
    None when a slot did not come through as plain text (e.g. inside a link target)."""
    marked, names = _slotted(text)
    if names and _ABBREVIATION.search(text):
        return None
    out = _to_safe_html(marked)
    intact = (sorted(_SLOT.findall(out)) == sorted(names)
              and out.count(_SLOT_OPEN) == out.count(_SLOT_CLOSE) == len(names)
              and "%EE%80" not in out.upper()  # percent-encoded: a slot inside a URL
              # a slot inside a tag (an attribute, a link target) is escaped by other rules and
              # can carry a URL scheme: only text between tags is filled here
              and not any(_SLOT_OPEN in tag for tag in _TAG.findall(out)))
    return (out, tuple(dict.fromkeys(names))) if intact else None


def _fill(prepared: tuple[str, tuple[str, ...]], values: dict[str, str] | None, chips: bool) -> str | None:
    """Put values (or chips) into the slots; None when a value could change the Markdown."""
    rendered, names = prepared
    if values:
        for name in names:
            value = values.get(name)
            if value is not None and (_MARKUP_CHARS.intersection(value) or value[:1] in "-+=:"
                                      or value != value.strip() or "  " in value
                                      or _LIST_START.match(value)):
                return None

    def slot(m: re.Match) -> str:
        name = m.group(1)
        if values is not None and name in values:
            return html.escape(values[name], quote=False)
        if values is None and chips:
            return _CHIP_HTML.replace("\\1", name)
        return "{market." + name + "}"  # no value: kept as written (names need no escaping)

    return _SLOT.sub(slot, rendered).replace(_LBRACE, "{").replace(_RBRACE, "}")


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
