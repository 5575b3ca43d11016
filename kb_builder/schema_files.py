"""`kb schema`: the JSON Schemas of the content files (and of `kb check --format json`) as files.

Content files point editors at them with a first line such as
`# yaml-language-server: $schema=../../schemas/faq.schema.json`, so the schemas live in a
`schemas/` folder next to the content folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kb_builder.checks.report import REPORT_SCHEMA
from kb_builder.loading.schemas import SCHEMAS, document

REPORT_SCHEMA_NAME = "check-report"
# Editors' YAML support (yaml-language-server, used by VS Code and others) implements draft-07; the
# schemas use only keywords that mean the same in draft-07 and 2020-12, so they are labelled draft-07.
EDITOR_DRAFT = "http://json-schema.org/draft-07/schema#"


@dataclass(frozen=True)
class SchemaFile:
    """One schema file: its name and its exact text."""

    name: str
    text: str


def schema_files() -> list[SchemaFile]:
    """Every schema file: one per content file kind, and the check report's."""
    docs = {kind: {**document(kind), "$schema": EDITOR_DRAFT} for kind in SCHEMAS}
    docs[REPORT_SCHEMA_NAME] = REPORT_SCHEMA
    return [SchemaFile(f"{name}.schema.json", json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
            for name, doc in docs.items()]


def default_folder(content: Path) -> Path:
    """`schemas/` beside the content folder, where `../../schemas/<kind>.schema.json` finds it."""
    return Path(content).parent / "schemas"


def write_schemas(folder: Path) -> list[Path]:
    """Write the schema files that are missing or differ; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for f in schema_files():
        path = folder / f.name
        if not path.is_file() or path.read_text(encoding="utf-8") != f.text:
            path.write_text(f.text, encoding="utf-8")
            written.append(path)
    return written


def outdated_schemas(folder: Path) -> list[Path]:
    """Schema files that are missing or differ from what `kb schema` would write."""
    return [folder / f.name for f in schema_files()
            if not (folder / f.name).is_file() or (folder / f.name).read_text(encoding="utf-8") != f.text]
