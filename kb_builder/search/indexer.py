"""Build the search index of a catalog, or bring an existing one up to date.

Layout of the index folder (`OUT/search/`):
    manifest.json   languages, markets, generation (see manifest.py)
    entries.json    fingerprint of every entry and of each of its documents
    <lang>/         one Whoosh index per language (small, its own analyzer, searched alone)

A first build (or one after a format change) writes every language into a staging folder,
in parallel processes when there is enough to do, and swaps it in: a failed build leaves the
previous index untouched. Later builds compare fingerprints and rewrite only the documents
that changed, in the languages where they changed.
"""

from __future__ import annotations

import gc
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from kb_builder.errors import BuildError
from kb_builder.model import Catalog, Entry, Market
from kb_builder.runtime.parallel import job_count, map_forked
from kb_builder.runtime.staging import exchange
from kb_builder.search.analysis import analyzer_for
from kb_builder.search.documents import (MARKET_KIND, IndexDoc, document, documents, entry_fingerprint,
                                         languages)
from kb_builder.search.manifest import Manifest, MarketInfo, content_stamp, read_manifest, write_manifest
from kb_builder.search.schema import ImpactCodec, fields, schema
from kb_builder.search import semantic

PARALLEL_FROM = 20_000  # documents: below this, worker processes cost more than they save
REBUILD_SHARE = 0.4  # rewrite a language from scratch when this share of its documents changed


@dataclass
class IndexReport:
    """What a build or an update did."""

    path: Path
    full: bool  # True: written from scratch
    documents: int  # documents in the index now
    written: int = 0  # documents added or replaced
    deleted: int = 0
    languages: list[str] = field(default_factory=list)  # languages whose index was written
    languages_all: list[str] = field(default_factory=list)  # languages in the index
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people."""
        what = "built" if self.full else ("updated" if self.written or self.deleted else "up to date")
        changed = f", {self.written} written, {self.deleted} deleted" if not self.full and what == "updated" else ""
        return f"search index {what}: {self.documents} documents in {len(self.languages_all)} languages" \
               f"{changed} ({self.seconds:.1f} s)"


def build_index(catalog: Catalog, out_dir: Path, *, audience: str = "all", previous: Path | None = None,
                stamp: str | None = None, workers: int | None = None,
                progress: Callable[[str], None] | None = None) -> IndexReport:
    """Write the search index of `catalog` to `out_dir`, updating it in place when one is there.

    audience: "all" (agents: every entry) or "public" (public entries only, no internal notes).
    previous: an earlier index folder to start from when `out_dir` has none (for builds that
        write into a fresh staging folder); it is copied, never changed.
    stamp: the content stamp to record (default: computed from `catalog.root`).
    workers: processes for a full build (default: one per CPU when there is enough to do).
    """
    if audience not in ("all", "internal", "public"):
        raise ValueError(f"audience must be all, internal or public, not {audience!r}")
    audience = "public" if audience == "public" else "all"
    started = time.perf_counter()
    out_dir = Path(out_dir)
    say = progress or (lambda _msg: None)
    if stamp is None and catalog.root:
        stamp = content_stamp(Path(catalog.root))
    entries = [e for e in catalog.entries() if audience == "all" or e.published]
    if audience == "all":  # agents also find markets (their notes and values)
        entries += [m for _code, m in sorted(catalog.markets.items())]
    current = {_key(e): (e, entry_fingerprint(e, catalog)) for e in entries}

    manifest = read_manifest(out_dir, entries=True)
    if (manifest is None or not manifest.compatible() or manifest.audience != audience) and previous is not None:
        seed = read_manifest(Path(previous))
        if seed is not None and seed.compatible() and seed.audience == audience:
            say(f"starting from the search index in {previous}")
            _copy_index(Path(previous), out_dir)
            manifest = read_manifest(out_dir, entries=True)
    damaged = damaged_languages(out_dir, manifest) if manifest is not None and manifest.compatible() else []
    if damaged:
        say(f"the search index in {out_dir} is damaged ({', '.join(damaged)}); rebuilding it")
    vectors = _Vectors.of(catalog, say)
    if vectors and manifest is not None and manifest.semantic == vectors.model.name \
            and any(semantic.missing_vectors(out_dir, lang) for lang in manifest.languages):
        say(f"the semantic vectors in {out_dir} are damaged; rebuilding the index")
        damaged = damaged or ["vectors"]
    # Market values are indexed in every document that uses them: a market change rebuilds.
    # So does turning the semantic layer on or off (every document gets or loses its vector).
    if manifest is None or not manifest.compatible() or manifest.audience != audience \
            or manifest.markets != _markets(catalog) or damaged \
            or manifest.semantic != (vectors.model.name if vectors else None):
        report = _full_build(catalog, out_dir, current, audience, stamp, workers, say, vectors)
    else:
        report = _update(catalog, out_dir, manifest, current, stamp, say, vectors)
    report.seconds = time.perf_counter() - started
    return report


def damaged_languages(out_dir: Path, manifest: Manifest) -> list[str]:
    """The languages of the manifest whose index cannot be read whole: missing, truncated or
    overwritten files, or fewer or more documents than the manifest counts. Each segment is
    opened and its last document and first term are read, which touches every file Whoosh keeps.
    Documents are counted without the deleted ones: an update leaves the replaced document in its
    old segment, marked deleted, until segments are merged (counting it made every second
    incremental update look damaged and rebuild every language)."""
    from whoosh import index as whoosh_index

    bad = []
    for lang, expected in sorted(manifest.languages.items()):
        try:
            ix = whoosh_index.open_dir(str(out_dir / lang))
            with ix.reader() as reader:
                ok = reader.doc_count() == expected
                if ok and expected:
                    reader.stored_fields(reader.doc_count_all() - 1)
                    for fieldname in reader.indexed_field_names():
                        next(iter(reader.lexicon(fieldname)), None)
        except Exception:  # noqa: BLE001 - whatever Whoosh raises on a broken file, the index is unusable
            ok = False
        if not ok:
            bad.append(lang)
    return bad


class _Vectors:
    """The semantic layer of one build: the model, and the cache of embeddings by text."""

    def __init__(self, model: semantic.Embedder, cache: semantic.EmbeddingCache, say: Callable[[str], None]):
        self.model, self.cache, self.say = model, cache, say
        self.used: list[str] = []
        self.embedded = 0

    @classmethod
    def of(cls, catalog: Catalog, say: Callable[[str], None]) -> "_Vectors | None":
        """The layer when kb.yaml turns it on (BuildError when the extra is missing), else None."""
        if not catalog.settings.semantic_search:
            return None
        from kb_builder.loading.cache import cache_folder, enabled

        folder = cache_folder(Path(catalog.root)) if catalog.root and enabled() else None
        return cls(semantic.embedder(), semantic.EmbeddingCache(folder), say)

    def store(self, out_dir: Path, lang: str, docs: list[IndexDoc], drop: set[str], fresh: bool) -> None:
        """Write the vectors of one language's changed documents (and keep or drop the others)."""
        texts = {d.key: semantic.text_of(d.title, d.body) for d in docs}
        self.used.extend(semantic.update_vectors(out_dir, lang, texts, drop, self.cache, self.model, fresh=fresh))
        self.embedded += self.cache.embedded
        if self.cache.embedded:
            self.say(f"embedded {self.cache.embedded} {lang} text(s)")

    def finish(self, documents: int) -> None:
        """Keep the embeddings of this build in the cache (twice the index's size at most)."""
        self.cache.save(self.used, 2 * documents)


def _key(entry: Entry | Market) -> str:
    return f"{MARKET_KIND}:{entry.code}" if isinstance(entry, Market) else f"{entry.kind}:{entry.id}"


def _synonyms(catalog: Catalog) -> dict[str, list[list[str]]]:
    return {lang: [list(g) for g in groups] for lang, groups in sorted(catalog.synonyms.items())}


def _markets(catalog: Catalog) -> dict[str, MarketInfo]:
    return {code: MarketInfo(m.name, list(m.languages), m.variables()) for code, m in sorted(catalog.markets.items())}


# --- full build ---------------------------------------------------------------------------------

def _full_build(catalog: Catalog, out_dir: Path, current: dict, audience: str, stamp: str | None,
                workers: int | None, say: Callable[[str], None], vectors: _Vectors | None) -> IndexReport:
    public_only = audience == "public"
    keys = sorted(current)
    per_lang: dict[str, int] = {}
    for key in keys:
        for lang in languages(current[key][0], catalog):
            per_lang[lang] = per_lang.get(lang, 0) + 1
    total = sum(per_lang.values())
    say(f"indexing {total} documents in {len(per_lang)} languages")
    jobs = sorted(per_lang, key=lambda lang: (-per_lang[lang], lang))
    if workers is None:
        workers = job_count(len(jobs)) if total >= PARALLEL_FROM else 1

    staging = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    doc_fps: dict[str, dict[str, str]] = {key: {} for key in keys}

    def done(lang: str, fps: dict[str, str]) -> None:
        for key, fp in fps.items():
            doc_fps[key][lang] = fp
        say(f"indexed {lang} ({len(fps)} documents)")

    try:
        def index_language(lang: str) -> dict[str, str]:
            docs = _language_docs(catalog, current, keys, lang, public_only)
            _write_language(str(staging / lang), lang, docs, fresh=True)
            return {d.key: d.fingerprint() for d in docs}

        gc.freeze()  # forked workers then do not touch (and copy) the parent's objects
        try:
            for lang, fps in zip(jobs, map_forked(index_language, jobs, workers)):
                done(lang, fps)
        finally:
            gc.unfreeze()
        if vectors:
            for lang in jobs:
                vectors.store(staging, lang, _language_docs(catalog, current, keys, lang, public_only), set(), True)
            vectors.finish(total)
        entries = {key: {"fp": current[key][1], "docs": _ordered(doc_fps[key], catalog)} for key in keys}
        manifest = Manifest(semantic=vectors.model.name if vectors else None, audience=audience, source_language=catalog.settings.source_language,
                            languages=dict(sorted(per_lang.items())), markets=_markets(catalog),
                            generation=_next_generation(out_dir), content_stamp=stamp, entries=entries,
                            synonyms=_synonyms(catalog))
        write_manifest(staging, manifest)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return IndexReport(out_dir, full=True, documents=total, written=total, languages=sorted(per_lang),
                       languages_all=sorted(per_lang))


def _ordered(fps: dict[str, str], catalog: Catalog) -> dict[str, str]:
    order = {lang: i for i, lang in enumerate(catalog.settings.languages)}
    return dict(sorted(fps.items(), key=lambda item: (order.get(item[0], 999), item[0])))


def _language_docs(catalog: Catalog, current: dict, keys: list[str], lang: str, public_only: bool) -> list[IndexDoc]:
    """The documents of one language, in key order."""
    source = lang == catalog.settings.source_language
    return [document(entry, catalog, lang, public_only)
            for entry in (current[key][0] for key in keys)
            if source or (not isinstance(entry, Market) and lang in entry.translations)]


def _write_language(folder: str, lang: str, docs: Iterable[IndexDoc], fresh: bool) -> int:
    """Write every document of one language: a fresh index, or replacing all of an existing one."""
    from whoosh import index, writing

    analyzer = analyzer_for(lang)
    Path(folder).mkdir(parents=True, exist_ok=True)
    ix = index.create_in(folder, schema()) if fresh else index.open_dir(folder)
    writer = ix.writer(limitmb=256, timeout=30.0, codec=ImpactCodec())
    n = 0
    try:
        for doc in docs:
            writer.add_document(**fields(doc, analyzer))
            n += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=writing.MERGE_SMALL if fresh else writing.CLEAR)
    ix.close()
    return n


def _next_generation(out_dir: Path) -> int:
    old = read_manifest(out_dir)
    return (old.generation + 1) if old is not None else 1


def _swap(staging: Path, out_dir: Path) -> None:
    """Put the staging folder in place of out_dir in one step (runtime.staging.exchange); the old
    index, left at the staging path, is removed after."""
    exchange(staging, out_dir)
    shutil.rmtree(staging, ignore_errors=True)


def _copy_index(src: Path, out_dir: Path) -> None:
    """out_dir becomes a copy of the index in src, which stays as it is. Segment files are hard
    links: Whoosh writes a segment once and never again (deletions are kept in the table of
    contents, a new file per commit), so only the small files are copied."""
    staging = out_dir.with_name(f".{out_dir.name}.copy-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(src, staging, ignore=shutil.ignore_patterns("*.tmp", "*LOCK*"), copy_function=_link_segment)
    _swap(staging, out_dir)


def _link_segment(src: str, dst: str) -> None:
    if src.endswith(".seg"):
        try:
            os.link(src, dst)
            return
        except OSError:  # another file system, or one without hard links
            pass
    shutil.copy2(src, dst)


# --- incremental update -------------------------------------------------------------------------

def _update(catalog: Catalog, out_dir: Path, manifest: Manifest, current: dict, stamp: str | None,
            say: Callable[[str], None], vectors: _Vectors | None) -> IndexReport:
    public_only = manifest.audience == "public"
    old = manifest.entries
    upserts: dict[str, list[IndexDoc]] = {}
    deletes: dict[str, list[str]] = {}
    entries = dict(old)
    for key, (entry, fp) in current.items():
        before = old.get(key)
        if before is not None and before.get("fp") == fp:
            continue
        docs = documents(entry, catalog, public_only)
        new_fps = {d.lang: d.fingerprint() for d in docs}
        old_fps = before.get("docs", {}) if before else {}
        for d in docs:
            if old_fps.get(d.lang) != new_fps[d.lang]:
                upserts.setdefault(d.lang, []).append(d)
        for lang in old_fps.keys() - new_fps.keys():
            deletes.setdefault(lang, []).append(key)
        entries[key] = {"fp": fp, "docs": new_fps}
    for key in old.keys() - current.keys():
        for lang in old[key].get("docs", {}):
            deletes.setdefault(lang, []).append(key)
        del entries[key]

    markets = _markets(catalog)
    changed_langs = sorted(upserts.keys() | deletes.keys())
    counts = _counts(entries)
    synonyms = _synonyms(catalog)
    if not changed_langs and markets == manifest.markets and stamp == manifest.content_stamp \
            and manifest.source_language == catalog.settings.source_language and synonyms == manifest.synonyms:
        return IndexReport(out_dir, full=False, documents=manifest.documents, languages_all=sorted(counts))

    written = deleted = 0
    for lang in changed_langs:
        folder = out_dir / lang
        ups, dels = upserts.get(lang, []), deletes.get(lang, [])
        if counts.get(lang, 0) == 0:
            shutil.rmtree(folder, ignore_errors=True)
            semantic.remove_vectors(out_dir, lang)
            deleted += len(dels)
            continue
        if lang not in manifest.languages or len(ups) + len(dels) > REBUILD_SHARE * counts[lang]:
            docs = _language_docs(catalog, current, sorted(current), lang, public_only)
            say(f"rewriting the {lang} index ({len(docs)} documents)")
            _write_language(str(folder), lang, docs, fresh=lang not in manifest.languages)
            if vectors:
                vectors.store(out_dir, lang, docs, set(), True)
            written += len(ups)
            deleted += len(dels)
            continue
        written += len(ups)
        deleted += len(dels)
        _apply(folder, lang, ups, dels)
        if vectors:
            vectors.store(out_dir, lang, ups, set(dels), False)
    if vectors and vectors.embedded:
        vectors.finish(sum(counts.values()))
    say(f"search index: {written} document(s) written, {deleted} deleted")
    manifest.entries = entries
    manifest.languages = counts
    manifest.markets = markets
    manifest.synonyms = synonyms
    manifest.content_stamp = stamp
    manifest.source_language = catalog.settings.source_language
    manifest.generation += 1
    write_manifest(out_dir, manifest)
    return IndexReport(out_dir, full=False, documents=sum(counts.values()), written=written, deleted=deleted,
                       languages=changed_langs, languages_all=sorted(counts))


def _counts(entries: dict[str, dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for info in entries.values():
        for lang in info.get("docs", {}):
            counts[lang] = counts.get(lang, 0) + 1
    return dict(sorted(counts.items()))


def _apply(folder: Path, lang: str, upserts: list[IndexDoc], deletes: list[str]) -> None:
    from whoosh import index
    from whoosh.index import LockError

    analyzer = analyzer_for(lang)
    ix = index.open_dir(str(folder))
    try:
        writer = ix.writer(timeout=30.0, codec=ImpactCodec())
    except LockError:
        raise BuildError(f"the search index in {folder} is locked by another process; try again when it "
                         f"has finished") from None
    try:
        for key in deletes:
            writer.delete_by_term("key", key)
        for doc in upserts:
            writer.update_document(**fields(doc, analyzer))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()

