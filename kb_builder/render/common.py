"""Helpers shared by the internal and public page builders: links, language names, tabs."""

from __future__ import annotations

import hashlib
import posixpath
from functools import lru_cache
from dataclasses import dataclass, field

from markupsafe import Markup, escape

LANGUAGE_NAMES = {
    "en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "it": "Italiano", "nl": "Nederlands",
    "pl": "Polski", "pt": "Português", "pt-BR": "Português (Brasil)", "sv": "Svenska", "da": "Dansk",
    "fi": "Suomi", "cs": "Čeština", "tr": "Türkçe", "ja": "日本語", "zh-CN": "简体中文", "zh-TW": "繁體中文",
    "ko": "한국어", "ar": "العربية", "he": "עברית", "fa": "فارسی", "ru": "Русский", "el": "Ελληνικά",
    "no": "Norsk", "nb": "Norsk bokmål", "hu": "Magyar", "ro": "Română", "uk": "Українська", "th": "ไทย",
    "vi": "Tiếng Việt", "id": "Bahasa Indonesia", "ms": "Bahasa Melayu", "hi": "हिन्दी",
}


def language_name(code: str) -> str:
    """The name of a language in itself (Deutsch, 日本語), or the code when unknown."""
    return LANGUAGE_NAMES.get(code) or LANGUAGE_NAMES.get(code.split("-")[0]) or code


def page_url(page: str) -> str:
    """The directory URL MkDocs gives a Markdown page: `sops/x.md` -> `sops/x/`, `index.md` -> ``."""
    stem = page[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relpath(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` for two relative paths, without its two `abspath` calls
    (a market page links every FAQ entry and template: thousands of links per build); paths with
    `.` or `..` segments or a leading slash go to posixpath itself."""
    to = [x for x in path.split("/") if x]
    base = [x for x in start.split("/") if x]
    if path.startswith("/") or start.startswith("/") or not to or not base \
            or "." in to or ".." in to or "." in base or ".." in base:
        return posixpath.relpath(path, start)
    i, n = 0, min(len(to), len(base))
    while i < n and to[i] == base[i]:
        i += 1
    rel = [".."] * (len(base) - i) + to[i:]
    return "/".join(rel) if rel else "."


@lru_cache(maxsize=262144)
def relative(from_page: str, to_url: str) -> str:
    """A link from a page to a site-relative URL (links inside raw HTML are not rewritten by MkDocs)."""
    base = page_url(from_page)
    path, _, frag = to_url.partition("#")
    rel = relpath(path or ".", base or ".")
    rel = "" if rel == "." else rel
    if path.endswith("/") and rel and not rel.endswith("/"):
        rel += "/"
    if not rel:
        rel = "./"
    return rel + (f"#{frag}" if frag else "")


@dataclass
class TabCounter:
    """Hands out unique ids for tab sets on one page."""

    n: int = 0

    def next(self) -> int:
        self.n += 1
        return self.n


@dataclass
class Tab:
    label: str
    body: Markup
    extra_class: str = ""
    lang: str | None = None


def tabs(items: list[Tab], counter: TabCounter) -> Markup:
    """Material's content-tabs markup (pymdownx.tabbed, alternate style), written directly so that
    it can sit inside other HTML."""
    if not items:
        return Markup("")
    n = counter.next()
    parts = [f'<div class="tabbed-set tabbed-alternate" data-tabs="{n}:{len(items)}">']
    for i, _ in enumerate(items, 1):
        checked = ' checked="checked"' if i == 1 else ""
        parts.append(f'<input{checked} id="__tabbed_{n}_{i}" name="__tabbed_{n}" type="radio">')
    parts.append('<div class="tabbed-labels">')
    for i, t in enumerate(items, 1):
        lang = f' lang="{escape(t.lang)}"' if t.lang else ""
        parts.append(f'<label for="__tabbed_{n}_{i}"{lang}>{escape(t.label)}</label>')
    parts.append('</div><div class="tabbed-content">')
    for t in items:
        lang = f' lang="{escape(t.lang)}"' if t.lang else ""
        parts.append(f'<div class="tabbed-block {t.extra_class}"{lang}>{t.body}</div>')
    parts.append("</div></div>")
    return Markup("".join(parts))


# A block of finished HTML in a page's Markdown, marked so that a site engine may hand it through
# without Markdown parsing it again (its HTML parser is most of MkDocs's time on big pages). The
# marks are HTML comments: an engine that ignores them still gets valid Markdown with raw HTML.
RAW_OPEN, RAW_CLOSE = "<!--kb-raw-->", "<!--/kb-raw-->"


def raw(html: str) -> Markup:
    """Mark finished HTML as a block of its own; only at the top level of a page, never nested."""
    return Markup(f"\n\n{RAW_OPEN}\n{html}\n{RAW_CLOSE}\n\n")


@dataclass
class SiteContent:
    """All pages of one site, in navigation order, plus the navigation tree."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: list = field(default_factory=list)
    cached: int = 0  # pages taken from the page cache (render/page_cache.py), not rendered

    def add(self, path: str, markdown: str) -> None:
        self.pages[path] = markdown


def text_hash(text: str) -> str:
    """A short stable hash of a text (a page's Markdown, a file's contents, a signature's parts)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
