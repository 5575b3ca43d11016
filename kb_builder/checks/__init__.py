"""Consistency checks over a loaded catalog (placeholder until the checker lands)."""

from __future__ import annotations

import datetime as dt

from kb_builder.errors import Problem
from kb_builder.model import Catalog


def run_checks(catalog: Catalog, today: dt.date | None = None) -> list[Problem]:
    """Every finding about the catalog (cross-file rules; per-file ones come from the loader)."""
    return []
