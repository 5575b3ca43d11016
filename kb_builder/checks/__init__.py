"""Consistency checks over a loaded catalog: one module per family, each registering its checks.

`run_checks` is what the build and `kb check` call; per-file rules (YAML, schema, ids, unknown
languages/markets/categories) come from the loader, everything that needs the whole catalog is here.
"""

from __future__ import annotations

import datetime as dt

from kb_builder.checks import (drafts, links, paths, placeholders, references, reviews, steps, texts, translations,
                               variables)
from kb_builder.checks.coverage import Coverage, Counts, LanguageCoverage, MarketCoverage, coverage
from kb_builder.checks.registry import REGISTRY, CheckContext
from kb_builder.errors import Problem
from kb_builder.loading.cache import gc_paused
from kb_builder.model import Catalog

FAMILIES = (translations, reviews, references, links, steps, variables, placeholders, paths, texts, drafts)

__all__ = ["run_checks", "coverage", "Coverage", "Counts", "LanguageCoverage", "MarketCoverage", "REGISTRY",
           "FAMILIES"]


def run_checks(catalog: Catalog, today: dt.date | None = None) -> list[Problem]:
    """Every finding about the catalog (cross-file rules; per-file ones come from the loader), sorted."""
    ctx = CheckContext(catalog, today or dt.date.today())
    problems: list[Problem] = []
    with gc_paused():
        for chk in REGISTRY:
            problems.extend(chk.run(ctx))
    return sorted(problems, key=Problem.sort_key)
