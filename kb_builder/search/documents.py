"""What gets indexed: one document per entry and language (the source and each translation),
and on the agents' index one per market (its name, values and notes, in the source language).

A document keeps its display text with `{market.NAME}` variables as written (a search for one
market fills them in), and indexes the same text with variables and ticket placeholders
removed, Markdown stripped. The values those variables take in each market of the entry's scope
are indexed beside it per market (`market_values`): "DHL --market DE" finds the entries that
say `{market.carrier}`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from kb_builder.model import Catalog, Entry, Faq, Market, Sop, Template
from kb_builder.urls import internal_url

ALL_MARKETS = "*"  # the `markets` term of an entry that applies to every market

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]{1,200}>")
_STAR = re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_LINE_MARK = re.compile(r"^[ \t]{0,3}(?:#{1,6}|[-*+]|\d{1,3}[.)]|>)[ \t]+", re.MULTILINE)
_VARIABLE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?\}")
_MARKET_VARIABLE = re.compile(r"\{market\.([A-Za-z_][A-Za-z0-9_]*)\}")
_SEPARATOR = " · "
MARKET_KIND = "market"


@dataclass(frozen=True)
class IndexDoc:
    """One entry in one language, as indexed and as shown in a search result."""

    key: str  # kind:id, unique within a language's index
    id: str
    kind: str
    lang: str
    title: str  # display text: Markdown stripped, variables kept
    body: str
    keywords: str  # tags, id words, category and scenario names
    note: str  # internal notes (FAQ `internal_note`); never shown, searchable by agents only
    url: str  # page in the internal site, relative to its root
    markets: tuple[str, ...]  # ("*",) or market codes
    audience: str
    draft: bool = False  # `draft: true`: shown to agents marked as a draft, never in public search
    market_values: tuple[tuple[str, str], ...] = ()  # (market code, the values its variables take here)

    @property
    def indexed_audience(self) -> str:
        """The audience the filters see: a draft is never public, so `--public` never finds it."""
        return "draft" if self.draft else self.audience

    def fingerprint(self) -> str:
        """Digest of everything indexed for this document: unchanged digest, nothing to update."""
        return _digest("\x1f".join((self.key, self.lang, self.title, self.body, self.keywords, self.note, self.url,
                                     " ".join(self.markets), self.audience, "draft" if self.draft else "",
                                     repr(self.market_values))))

    def stored(self) -> tuple:
        """What a search hit shows, stored with the document (one compact tuple)."""
        return (self.id, self.kind, self.lang, self.title, self.body, self.url, self.markets, self.audience,
                self.draft)


def clean(text: str) -> str:
    """Markdown and HTML stripped, whitespace collapsed: text as a reader sees it."""
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "\n" in text or text[:1] in "#-*+>0123456789":
        text = _LINE_MARK.sub("", text)
    for mark in ("**", "__", "~~", "`"):
        if mark in text:
            text = text.replace(mark, "")
    if "*" in text:
        text = _STAR.sub("", text)
    return " ".join(text.split())


def indexable(text: str) -> str:
    """Display text with `{market.NAME}` variables and `{name}` placeholders removed."""
    return _VARIABLE.sub(" ", text).replace("{{", "{").replace("}}", "}")


def market_values(texts: list[str], markets: list[Market]) -> tuple[tuple[str, str], ...]:
    """For each market, the values of the `{market.NAME}` variables used in texts (in order, once)."""
    names = list(dict.fromkeys(name for text in texts if "{market." in text for name in _MARKET_VARIABLE.findall(text)))
    if not names:
        return ()
    out = []
    for market in markets:
        values = market.variables()
        text = " ".join(str(values[name]) for name in names if values.get(name) not in (None, ""))
        if text:
            out.append((market.code, text))
    return tuple(out)


def documents(entry: Entry | Market, catalog: Catalog, public_only: bool = False) -> list[IndexDoc]:
    """The documents of an entry: its source language first, then each translation.

    `public_only` leaves out internal notes (for an index that holds public entries only).
    """
    return [document(entry, catalog, lang, public_only) for lang in languages(entry, catalog)]


def languages(entry: Entry | Market, catalog: Catalog) -> list[str]:
    """The languages an entry has a document in: the source language, then its translations
    (a market: the source language only; its notes are written in it)."""
    source = catalog.settings.source_language
    if isinstance(entry, Market) or not entry.translations:
        return [source]
    order = {lang: i for i, lang in enumerate(catalog.settings.languages)}
    return [source] + sorted((l for l in entry.translations if l != source), key=lambda l: (order.get(l, 999), l))


def document(entry: Entry | Market, catalog: Catalog, lang: str, public_only: bool = False) -> IndexDoc:
    """The document of an entry in one language (untranslated fields fall back to the source)."""
    if isinstance(entry, Market):
        return market_document(entry, catalog)
    title, body = _title(entry, lang), _body(entry, lang)
    return IndexDoc(key=f"{entry.kind}:{entry.id}", id=entry.id, kind=entry.kind, lang=lang,
                    title=clean(title), body=clean(body),
                    keywords=_keywords(entry, catalog, lang), note="" if public_only else clean(_note(entry)),
                    url=internal_url(entry), audience=entry.audience, draft=entry.draft,
                    markets=(ALL_MARKETS,) if entry.markets.all else tuple(entry.markets.codes),
                    market_values=market_values([title, body], catalog.markets_of(entry.markets)))


def market_document(market: Market, catalog: Catalog) -> IndexDoc:
    """A market as an agents' document: its name and code, its values, its notes (internal)."""
    values = " ".join(str(v) for v in market.variables().values() if v not in (None, ""))
    return IndexDoc(key=f"{MARKET_KIND}:{market.code}", id=market.code, kind=MARKET_KIND,
                    lang=catalog.settings.source_language, title=market.name, body=clean(market.notes),
                    keywords=f"{market.code} {values}", note="", url=internal_url(market), audience="internal",
                    markets=(market.code,))


def entry_fingerprint(entry: Entry | Market, catalog: Catalog) -> str:
    """Digest of everything an entry's documents are made from; cheap enough to compute for every
    entry on every build (one join and one hash over its texts), so unchanged entries are skipped
    without building their documents. (Market values are not in it: when any market changes, the
    indexer rebuilds.)"""
    if isinstance(entry, Market):
        return market_document(entry, catalog).fingerprint()
    parts = [entry.kind, entry.id, entry.audience, "draft" if entry.draft else "", entry.markets.label(), " ".join(entry.tags), internal_url(entry),
             catalog.settings.source_language, _note(entry)]
    if isinstance(entry, Faq):
        cat = catalog.settings.categories.get(entry.category)
        if cat is not None:
            parts.append(repr(cat.names))
    if isinstance(entry, Template):
        parts.extend((entry.scenario or "", entry.channel, entry.tone))
    parts.extend(entry.source)
    parts.extend(entry.source.values())
    for lang in sorted(entry.translations):
        fields = entry.translations[lang].fields
        parts.append("\x1e" + lang)
        parts.extend(fields)
        parts.extend(fields.values())
    return _digest("\x1f".join(parts))


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _title(entry: Entry, lang: str) -> str:
    return entry.display_title(lang)


def _body(entry: Entry, lang: str) -> str:
    if isinstance(entry, Faq):
        return entry.text("answer", lang)
    if isinstance(entry, Template):
        return entry.text("body", lang)
    if isinstance(entry, Sop):
        return _SEPARATOR.join(_sop_parts(entry, lang))
    return ""


def _sop_parts(sop: Sop, lang: str):
    for key in ("summary", "trigger"):
        if sop.source.get(key):
            yield sop.text(key, lang)
    for step in sop.steps:
        yield sop.text(f"steps.{step.id}.do", lang)
        for i in range(len(step.branches)):
            cond = sop.text(f"steps.{step.id}.branches.{i}.if", lang)
            then = sop.text(f"steps.{step.id}.branches.{i}.then", lang)
            yield f"{cond}: {then}"
    for i in range(len(sop.authority)):
        yield sop.text(f"authority.{i}.may", lang)
    for i in range(sop.escalate_when_count):
        yield sop.text(f"escalate_when.{i}", lang)


def _keywords(entry: Entry, catalog: Catalog, lang: str) -> str:
    """Tags, id words and scenario are written in the source language, so only the source
    document gets them (in a translation they would make source-language queries match every
    language); each document gets the FAQ category's name in its own language."""
    source = catalog.settings.source_language
    words = []
    if lang == source:
        words.extend(t.replace("-", " ") for t in entry.tags)
        words.append(entry.id.replace("-", " "))
    if isinstance(entry, Faq):
        cat = catalog.settings.categories.get(entry.category)
        if lang == source:
            words.append(entry.category)
        if cat is not None and cat.names.get(lang):
            words.append(cat.names[lang])
    if isinstance(entry, Template) and lang == source:
        words.extend(w.replace("-", " ") for w in (entry.scenario or "", entry.channel, entry.tone) if w)
    return " ".join(w for w in words if w)


def _note(entry: Entry) -> str:
    return entry.internal_note if isinstance(entry, Faq) else ""
