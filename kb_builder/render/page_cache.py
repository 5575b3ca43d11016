"""The internal site's pages kept between builds, each under a key made of what it read.

While a page renders, the catalog's entry tables (SOPs, FAQ, templates, learning paths) record
every entry the page looks up, every table it walks whole and every count it takes (`recording`).
A page's key is a digest of
- what every page reads: the package's code, templates and theme and the installed distributions
  (runtime.build_record.package_digest), kb.yaml's settings, every market, the synonyms, the day
  taken as today and the content folder;
- what the page was given: the entries passed to its function (an SOP page gets its SOP);
- what it read last time, as it is now: each entry looked up (its data and its health findings,
  or that it is absent), each table walked (every id and entry, in order), each count, and each
  part of every entry that it read through `scan` (every id and that part, in order: a template
  page asks every SOP which templates it uses, and an SOP's step text is not part of that answer).
When the key computed now equals the stored one, nothing the page read has changed, so the stored
Markdown is the page; otherwise the page is rendered again and its reads are recorded afresh. A
page that only depends on one FAQ entry is rendered again only when that entry changes.

Inside a page, a block that one entry fills (an SOP on a market page, an answer on its FAQ
category page) can be kept the same way (`fragment`): its key is the page, the block's function
and arguments, the tab counter's value where it starts, and what the block read. A market page
that changes because one SOP changed renders that SOP's block again and takes the 99 others.

The cache is one data file per content folder under loading.cache.cache_folder (`KB_CACHE=off`
bypasses it); pages and blocks that are gone are forgotten when it is saved.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kb_builder.loading.cache import cache_folder, enabled, ensure_folder, read_data, write_data
from kb_builder.model import Catalog, Entry, LearningPath, Market

TABLES = ("sops", "faqs", "templates", "paths")
_reads: set | None = None  # what the page being rendered in this process has read so far
_PROJECTIONS: dict[str, Callable[[Any], Any]] = {}  # name -> a part of an entry (`projection`)
_active: "PageCache | None" = None  # the cache of the pages being rendered, for `fragment`


def _name(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def projection(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Register a function of one entry (a module-level one, its value picklable) as a part of
    entries that a page may read of a whole table with `scan`."""
    _PROJECTIONS[_name(fn)] = fn
    return fn


def scan(table: dict, fn: Callable[[Any], Any]) -> list[tuple[str, Any]]:
    """`(id, fn(entry))` for every entry of a catalog table, in the table's order. While a page
    renders this is noted as a read of that part of every entry, not of whole entries: an edit
    anywhere else in an entry does not render the page again. Entries the page then uses must be
    looked up in the table (`table[id]`), which notes them."""
    name = _name(fn)
    if _PROJECTIONS.get(name) is not fn:
        raise ValueError(f"{name} is not registered with page_cache.projection")
    if isinstance(table, RecordingTable):
        _note(table.kind, "@" + name)  # ids never hold "@" (loading.schemas.ID)
    return [(ident, fn(entry)) for ident, entry in dict.items(table)]


def cache_tag(content_root: Path | str) -> str:
    """The tag in a page cache's file name: the content folder and the working directory (pages
    show paths relative to it), so two checkouts sharing a cache folder keep their own pages."""
    root = Path(content_root).resolve()
    return hashlib.blake2b(f"{root}\0{os.getcwd()}".encode(), digest_size=8).hexdigest()


def _note(kind: str, key: Any) -> None:
    if _reads is not None:
        _reads.add((kind, key if isinstance(key, str) else repr(key)))


class RecordingTable(dict):
    """A catalog table that notes every read of it while a page renders (see `recording`)."""

    def __init__(self, kind: str, items: dict):
        super().__init__(items)
        self.kind = kind

    def __getitem__(self, key):
        _note(self.kind, key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        _note(self.kind, key)
        return super().get(key, default)

    def __contains__(self, key):
        _note(self.kind, key)
        return super().__contains__(key)

    def __len__(self):
        _note(self.kind, "#")
        return super().__len__()

    def _whole(self):
        _note(self.kind, "*")

    def __iter__(self):
        self._whole()
        return super().__iter__()

    def __reversed__(self):
        self._whole()
        return super().__reversed__()

    def keys(self):
        self._whole()
        return super().keys()

    def values(self):
        self._whole()
        return super().values()

    def items(self):
        self._whole()
        return super().items()

    def copy(self):
        self._whole()
        return dict(super().items())

    def __reduce__(self):  # a pickled table is a plain dict
        return (dict, (dict(super().items()),))


class recording:
    """`with recording(catalog):` the catalog's entry tables note what pages read; put back after."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.saved: dict[str, dict] = {}

    def __enter__(self):
        for name in TABLES:
            table = getattr(self.catalog, name)
            self.saved[name] = table
            setattr(self.catalog, name, RecordingTable(name, table))
        return self

    def __exit__(self, *exc):
        for name, table in self.saved.items():
            setattr(self.catalog, name, table)


def render_recorded(make: Callable[[], str]) -> tuple[str, frozenset]:
    """A page's Markdown and what it read from the catalog's tables."""
    global _reads
    outer, _reads = _reads, set()
    try:
        text = make()
        return text, frozenset(_reads)
    finally:
        _reads = outer


def fragment(make: Callable, page: str, counter=None) -> str:
    """`make()` (with `counter`, a page's TabCounter, as its argument when given), kept in the page
    cache between builds when a cache is in use (`caching`). `make` is a functools.partial of a
    function of the package whose arguments say what the block shows (entries, a market, the page
    path); the block's reads of the catalog's tables are recorded as for a page, and count as
    reads of the page that holds it, taken from the cache or not. A block starting at another
    tab number is another block; a block from the cache moves the counter on as rendering it did.
    `page` is the page that shows the block: a page taken whole from the cache keeps its blocks."""
    cache = _active
    given = cache._given(make) if cache is not None else None
    if given is None:
        return make(counter) if counter is not None else make()
    global _reads
    start = counter.n if counter is not None else 0
    ident = f"{page}\0{given}\0{start}"
    stored = cache.stored_fragments.get(ident)
    text = cache._stored_text(ident, stored) if stored is not None else None
    if text is not None and cache.key(ident, make, stored.reads) == stored.key:
        if _reads is not None:
            _reads |= stored.reads
        if counter is not None:
            counter.n += stored.tabs
        cache._add_fragment(page, ident, stored)
        cache.fragment_hits += 1
        return text
    outer, _reads = _reads, set()
    try:
        text = make(counter) if counter is not None else make()
        reads = frozenset(_reads)
    finally:
        _reads = outer
    if outer is not None:
        outer |= reads
    key = cache.key(ident, make, reads)
    if key is not None:
        cache._add_fragment(page, ident, _Fragment(key, reads, text, counter.n - start if counter is not None else 0))
    return text


class caching:
    """`with caching(cache):` blocks rendered meanwhile in this process use the page cache (`fragment`)."""

    def __init__(self, cache: "PageCache"):
        self.cache = cache

    def __enter__(self):
        global _active
        self.outer, _active = _active, self.cache
        return self

    def __exit__(self, *exc):
        global _active
        _active = self.outer


def take_fresh_fragments() -> dict:
    """The blocks stored in the active cache so far, taken out of it: a render worker sends them
    back after each slice of pages and holds no copy (keep_fragments puts them into the parent's)."""
    if _active is None:
        return {}
    blocks, _active.fresh_fragments = _active.fresh_fragments, {}
    _active._unkept = {}
    return blocks


def keep_fragments(blocks: dict) -> None:
    """Store blocks a render worker made (fresh_fragments) in this process's active cache."""
    if _active is not None:
        _active.fresh_fragments.update(blocks)


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _data(value) -> bytes:
    """The value's bytes for a fingerprint. Without the memo ("fast" mode) the bytes do not depend
    on which equal objects are shared: an entry parsed afresh and the same entry from the loader's
    cache give the same bytes. Entries hold no cycles, which fast mode could not write."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


@dataclass
class _Stored:
    key: str
    reads: frozenset
    markdown: str


@dataclass
class _Fragment:
    key: str
    reads: frozenset
    text: str | None  # None: it is `span` of its page's stored Markdown (not stored twice)
    tabs: int  # tab sets the block numbered (TabCounter)
    span: tuple[int, int] | None = None


@dataclass
class PageCache:
    """The stored pages of one content folder and the fingerprints of the catalog being rendered."""

    path: Path | None
    catalog: Catalog
    status: dict
    common: str
    stored: dict[str, _Stored] = field(default_factory=dict)
    fresh: dict[str, _Stored] = field(default_factory=dict)
    hits: int = 0
    stored_fragments: dict[str, _Fragment] = field(default_factory=dict)
    fresh_fragments: dict[str, _Fragment] = field(default_factory=dict)
    fragment_hits: int = 0
    hit_pages: set[str] = field(default_factory=set)
    _unkept: dict[str, list[str]] = field(default_factory=dict)  # page -> its blocks that keep() has not seen
    _entry_fp: dict[tuple[str, str], str] = field(default_factory=dict)
    _table_fp: dict[str, str] = field(default_factory=dict)
    _part_fp: dict[tuple[str, str], str | None] = field(default_factory=dict)

    @classmethod
    def open(cls, catalog: Catalog, status: dict, today: dt.date, use_stored: bool = True) -> "PageCache":
        """The cache of catalog's content folder (`use_stored=False`: render everything, store anew)."""
        from kb_builder.runtime.build_record import PACKAGE, package_digest

        root = Path(catalog.root).resolve()
        common = _digest(package_digest(PACKAGE).encode(), str(root).encode(), today.isoformat().encode(),
                         _data(catalog.settings), _data(sorted(catalog.markets.items())), _data(catalog.synonyms))
        if not enabled():
            return cls(None, catalog, status, common)
        path = cache_folder(root) / f"pages-{cache_tag(root)}.pickle"
        cache = cls(path, catalog, status, common)
        stored = read_data(path) if use_stored else None
        if isinstance(stored, tuple) and len(stored) == 2:
            pages, fragments = stored
            if isinstance(pages, dict) and all(isinstance(v, _Stored) for v in pages.values()) \
                    and isinstance(fragments, dict) and all(isinstance(v, _Fragment) for v in fragments.values()):
                cache.stored, cache.stored_fragments = pages, fragments
        return cache

    # -- fingerprints of what pages read ---------------------------------------------------------
    def _entry(self, kind: str, ident: str) -> str:
        key = (kind, ident)
        found = self._entry_fp.get(key)
        if found is None:
            entry = dict.get(getattr(self.catalog, kind), ident)  # dict's own get: no recording
            if entry is None:
                found = "absent"
            else:
                status = self.status.get(getattr(entry, "ref", None))
                found = _digest(_data(entry), _data(status.problems if status is not None else []))
            self._entry_fp[key] = found
        return found

    def _table(self, kind: str) -> str:
        found = self._table_fp.get(kind)
        if found is None:
            ids = list(dict.keys(getattr(self.catalog, kind)))
            found = self._table_fp[kind] = _digest(*(f"{i}\0{self._entry(kind, i)}".encode() for i in ids))
        return found

    def _part(self, kind: str, name: str) -> str | None:
        key = (kind, name)
        if key not in self._part_fp:
            fn = _PROJECTIONS.get(name)
            table = getattr(self.catalog, kind)
            self._part_fp[key] = None if fn is None else _digest(
                *(ident.encode() + b"\0" + _data(fn(entry)) for ident, entry in dict.items(table)))
        return self._part_fp[key]

    def _read(self, kind: str, key: str) -> str | None:
        if key == "*":
            return self._table(kind)
        if key.startswith("@"):
            return self._part(kind, key[1:])
        if key == "#":
            return str(len(dict.keys(getattr(self.catalog, kind))))
        return self._entry(kind, key)

    def _given(self, make: Callable) -> str | None:
        """A digest of what a page's function was given, None when it cannot be told (not cached)."""
        if isinstance(make, functools.partial):
            parts = [_given_value(self, v) for v in (make.func, *make.args, *sorted(make.keywords.items()))]
        elif hasattr(make, "__self__") and hasattr(make, "__func__"):  # a bound method of the site
            parts = [make.__func__.__qualname__]
        else:
            return None
        if any(p is None for p in parts):
            return None
        return _digest(*(p.encode() for p in parts))

    def key(self, page: str, make: Callable, reads: frozenset) -> str | None:
        """The key of a page rendered by `make` that read `reads`."""
        given = self._given(make)
        if given is None:
            return None
        parts = [(k, i, self._read(k, i)) for k, i in sorted(reads)]
        if any(value is None for _k, _i, value in parts):
            return None  # a part of entries this code no longer defines
        return _digest(self.common.encode(), page.encode(), given.encode(),
                       *(f"{k}\0{i}\0{value}".encode() for k, i, value in parts))

    # -- use -------------------------------------------------------------------------------------
    def lookup(self, page: str, make: Callable) -> str | None:
        """The stored Markdown of the page when nothing it read has changed, else None."""
        stored = self.stored.get(page)
        if stored is None:
            return None
        if self.key(page, make, stored.reads) != stored.key:
            return None
        self.fresh[page] = stored
        self.hits += 1
        self.hit_pages.add(page)
        return stored.markdown

    def keep(self, page: str, make: Callable, markdown: str, reads: frozenset) -> None:
        """Remember a page just rendered; its blocks that it shows as they are become spans of it."""
        key = self.key(page, make, reads)
        if key is None:
            return
        self.fresh[page] = _Stored(key, reads, markdown)
        for ident in self._unkept.pop(page, ()):
            block = self.fresh_fragments[ident]
            text = self._stored_text(ident, block) if block.text is None else block.text
            if text is None:  # cannot be: a block from the cache had its text when it was used
                del self.fresh_fragments[ident]
                continue
            at = markdown.find(text)
            # a span of this page's text, or the text itself (a span of the page stored before
            # would point into Markdown that is not stored any more)
            self.fresh_fragments[ident] = (_Fragment(block.key, block.reads, None, block.tabs, (at, at + len(text)))
                                           if at >= 0 else _Fragment(block.key, block.reads, text, block.tabs))

    def _add_fragment(self, page: str, ident: str, block: "_Fragment") -> None:
        """Store a block `page` shows, for keep() to make a span of that page once it is rendered."""
        if ident not in self.fresh_fragments:
            self._unkept.setdefault(page, []).append(ident)
        self.fresh_fragments[ident] = block

    def _stored_text(self, ident: str, block: "_Fragment") -> str | None:
        """A stored block's text: its own, or its span of the stored page that showed it."""
        if block.text is not None:
            return block.text
        page = self.stored.get(ident.split("\0", 1)[0])
        if page is None or block.span is None or not (0 <= block.span[0] <= block.span[1] <= len(page.markdown)):
            return None
        return page.markdown[block.span[0]:block.span[1]]

    def save(self) -> None:
        """Write the pages of this build (those of earlier builds that are gone are dropped); never fails."""
        if self.path is None:
            return
        for ident, block in self.stored_fragments.items():  # the blocks of pages taken whole
            if ident not in self.fresh_fragments and ident.split("\0", 1)[0] in self.hit_pages:
                self.fresh_fragments[ident] = block
        try:
            ensure_folder(self.path.parent)
            write_data(self.path, (self.fresh, self.fresh_fragments))
        except OSError:
            pass


def _given_value(cache: PageCache, value) -> str | None:
    """One argument of a page's function as text for its key (None: not something to key on)."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):  # a keyword
        inner = _given_value(cache, value[1])
        return None if inner is None else f"{value[0]}={inner}"
    if isinstance(value, (Entry, LearningPath)):
        table = {"sop": "sops", "faq": "faqs", "template": "templates", "path": "paths"}[value.kind]
        own = cache._entry(table, value.id)
        if own == "absent" or dict.get(getattr(cache.catalog, table), value.id) is not value:
            return None  # not the catalog's entry: its data is not what the fingerprint says
        return f"{value.kind}:{value.id}:{own}"
    if isinstance(value, Market):
        return f"market:{value.code}"  # every market is in the common part of the key
    if isinstance(value, (list, tuple)):
        parts = [_given_value(cache, v) for v in value]
        return None if any(p is None for p in parts) else "[" + ",".join(parts) + "]"
    if isinstance(value, (str, int, float, bool)) or value is None:
        return repr(value)
    name = getattr(value, "__qualname__", "")
    if callable(value) and (getattr(value, "__module__", None) or "").startswith("kb_builder.") \
            and name and "<" not in name:  # a named function of the package: its code is in the key
        return f"{value.__module__}.{name}"
    from kb_builder.render.internal import InternalSite

    if isinstance(value, InternalSite):
        return "site"  # what it holds is read through the tables, or is in the common part
    return None
