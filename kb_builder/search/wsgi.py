"""The search API for production: a WSGI application factory for multi-worker servers.

    gunicorn -w 4 -k gthread --threads 4 -b 0.0.0.0:8000 \\
        'kb_builder.search.wsgi:create_app(index_dir="/srv/kb/search")'
    KB_INDEX=/srv/kb/search gunicorn -w 4 -b 0.0.0.0:8000 kb_builder.search.wsgi:app

`create_app` returns a WSGI application answering

    GET /api/search?q=&market=&lang=&kind=&n=&public=   byte for byte what `kb serve` answers
    GET /api/health                                     200 {"status": "ok", ...} or 503
    POST /api/feedback                                  with a feedback database: what `kb serve` answers


It serves an index folder that `kb build` or `kb index` wrote (`OUT/search`), and never writes
to it: each worker process opens the folder read-only on its first request (after the server
has forked, so no open file or thread crosses a fork), so the folder can be a read-only copy,
mount or image layer shipped to every machine behind a load balancer. Without arguments the
factory reads the environment: KB_INDEX (the folder) and KB_ALLOW_ORIGIN (origins that may read
answers cross-origin, separated by commas or spaces). `app` is the same application made from
the environment, for servers that take a plain `module:callable`.

The feedback loop is opt-in: with `feedback_db` (or KB_FEEDBACK_DB) naming an SQLite file outside
the index folder, the app takes the help centers' "Was this helpful?" votes at POST /api/feedback
and records the searches that found nothing, through the same code as `kb serve`
(kb_builder/feedback/endpoint.py). A vote must name an answer the help centers show: those are
read from the index folder itself (its published FAQ entries and its markets' languages), so a
deployment needs nothing besides OUT/search. Each worker process opens its own connections to
the database after the fork; SQLite's WAL mode and busy timeout let the workers write at once.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from kb_builder.errors import UsageError
from kb_builder.feedback.endpoint import PATH as FEEDBACK_PATH, feedback_app, miss_recorder
from kb_builder.feedback.intake import Answers
from kb_builder.feedback.store import FeedbackStore
from kb_builder.search.api import HEALTH_PATH, PATH as SEARCH_PATH, health_app, json_response, search_app
from kb_builder.search.documents import ALL_MARKETS
from kb_builder.search.manifest import read_manifest
from kb_builder.search.query import IndexMissing, SearchIndex

ENV_INDEX = "KB_INDEX"
ENV_ORIGINS = "KB_ALLOW_ORIGIN"
ENV_FEEDBACK = "KB_FEEDBACK_DB"
T = TypeVar("T")


class SearchService:
    """The WSGI application of one index folder: /api/search and /api/health, and with a
    feedback database POST /api/feedback and the failed searches."""

    def __init__(self, index_dir: Path, allowed_origins: Iterable[str] = (), feedback_db: Path | None = None):
        self.index_dir = Path(index_dir)
        self.allowed_origins = tuple(allowed_origins)
        self.feedback_db = Path(feedback_db) if feedback_db is not None else None
        # resolved when opened: a symlink switched to a newly shipped folder is followed by new
        # workers, while a running one keeps reading the folder it started with
        self._index = PerProcess(lambda: SearchIndex(self.index_dir.resolve()))
        self._store = PerProcess(lambda: FeedbackStore(self.feedback_db))
        self._answers: tuple[int, int, Answers] | None = None  # (process id, index generation, answers)
        on_miss = miss_recorder(self.store, _say) if self.feedback_db is not None else None
        self._search = search_app(self.index, self.allowed_origins, on_miss=on_miss)
        self._health = health_app(self.index)
        self._feedback = feedback_app(
            self.answers, self.store, self.allowed_origins,
            allow_hint=lambda origin: f"add {origin} to {ENV_ORIGINS} (or create_app's allowed_origins)",
            not_ready="the search index is not built yet; try again in a moment")

    def index(self) -> SearchIndex | None:
        """This process's SearchIndex, opened on first use (None while the folder has no index).
        A forked worker never uses its parent's: it opens its own."""
        try:
            return self._index.get()
        except IndexMissing:
            return None

    def warm(self) -> None:
        """Open this process's index and load what its first searches would need (the spelling
        vocabularies; with the semantic layer, the model and the vectors) now, so that a new
        worker's first request is not the slow one. gunicorn calls it in each worker after the
        fork (`-c python:kb_builder.search.gunicorn_conf`). A folder with no index yet is left to
        the first request (the health check says 503 meanwhile)."""
        started = time.perf_counter()
        index = self.index()
        if index is None:
            _say(f"kb search: worker {os.getpid()} found no index to warm in {self.index_dir}")
            return
        try:
            index.warm()
        except IndexMissing as exc:  # replaced or damaged since start-up: requests will say so
            _say(f"kb search: worker {os.getpid()} could not warm the index: {exc}")
            return
        _say(f"kb search: worker {os.getpid()} warmed the index ({', '.join(index.manifest.languages)}) "
             f"in {time.perf_counter() - started:.2f} s")

    def store(self) -> FeedbackStore:
        """This process's feedback database (its connections are opened in this process, never
        inherited across a fork)."""
        return self._store.get()

    def answers(self) -> Answers | None:
        """The answers of the help centers this index was built from (None while there is no
        index), read again when the index changes."""
        index = self.index()
        if index is None:
            return None
        pid, generation = os.getpid(), index.generation
        known = self._answers
        if known is None or known[:2] != (pid, generation):
            known = self._answers = (pid, generation, published_answers(index))
        return known[2]

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/") or "/"
        if path == SEARCH_PATH:
            return self._search(environ, start_response)
        if path == HEALTH_PATH:
            return self._health(environ, start_response)
        if path == FEEDBACK_PATH and self.feedback_db is not None:
            return self._feedback(environ, start_response)
        uses = f"{SEARCH_PATH}?q=..., {HEALTH_PATH} or POST {FEEDBACK_PATH}" if self.feedback_db is not None \
            else f"{SEARCH_PATH}?q=... or {HEALTH_PATH}"
        return json_response(start_response, "404 Not Found", {"error": f"no API at {path}; use {uses}"})


class PerProcess:
    """A value made on first use in each process that uses it: a forked worker makes its own
    instead of using the one it inherited (open files and connections must not cross a fork).
    A `make` that raises caches nothing, so the next call tries again."""

    def __init__(self, make: Callable[[], T]):
        self._make = make
        self._lock = threading.Lock()
        self._held: tuple[int, T] | None = None  # (process id, value)

    def get(self) -> T:
        """This process's value, made now if it has none yet."""
        pid = os.getpid()
        held = self._held
        if held is not None and held[0] == pid:
            return held[1]
        with self._lock:
            if self._held is None or self._held[0] != pid:
                self._held = (pid, self._make())
            return self._held[1]


def published_answers(index: SearchIndex) -> Answers:
    """The help centers' answers as the index records them: each market's languages, and the FAQ
    entries customers may see (public, not drafts) that apply in it. Equals Answers.of(catalog)
    for the catalog the index was built from (tests/feedback/test_production.py)."""
    from whoosh import index as whoosh_index

    manifest = index.manifest
    storage = whoosh_index.open_dir(str(index.folder / manifest.source_language), readonly=True)
    try:
        with storage.searcher() as searcher:
            # every entry has a document in the source language;
            # hit = (id, kind, lang, title, body, url, markets, audience, draft)
            hits = (stored["hit"] for stored in searcher.reader().all_stored_fields())
            faqs = [(hit[0], hit[6]) for hit in hits if hit[1] == "faq" and hit[7] == "public" and not hit[8]]
    finally:
        storage.close()
    return Answers(languages={code: tuple(info.languages) for code, info in manifest.markets.items()},
                   entries={code: frozenset(entry for entry, markets in faqs
                                            if ALL_MARKETS in markets or code.upper() in markets)
                            for code in manifest.markets})


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def create_app(index_dir: str | os.PathLike | None = None,
               allowed_origins: Iterable[str] | str | None = None,
               feedback_db: str | os.PathLike | None = None) -> SearchService:
    """The search API over an index folder (default: $KB_INDEX). `allowed_origins` lists the
    origins whose pages may read answers and send votes (default: $KB_ALLOW_ORIGIN; none).
    `feedback_db` (default: $KB_FEEDBACK_DB; none, no feedback) is the SQLite file for votes and
    failed searches, created if missing, outside the index folder. Raises UsageError when no
    folder is named or the database cannot be used, and IndexMissing when the folder holds no
    index this version reads, so a misconfigured server stops at start-up instead of answering
    503 forever."""
    if index_dir is None:
        index_dir = os.environ.get(ENV_INDEX, "").strip()
        if not index_dir:
            raise UsageError(f"{ENV_INDEX} is not set: set it to the search index folder that 'kb build' or "
                             f"'kb index' wrote (OUT/search), or call create_app(index_dir=...)")
    if allowed_origins is None:
        allowed_origins = os.environ.get(ENV_ORIGINS, "")
    if isinstance(allowed_origins, str):
        allowed_origins = allowed_origins.replace(",", " ").split()
    folder = Path(index_dir)
    manifest = read_manifest(folder)
    if manifest is None:
        raise IndexMissing(f"no search index in {folder}; run 'kb index' or 'kb build' and point "
                           f"{ENV_INDEX} at OUT/search")
    if not manifest.compatible():
        raise IndexMissing(f"the search index in {folder} was built by another version of kb; run 'kb index' "
                           f"with this version to rebuild it")
    if feedback_db is None:
        feedback_db = os.environ.get(ENV_FEEDBACK, "").strip() or None
    if feedback_db is not None:
        feedback_db = _usable_database(Path(feedback_db), folder)
    return SearchService(folder, allowed_origins, feedback_db)


def _usable_database(path: Path, index_dir: Path) -> Path:
    """The feedback database, created now (in the server's first process, then closed: workers
    open their own) so that a wrong path stops the server at start."""
    full, index_full = path.resolve(), index_dir.resolve()
    if full == index_full or index_full in full.parents:
        raise UsageError(f"{ENV_FEEDBACK} {path} is inside the search index folder {index_dir}, which is read-only "
                         f"and replaced on every deploy; put the database elsewhere, e.g. /var/lib/kb/feedback.sqlite3")
    if not path.parent.is_dir():
        raise UsageError(f"{ENV_FEEDBACK} {path}: the folder {path.parent} does not exist; create it (writable by "
                         f"the server's user) or name another file")
    try:
        FeedbackStore(path).close()
    except Exception as exc:  # sqlite3 or the store's own error: say which file and why
        raise UsageError(f"{ENV_FEEDBACK} {path} cannot be used as the feedback database: {exc}") from None
    return path


def __getattr__(name: str):
    # `module:app` for servers that take a plain callable: made from the environment when the
    # server first looks it up, not at import (importing this module needs no configuration)
    if name in ("app", "application"):
        made = create_app()
        globals()["app"] = globals()["application"] = made
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
