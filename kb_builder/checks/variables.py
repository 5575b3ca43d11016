"""Market variable checks: every `{market.NAME}` must be defined for each market where the text shows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterator

from kb_builder.checks.fields import EntryText
from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Problem
from kb_builder.model import Entry, Sop


@dataclass
class _Use:
    first: EntryText
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
    """One error per (entry, variable) that some market in scope does not define, at its first use."""
    defined = {code: m.variables() for code, m in ctx.catalog.markets.items()}
    known = sorted({name for values in defined.values() for name in values})
    lacking: dict[str, frozenset[str]] = {}
    uses_by_entry: dict[str, dict[str, _Use]] = {}
    for item in ctx.texts.braces:
        if not item.variables:
            continue
        uses = uses_by_entry.setdefault(item.entry.ref, {})
        codes: tuple[str, ...] | None = None
        for name in item.variables:
            use = uses.get(name)
            if use is None:
                use = uses[name] = _Use(item)
            lack = lacking.get(name)
            if lack is None:
                lack = lacking[name] = frozenset(c for c, values in defined.items() if name not in values)
            if lack:
                codes = codes if codes is not None else _scope_codes(ctx, item.entry, item.path)
                use.missing.update(lack.intersection(codes))
    for uses in uses_by_entry.values():
        for name, use in sorted(uses.items(), key=lambda kv: kv[0]):
            if not use.missing:
                continue
            entry, missing = use.first.entry, sorted(use.missing)
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {{market.{close[0]}}}? Otherwise add " if close and close[0] != name else "add "
            hint += f"{name}: ... under vars: in " + ", ".join(f"markets/{c.lower()}.yaml" for c in missing[:3])
            if len(missing) > 3:
                hint += f" and {len(missing) - 3} more"
            yield finding("undefined-market-variable",
                          f"{entry.ref} uses {{market.{name}}}, which is not defined for {', '.join(missing)}",
                          hint, use.first.mark, entry=entry.ref, lang=use.first.lang, markets=missing)
