"""The consistency report in three forms: text for people, JSON for tools, GitHub workflow annotations.

The JSON form is a stable, versioned contract (REPORT_SCHEMA, documented in docs/checks.md):
keys are never renamed or removed within a schema version; new optional keys may appear.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from itertools import groupby

from kb_builder.checks.coverage import STATUSES, Counts, Coverage
from kb_builder.errors import Problem

SCHEMA_VERSION = 1


@dataclass
class Report:
    """Everything `kb check` prints: findings (loader's and checker's), coverage, source diffs."""

    content: str
    today: dt.date
    problems: list[Problem]
    coverage: Coverage | None = None
    entries: int = 0
    diffs: dict[tuple[str, str], str] = field(default_factory=dict)  # (entry ref, lang) -> diff text
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def files(self) -> int:
        return len({p.mark.path for p in self.problems if p.mark})

    def diff_of(self, p: Problem) -> str | None:
        """The source diff shown under a stale-translation finding, if one was computed."""
        if p.code != "stale-translation" or not p.entry or not p.lang:
            return None
        return self.diffs.get((p.entry, p.lang))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary_line(report: Report) -> str:
    """`2 errors, 5 warnings in 3 files (120 entries checked)`."""
    counts = f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')}"
    where = f" in {_plural(report.files, 'file')}" if report.files else ""
    entries = "1 entry" if report.entries == 1 else f"{report.entries} entries"
    return f"{counts}{where} ({entries} checked)"


def _counts_text(c: Counts) -> str:
    return ", ".join(f"{getattr(c, s)} {s} ({c.percent(s):.1f}%)" for s in STATUSES)


def coverage_lines(cov: Coverage) -> list[str]:
    """gettext-style statistics: one line per language, then one per market."""
    lines = [f"Translation coverage (source language {cov.source_language}):"]
    width = max([len(lc.lang) for lc in cov.languages] + [len(mc.market) + 7 for mc in cov.markets] + [5])
    for lc in cov.languages:
        lines.append(f"  {lc.lang:<{width}}  " + (_counts_text(lc.counts) if lc.counts.total else "not needed"))
    for mc in cov.markets:
        lines.append(f"  {'market ' + mc.market:<{width}}  " +
                     (_counts_text(mc.counts) if mc.counts.total else "source language only"))
    return lines


def format_text(report: Report, show_coverage: bool = True) -> str:
    """Findings grouped by file (each line `path:line:column: severity: message (hint) [code]`),
    the coverage statistics, and a summary line last."""
    out: list[str] = []
    ordered = sorted(report.problems, key=Problem.sort_key)
    for path, group in groupby(ordered, key=lambda p: p.mark.path if p.mark else ""):
        items = list(group)
        errs = sum(p.severity == "error" for p in items)
        out.append(f"{path or '(no file)'}: {_plural(errs, 'error')}, {_plural(len(items) - errs, 'warning')}")
        for p in items:
            out.append(f"  {p.format()} [{p.code}]")
            diff = report.diff_of(p)
            if diff:
                out.extend("      " + line for line in diff.splitlines())
        out.append("")
    out.extend(f"note: {n}" for n in report.notes)
    if show_coverage and report.coverage is not None:
        out.extend(coverage_lines(report.coverage))
        out.append("")
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


def _counts_json(c: Counts) -> dict:
    return {"translated": c.translated, "stale": c.stale, "untranslated": c.untranslated, "total": c.total,
            "percent_translated": c.percent("translated")}


def coverage_json(cov: Coverage) -> dict:
    """Coverage as plain JSON values."""
    return {
        "source_language": cov.source_language,
        "total": _counts_json(cov.total),
        "languages": [{"lang": lc.lang, **_counts_json(lc.counts)} for lc in cov.languages],
        "markets": [{"market": mc.market, **_counts_json(mc.counts),
                     "languages": [{"lang": lang, **_counts_json(c)} for lang, c in mc.languages.items()]}
                    for mc in cov.markets],
    }


def finding_json(p: Problem, diff: str | None = None) -> dict:
    """One finding as a JSON object; every key is always present (null when not relevant)."""
    kind, _, ident = (p.entry or "").partition(":")
    markets = list(p.markets) or ([p.market] if p.market else [])
    return {
        "severity": p.severity, "code": p.code, "message": p.message, "hint": p.hint or None,
        "file": p.mark.path if p.mark else None,
        "line": (p.mark.line or None) if p.mark else None,
        "column": (p.mark.column or None) if p.mark else None,
        "entry": p.entry, "kind": kind or None, "id": ident or None,
        "lang": p.lang, "market": p.market, "markets": markets,
        "source_diff": diff,
    }


def format_json(report: Report) -> str:
    """The report as one JSON document (see REPORT_SCHEMA)."""
    doc = {
        "schema_version": SCHEMA_VERSION,
        "content": report.content,
        "today": report.today.isoformat(),
        "summary": {"errors": report.errors, "warnings": report.warnings, "files": report.files,
                    "entries": report.entries},
        "findings": [finding_json(p, report.diff_of(p)) for p in sorted(report.problems, key=Problem.sort_key)],
        "coverage": coverage_json(report.coverage) if report.coverage is not None else None,
        "notes": report.notes,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(p: Problem) -> str:
    """One GitHub Actions workflow command: `::error file=F,line=L,col=C,title=CODE::message (hint)`."""
    props = []
    if p.mark:
        props.append(f"file={_escape_property(p.mark.path)}")
        if p.mark.line:
            props += [f"line={p.mark.line}", f"col={p.mark.column}"]
    props.append(f"title={_escape_property(p.code + (' ' + p.entry if p.entry else ''))}")
    text = p.message + (f" ({p.hint})" if p.hint else "")
    return f"::{p.severity} {','.join(props)}::{_escape_data(text)}"


def format_github(report: Report) -> str:
    """One annotation line per finding, then the summary line."""
    lines = [annotation(p) for p in sorted(report.problems, key=Problem.sort_key)]
    lines += [f"::notice::{_escape_data(n)}" for n in report.notes]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}

_COUNTS = {
    "type": "object",
    "required": ["translated", "stale", "untranslated", "total", "percent_translated"],
    "properties": {k: {"type": "integer", "minimum": 0} for k in ("translated", "stale", "untranslated", "total")}
    | {"percent_translated": {"type": "number", "minimum": 0, "maximum": 100}},
}
_NULLABLE_TEXT = {"type": ["string", "null"]}

REPORT_SCHEMA: dict = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://kb-builder.example/schemas/check-report.schema.json",
    "title": "kb check --format json",
    "type": "object",
    "required": ["schema_version", "content", "today", "summary", "findings", "coverage", "notes"],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "content": {"type": "string", "description": "The content folder as given."},
        "today": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "summary": {
            "type": "object", "required": ["errors", "warnings", "files", "entries"],
            "properties": {k: {"type": "integer", "minimum": 0} for k in ("errors", "warnings", "files", "entries")},
        },
        "findings": {"type": "array", "items": {
            "type": "object",
            "required": ["severity", "code", "message", "hint", "file", "line", "column", "entry", "kind", "id",
                         "lang", "market", "markets", "source_diff"],
            "properties": {
                "severity": {"enum": ["error", "warning"]},
                "code": {"type": "string", "pattern": "^[a-z0-9-]+$"},
                "message": {"type": "string"},
                "hint": _NULLABLE_TEXT,
                "file": _NULLABLE_TEXT,
                "line": {"type": ["integer", "null"], "minimum": 1},
                "column": {"type": ["integer", "null"], "minimum": 1},
                "entry": {"type": ["string", "null"], "description": "kind:id"},
                "kind": {"enum": ["sop", "faq", "template", "path", None]},
                "id": _NULLABLE_TEXT,
                "lang": _NULLABLE_TEXT,
                "market": {"type": ["string", "null"], "description": "Set when exactly one market is concerned."},
                "markets": {"type": "array", "items": {"type": "string"}},
                "source_diff": {"type": ["string", "null"],
                                "description": "With --diff: what changed in the source since a stale translation."},
            },
        }},
        "coverage": {"type": ["object", "null"], "required": ["source_language", "total", "languages", "markets"],
                     "properties": {
                         "source_language": {"type": "string"},
                         "total": _COUNTS,
                         "languages": {"type": "array", "items": {**_COUNTS, "required": [*_COUNTS["required"], "lang"]}},
                         "markets": {"type": "array", "items": {**_COUNTS, "required": [*_COUNTS["required"], "market",
                                                                                        "languages"]}},
                     }},
        "notes": {"type": "array", "items": {"type": "string"}},
    },
}
