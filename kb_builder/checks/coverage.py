"""Translation coverage, counted as gettext's statistics are: translated, stale, untranslated.

The unit is an (entry, language) pair that some market needs: a language of a market the entry
applies to, other than the source language. Per market, each of its languages counts the
entries that apply to that market, so one entry needed by two markets counts in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb_builder.model import Catalog, Entry

STATUSES = ("translated", "stale", "untranslated")


@dataclass(frozen=True)
class Counts:
    """How many needed translations are current, stale or missing."""

    translated: int = 0
    stale: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.stale + self.untranslated

    def percent(self, status: str) -> float:
        """Share of `status` in percent, one decimal (100.0 when nothing is needed and status is translated)."""
        if not self.total:
            return 100.0 if status == "translated" else 0.0
        return round(100.0 * getattr(self, status) / self.total, 1)

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.translated + other.translated, self.stale + other.stale,
                      self.untranslated + other.untranslated)


@dataclass(frozen=True)
class LanguageCoverage:
    """Coverage of one language over every entry some market needs in it."""

    lang: str
    counts: Counts


@dataclass(frozen=True)
class MarketCoverage:
    """Coverage of one market: per language of the market, and the sum."""

    market: str
    counts: Counts
    languages: dict[str, Counts] = field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    """Translation coverage of a catalog, per language and per market."""

    source_language: str
    languages: list[LanguageCoverage]
    markets: list[MarketCoverage]

    @property
    def total(self) -> Counts:
        """All languages together."""
        out = Counts()
        for lc in self.languages:
            out = out + lc.counts
        return out

    def cell(self, market: str, lang: str) -> Counts | None:
        """The counts of one market and language, or None when the market does not use the language."""
        for mc in self.markets:
            if mc.market == market:
                return mc.languages.get(lang)
        return None


def status(entry: Entry, lang: str, fingerprint: str) -> str:
    """`translated`, `stale` or `untranslated` for one entry and language."""
    tr = entry.translations.get(lang)
    if tr is None:
        return "untranslated"
    return "translated" if tr.source_fingerprint == fingerprint else "stale"


def coverage(catalog: Catalog) -> Coverage:
    """Count translated, stale and untranslated entries per language and per market."""
    source = catalog.settings.source_language
    languages = [lang for lang in catalog.settings.languages if lang != source]
    markets = sorted(catalog.markets.values(), key=lambda m: m.code)
    market_langs = {m.code: [lang for lang in m.languages if lang != source] for m in markets}
    tallies = {(code, lang): [0, 0, 0] for code, langs in market_langs.items() for lang in langs}
    by_lang = {lang: [0, 0, 0] for lang in languages}
    slot = {name: i for i, name in enumerate(STATUSES)}
    scopes: dict = {}
    for entry in catalog.entries():
        codes = scopes.get(entry.markets)
        if codes is None:
            codes = scopes[entry.markets] = [m.code for m in markets if entry.markets.includes(m.code)]
        fp = entry.fingerprint()
        slots: dict[str, int] = {}
        for code in codes:
            for lang in market_langs[code]:
                i = slots.get(lang)
                if i is None:
                    i = slots[lang] = slot[status(entry, lang, fp)]
                    if lang in by_lang:
                        by_lang[lang][i] += 1
                tallies[(code, lang)][i] += 1
    market_rows = []
    for m in markets:
        per_lang = {lang: Counts(*tallies[(m.code, lang)]) for lang in catalog.settings.languages
                    if (m.code, lang) in tallies}
        total = Counts()
        for c in per_lang.values():
            total = total + c
        market_rows.append(MarketCoverage(m.code, total, per_lang))
    return Coverage(source, [LanguageCoverage(lang, Counts(*by_lang[lang])) for lang in languages], market_rows)
