"""The last `kb check` report, reused while nothing it depends on has changed.

Checking an unchanged folder again gives the same report, so it is kept under `.kb-cache/` (beside
the loader's per-file cache) with a key made of: the kb_builder code, the working folder, the
content folder, `--today`, and the path, size and mtime of every file in the content folder. A
file modified within two seconds of the report being written makes the report unusable (its
mtime cannot tell two versions apart), as in the loader's cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from kb_builder.checks.report import Report
from kb_builder.loading.cache import (RACY_NS, cache_folder, code_version, content_listing, enabled, ensure_folder,
                                      read_data, write_data)
from kb_builder.runtime.detached import wait_for_writer


def _code_version() -> bytes:
    """A digest of the code that decides what a report says: every source file of kb_builder."""
    return code_version().encode()


@dataclass(frozen=True)
class ReportKey:
    """What a stored report must match: taken before loading, so that edits made while checking count."""

    path: Path
    digest: bytes
    newest_ns: int
    taken_ns: int


def report_key(content: Path, today: dt.date) -> ReportKey | None:
    """The key of the report for this content folder and day (None when caching is off or impossible)."""
    if not enabled():
        return None
    root = Path(content).resolve()
    tag = hashlib.blake2b(f"{root}\0{os.getcwd()}".encode(), digest_size=8).hexdigest()
    taken = time.time_ns()
    try:
        listing, newest = content_listing(root)
    except OSError:
        return None
    digest = hashlib.blake2b(_code_version() + listing + today.isoformat().encode(), digest_size=16).digest()
    return ReportKey(cache_folder(root) / f"report-{tag}.pickle", digest, newest, taken)


def cached_report(key: ReportKey | None) -> Report | None:
    """The stored report, when it was made from exactly this state of the content."""
    if key is None:
        return None
    wait_for_writer(key.path.parent)  # the last `kb check` may still be writing it
    try:
        digest, written_ns, report = read_data(key.path)  # None (damaged, planted, missing) fails here
        if not isinstance(written_ns, int):
            return None
    except (TypeError, ValueError):
        return None
    if digest != key.digest or key.newest_ns >= written_ns - RACY_NS or not isinstance(report, Report):
        return None
    return report


def store_report(key: ReportKey | None, report: Report) -> None:
    """Keep the report for the next run (not when it holds per-run extras such as source diffs); never fails."""
    if key is None or report.diffs:
        return
    try:
        ensure_folder(key.path.parent)
        write_data(key.path, (key.digest, key.taken_ns, report))
    except OSError:
        pass
