"""Searching an index folder: parameters checked, the query analysed per language, ranked hits.

`SearchIndex` is safe to share between threads: each thread gets its own Whoosh searchers
(opened once, reopened when the manifest's generation changes), while read-only caches
(filters, spelling vocabularies) are shared and keyed by index generation.
"""

from __future__ import annotations

import os
import re
import threading
from math import log
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from kb_builder.errors import KbError, UsageError
from kb_builder.render.text import plain
from kb_builder.search.analysis import analyzer_for, base_language, language_scripts, scripts
from kb_builder.search.documents import ALL_MARKETS
from kb_builder.search.manifest import MANIFEST, Manifest, read_manifest
from kb_builder.search.confidence import WEAK_BELOW, Confidence, has_term, self_score
from kb_builder.search.schema import NOTE_WEIGHT, ImpactWeighting, market_term
from kb_builder.search.snippets import snippet
from kb_builder.search.spelling import Corrector
from kb_builder.search import semantic, synonyms

KINDS = ("sop", "faq", "template", "market")
MAX_RESULTS = 100
MAX_QUERY = 500  # characters
CORRECTION_WEIGHT = 0.8
COMPOUNDING = ("de", "nl", "sv", "da", "no", "fi")  # languages that write compounds as one word
COMPOUND_WEIGHT = 0.5
PREFIX_FROM = 6  # characters: shorter stems start too many words
PREFIX_LIMIT = 16  # terms a prefix may expand to
CROSS_WEIGHT = 0.5  # a Latin word of a CJK or Arabic query, found in the source language's index
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'-]+")


class SearchError(UsageError):
    """A search was asked for wrongly (unknown language, market or kind, empty query...)."""


class IndexMissing(KbError):
    """There is no usable index in the folder."""


@dataclass(frozen=True)
class SearchHit:
    """One result: an entry in one language. `snippet` is HTML (escaped text, matches in <mark>);
    `url` is the entry's page relative to the internal site root."""

    id: str
    kind: str
    lang: str
    title: str
    snippet: str
    url: str
    score: float
    markets: list[str]
    audience: str
    draft: bool = False

    def to_dict(self) -> dict:
        """Plain values for JSON."""
        d = asdict(self)
        d["score"] = round(self.score, 4)
        return d


@dataclass
class SearchResults:
    """The hits of a search, best first, and how the query was understood."""

    query: str
    hits: list[SearchHit]
    languages: list[str]  # the languages searched
    corrections: dict[str, str] = field(default_factory=dict)  # unknown term -> term searched instead
    confidence: float = 0.0  # how well the best hit answers the query, 0 to 1 (see confidence.py)
    weak: bool = True  # the best hit probably does not answer the query (or there is none)
    measures: tuple[float, float] = (0.0, 0.0)  # the best hit's (coverage, strength), for calibration
    cosine: float | None = None  # semantic layer: the best hit's cosine by meaning, for calibration

    def to_dict(self) -> dict:
        """Plain values for JSON."""
        return {"query": self.query, "languages": self.languages, "corrections": self.corrections,
                "count": len(self.hits), "weak": self.weak, "confidence": self.confidence,
                "hits": [h.to_dict() for h in self.hits]}


class SearchIndex:
    """A search index folder (`OUT/search`), opened for searching."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._correctors: dict[tuple, Corrector] = {}
        self._filters: dict[tuple, set[int]] = {}
        self._known: dict[tuple, bool] = {}  # (generation, language, term) -> known in another language
        self._vectors: dict[tuple, tuple | None] = {}  # (language, generation) -> (matrix, docnums) or None
        self._query_vectors: dict[str, object] = {}  # query text -> its embedding (semantic layer)
        self._stat: tuple | None = None
        self._manifest = self._load()

    # --- the index as it is now ---------------------------------------------------------------

    def _load(self) -> Manifest:
        manifest = read_manifest(self.folder)
        if manifest is None:
            raise IndexMissing(f"no search index in {self.folder}; run 'kb index' or 'kb build'")
        if not manifest.compatible():
            raise IndexMissing(f"the search index in {self.folder} was built by another version of kb; "
                               f"run 'kb index' to rebuild it")
        self._stat = self._stat_now()
        return manifest

    def _stat_now(self) -> tuple | None:
        try:
            st = os.stat(self.folder / MANIFEST)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    @property
    def manifest(self) -> Manifest:
        """The manifest, re-read when the index has changed on disk since the last look."""
        if self._stat_now() != self._stat:
            with self._lock:
                if self._stat_now() != self._stat:
                    try:
                        self._manifest = self._load()
                    except IndexMissing:
                        pass  # mid-swap or removed: keep serving what we have
                    self._filters.clear()
                    self._correctors.clear()
                    self._vectors.clear()
        return self._manifest

    @property
    def generation(self) -> int:
        """Changes whenever the index is written."""
        return self.manifest.generation

    def _searcher(self, lang: str, generation: int):
        cache = getattr(self._local, "searchers", None)
        if cache is None:
            cache = self._local.searchers = {}
        held = cache.get(lang)
        if held is not None and held[0] == generation:
            return held[1]
        if held is not None:
            held[1].close()
        try:
            # readonly: Whoosh refuses any write (lock, create, delete) to the folder a server searches
            storage = whoosh_index.open_dir(str(self.folder / lang), readonly=True)
            searcher = storage.searcher(weighting=ImpactWeighting())
        except (OSError, whoosh_index.EmptyIndexError):  # being swapped for a new build right now
            raise IndexMissing(f"the search index in {self.folder} is being replaced; try again") from None
        except Exception:  # noqa: BLE001 - any other failure of Whoosh to open it: a damaged file
            raise IndexMissing(f"the search index in {self.folder} is damaged; run 'kb index' to rebuild it") from None
        cache[lang] = (generation, searcher)
        return searcher

    def warm(self) -> None:
        """Open this thread's searchers and build the spelling vocabularies now rather than on the
        first queries (a server calls it once at start-up)."""
        generation = self.generation
        for lang in self.manifest.languages:
            searcher = self._searcher(lang, generation)
            self._corrector(lang, generation, searcher)
            analyzer_for(lang).terms("warm up")
            if self._semantic_on(self.manifest):
                self._language_vectors(lang, generation)
        if self._semantic_on(self.manifest):
            semantic.embedder().query("warm up")

    def close(self) -> None:
        """Close this thread's searchers."""
        for _gen, searcher in getattr(self._local, "searchers", {}).values():
            searcher.close()
        self._local.searchers = {}

    # --- parameters -------------------------------------------------------------------------

    def check(self, text: str, market: str | None, lang: str | None, kind: str | None,
              n: int) -> tuple[str, str | None, str | None, str | None]:
        """Validate the parameters of a search; returns them normalised or raises SearchError."""
        manifest = self.manifest
        text = " ".join((text or "").split())
        if not text:
            raise SearchError("the query is empty: give a few words to search for")
        if len(text) > MAX_QUERY:
            raise SearchError(f"the query is {len(text)} characters long; keep it under {MAX_QUERY}")
        if kind is not None:
            if kind.strip().lower() not in KINDS:
                raise SearchError(f"unknown kind '{kind}'; use one of: {', '.join(KINDS)}")
            kind = kind.strip().lower()
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_RESULTS:
            raise SearchError(f"the number of results must be between 1 and {MAX_RESULTS}, not {n!r}")
        if market is not None:
            code = market.strip().upper()
            if code not in manifest.markets:
                known = ", ".join(manifest.markets) or "none"
                raise SearchError(f"unknown market '{market}'; known markets: {known}")
            market = code
        if lang is not None:
            lang = self._language(lang, manifest)
        return text, market, lang, kind

    def _language(self, lang: str, manifest: Manifest) -> str:
        wanted = lang.strip().replace("_", "-").lower()
        exact = [l for l in manifest.languages if l.lower() == wanted]
        if exact:
            return exact[0]
        base = [l for l in manifest.languages if base_language(l) == base_language(wanted)]
        if len(base) == 1:
            return base[0]
        known = ", ".join(manifest.languages) or "none"
        raise SearchError(f"no content in language '{lang}'; the index has: {known}")

    # --- searching ----------------------------------------------------------------------------

    def search(self, text: str, *, market: str | None = None, lang: str | None = None, kind: str | None = None,
               public: bool = False, n: int = 10) -> SearchResults:
        """Ranked hits for a query. `market` keeps entries that apply to that market (and fills its
        values into titles and snippets), `lang` searches one language (default: every language
        written in the query's script, one hit per entry), `kind` one kind of entry, `public`
        public entries only."""
        text, market, lang, kind = self.check(text, market, lang, kind, n)
        manifest = self.manifest
        generation = manifest.generation
        langs = [lang] if lang else self._languages_for(text, manifest, generation)
        found = []
        corrections: dict[str, str] = {}
        meaning = self._semantic_on(manifest)
        limit = max(n, semantic.CANDIDATES) if meaning else n
        for code in langs:
            found.extend(self._search_language(code, generation, text, market, kind, public, limit, corrections))
        if len(langs) > 1:
            best: dict[str, tuple] = {}
            for item in found:
                key = f"{item[3][1]}:{item[3][0]}"
                if key not in best or item[0] > best[key][0]:
                    best[key] = item
            found = list(best.values())
        order = {code: i for i, code in enumerate(langs)}
        found.sort(key=lambda item: (-item[0], order[item[1]], item[2]))
        measure = next((item[5] for item in found if item[5] is not None), None)
        cosine = None
        if meaning:
            found, cosine = self._fuse(found, text, langs, generation, market, kind, public)
        values = manifest.markets[market].values if market else None
        hits = [self._hit(item, text, values) for item in found[:n]]
        confidence = measure() if measure else None
        value = confidence.value if confidence else 0.0
        weak = confidence.weak if confidence else True
        if cosine is not None:  # the meaning of the best semantic hit counts too (semantic.cosine_confidence)
            value = max(value, round(semantic.cosine_confidence(cosine), 4))
            weak = value < WEAK_BELOW
        return SearchResults(text, hits, langs, corrections, confidence=value, weak=weak, cosine=cosine,
                             measures=(confidence.coverage, confidence.strength) if confidence else (0.0, 0.0))

    # --- the semantic layer -------------------------------------------------------------------

    def _semantic_on(self, manifest: Manifest) -> bool:
        """True when the index has vectors of a model this process can run (without the extra
        installed, an index built with vectors is searched by keywords alone)."""
        return manifest.semantic is not None and semantic.available() and manifest.semantic == semantic.embedder().name

    def _language_vectors(self, lang: str, generation: int) -> tuple | None:
        """(matrix, docnum of each row) of a language (cached per generation), None without vectors."""
        key = (lang, generation)
        if key in self._vectors:
            return self._vectors[key]
        import numpy as np

        stored = semantic.read_vectors(self.folder, lang)
        held = None
        if stored is not None:
            searcher = self._searcher(lang, generation)
            docnums = [searcher.document_number(key=k) for k in stored.keys]
            rows = [i for i, d in enumerate(docnums) if d is not None]
            held = (stored.matrix[rows], np.array([docnums[i] for i in rows], dtype=np.int64),
                    [stored.keys[i] for i in rows])
        with self._lock:
            self._vectors[key] = held
        return held

    def _query_vector(self, text: str):
        vec = self._query_vectors.get(text)
        if vec is None:
            vec = semantic.embedder().query(text)
            if len(self._query_vectors) > 1024:
                self._query_vectors.clear()
            self._query_vectors[text] = vec
        return vec

    def _fuse(self, found: list[tuple], text: str, langs: list[str], generation: int, market: str | None,
              kind: str | None, public: bool) -> tuple[list[tuple], float | None]:
        """The keyword hits merged with the nearest documents by meaning (semantic.fuse); returns
        the merged hits (their score the fused one) and the best cosine (None: no vectors)."""
        import numpy as np

        query = self._query_vector(text)
        nearest: list[tuple[float, str, int, str]] = []  # (cosine, lang, docnum, entry key)
        for code in langs:
            held = self._language_vectors(code, generation)
            if held is None:
                continue
            matrix, docnums, keys = held
            searcher = self._searcher(code, generation)
            allowed = self._filter(code, generation, searcher, market, kind, public)
            mask = None if allowed is None else np.isin(docnums, np.fromiter(allowed, dtype=np.int64))
            nearest.extend((cos, code, int(docnums[row]), keys[row])
                           for row, cos in semantic.top(matrix, query, mask))
        if not nearest:
            return found, None
        order = {code: i for i, code in enumerate(langs)}
        nearest.sort(key=lambda item: (-item[0], order[item[1]], item[2]))
        by_key: dict[str, tuple] = {}
        for item in nearest:
            by_key.setdefault(item[3], item)
        keyword = {f"{item[3][1]}:{item[3][0]}": item for item in found}
        weight = semantic.semantic_weight(len(text.split()))
        merged = []
        for key, score in semantic.fuse(list(keyword), list(by_key), weight):
            item = keyword.get(key)
            if item is None:
                _cos, code, docnum, _key = by_key[key]
                stored = self._searcher(code, generation).stored_fields(docnum)["hit"]
                item = (score, code, docnum, stored, list(dict.fromkeys(analyzer_for(code).terms(text, query=True))),
                        None)
            merged.append((score,) + item[1:])
        return merged, nearest[0][0]

    def _languages_for(self, text: str, manifest: Manifest, generation: int) -> list[str]:
        """Languages written in the query's script whose index knows the most of its words (only
        the source language when it is one of them; all of them when none knows any word, so
        typos still get corrected)."""
        used = scripts(text)
        langs = [l for l in manifest.languages if language_scripts(l) & used] or list(manifest.languages)
        langs.sort(key=lambda l: (l != manifest.source_language, l))
        if len(langs) == 1:
            return langs
        # The languages whose index knows the most of the query's words: a query is usually
        # written in one language, and searching the others costs time and adds noise.
        words = list(dict.fromkeys(text.split()))
        known: dict[str, frozenset[str]] = {}
        for code in langs:
            reader = self._searcher(code, generation).reader()
            analyzer = analyzer_for(code)
            known[code] = frozenset(w for w in words
                                    if any(reader.doc_frequency("text", t) for t in analyzer.terms(w, query=True)))
        best = max(len(k) for k in known.values())
        if not best:
            return langs
        winners = [code for code in langs if len(known[code]) == best]
        # Words every language shares (product names, "chat", "PayPal") are in the source
        # language too, and every entry has a source-language document: one index is enough.
        source = manifest.source_language
        if source in winners and all(known[code] <= known[source] for code in winners):
            return [source]
        return winners

    def _search_language(self, lang: str, generation: int, text: str, market: str | None, kind: str | None,
                         public: bool, n: int, corrections: dict[str, str]) -> list[tuple]:
        searcher = self._searcher(lang, generation)
        analyzer = analyzer_for(lang)
        reader = searcher.reader()
        fields = ["text"] if public else ["text", "note"]
        terms = list(dict.fromkeys(analyzer.terms(text, query=True)))
        weighted = [(t, analyzer.weight(t)) for t in terms]
        # what else counts as a typed term being in a hit (its correction, compound parts, synonyms)
        alternatives: dict[str, list[str]] = {}
        for member, others in synonyms.matches(text, lang, self.manifest.synonyms.get(lang)):
            extra = [t for other in others for t in analyzer.terms(other, query=True) if t not in terms]
            weighted.extend((t, synonyms.WEIGHT) for t in extra)
            for t in synonyms.member_terms(member, terms, lang):
                alternatives.setdefault(t, []).extend(extra)
        compounding = base_language(lang) in COMPOUNDING
        for term in terms:
            known = any(reader.doc_frequency(f, term) for f in fields) \
                or reader.doc_frequency("text", market_term(None, term))
            if known and not (compounding and len(term) >= 8):
                continue
            corrector = self._corrector(lang, generation, searcher)
            fixed = None if known else corrector.suggest(term)
            if fixed and self._known_elsewhere(term, lang, generation):
                fixed = None
            if fixed:
                corrections[term] = fixed
                weighted.append((fixed, CORRECTION_WEIGHT))
                alternatives.setdefault(term, []).append(fixed)
            elif compounding:
                parts = [part for part in corrector.split(term) if part not in terms]
                weighted.extend((part, COMPOUND_WEIGHT) for part in parts)
                alternatives.setdefault(term, []).extend(parts)
        # A market's values ("DHL", "Royal Mail") are indexed per market: the filtered market's;
        # without a market, any market's when the word is more a market value than a word of the
        # texts (carrier names, not "days": common words would only slow the query down).
        if market:
            weighted.extend((market_term(market, t), w) for t, w in list(weighted))
        else:
            for t, w in list(weighted):
                as_value = reader.doc_frequency("text", market_term(None, t))
                if as_value and as_value >= reader.doc_frequency("text", t):
                    weighted.append((market_term(None, t), w))
        if compounding:  # a word typed alone also finds the compounds it starts (Rücksendung: Rücksendekosten)
            for term in terms:
                if len(term) >= PREFIX_FROM:
                    weighted.extend((t, COMPOUND_WEIGHT) for t in _prefixed(reader, fields, term) if t not in terms)
        clauses = []
        for term, weight in dict(reversed(weighted)).items():
            for f in fields:
                if reader.doc_frequency(f, term):
                    clauses.append(Term(f, term, boost=weight * (NOTE_WEIGHT if f == "note" else 1.0)))
        borrowed, borrowed_terms = self._latin_words(lang, generation, text, searcher, market, kind, public, n)
        if not clauses and not borrowed:
            return []
        allowed = self._filter(lang, generation, searcher, market, kind, public)
        if allowed is not None and not allowed:
            return []
        found = []
        if clauses:
            query = Or(clauses)
            query.matcher_type = Or.DEFAULT_MATCHER  # a tree of unions that skips blocks which cannot reach the top n
            results = searcher.search(query, limit=n + len(borrowed), filter=allowed)
            found = [(hit.score, lang, hit.docnum, hit["hit"], terms, None) for hit in results]
        if borrowed:
            scores = {item[2]: item for item in found}
            for docnum, extra in borrowed.items():
                if allowed is not None and docnum not in allowed:
                    continue
                item = scores.get(docnum)
                scores[docnum] = ((item[0] if item else 0.0) + extra, lang, docnum,
                                  item[3] if item else searcher.stored_fields(docnum)["hit"], terms, None)
            found = sorted(scores.values(), key=lambda item: (-item[0], item[2]))[:n]
        if found:
            score, _lang, docnum, stored, _terms, _none = found[0]
            lent = borrowed_terms if docnum in borrowed else set()
            # measured only for the hit that ends up first over all languages (see search)
            found[0] = found[0][:5] + (lambda: self._confidence(searcher, analyzer, fields, market, text, terms,
                                                                alternatives, lent, docnum, score),)
        return found

    def _latin_words(self, lang: str, generation: int, text: str, searcher, market: str | None, kind: str | None,
                     public: bool, n: int) -> tuple[dict[int, float], set[str]]:
        """Code-switching: Latin-script words in a query of a language not written in Latin
        (我的parcel还没到) that this index does not know are looked up with the source language's
        analyzer in its index; the entries found there lend this language's documents their
        score (times CROSS_WEIGHT). Returns {docnum in this index: score to add} and this
        language's terms of those words (a hit found through them counts them as covered)."""
        source = self.manifest.source_language
        if lang == source or "latin" in language_scripts(lang) or "latin" not in language_scripts(source):
            return {}, set()
        words = _LATIN_WORD.findall(text)
        if not words:
            return {}, set()
        reader = searcher.reader()
        own = analyzer_for(lang)
        unknown = [w for w in words if not any(reader.doc_frequency("text", t) for t in own.terms(w, query=True))]
        if not unknown:
            return {}, set()
        other = self._searcher(source, generation)
        other_reader = other.reader()
        other_terms = [t for t in analyzer_for(source).terms(" ".join(unknown), query=True)
                       if other_reader.doc_frequency("text", t)]
        if not other_terms:
            return {}, set()
        allowed = self._filter(source, generation, other, market, kind, public)
        if allowed is not None and not allowed:
            return {}, set()
        hits = other.search(Or([Term("text", t) for t in other_terms]), limit=max(n, 20), filter=allowed)
        out: dict[int, float] = {}
        for hit in hits:
            ident, entry_kind = hit["hit"][0], hit["hit"][1]
            docnum = searcher.document_number(key=f"{entry_kind}:{ident}")
            if docnum is not None:
                out[docnum] = hit.score * CROSS_WEIGHT
        return out, {t for w in unknown for t in own.terms(w, query=True)}

    def _confidence(self, searcher, analyzer, fields: list[str], market: str | None, text: str, terms: list[str],
                    alternatives: dict[str, list[str]], lent: set[str], docnum: int, score: float) -> Confidence:
        """How well the best hit of a language answers the typed terms (see confidence.py)."""
        reader = searcher.reader()
        weighting = searcher.weighting
        unseen = log(1.0 + (searcher.doc_count_all() + 0.5) / 0.5)  # the IDF of a word no document has
        total = covered = 0.0
        idfs = []
        core = analyzer.core_terms(text) if text else terms
        for term in core:
            df = reader.doc_frequency("text", term)
            if df:
                idf = weighting.idf(searcher, "text", term)
            else:
                # a word the texts do not have but the search understood (a synonym group's member,
                # a corrected typo, a compound's parts) weighs what its stand-in weighs: a dialect
                # word that a group maps to the content's word is not an unknown word
                known = [weighting.idf(searcher, "text", t) for t in alternatives.get(term, ())
                         if reader.doc_frequency("text", t)]
                idf = max(known) if known else unseen
            idf *= analyzer.weight(term)
            idfs.append(idf)
            total += idf
            if term in lent or any(has_term(reader, f, t, docnum) for t in (term, *alternatives.get(term, ())) for f in fields) \
                    or has_term(reader, "text", market_term(market, term), docnum):
                covered += idf
        best = self_score(idfs, analyzer.density)
        return Confidence(coverage=covered / total if total else 0.0,
                          strength=min(1.0, score / best) if best else 0.0)

    def _known_elsewhere(self, term: str, lang: str, generation: int) -> bool:
        """True when another language of the KB knows the word as typed (never "correct" a real
        word: `royal` is English even in a German query, `laut` German in an English one)."""
        key = ("known", generation, lang, term)
        cached = self._known.get(key)
        if cached is not None:
            return cached
        if len(self._known) > 4096:
            self._known.clear()
        self._known[key] = found = self._look_elsewhere(term, lang, generation)
        return found

    def _look_elsewhere(self, term: str, lang: str, generation: int) -> bool:
        for other in self.manifest.languages:
            if other == lang:
                continue
            reader = self._searcher(other, generation).reader()
            if any(reader.doc_frequency("text", t) or reader.doc_frequency("text", market_term(None, t))
                   for t in analyzer_for(other).terms(term, query=True)):
                return True
        return False

    def _filter(self, lang: str, generation: int, searcher, market: str | None, kind: str | None,
                public: bool) -> set[int] | None:
        """Document numbers that pass the filters (None: no filter), combined from cached sets."""
        if not (market or kind or public):
            return None
        key = (lang, generation, searcher.reader().generation(), market, kind, public)
        allowed = self._filters.get(key)
        if allowed is None:
            parts = []
            if market:
                parts.append(self._docs(key[:3], searcher, "markets", ALL_MARKETS)
                             | self._docs(key[:3], searcher, "markets", market))
            if kind:
                parts.append(self._docs(key[:3], searcher, "kind", kind))
            if public:
                parts.append(self._docs(key[:3], searcher, "audience", "public"))
            allowed = set.intersection(*parts) if len(parts) > 1 else parts[0]
            self._remember(key, allowed)
        return allowed

    def _docs(self, base: tuple, searcher, fieldname: str, value: str) -> set[int]:
        """The documents with one term (cached per index generation)."""
        key = base + (fieldname, value)
        docs = self._filters.get(key)
        if docs is None:
            docs = set(searcher.docs_for_query(Term(fieldname, value)))
            self._remember(key, docs)
        return docs

    def _remember(self, key: tuple, docs: set[int]) -> None:
        if len(self._filters) > 4096:
            self._filters.clear()
        self._filters[key] = docs

    def _corrector(self, lang: str, generation: int, searcher) -> Corrector:
        key = (lang, generation, searcher.reader().generation())
        corrector = self._correctors.get(key)
        if corrector is None:
            with self._lock:
                corrector = self._correctors.get(key)
                if corrector is None:
                    corrector = self._correctors[key] = Corrector(searcher)
        return corrector

    def _hit(self, item: tuple, text: str, values: dict[str, str] | None) -> SearchHit:
        score, lang, _docnum, stored, terms, _confidence = item
        ident, kind, _lang, title, body, url, markets, audience, draft = stored
        shown = [m for m in markets] if ALL_MARKETS not in markets else ["all"]
        return SearchHit(id=ident, kind=kind, lang=lang, title=plain(title, values),
                         snippet=snippet(plain(body, values), text, terms, analyzer_for(lang)), url=url,
                         score=float(score), markets=shown, audience=audience, draft=draft)


def _prefixed(reader, fields: list[str], prefix: str) -> list[str]:
    """Known terms that start with prefix (at most PREFIX_LIMIT per field)."""
    found: dict[str, None] = {}
    for f in fields:
        for i, btext in enumerate(reader.expand_prefix(f, prefix)):
            if i >= PREFIX_LIMIT:
                break
            text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            if text != prefix:
                found[text] = None
    return list(found)


def open_index(folder: Path) -> SearchIndex:
    """Open the index in a folder for searching (raises IndexMissing when there is none)."""
    return SearchIndex(folder)
