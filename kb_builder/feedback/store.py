"""The feedback database: one SQLite file next to the build output (`OUT/.kb-feedback.sqlite3`).

WAL mode, so the report and the health page can read while `kb serve` writes. Each thread gets
its own connection (sqlite3 connections must not be shared between threads without care), and a
busy timeout makes concurrent writers wait for each other instead of failing. Rows hold only
what the page sent (market, language, entry, yes/no, reason) or what was searched (query, market,
language, kind), with the time: no address, cookie or other personal data.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.errors import KbError

DB_NAME = ".kb-feedback.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    market TEXT NOT NULL,
    lang TEXT NOT NULL,
    entry TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS search_miss (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    query TEXT NOT NULL,
    market TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback(at);
CREATE INDEX IF NOT EXISTS search_miss_at ON search_miss(at);
"""


class FeedbackMissing(KbError):
    """There is no feedback database where one was expected (exit 1)."""


def database_path(out: Path) -> Path:
    """Where the feedback database of an output folder lives."""
    return Path(out) / DB_NAME


def database_state(out: Path) -> str:
    """The newest row of each table as text ("" without a database): rows are only ever added, so
    equal states mean equal contents (a build whose health page shows them compares it)."""
    path = database_path(out)
    if not path.is_file():
        return ""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return "feedback:{} misses:{}".format(*(db.execute(f"SELECT max(id) FROM {t}").fetchone()[0]
                                                    for t in ("feedback", "search_miss")))
    except sqlite3.Error as exc:
        return f"unreadable: {exc}"


def now() -> str:
    """The current time as stored: ISO 8601 in UTC to the second (sorts as text)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Vote:
    """One answer to "Was this helpful?"."""

    market: str
    lang: str
    entry: str
    helpful: bool
    reason: str = ""
    at: str = field(default_factory=now)


@dataclass(frozen=True)
class SearchMiss:
    """One search that found nothing."""

    query: str
    market: str = ""
    lang: str = ""
    kind: str = ""
    at: str = field(default_factory=now)


class FeedbackStore:
    """The database of one output folder; safe to use from many threads at once."""

    def __init__(self, path: Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise FeedbackMissing(f"no feedback database at {self.path}: 'kb serve --out {self.path.parent}' "
                                  "records feedback and failed searches there")
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._connection()  # creates the file and its tables now, not on the first request

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            try:
                conn.execute("PRAGMA busy_timeout = 30000")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.executescript(_SCHEMA)
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise KbError(f"{self.path} is not a feedback database ({exc}); move it away and start again") from None
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def journal_mode(self) -> str:
        """The database's journal mode ('wal')."""
        return self._connection().execute("PRAGMA journal_mode").fetchone()[0]

    def add_vote(self, vote: Vote) -> None:
        """Store one vote."""
        self._connection().execute(
            "INSERT INTO feedback (at, market, lang, entry, helpful, reason) VALUES (?, ?, ?, ?, ?, ?)",
            (vote.at, vote.market, vote.lang, vote.entry, int(vote.helpful), vote.reason))

    def add_search_miss(self, miss: SearchMiss) -> None:
        """Store one search that found nothing."""
        self._connection().execute(
            "INSERT INTO search_miss (at, query, market, lang, kind) VALUES (?, ?, ?, ?, ?)",
            (miss.at, miss.query, miss.market, miss.lang, miss.kind))

    def votes(self, since: dt.date | None = None) -> list[Vote]:
        """Every vote (from `since` on, a UTC date), oldest first."""
        rows = self._connection().execute(
            "SELECT market, lang, entry, helpful, reason, at FROM feedback WHERE at >= ? ORDER BY at, id",
            (since.isoformat() if since else "",)).fetchall()
        return [Vote(m, lang, e, bool(h), r, at) for m, lang, e, h, r, at in rows]

    def search_misses(self, since: dt.date | None = None) -> list[SearchMiss]:
        """Every search that found nothing (from `since` on), oldest first."""
        rows = self._connection().execute(
            "SELECT query, market, lang, kind, at FROM search_miss WHERE at >= ? ORDER BY at, id",
            (since.isoformat() if since else "",)).fetchall()
        return [SearchMiss(q, m, lang, k, at) for q, m, lang, k, at in rows]

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
