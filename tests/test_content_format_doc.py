"""docs/content-format.md documents every key of every content schema and every finding code.

A key counts as documented when its path is the first cell of a row in the key table of its file
kind's section; a finding code when it is the first cell of a row under "Finding codes".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb_builder.checks.codes import CHECK_CODES, LOADER_CODES
from kb_builder.loading.schemas import SCHEMAS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "content-format.md").read_text(encoding="utf-8")

# The heading of each file kind's section (the text after "## ").
SECTIONS = {
    "kb": "kb.yaml",
    "market": "Markets (",
    "sop": "SOPs (",
    "faq": "FAQ entries (",
    "template": "Reply templates (",
    "path": "Learning paths (",
    "synonyms": "Search synonyms (",
}
ANY = "<>"  # a key the author chooses: `<lang>`, `<id>`, ... in the doc


def schema_paths(schema: dict, prefix: str = "") -> set[str]:
    """Every key path of a schema: `a.b` for nesting, `a[]` for list items, `a.<>` for chosen keys."""
    paths: set[str] = set()
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        paths.add(path)
        paths |= schema_paths(sub, path)
    value = schema.get("additionalProperties")
    if isinstance(value, dict):
        if "properties" not in value and not isinstance(value.get("additionalProperties"), dict):
            paths.add(f"{prefix}.{ANY}")  # a map of values: `vars.<name>`
        paths |= schema_paths(value, f"{prefix}.{ANY}")
    if isinstance(schema.get("items"), dict):
        paths |= schema_paths(schema["items"], f"{prefix}[]")
    for option in schema.get("anyOf", []):
        paths |= schema_paths(option, prefix)
    return paths


def section(heading: str) -> str:
    parts = re.split(r"^## ", DOC, flags=re.M)
    found = [p for p in parts if p.startswith(heading)]
    assert len(found) == 1, f"docs/content-format.md needs exactly one section '## {heading}...'"
    return found[0]


def table_keys(text: str) -> set[str]:
    """First-column `code` cells of the tables in text, with `<anything>` written as ANY."""
    return {re.sub(r"<[^>]+>", ANY, key) for key in re.findall(r"^\| `([^`]+)` \|", text, re.M)}


def test_schema_paths_see_nested_keys():
    paths = schema_paths(SCHEMAS["sop"])
    assert {"steps[].branches[].next", "translations.<>.steps.<>.branches[].then",
            "translations.<>.authority[].may", "translations.<>.from"} <= paths
    assert {"categories.<>.<>", "labels.<>.<>"} <= schema_paths(SCHEMAS["kb"])


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_schema_key_has_a_row_in_its_section(kind):
    assert kind in SECTIONS, f"add a section for the file kind '{kind}' and name it in SECTIONS"
    documented = table_keys(section(SECTIONS[kind]))
    missing = sorted(schema_paths(SCHEMAS[kind]) - documented)
    assert not missing, f"document these {kind} keys in docs/content-format.md: {missing}"


def test_no_row_documents_a_key_the_schema_does_not_have():
    for kind, heading in SECTIONS.items():
        extra = sorted(table_keys(section(heading)) - schema_paths(SCHEMAS[kind]))
        assert not extra, f"{kind}: rows for keys the schema does not know: {extra}"


def test_every_finding_code_is_documented_with_its_severity():
    text = section("Finding codes")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", text, re.M)
    loader, checker = text.split("### From `kb check`")
    for codes, part in ((LOADER_CODES, loader), (CHECK_CODES, checker)):
        found = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning) \|", part, re.M))
        assert found == {c.name: c.severity for c in codes.values()}
    assert len(rows) == len(LOADER_CODES) + len(CHECK_CODES)
