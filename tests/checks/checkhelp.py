"""Helpers shared by the checker tests (a plain module: a second conftest.py here would shadow
tests/conftest.py for the test folders that import it by name)."""

from __future__ import annotations

import datetime as dt

import pytest

from kb_builder.checks import run_checks
from kb_builder.errors import Problem
from kb_builder.loading.loader import load

TODAY = dt.date(2026, 11, 23)


def summary(p: Problem) -> tuple:
    """What tests compare: code, `path:line:column`, entry, language and markets."""
    return (p.code, str(p.mark), p.entry, p.lang, p.market, p.markets)


@pytest.fixture(name="check")
def check_fixture(make_project):
    """check(files, code=None) -> the loader's and the checker's problems (only `code`'s when given)."""

    def run(files: dict | None = None, code: str | None = None, today: dt.date = TODAY) -> list[Problem]:
        content = make_project(files or {})
        result = load(content)
        problems = list(result.problems)
        if result.catalog is not None:
            problems += run_checks(result.catalog, today)
        return [p for p in problems if code is None or p.code == code]

    return run
