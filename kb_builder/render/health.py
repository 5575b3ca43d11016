"""The internal site's "Content health" page: the checker's report by market, language, owner and entry.

Each entry with findings gets a block whose HTML id is `<kind>-<id>` (see `health_anchor`), so the
banner on an entry's page can link to `health/#<kind>-<id>`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb_builder.checks.coverage import Counts, Coverage
from kb_builder.errors import Problem
from kb_builder.model import Catalog
from kb_builder.render.common import language_name, relative
from kb_builder.render.env import render
from kb_builder.urls import internal_url, ref_anchor

if TYPE_CHECKING:
    from kb_builder.feedback.report import HealthFeedback

PAGE = "health.md"
TALLIED = ("untranslated", "stale-translation", "review-overdue")


health_anchor = ref_anchor  # an entry's block on the health page has the entry's one anchor


@dataclass
class Tally:
    """Findings counted for one market, language or owner."""

    key: str
    label: str
    codes: Counter = field(default_factory=Counter)
    errors: int = 0
    warnings: int = 0
    entries: dict[str, "EntryFindings"] = field(default_factory=dict)

    def add(self, p: Problem, group: "EntryFindings | None") -> None:
        self.codes[p.code] += 1
        if p.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if group is not None:
            self.entries.setdefault(group.ref, group)

    def count(self, code: str) -> int:
        return self.codes.get(code, 0)


@dataclass
class EntryFindings:
    """Everything found about one entry, with a link to its page."""

    ref: str
    title: str
    url: str | None
    owner: str
    anchor: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return sorted({p.code for p in self.problems})

    @property
    def groups(self) -> list[list[Problem]]:
        """The findings by code, in order of first appearance: an entry untranslated into twelve
        languages gets one line naming them, not twelve (the page stays readable at scale)."""
        by_code: dict[str, list[Problem]] = {}
        for p in self.problems:
            by_code.setdefault(p.code, []).append(p)
        return list(by_code.values())


def _entry_findings(catalog: Catalog, problems: list[Problem]) -> dict[str, EntryFindings]:
    groups: dict[str, EntryFindings] = {}
    for p in problems:
        if not p.entry:
            continue
        group = groups.get(p.entry)
        if group is None:
            entry = catalog.lookup(p.entry)
            group = groups[p.entry] = EntryFindings(
                ref=p.entry, title=entry.display_title() if entry else p.entry,
                url=relative(PAGE, internal_url(entry)) if entry else None,
                owner=getattr(entry, "owner", "") or "", anchor=health_anchor(p.entry))
        group.problems.append(p)
    return dict(sorted(groups.items()))


def _markets_of(catalog: Catalog, p: Problem) -> list[str]:
    if p.markets:
        return list(p.markets)
    if p.market:
        return [p.market]
    entry = catalog.lookup(p.entry) if p.entry else None
    scope = getattr(entry, "markets", None)
    return [m.code for m in catalog.markets_of(scope)] if scope is not None else []


def _tallies(catalog: Catalog, problems: list[Problem], groups: dict[str, EntryFindings]):
    markets = {code: Tally(code, f"{m.name} ({code})") for code, m in sorted(catalog.markets.items())}
    langs = {lang: Tally(lang, f"{language_name(lang)} ({lang})") for lang in catalog.settings.languages}
    owners: dict[str, Tally] = {}
    for p in problems:
        group = groups.get(p.entry) if p.entry else None
        for code in _markets_of(catalog, p):
            if code in markets:
                markets[code].add(p, group)
        if p.lang in langs:
            langs[p.lang].add(p, group)
        if group is not None:
            owner = group.owner or "(no owner)"
            owners.setdefault(owner, Tally(owner, owner)).add(p, group)
    return (list(markets.values()), [t for t in langs.values() if t.codes],
            [owners[k] for k in sorted(owners, key=lambda o: (o == "(no owner)", o))])


def health_markdown(catalog: Catalog, problems: list[Problem], coverage: Coverage,
                    feedback: HealthFeedback | None = None) -> str:
    """The Markdown of the health page (rendered through the shared Jinja environment, text escaped).
    `feedback`: what customers told the help centers (kb serve's database), shown when there is one."""
    ordered = sorted(problems, key=Problem.sort_key)
    groups = _entry_findings(catalog, ordered)
    by_market, by_language, by_owner = _tallies(catalog, ordered, groups)
    langs = [lc.lang for lc in coverage.languages]
    grid = [(mc.market, [mc.languages.get(lang) for lang in langs], mc.counts) for mc in coverage.markets]
    return render(
        "health.md.j2",
        errors=sum(p.severity == "error" for p in problems),
        warnings=sum(p.severity == "warning" for p in problems),
        entries=groups.values(),
        other=[p for p in ordered if not p.entry],
        coverage=coverage, langs=langs, grid=grid,
        by_market=by_market, by_language=by_language, by_owner=by_owner,
        tallied=TALLIED, language_name=language_name, market_url=_market_url(catalog),
        cell=_cell, feedback=feedback, faq_url=_faq_url(catalog),
    )


def _faq_url(catalog: Catalog):
    def url(entry_id: str) -> str | None:
        entry = catalog.faqs.get(entry_id)
        return relative(PAGE, internal_url(entry)) if entry else None
    return url


def _market_url(catalog: Catalog):
    def url(code: str) -> str | None:
        market = catalog.markets.get(code)
        return relative(PAGE, internal_url(market)) if market else None
    return url


def _cell(c: Counts | None) -> str:
    if c is None:
        return ""
    if not c.total:
        return "-"
    return f"{c.translated}/{c.total} ({c.percent('translated'):g}%)"
