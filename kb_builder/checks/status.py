"""`kb translations status`: translation coverage as a market x language grid."""

from __future__ import annotations

import json
from pathlib import Path

from kb_builder.checks.coverage import Counts, coverage
from kb_builder.checks.report import coverage_json
from kb_builder.errors import ContentError
from kb_builder.layout import require_content
from kb_builder.loading.loader import load
from kb_builder.model import Catalog

_EMPTY = "·"


def cell(c: Counts | None) -> str:
    """`40/45 88.9% s3 u2`: translated of needed, percent, then stale and untranslated counts if any."""
    if c is None:
        return _EMPTY
    if not c.total:
        return "-"
    text = f"{c.translated}/{c.total} {c.percent('translated'):g}%"
    if c.stale:
        text += f" s{c.stale}"
    if c.untranslated:
        text += f" u{c.untranslated}"
    return text


def status_grid(catalog: Catalog) -> str:
    """The grid as text: a row per market, a column per language, totals in the last row and column."""
    cov = coverage(catalog)
    langs = [lc.lang for lc in cov.languages]
    rows = [["market", *langs, "all"]]
    for mc in cov.markets:
        rows.append([mc.market, *[cell(mc.languages.get(lang)) for lang in langs], cell(mc.counts)])
    rows.append(["all", *[cell(lc.counts) for lc in cov.languages], cell(cov.total)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    rule = "  ".join("-" * w for w in widths)

    def line(r: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip()

    out = [f"Translation status (source language {cov.source_language}): translated/needed and percent; "
           f"s = stale, u = untranslated, {_EMPTY} = the market does not use the language.", "",
           line(rows[0]), rule, *[line(r) for r in rows[1:-1]], rule, line(rows[-1])]
    return "\n".join(out) + "\n"


def status_json(catalog: Catalog) -> str:
    """The same coverage as JSON (the `coverage` object of `kb check --format json`)."""
    return json.dumps(coverage_json(coverage(catalog)), ensure_ascii=False, indent=2) + "\n"


def translation_status(content: Path, fmt: str = "text") -> tuple[str, int]:
    """The status of a content folder as text or JSON, and how many content errors it has.

    Coverage is shown even when some files have errors; only an unusable kb.yaml stops it.
    """
    result = load(require_content(content, need_kb_yaml=False))
    if result.catalog is None:
        raise ContentError(result.problems)
    text = status_json(result.catalog) if fmt == "json" else status_grid(result.catalog)
    return text, sum(p.severity == "error" for p in result.problems)
