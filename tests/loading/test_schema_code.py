"""The validator modules generated ahead of time (loading/schema_code) are current, are what the
loader uses, and a stale one is never used: the schema is compiled instead."""

from __future__ import annotations

import importlib
from pathlib import Path

import fastjsonschema
import pytest

from kb_builder.loading import schema_code, validate
from kb_builder.loading.schema_code import compiled, generated_source, schema_digest, write_all
from kb_builder.loading.schemas import SCHEMAS


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_generated_module_is_current(kind):
    path = schema_code.HERE / f"{kind}.py"
    assert path.is_file(), f"run python -m kb_builder.loading.schema_code ({path} is missing)"
    text = path.read_text(encoding="utf-8")
    assert f'SCHEMA_DIGEST = "{schema_digest(SCHEMAS[kind])}"' in text, \
        "schemas.py changed: run python -m kb_builder.loading.schema_code"
    if f'VERSION = "{fastjsonschema.VERSION}"' in text:  # the same generator: the very same text
        assert text == generated_source(kind)
    assert compiled(kind) is not None


def test_the_loader_validates_with_the_generated_code():
    validate._fast.cache_clear()
    try:
        for kind in SCHEMAS:
            fn = validate._fast(kind)
            assert fn.__module__ == f"kb_builder.loading.schema_code.{kind}", kind
    finally:
        validate._fast.cache_clear()


def test_a_stale_module_is_not_used(monkeypatch):
    module = importlib.import_module("kb_builder.loading.schema_code.faq")
    monkeypatch.setattr(module, "SCHEMA_DIGEST", "0" * 32)
    assert compiled("faq") is None
    validate._fast.cache_clear()
    try:
        fn = validate._fast("faq")  # compiled from the schema, not the stale module
        assert fn.__module__ != module.__name__
        assert validate.passes("faq", {"category": "shipping", "source": {"question": "Q?", "answer": "A."}})
        assert not validate.passes("faq", {"category": "shipping", "source": {"question": "", "answer": "A."}})
    finally:
        validate._fast.cache_clear()


def test_a_missing_module_is_compiled_instead(monkeypatch):
    monkeypatch.setattr(schema_code, "__name__", "kb_builder.loading.no_such_package")
    assert compiled("faq") is None


def test_the_digest_sees_any_change_of_a_schema():
    faq = SCHEMAS["faq"]
    changed = {**faq, "required": [*faq.get("required", []), "extra"]}
    assert schema_digest(changed) != schema_digest(faq)
    assert schema_digest(dict(reversed(list(faq.items())))) == schema_digest(faq)  # key order does not count


def test_write_all_writes_what_is_missing_or_differs(tmp_path: Path):
    written = write_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{kind}.py" for kind in SCHEMAS)
    assert write_all(tmp_path) == []
    (tmp_path / "faq.py").write_text("stale", encoding="utf-8")
    assert write_all(tmp_path) == [tmp_path / "faq.py"]
    assert (tmp_path / "faq.py").read_text(encoding="utf-8") == generated_source("faq")
