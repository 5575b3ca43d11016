"""The registry, the code table and docs/checks.md agree with each other and with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kb_builder.checks import FAMILIES, REGISTRY
from kb_builder.checks.codes import CHECK_CODES, LOADER_CODES
from kb_builder.checks.report import REPORT_SCHEMA

REPO = Path(__file__).resolve().parents[2]
DOC = (REPO / "docs/checks.md").read_text(encoding="utf-8")
TESTS = Path(__file__).parent


def test_every_family_is_a_module_with_checks():
    families = {c.family for c in REGISTRY}
    assert families == {m.__name__.rsplit(".", 1)[1] for m in FAMILIES}
    assert {c.family for c in CHECK_CODES.values()} <= families


def test_every_check_code_is_used_by_its_family_and_tested():
    for code in CHECK_CODES.values():
        source = (REPO / "kb_builder/checks" / f"{code.family}.py").read_text(encoding="utf-8")
        assert f'"{code.name}"' in source, code.name
        tested = any(f'"{code.name}"' in p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py")
                     if p.name != Path(__file__).name)
        assert tested, f"no test asserts {code.name}"


def test_loader_codes_are_all_listed():
    used = set()
    for path in (REPO / "kb_builder/loading").glob("*.py"):
        used |= set(re.findall(r'\.(?:error|warning)\(\s*"([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert used == set(LOADER_CODES)


def test_docs_table_lists_every_code_with_its_severity():
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", DOC, re.M))
    for code in [*CHECK_CODES.values(), *LOADER_CODES.values()]:
        assert rows.get(code.name) == code.severity, code.name


def test_docs_show_the_json_schema():
    block = DOC.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(block) == REPORT_SCHEMA
