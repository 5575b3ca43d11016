"""Search entries for Material's client-side search, made from each page's HTML with regular
expressions instead of Material's HTML parser.

Material's search plugin walks every tag of every page with Python's HTMLParser; on the internal
site of a large KB (answers in twenty languages on one page) that was 80% of the MkDocs time.
Our pages are generated, so their shape is known: sections start at headings with an id, and
the text worth indexing is the text between them. This module gives the same kind of entries
Material makes (`location`, `title`, `text` with a few block tags kept, Chinese segmented with
zero-width spaces) at a fraction of the cost. Pages it handles are marked `search: exclude` for
Material's plugin, and its entries replace the plugin's (empty) list after the build.

With a text budget (the internal site: INTERNAL_TEXT_BUDGET) an entry keeps its title (the
heading) whole and only the start of its text: controls (buttons, tab labels) are left out, a
paragraph that repeats the title too, and the rest is cut at a word boundary. The browser then
finds every entry by its title and heading words and the words of its first paragraph; the full
text of every language is searched by `kb search` and /api/search. On a large KB the full text
made a 117 MB index (12 MB gzipped) that a browser downloads and indexes on every visit.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

_HEADING = re.compile(r'<h([1-6])\b([^>]*)>(.*?)</h\1>', re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_HEADERLINK = re.compile(r'<a\b[^>]*class="headerlink"[^>]*>.*?</a>', re.S)
_SKIP = re.compile(r'<(script|style|object|svg)\b.*?</\1>', re.S)
_EXCLUDED_START = re.compile(r'<((?!h[1-6]\b)[a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-search-exclude\b[^>]*>')
_KEEP = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
# Inline tags vanish without a trace ("<b>par</b>cels" is one word); any other tag separates words.
_INLINE = {"a", "abbr", "b", "bdi", "cite", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small", "span",
           "strong", "time", "u", "var"}
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?>')
_SPACE = re.compile(r"\s+")
_EMPTY = re.compile(r"<(p|li|ul|ol|code|pre|sub|sup)>\s*</\1>")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CONTROL = re.compile(r'<(button|label|select|textarea|nav)\b.*?</\1>', re.S | re.I)
_BLOCK = re.compile(r"</?(?:p|li|ol|ul|pre)>")
_ANY_TAG = re.compile(r"<[^>]*>")
# Tags as _text writes them that end a block of _BLOCK: the text before such a tag is a prefix of
# the whole text that ends at a block boundary, so its blocks are the first blocks of the whole
# (no space run, empty element or Han word runs across a tag) and its words a prefix of all words.
_BLOCK_ENDS = frozenset({"</p>", "</li>", "</ol>", "</ul>", "</pre>"})


def _tag_of(slash: str, name: str) -> str:
    """A tag as entry text keeps it: block tags of _KEEP as such, inline tags as nothing, others as a space."""
    name = name.lower()
    if name in _KEEP:
        return f"<{slash}{name}>"
    return "" if name in _INLINE else " "

# Characters of text per entry in the internal site's browser index: a first paragraph, enough
# to tell the hits apart. 400 keeps the large preset's index under 3 MB gzipped (README).
INTERNAL_TEXT_BUDGET = 400


def _segmenter():
    try:
        import rjieba

        return lambda text: rjieba.cut(text)
    except ImportError:  # pragma: no cover - rjieba is a dependency; jieba is what Material uses
        import jieba

        return lambda text: list(jieba.cut(text))


class Sections:
    """Turns page HTML into search entries; `chinese` segments Han text as Material does."""

    def __init__(self, chinese: bool, text_budget: int | None = None):
        self.cut = _segmenter() if chinese else None
        self.text_budget = text_budget

    def _text(self, fragment: str) -> str:
        # text between tags as Material's parser leaves it: character references resolved, then
        # only &, < and > escaped again (a quote stays a quote, so "delivered" is a word to lunr)
        parts = _TAG.split(fragment)
        pieces = []
        for i in range(0, len(parts), 3):
            pieces.append(html.escape(html.unescape(parts[i]), quote=False))
            if i + 2 < len(parts):
                pieces.append(_tag_of(parts[i + 1], parts[i + 2]))
        return self._finish(pieces)

    def _finish(self, pieces: list[str]) -> str:
        out = _SPACE.sub(" ", "".join(pieces))
        out = _EMPTY.sub("", out)
        return self._segment(out.strip())

    def _summary(self, fragment: str, title: str, budget: int) -> str:
        """`summary(self._text(fragment), title, budget)` from only as much of the fragment as it
        needs: a section of a market page holds a hundred procedures, and the entry keeps 400
        characters of them. The text is taken up to the end of a block (`</p>`, `</li>`, ...)
        once enough of it is in; when its words are already longer than the budget, the rest of
        the fragment cannot change the summary (see _BLOCK_ENDS), else more is taken."""
        pieces: list[str] = []
        seen, attempt, pos = 0, 2 * budget + 64, 0
        for m in _TAG.finditer(fragment):
            piece = fragment[pos:m.start()]
            pieces.append(html.escape(html.unescape(piece), quote=False))
            tag = _tag_of(m.group(1), m.group(2))
            pieces.append(tag)
            pos = m.end()
            seen += len(piece)
            if seen >= attempt and tag in _BLOCK_ENDS:
                text = self._finish(pieces)
                # the prefix ends at that block's end (an emptied `<p> </p>` does not count); and
                # a leading zero-width space is cut off once any Han text is segmented, which
                # may come later
                if text.endswith(tag) and not (self.cut is not None and text.startswith("\u200b")
                                               and not _HAN.search(text)):
                    words = _words(text, title)
                    if len(words) > budget:
                        return _cut(words, budget)
                attempt = 2 * seen
        pieces.append(html.escape(html.unescape(fragment[pos:]), quote=False))
        return summary(self._finish(pieces), title, budget)

    def _segment(self, text: str) -> str:
        if self.cut is None or not _HAN.search(text):
            return text
        return _HAN.sub(lambda m: "\u200b" + "\u200b".join(self.cut(m.group(0))) + "\u200b", text).strip("\u200b")

    def entries(self, content: str, url: str, page_title: str) -> list[dict]:
        """One entry for the text before the first heading, then one per heading with an id; an
        element marked `data-search-exclude` is left out, and so is a heading's whole section."""
        content = _drop_excluded(_SKIP.sub(" ", content))
        found = list(_HEADING.finditer(content))
        out: list[dict] = []
        start, title, location, skip = 0, page_title, url, False
        for m in found:
            ident = _ID.search(m.group(2))
            if not ident:
                continue
            if not skip and (start or self._text(content[:m.start()])):  # text above the first heading, if any
                self._add(out, location, title, content[start:m.start()])
            skip = "data-search-exclude" in m.group(2)
            heading = _HEADERLINK.sub("", m.group(3))
            title = html.unescape(_SPACE.sub(" ", _TAG.sub(" ", heading)).strip())
            title = html.escape(title, quote=False)
            location = url if m.group(1) == "1" and not out else f"{url}#{ident.group(1)}"
            start = m.end()
        if not skip:
            self._add(out, location, title, content[start:])
        return out

    def _add(self, out: list[dict], location: str, title: str, fragment: str) -> None:
        if self.text_budget is None:
            text = self._text(fragment)
        else:
            text = self._summary(_CONTROL.sub(" ", fragment), title, self.text_budget)
        out.append({"location": location, "title": self._segment(title), "text": text})


def summary(text: str, title: str, budget: int) -> str:
    """The start of an entry's text (as Sections._text gives it) in at most `budget` characters
    of plain text, as one escaped paragraph: blocks that only repeat the title are dropped, the
    cut falls at the last space (or zero-width space) before the budget."""
    return _cut(_words(text, title), budget)


def _words(text: str, title: str) -> str:
    """The plain text of an entry's blocks, but those that only repeat the title, joined by spaces."""
    plain_title = _plain(title)
    blocks = [_plain(b) for b in _BLOCK.split(text)]
    return " ".join(b for b in blocks if b and b.replace("\u200b", "") != plain_title)


def _cut(words: str, budget: int) -> str:
    if len(words) > budget:
        cut = words[:budget + 1]
        at = max(cut.rfind(" "), cut.rfind("\u200b"))
        words = (cut[:at] if at > budget // 2 else cut[:budget]).rstrip(" \u200b")
    return f"<p>{html.escape(words, quote=False)}</p>" if words else ""


def _plain(fragment: str) -> str:
    return _SPACE.sub(" ", html.unescape(_ANY_TAG.sub(" ", fragment))).strip()


def _drop_excluded(content: str) -> str:
    """Remove each element marked `data-search-exclude` (but headings: see `entries`), with
    everything inside it, counting nested elements of the same name."""
    while True:
        m = _EXCLUDED_START.search(content)
        if not m:
            return content
        name, depth, pos = m.group(1), 1, m.end()
        tags = re.compile(rf"<(/?){name}\b[^>]*>", re.I)
        while depth:
            t = tags.search(content, pos)
            if t is None:
                pos = len(content)
                break
            depth += -1 if t.group(1) else 1
            pos = t.end()
        content = content[:m.start()] + " " + content[pos:]


def tidy_entries(docs: list[dict], chinese: bool) -> None:
    """Outside Chinese sites, undo the Chinese word cuts Material's search makes in any Han text
    (zero-width spaces from jieba): Japanese is cut by its own segmenter in the browser, and
    jieba's Chinese cuts split Japanese words apart."""
    if chinese:
        return
    for doc in docs:
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = doc[key].replace("\u200b", "")


class SearchSectionsPlugin(BasePlugin):
    """Indexes each page as it is built and writes the site's search index, once.

    `complete` (optional) turns this build's entries into the site's whole list (an incremental
    build adds the unchanged pages' entries from the previous output); `unicode` writes the JSON
    as UTF-8 rather than \\u escapes (a third of the size for CJK text) and leaves only Chinese
    text cut into words (see tidy_entries); `text_budget` keeps only the start of each entry's
    text (see Sections). Runs before Material's search plugin writes its index,
    and writes it instead.
    """

    def __init__(self, chinese: bool, complete=None, unicode: bool = False, text_budget: int | None = None):
        super().__init__()
        self.sections = Sections(chinese, text_budget)
        self.chinese = chinese
        self.complete = complete
        self.unicode = unicode
        self.docs: list[dict] = []

    @event_priority(50)  # after raw_html restored the page, before Material's search sees it (on_page_context)
    def on_page_content(self, html, page, config, files):  # noqa: D102 (an MkDocs event)
        meta_search = page.meta.get("search") or {}
        if not meta_search.get("exclude"):
            self.docs += self.sections.entries(html, page.url, page.title or "")
            page.meta["search"] = {**meta_search, "exclude": True}  # Material's parser skips it
        return html

    @event_priority(50)  # before Material's search plugin (priority 0), whose write it replaces
    def on_post_build(self, config):  # noqa: D102 (an MkDocs event)
        search = config.plugins["material/search"]
        if not search.config.enabled:
            return
        data = json.loads(search.search_index.generate_search_index(None))
        docs = data.get("docs", []) + self.docs  # Material's own: pages a page's meta excluded from us
        if self.complete is not None:
            docs = self.complete(docs)
        if self.unicode:
            tidy_entries(docs, self.chinese)
        data["docs"] = docs
        path = Path(config.site_dir) / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, separators=(",", ":"), default=str, ensure_ascii=not self.unicode),
                        encoding="utf-8")
        search.config.enabled = False  # written: Material's on_post_build now returns at once
