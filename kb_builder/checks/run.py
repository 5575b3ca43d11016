"""`kb check` from start to end: load, check, count coverage, optionally explain stale sources."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from kb_builder.checks import coverage, run_checks
from kb_builder.checks.report import Report
from kb_builder.checks.report_cache import cached_report, report_key, store_report
from kb_builder.errors import KbError, UsageError
from kb_builder.loading.cache import gc_paused
from kb_builder.loading.loader import LoadResult, load, shown_path
from kb_builder.model import Catalog


def check_content(content: Path, today: dt.date | None = None, diffs: bool = False) -> Report:
    """The full report on a content folder: the loader's problems plus every check's findings.

    When kb.yaml itself is unusable there is no catalog: the report holds the loader's problems only.
    An unchanged folder gets the report of the previous run (see report_cache.py).
    """
    content = Path(content)
    if not content.is_dir():
        raise UsageError(f"content folder '{content}' does not exist; pass --content DIR")
    today = today or dt.date.today()
    key = None if diffs else report_key(content, today)
    report = cached_report(key)
    if report is not None:
        return report
    result = load_frozen(content)
    report = Report(content=shown_path(content), today=today, problems=list(result.problems))
    catalog = result.catalog
    if catalog is not None:
        report.problems += run_checks(catalog, today)
        report.coverage = coverage(catalog)
        report.entries = len(catalog.entries()) + len(catalog.paths)
        if diffs:
            add_source_diffs(report, catalog, content)
    store_report(key, report)
    return report


def load_frozen(content: Path) -> LoadResult:
    """Load with the cycle collector paused, then freeze what was loaded.

    A large catalog is millions of small, acyclic, long-lived objects: left to the collector, each
    full collection walks all of them again (about a second per pass on 6,000 entries). Frozen,
    they are skipped by collections and still freed by reference counting when dropped.
    """
    with gc_paused():
        result = load(content)
        gc.freeze()
    return result


def add_source_diffs(report: Report, catalog: Catalog, content: Path) -> None:
    """Attach to each stale translation what changed in its source, from the content's git history."""
    from kb_builder.checks.gitdiff import GitUnavailable, open_history

    stale = [(p.entry, p.lang) for p in report.problems if p.code == "stale-translation" and p.entry and p.lang]
    if not stale:
        return
    history, reason = open_history(content)
    if history is None:
        report.notes.append(reason)
        return
    for ref, lang in stale:
        entry = catalog.lookup(ref)
        try:
            report.diffs[(ref, lang)] = history.change_since(entry, lang).text
        except GitUnavailable as exc:
            report.diffs[(ref, lang)] = f"cannot read the history of {entry.file}: {exc}"


def exit_code(report: Report, strict: bool = False) -> int:
    """0 when clean, 1 with errors (or with warnings under --strict)."""
    if report.errors or (strict and report.warnings):
        return 1
    return 0


class ChecksFailed(KbError):
    """`kb check` found errors (or warnings under --strict): exit code 1 after the report is printed."""

    exit_code = 1


def verdict(report: Report, strict: bool = False) -> None:
    """Raise ChecksFailed when the report should fail the command."""
    if exit_code(report, strict):
        if report.errors:
            raise ChecksFailed(f"kb check found {report.errors} error(s)")
        raise ChecksFailed(f"kb check found {report.warnings} warning(s) and --strict is on")
