"""The search API for production: a WSGI application factory for multi-worker servers.

    gunicorn -w 4 -k gthread --threads 4 -b 0.0.0.0:8000 \\
        'kb_builder.search.wsgi:create_app(index_dir="/srv/kb/search")'
    KB_INDEX=/srv/kb/search gunicorn -w 4 -b 0.0.0.0:8000 kb_builder.search.wsgi:app

`create_app` returns a WSGI application answering

    GET /api/search?q=&market=&lang=&kind=&n=&public=   byte for byte what `kb serve` answers
    GET /api/health                                     200 {"status": "ok", ...} or 503

It serves an index folder that `kb build` or `kb index` wrote (`OUT/search`), and never writes
to it: each worker process opens the folder read-only on its first request (after the server
has forked, so no open file or thread crosses a fork), so the folder can be a read-only copy,
mount or image layer shipped to every machine behind a load balancer. Without arguments the
factory reads the environment: KB_INDEX (the folder) and KB_ALLOW_ORIGIN (origins that may read
answers cross-origin, separated by commas or spaces). `app` is the same application made from
the environment, for servers that take a plain `module:callable`.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterable

from kb_builder.errors import UsageError
from kb_builder.search.api import HEALTH_PATH, PATH as SEARCH_PATH, health_app, json_response, search_app
from kb_builder.search.manifest import read_manifest
from kb_builder.search.query import IndexMissing, SearchIndex

ENV_INDEX = "KB_INDEX"
ENV_ORIGINS = "KB_ALLOW_ORIGIN"


class SearchService:
    """The WSGI application of one index folder: /api/search and /api/health."""

    def __init__(self, index_dir: Path, allowed_origins: Iterable[str] = ()):
        self.index_dir = Path(index_dir)
        self.allowed_origins = tuple(allowed_origins)
        self._lock = threading.Lock()
        self._opened: tuple[int, SearchIndex] | None = None  # (process id, index)
        self._search = search_app(self.index, self.allowed_origins)
        self._health = health_app(self.index)

    def index(self) -> SearchIndex | None:
        """This process's SearchIndex, opened on first use (None while the folder has no index).
        A forked worker never uses its parent's: it opens its own."""
        pid = os.getpid()
        opened = self._opened
        if opened is not None and opened[0] == pid:
            return opened[1]
        with self._lock:
            if self._opened is None or self._opened[0] != pid:
                try:
                    # resolved now: a symlink switched to a newly shipped folder is followed by
                    # new workers, while this one keeps reading the folder it started with
                    self._opened = (pid, SearchIndex(self.index_dir.resolve()))
                except IndexMissing:
                    return None
            return self._opened[1]

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/") or "/"
        if path == SEARCH_PATH:
            return self._search(environ, start_response)
        if path == HEALTH_PATH:
            return self._health(environ, start_response)
        return json_response(start_response, "404 Not Found",
                             {"error": f"no API at {path}; use {SEARCH_PATH}?q=... or {HEALTH_PATH}"})


def create_app(index_dir: str | os.PathLike | None = None,
               allowed_origins: Iterable[str] | str | None = None) -> SearchService:
    """The search API over an index folder (default: $KB_INDEX). `allowed_origins` lists the
    origins whose pages may read answers (default: $KB_ALLOW_ORIGIN; none). Raises UsageError
    when no folder is named and IndexMissing when the folder holds no index this version reads,
    so a misconfigured server stops at start-up instead of answering 503 forever."""
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
    return SearchService(folder, allowed_origins)


def __getattr__(name: str):
    # `module:app` for servers that take a plain callable: made from the environment when the
    # server first looks it up, not at import (importing this module needs no configuration)
    if name in ("app", "application"):
        made = create_app()
        globals()["app"] = globals()["application"] = made
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
