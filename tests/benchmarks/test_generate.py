"""The benchmark content generator: deterministic, valid for the loader, realistic where it matters.

No timing assertions here: speed is what benchmarks/run.py measures.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import generate as gen  # noqa: E402
from kb_builder.loading.loader import load  # noqa: E402
from kb_builder.model import Sop  # noqa: E402

MARKET_VAR = re.compile(r"\{market\.([A-Za-z0-9_]+)\}")
TICKET = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small") / "content"
    gen.generate("small", out)
    return out


@pytest.fixture(scope="module")
def loaded(small):
    return load(small)


@pytest.fixture(scope="module")
def manifest(small) -> dict:
    return json.loads((small / gen.MANIFEST).read_text(encoding="utf-8"))


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_preset_gives_byte_identical_files(small, tmp_path):
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--preset", "small", "--out", str(again),
                    "--quiet"], check=True)
    first, second = tree(small), tree(again)
    assert list(first) == list(second)
    assert first == second


def test_another_seed_gives_other_text(small, tmp_path):
    gen.generate("small", tmp_path / "other", seed=2)
    assert tree(small) != tree(tmp_path / "other")


def test_writes_the_content_layout(small, manifest):
    for part in ("kb.yaml", "markets", "sops", "faq", "templates", "paths"):
        assert (small / part).exists(), part
    preset = gen.PRESETS["small"]
    assert len(list((small / "sops").glob("*.yaml"))) == preset.sops
    assert len(list((small / "faq").glob("*.yaml"))) == preset.faqs
    assert len(list((small / "templates").glob("*.yaml"))) == preset.templates
    assert sorted(p.stem.upper() for p in (small / "markets").glob("*.yaml")) == sorted(preset.markets)
    assert manifest["preset"] == "small" and manifest["generator_version"] == gen.GENERATOR_VERSION


def test_loads_without_errors(loaded):
    errors = [p.format() for p in loaded.problems if p.severity == "error"]
    assert errors == []
    assert loaded.catalog is not None


def test_catalog_matches_the_manifest(loaded, manifest):
    cat = loaded.catalog
    preset = gen.PRESETS["small"]
    assert (len(cat.sops), len(cat.faqs), len(cat.templates), len(cat.paths)) == \
        (preset.sops, preset.faqs, preset.templates, preset.paths)
    present = sum(len(e.translations) for e in cat.entries())
    stale = sum(e.is_stale(lang) for e in cat.entries() for lang in e.translations)
    assert present == manifest["translations"]["present"]
    assert stale == manifest["translations"]["stale"]
    assert 0 < stale < present


def test_translation_coverage_is_about_ninety_percent(manifest):
    tr = manifest["translations"]
    assert tr["needed"] == tr["present"] + tr["untranslated"]
    assert 0.8 < tr["coverage"] < 0.97
    assert 0 < tr["stale"] / tr["present"] < 0.12


def test_some_reviews_are_overdue(loaded, manifest):
    today = gen.TODAY
    days = loaded.catalog.settings.review_every_days
    import datetime as dt
    overdue = [e for e in loaded.catalog.entries()
               if e.reviewed and e.reviewed + dt.timedelta(days=e.review_every_days or days) < today]
    assert len(overdue) == manifest["overdue"]["entries"] > 0


def test_text_is_in_each_language_script(loaded):
    cat = loaded.catalog
    texts: dict[str, str] = {}
    for e in cat.entries():
        for lang, tr in e.translations.items():
            texts[lang] = texts.get(lang, "") + " ".join(tr.fields.values())
    assert re.search(r"[\u4e00-\u9fff]", texts["zh-CN"])
    assert re.search(r"[\u3040-\u30ff]", texts["ja"])
    assert re.search(r"[\u0600-\u06ff]", texts["ar"])
    assert re.search(r"[äöüß]", texts["de"])


def test_market_variables_are_defined_wherever_they_are_used(loaded):
    cat = loaded.catalog
    used = 0
    for e in cat.entries():
        for path, text in e.source.items():
            scope = e.markets
            if isinstance(e, Sop) and path.startswith("steps."):
                step = e.step(path.split(".")[1])
                if not step.markets.all:
                    scope = step.markets
            for market in cat.markets_of(scope):
                if not e.markets.includes(market.code):
                    continue
                for name in MARKET_VAR.findall(text):
                    used += 1
                    assert name in market.variables(), f"{e.ref} {path}: {name} undefined in {market.code}"
    assert used > 0


def test_translations_keep_variables_and_placeholders(loaded):
    for e in loaded.catalog.entries():
        for lang, tr in e.translations.items():
            for path, text in tr.fields.items():
                assert sorted(TICKET.findall(text)) == sorted(TICKET.findall(e.source[path])), (e.ref, lang, path)
                assert sorted(MARKET_VAR.findall(text)) == sorted(MARKET_VAR.findall(e.source[path])), (e.ref, lang, path)


def test_template_placeholders_are_declared(loaded):
    for t in loaded.catalog.templates.values():
        used = {name for text in t.source.values() for name in TICKET.findall(text)}
        assert used == set(t.placeholders) and "customer_name" in used or t.channel == "sms", t.ref


def test_references_resolve(loaded):
    cat = loaded.catalog
    for sop in cat.sops.values():
        ids = [s.id for s in sop.steps]
        for pos, step in enumerate(sop.steps):
            assert all(t in cat.templates for t in step.templates)
            assert all(f in cat.faqs for f in step.faq)
            for b in step.branches:
                assert b.next is None or ids.index(b.next) > pos  # forward only: no cycles
            if step.branches:
                assert step.branches[-1].next is None  # "otherwise" falls through to the next step
        assert all(r in cat.sops for r in sop.related)
        assert all(f in cat.faqs for f in sop.faq)
    for t in cat.templates.values():
        assert t.scenario is None or t.scenario in cat.sops
    for p in cat.paths.values():
        for m in p.modules:
            assert all(cat.lookup(r) is not None for r in m.read)
            assert all(0 <= q.answer < len(q.choices) for q in m.quiz)


def test_every_file_is_plain_safe_yaml(small):
    for path in small.rglob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path


@pytest.mark.parametrize("value", [
    "NO", "yes", "on", "1.5", "30", "7-12", "{market.x} days", "a: b", "x #y", "#x", "- item", "Ünïcode ok",
    "配送について", "«{p}»", "'quoted'", 'say "hi"', "trailing:", "back\\slash", "tab\there", "[1, 2]",
])
def test_scalars_read_back_as_the_same_text(value):
    assert yaml.safe_load("k: " + gen.scalar(value)) == {"k": value}
    assert yaml.safe_load("k: [" + gen.scalar(value, flow=True) + "]") == {"k": [value]}


def test_dump_round_trips_nested_documents():
    doc = {"title": "Where is my order?", "steps": [{"id": "a", "do": "line 1\n\nline 2\n", "branches": [
        {"if": "x: y", "then": "z"}]}], "tags": gen.Flow(["NO", "a,b"]), "reviewed": gen.Date("2026-01-02"),
        "translations": {"de": {"steps": {"a": "Zeile\n"}}}, "empty": {}}
    back = yaml.safe_load(gen.dump(doc))
    back["reviewed"] = str(back["reviewed"])
    assert back == {**doc, "tags": ["NO", "a,b"]}


def test_refuses_to_overwrite_a_foreign_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit):
        gen.generate("small", tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_edit_targets_exist(small, manifest):
    targets = manifest["edit_targets"]
    assert (small / "faq" / f"{targets['faq']}.yaml").exists()
    assert (small / "sops" / f"{targets['sop']}.yaml").exists()
