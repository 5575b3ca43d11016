"""`kb report feedback` and `kb report search-misses`, and the same summaries for the health page.

Votes are counted per answer and help center (market and language); failed searches are grouped
by their normalised text (Unicode NFKC, case folded, spaces collapsed, surrounding punctuation
dropped), so "Refund?" and "  refund" are one line.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.errors import KbError
from kb_builder.feedback.store import FeedbackStore, SearchMiss, Vote, database_path

LATEST_REASONS = 3
_PUNCTUATION = "\"'`.,;:!?¿¡()[]{}<>«»“”„‘’。、，！？「」"


@dataclass
class AnswerFeedback:
    """The votes on one answer in one help center."""

    market: str
    lang: str
    entry: str
    yes: int = 0
    no: int = 0
    reasons: list[str] = field(default_factory=list)  # the latest first, at most LATEST_REASONS
    last: str = ""

    @property
    def help_center(self) -> str:
        return f"{self.market}/{self.lang}"

    @property
    def unhelpful_share(self) -> float:
        """The share of No votes, 0 to 1."""
        return self.no / (self.yes + self.no) if self.yes + self.no else 0.0

    def to_dict(self) -> dict:
        return {"market": self.market, "lang": self.lang, "entry": self.entry, "yes": self.yes, "no": self.no,
                "unhelpful_share": round(self.unhelpful_share, 4), "latest_reasons": self.reasons,
                "last_vote": self.last}


@dataclass
class MissGroup:
    """The searches that found nothing for one normalised query."""

    query: str  # the normalised text
    count: int = 0
    markets: set[str] = field(default_factory=set)
    langs: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    last: str = ""

    def to_dict(self) -> dict:
        return {"query": self.query, "count": self.count, "markets": sorted(self.markets),
                "langs": sorted(self.langs), "kinds": sorted(self.kinds), "last_seen": self.last}


def normalise(query: str) -> str:
    """A query as it is grouped: NFKC, case folded, spaces collapsed, surrounding punctuation dropped."""
    text = " ".join(unicodedata.normalize("NFKC", query).casefold().split())
    return text.strip(_PUNCTUATION + " ")


def answer_feedback(votes: list[Vote]) -> list[AnswerFeedback]:
    """Votes per answer and help center, the most unhelpful first (No votes, then their share)."""
    by_key: dict[tuple[str, str, str], AnswerFeedback] = {}
    for v in votes:  # oldest first
        a = by_key.setdefault((v.market, v.lang, v.entry), AnswerFeedback(v.market, v.lang, v.entry))
        if v.helpful:
            a.yes += 1
        else:
            a.no += 1
            if v.reason:
                a.reasons.insert(0, v.reason)
                del a.reasons[LATEST_REASONS:]
        a.last = v.at
    return sorted(by_key.values(), key=lambda a: (-a.no, -a.unhelpful_share, a.market, a.lang, a.entry))


def miss_groups(misses: list[SearchMiss]) -> list[MissGroup]:
    """Failed searches per normalised query, the most frequent first."""
    groups: dict[str, MissGroup] = {}
    for m in misses:
        key = normalise(m.query)
        if not key:
            continue
        g = groups.setdefault(key, MissGroup(key))
        g.count += 1
        g.markets.update([m.market] if m.market else [])
        g.langs.update([m.lang] if m.lang else [])
        g.kinds.update([m.kind] if m.kind else [])
        g.last = max(g.last, m.at)
    return sorted(groups.values(), key=lambda g: (-g.count, g.query))


def _since_text(since: dt.date | None) -> str:
    return f" since {since.isoformat()}" if since else ""


def feedback_text(answers: list[AnswerFeedback], since: dt.date | None = None) -> str:
    """The feedback report for people: one line per answer with votes, the most unhelpful first."""
    votes = sum(a.yes + a.no for a in answers)
    no = sum(a.no for a in answers)
    lines = [f"Was this helpful?{_since_text(since)}: {votes} vote(s) on {len(answers)} answer(s), {no} unhelpful"]
    if not answers:
        return "\n".join(lines) + "\n"
    lines.append("")
    lines.append(f"{'help center':<12} {'entry':<32} {'yes':>4} {'no':>4} {'unhelpful':>9}  latest reasons")
    for a in answers:
        reasons = " | ".join(a.reasons) if a.reasons else "-"
        lines.append(f"{a.help_center:<12} {a.entry:<32} {a.yes:>4} {a.no:>4} {a.unhelpful_share:>9.0%}  {reasons}")
    return "\n".join(lines) + "\n"


def misses_text(groups: list[MissGroup], since: dt.date | None = None) -> str:
    """The failed-searches report for people: one line per normalised query, the most frequent first."""
    total = sum(g.count for g in groups)
    lines = [f"Searches that found nothing{_since_text(since)}: {total} search(es), {len(groups)} distinct"]
    if not groups:
        return "\n".join(lines) + "\n"
    lines.append("")
    lines.append(f"{'count':>5}  {'query':<32} {'markets':<12} {'languages':<12} last seen")
    for g in groups:
        lines.append(f"{g.count:>5}  {g.query:<32} {','.join(sorted(g.markets)) or '-':<12} "
                     f"{','.join(sorted(g.langs)) or '-':<12} {g.last}")
    return "\n".join(lines) + "\n"


def feedback_json(answers: list[AnswerFeedback], since: dt.date | None = None) -> str:
    """The feedback report as JSON for other tools."""
    return json.dumps({"since": since.isoformat() if since else None,
                       "votes": sum(a.yes + a.no for a in answers),
                       "answers": [a.to_dict() for a in answers]}, ensure_ascii=False, indent=2) + "\n"


def misses_json(groups: list[MissGroup], since: dt.date | None = None) -> str:
    """The failed-searches report as JSON for other tools."""
    return json.dumps({"since": since.isoformat() if since else None, "searches": sum(g.count for g in groups),
                       "queries": [g.to_dict() for g in groups]}, ensure_ascii=False, indent=2) + "\n"


@dataclass
class HealthFeedback:
    """What the internal health page shows of the feedback database (the top of both reports)."""

    answers: list[AnswerFeedback]
    misses: list[MissGroup]
    votes: int
    searches: int


def health_feedback(out: Path, limit: int = 10) -> HealthFeedback | None:
    """The summaries for the health page, or None when the output folder has no feedback database."""
    path = database_path(out)
    if not path.is_file():
        return None
    try:
        store = FeedbackStore(path, create=False)
        try:
            answers = answer_feedback(store.votes())
            misses = miss_groups(store.search_misses())
        finally:
            store.close()
    except (KbError, sqlite3.Error):  # an unreadable database must not fail the build; kb report says why
        return None
    return HealthFeedback(answers=[a for a in answers if a.no][:limit], misses=misses[:limit],
                          votes=sum(a.yes + a.no for a in answers), searches=sum(g.count for g in misses))
