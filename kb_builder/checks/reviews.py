"""Review checks: entries and translations whose last review is older than their review interval.

An SOP, FAQ entry or template without any `reviewed` date gets the warning `never-reviewed`
(nobody has vouched for it yet). A translation without `reviewed` is not flagged: the field is
optional for translations, and their freshness is tracked by `from:` fingerprints.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.checks.translations import translation_mark
from kb_builder.errors import Problem


def due_date(reviewed: dt.date, every_days: int) -> dt.date:
    """The date by which the next review is due."""
    try:
        return reviewed + dt.timedelta(days=every_days)
    except OverflowError:  # reviewed: 9999-12-31, or review_every_days in the billions: never due
        return dt.date.max


@check("reviews")
def overdue_reviews(ctx: CheckContext) -> Iterator[Problem]:
    """Entries and translations reviewed longer ago than their interval allows."""
    default_days = ctx.catalog.settings.review_every_days
    today = ctx.today
    for entry in ctx.catalog.entries():
        entry_days = entry.review_every_days or default_days
        if entry.reviewed is None:
            yield finding("never-reviewed", f"{entry.ref} has no 'reviewed' date",
                          f"review it, then add reviewed: {today.isoformat()}", entry.mark, entry=entry.ref)
        elif due_date(entry.reviewed, entry_days) < today:
            due = due_date(entry.reviewed, entry_days)
            yield finding(
                "review-overdue", f"{entry.ref} was last reviewed on {entry.reviewed.isoformat()}; "
                f"reviews are due every {entry_days} days, so it was due on {due.isoformat()} "
                f"({(today - due).days} days ago)",
                f"review it, then set reviewed: {today.isoformat()}",
                entry.marks.get("reviewed") or entry.mark, entry=entry.ref)
        for lang, tr in entry.translations.items():
            if tr.reviewed is None:
                continue
            days = tr.review_every_days or entry_days
            due = due_date(tr.reviewed, days)
            if due < today:
                yield finding(
                    "review-overdue", f"the {lang} translation of {entry.ref} was last reviewed on "
                    f"{tr.reviewed.isoformat()}; reviews are due every {days} days, so it was due on "
                    f"{due.isoformat()} ({(today - due).days} days ago)",
                    f"have a {lang} translator check it, then set its reviewed: {today.isoformat()}",
                    entry.marks.get(f"translations.{lang}.reviewed") or translation_mark(entry, tr),
                    entry=entry.ref, lang=lang, markets=ctx.markets_speaking(entry.markets, lang))
