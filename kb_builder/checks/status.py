"""`kb translations status`: translation coverage as a market x language grid."""

from __future__ import annotations

import json
from pathlib import Path

from kb_builder.checks.coverage import Counts, coverage, status
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
    return "\n".join(out) + "\n" + pending_text(catalog)


def pending(catalog: Catalog) -> list[dict]:
    """Per language, the entries some market needs in it that are untranslated or stale, with those markets."""
    source = catalog.settings.source_language
    out = []
    for lang in catalog.settings.languages:
        if lang == source:
            continue
        found: dict[str, list[dict]] = {"untranslated": [], "stale": []}
        for entry in catalog.entries():
            markets = [m.code for m in catalog.markets_of(entry.markets) if lang in m.languages]
            if not markets:
                continue
            state = status(entry, lang, entry.fingerprint())
            if state != "translated":
                found[state].append({"entry": entry.ref, "markets": markets})
        out.append({"lang": lang, **found})
    return out


def pending_text(catalog: Catalog) -> str:
    """The untranslated and stale entries per language, as lines after the grid."""
    lines = ["", "Untranslated or stale, per language ('kb translations export --lang L' exports them):"]
    rows = pending(catalog)
    for row in rows:
        if not row["untranslated"] and not row["stale"]:
            lines.append(f"{row['lang']}: complete")
            continue
        lines.append(f"{row['lang']}: {len(row['untranslated'])} untranslated, {len(row['stale'])} stale")
        items = [(state, item) for state in ("untranslated", "stale") for item in row[state]]
        width = max(len(item["entry"]) for _, item in items)
        lines.extend(f"  {state:<12}  {item['entry']:<{width}}  ({', '.join(item['markets'])})" for state, item in items)
    return "\n".join(lines) + "\n"


def status_json(catalog: Catalog) -> str:
    """The coverage as JSON (the `coverage` object of `kb check --format json`), plus `pending`:
    per language, the untranslated and stale entries with the markets that need them."""
    doc = coverage_json(coverage(catalog))
    doc["pending"] = pending(catalog)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def translation_status(content: Path, fmt: str = "text") -> tuple[str, int]:
    """The status of a content folder as text or JSON, and how many content errors it has.

    Coverage is shown even when some files have errors; only an unusable kb.yaml stops it.
    """
    result = load(require_content(content, need_kb_yaml=False))
    if result.catalog is None:
        raise ContentError(result.problems)
    text = status_json(result.catalog) if fmt == "json" else status_grid(result.catalog)
    return text, sum(p.severity == "error" for p in result.problems)
