"""`kb check`: exit codes, the three output formats, the JSON schema, loader findings included."""

from __future__ import annotations

import json

import jsonschema
import pytest

from kb_builder.checks.report import REPORT_SCHEMA
from kb_builder.cli import main

BROKEN_SOP = """\
title: Item arrived damaged
reviewed: 2026-10-01
steps:
  - id: ask
    do: "Ask: {market.nope}"
    templates: [missing-template]
"""


def kb_check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", "--content", "content", "--today", "2026-11-23", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_warnings_only_exit_0_and_strict_exit_1(make_project, capsys):
    make_project()
    code, out, err = kb_check(capsys)
    assert code == 0
    assert out.splitlines()[-1] == "0 errors, 2 warnings in 1 file (1 entry checked)"
    code, out, err = kb_check(capsys, "--strict")
    assert code == 1
    assert err == "error: kb check found 2 warning(s) and --strict is on\n"


def test_errors_exit_1_and_text_groups_by_file(make_project, capsys):
    make_project({"sops/damaged-item.yaml": BROKEN_SOP})
    code, out, err = kb_check(capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "content/faq/where-is-my-order.yaml: 0 errors, 2 warnings"
    assert lines[1].startswith("  content/faq/where-is-my-order.yaml:1:1: warning: faq:where-is-my-order has no de "
                               "translation (needed in DE) (add a 'de:' block")
    assert lines[1].endswith("[untranslated]")
    sop_header = lines.index("content/sops/damaged-item.yaml: 2 errors, 2 warnings")
    assert [line.rsplit(" ", 1)[-1] for line in lines[sop_header + 1:sop_header + 3]] == ["[untranslated]"] * 2
    assert lines[sop_header + 3] == (
        "  content/sops/damaged-item.yaml:5:9: error: sop:damaged-item uses {market.nope}, which is not defined "
        "for DE, JP (add nope: ... under vars: in markets/de.yaml, markets/jp.yaml) [undefined-market-variable]")
    assert lines[sop_header + 4].startswith("  content/sops/damaged-item.yaml:6:17: error: sop:damaged-item step "
                                            "'ask' templates names the template 'missing-template'")
    assert "Translation coverage (source language en):" in lines
    assert "  de         0 translated (0.0%), 0 stale (0.0%), 2 untranslated (100.0%)" in lines
    assert lines[-1] == "2 errors, 4 warnings in 2 files (2 entries checked)"
    assert err == "error: kb check found 2 error(s)\n"


def test_loader_findings_are_part_of_the_report(make_project, capsys):
    make_project({
        "faq/late.yaml": "category: nowhere\nmarkets: [XX]\nsource: {question: Late?, answer: Sorry.}\n"
                         "translations:\n  fr: {question: Tard?, answer: Désolé.}\n",
        "sops/a.yaml": "id: b\ntitle: A\nsteps: [{id: x, do: X}]\n",
    })
    code, out, err = kb_check(capsys, "--format", "json")
    assert code == 1
    found = {(f["code"], f["file"], f["line"], f["column"], f["entry"], f["lang"], f["market"])
             for f in json.loads(out)["findings"]}
    assert ("unknown-category", "content/faq/late.yaml", 1, 11, "faq:late", None, None) in found
    assert ("unknown-market", "content/faq/late.yaml", 2, 11, "faq:late", None, "XX") in found
    assert ("unknown-language", "content/faq/late.yaml", 5, 3, "faq:late", "fr", None) in found
    assert ("id-mismatch", "content/sops/a.yaml", 1, 5, "sop:b", None, None) in found


def test_duplicate_id(make_project, capsys):
    make_project({"faq/where-is-my-order.yml": "category: shipping\nsource: {question: Q?, answer: A.}\n"})
    code, out, err = kb_check(capsys, "--format", "json")
    assert code == 1
    dup = [f for f in json.loads(out)["findings"] if f["code"] == "duplicate-id"]
    assert [(f["file"], f["line"], f["entry"], f["severity"]) for f in dup] == [
        ("content/faq/where-is-my-order.yml", 1, "faq:where-is-my-order", "error")]


def test_json_output_matches_its_schema(make_project, capsys):
    make_project({"sops/damaged-item.yaml": BROKEN_SOP})
    code, out, err = kb_check(capsys, "--format", "json")
    doc = json.loads(out)
    jsonschema.Draft7Validator(REPORT_SCHEMA).validate(doc)
    assert doc["schema_version"] == 1 and doc["today"] == "2026-11-23" and doc["content"] == "content"
    assert doc["summary"] == {"errors": 2, "warnings": 4, "files": 2, "entries": 2}
    first = doc["findings"][0]
    assert first == {
        "severity": "warning", "code": "untranslated",
        "message": "faq:where-is-my-order has no de translation (needed in DE)", "hint": first["hint"],
        "file": "content/faq/where-is-my-order.yaml", "line": 1, "column": 1,
        "entry": "faq:where-is-my-order", "kind": "faq", "id": "where-is-my-order",
        "lang": "de", "market": "DE", "markets": ["DE"], "source_diff": None,
    }
    assert doc["coverage"]["languages"][0] == {"lang": "de", "translated": 0, "stale": 0, "untranslated": 2,
                                               "total": 2, "percent_translated": 0.0}
    assert [m["market"] for m in doc["coverage"]["markets"]] == ["DE", "JP"]


def test_github_annotations(make_project, capsys):
    make_project({"sops/damaged-item.yaml": BROKEN_SOP})
    code, out, err = kb_check(capsys, "--format", "github")
    lines = out.splitlines()
    assert lines[0].startswith("::warning file=content/faq/where-is-my-order.yaml,line=1,col=1,"
                               "title=untranslated faq%3Awhere-is-my-order::faq:where-is-my-order has no de "
                               "translation (needed in DE) (")
    assert lines[4] == (
        "::error file=content/sops/damaged-item.yaml,line=5,col=9,title=undefined-market-variable sop%3Adamaged-item"
        "::sop:damaged-item uses {market.nope}, which is not defined for DE, JP (add nope: ... under vars: in "
        "markets/de.yaml, markets/jp.yaml)")
    assert lines[-1] == "2 errors, 4 warnings in 2 files (2 entries checked)"


def test_github_escapes_newlines_and_percent():
    from kb_builder.checks.report import annotation
    from kb_builder.errors import Mark, Problem

    p = Problem("error", "yaml-syntax", "100% broken\nhere", "", Mark("a,b:c.yaml", 2, 3))
    assert annotation(p) == "::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=yaml-syntax::100%25 broken%0Ahere"


def test_broken_kb_yaml_prints_loader_problems_and_exits_1(make_project, capsys):
    make_project({"kb.yaml": "name: [unclosed\n"})
    code, out, err = kb_check(capsys)
    assert code == 1
    assert out.startswith("content/kb.yaml: 1 error, 0 warnings\n  content/kb.yaml:1:7: error: ")
    assert out.splitlines()[-1] == "1 error, 0 warnings in 1 file (0 entries checked)"


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "Invalid value for '--format'"),
    (["--today", "2026-13-01"], "--today '2026-13-01' is not a date"),
    (["--content", "nowhere"], "content folder 'nowhere' does not exist"),
])
def test_bad_usage_exits_2(make_project, capsys, args, message):
    make_project()
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert code == 2
    assert message in err
