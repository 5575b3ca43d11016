"""`kb translations export`: the selected units of one language as an XLIFF 1.2 or PO document."""

from __future__ import annotations

from pathlib import Path

from kb_builder.errors import UsageError
from kb_builder.model import Catalog
from kb_builder.translation_exchange.units import KINDS, STATES, Selection, Unit, select_units


def parse_only(value: str) -> tuple[str, ...]:
    """`untranslated,stale` or `all` to the unit states to export."""
    if value.strip() == "all":
        return STATES
    states = tuple(s.strip() for s in value.split(",") if s.strip())
    wrong = [s for s in states if s not in STATES]
    if wrong or not states:
        raise UsageError(f"--only {value}: use 'all' or a comma-separated list of {', '.join(STATES)}")
    return states


def _previous_sources(content: Path):
    """A function giving the source a stale translation was made from, from git history (None if unknown)."""
    from kb_builder.checks.gitdiff import open_history
    from kb_builder.translation import fingerprint

    history, _why = open_history(content)
    if history is None:
        return None

    def previous(entry, lang):
        wanted = entry.translations[lang].source_fingerprint
        if wanted is None:
            return None
        try:
            for rev in history.revisions(entry.file):
                old = history.source_at(rev, entry)
                if old is not None and fingerprint(list(old.items())) == wanted:
                    return old
        except Exception:  # history is a help for the translator, never a reason to fail the export
            return None
        return None

    return previous


def export_units(catalog: Catalog, content: Path, sel: Selection) -> list[Unit]:
    """The units of the selection, stale ones with the source they were translated from."""
    settings = catalog.settings
    if sel.lang not in settings.languages:
        raise UsageError(f"--lang {sel.lang}: not a language of this KB ({', '.join(settings.languages)})")
    if sel.lang == settings.source_language:
        raise UsageError(f"--lang {sel.lang} is the source language; export one of the languages it is translated into")
    if sel.market and sel.market.upper() not in catalog.markets:
        raise UsageError(f"--market {sel.market}: no such market ({', '.join(sorted(catalog.markets))})")
    if sel.kind and sel.kind not in KINDS:
        raise UsageError(f"--kind {sel.kind}: use one of {', '.join(KINDS)}")
    if sel.market:
        sel.market = sel.market.upper()
    previous = _previous_sources(content) if "stale" in sel.states else None
    return select_units(catalog, sel, previous)


def render(units: list[Unit], catalog: Catalog, lang: str, fmt: str) -> str:
    """The units as an XLIFF 1.2 or PO document."""
    if fmt == "po":
        from kb_builder.translation_exchange.po import export_po

        return export_po(units, catalog.settings.source_language, lang, catalog.settings.name)
    from kb_builder.translation_exchange.xliff import export_xliff

    return export_xliff(units, catalog.settings.source_language, lang)
