"""Market variable checks: every `{market.NAME}` must be defined for each market where the text shows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterator

from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Mark, Problem
from kb_builder.model import Entry, Sop
from kb_builder.variables import market_variables


def texts(entry: Entry) -> Iterator[tuple[str, str | None, str, Mark | None]]:
    """Every text of an entry as (field path, language or None for the source, text, mark)."""
    for path, text in entry.source.items():
        yield path, None, text, entry.mark_of(path)
    for lang, tr in entry.translations.items():
        for path, text in tr.fields.items():
            yield path, lang, text, entry.marks.get(f"translations.{lang}.{path}") or tr.mark


@dataclass
class _Use:
    mark: Mark | None
    lang: str | None
    missing: set[str] = field(default_factory=set)


def _scope_codes(ctx: CheckContext, entry: Entry, path: str) -> tuple[str, ...]:
    codes = ctx.market_codes(entry.markets)
    if isinstance(entry, Sop) and path.startswith("steps."):
        step = entry.step(path.split(".", 2)[1])
        if step is not None and not step.markets.all:
            return tuple(c for c in codes if step.markets.includes(c))
    return codes


@check("variables")
def undefined_market_variables(ctx: CheckContext) -> Iterator[Problem]:
    """One error per (entry, variable) that some market in scope does not define."""
    defined = {code: m.variables() for code, m in ctx.catalog.markets.items()}
    known = sorted({name for values in defined.values() for name in values})
    for entry in ctx.catalog.entries():
        uses: dict[str, _Use] = {}
        for path, lang, text, mark in texts(entry):
            if "{market." not in text:
                continue
            names = market_variables(text)
            if not names:
                continue
            codes = _scope_codes(ctx, entry, path)
            for name in sorted(names):
                use = uses.setdefault(name, _Use(mark, lang))
                use.missing.update(c for c in codes if name not in defined[c])
        for name, use in uses.items():
            if not use.missing:
                continue
            missing = sorted(use.missing)
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {{market.{close[0]}}}? Otherwise add " if close and close[0] != name else "add "
            hint += f"{name}: ... under vars: in " + ", ".join(f"markets/{c.lower()}.yaml" for c in missing[:3])
            if len(missing) > 3:
                hint += f" and {len(missing) - 3} more"
            yield finding("undefined-market-variable",
                          f"{entry.ref} uses {{market.{name}}}, which is not defined for {', '.join(missing)}",
                          hint, use.mark, entry=entry.ref, lang=use.lang, markets=missing)
