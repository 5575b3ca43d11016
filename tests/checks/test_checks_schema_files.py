"""`kb schema`, the bundled schemas/ folder, the editor comment in content files, the pre-commit hook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from kb_builder.cli import main
from kb_builder.errors import ProblemList
from kb_builder.loading.yamlfile import read_yaml
from kb_builder.schema_files import schema_files

REPO = Path(__file__).resolve().parents[2]
COMMENT = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
KINDS = {"markets": "market", "sops": "sop", "faq": "faq", "templates": "template", "paths": "path", "synonyms": "synonyms"}


def test_kb_schema_writes_every_kind(make_project, capsys, tmp_path):
    make_project()
    assert main(["schema"]) == 0
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == ["check-report.schema.json", "faq.schema.json", "kb.schema.json", "market.schema.json",
                     "path.schema.json", "sop.schema.json", "synonyms.schema.json", "template.schema.json"]
    doc = json.loads((tmp_path / "schemas/faq.schema.json").read_text(encoding="utf-8"))
    assert doc["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(doc)
    assert main(["schema", "--check"]) == 0
    (tmp_path / "schemas/faq.schema.json").write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert main(["schema", "--check"]) == 1
    assert "outdated: schemas/faq.schema.json" in capsys.readouterr().out


def test_repository_schemas_are_current(capsys):
    assert main(["schema", "--check", "--out", str(REPO / "schemas")]) == 0


def test_bundled_content_points_editors_at_the_schemas():
    """Every bundled content file names its kind's schema by a path that exists, and validates against it."""
    checked = 0
    for file in sorted((REPO / "content").rglob("*.yaml")):
        kind = "kb" if file.name == "kb.yaml" and file.parent.name == "content" else KINDS[file.parent.name]
        first = file.read_text(encoding="utf-8").split("\n", 1)[0]
        m = COMMENT.match(first)
        assert m, f"{file} lacks the yaml-language-server comment"
        schema_path = (file.parent / m.group(1)).resolve()
        assert schema_path == (REPO / "schemas" / f"{kind}.schema.json").resolve(), file
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        doc = read_yaml(file, str(file), ProblemList())
        jsonschema.Draft7Validator(schema).validate(doc.plain())
        checked += 1
    assert checked >= 1


def test_schema_texts_are_deterministic():
    assert [f.text for f in schema_files()] == [f.text for f in schema_files()]


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert by_id["kb-check"]["entry"] == "kb check"
    assert by_id["kb-check"]["language"] == "python" and by_id["kb-check"]["pass_filenames"] is False
