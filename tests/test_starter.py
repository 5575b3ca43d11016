"""`kb init`: a new project that checks, builds and searches cleanly as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kb_builder.cli import main
from kb_builder.loading.loader import load

REPO = Path(__file__).resolve().parents[1]
FILES = [".github/workflows/kb.yml", ".gitignore", ".pre-commit-config.yaml", "README.md",
         "content/faq/refund-how-long.yaml", "content/kb.yaml", "content/markets/us.yaml",
         "content/paths/new-agent.yaml", "content/sops/refund-request.yaml",
         "content/templates/refund-confirmation.yaml",
         *(f"schemas/{k}.schema.json" for k in ("check-report", "faq", "kb", "market", "path", "sop", "synonyms", "template"))]


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and ".kb-cache" not in p.parts)


def test_init_with_defaults_then_check_build_search_are_clean(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["init", "demo"]) == 0
    assert _files(tmp_path / "demo") == sorted(FILES)
    assert capsys.readouterr().out == "created 18 files in demo\nnext: cd demo && kb check && kb build && kb serve\n"
    monkeypatch.chdir(tmp_path / "demo")
    assert main(["check"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("0 errors, 0 warnings (4 entries checked)")
    assert main(["build", "-q"]) == 0
    assert (tmp_path / "demo/site/public/us/en/returns/index.html").is_file()
    assert (tmp_path / "demo/site/internal/sops/refund-request/index.html").is_file()
    capsys.readouterr()
    assert main(["search", "refund", "--json"]) == 0
    hits = [(h["kind"], h["id"]) for h in json.loads(capsys.readouterr().out)["hits"]]
    assert sorted(hits) == [("faq", "refund-how-long"), ("sop", "refund-request"), ("template", "refund-confirmation")]


def test_entries_reference_each_other(tmp_path):
    assert main(["init", str(tmp_path / "kb")]) == 0
    catalog = load(tmp_path / "kb" / "content").catalog
    sop = catalog.sops["refund-request"]
    assert sop.steps[0].faq == ["refund-how-long"] and sop.steps[1].templates == ["refund-confirmation"]
    assert catalog.templates["refund-confirmation"].scenario == "refund-request"
    assert "(sop:refund-request)" in catalog.faqs["refund-how-long"].internal_note
    assert catalog.paths["new-agent"].modules[0].read == [
        "sop:refund-request", "faq:refund-how-long", "template:refund-confirmation"]


def test_languages_and_markets_are_real_and_translations_current(tmp_path, capsys):
    root = tmp_path / "multi"
    assert main(["init", str(root), "--languages", "en,de,ja,zh-CN,ar", "--markets", "DE,us,JP,AE,CH,SG"]) == 0
    content = root / "content"
    catalog = load(content).catalog
    assert catalog.settings.languages == ["en", "de", "ja", "zh-CN", "ar"]
    for cat in catalog.settings.categories.values():
        assert sorted(cat.names) == sorted(catalog.settings.languages)
    assert catalog.settings.categories["returns"].names["de"] == "Rückgabe & Erstattung"
    facts = {code: (m.name, m.currency, m.timezone, m.languages) for code, m in catalog.markets.items()}
    assert facts == {
        "DE": ("Germany", "EUR", "Europe/Berlin", ["de"]),
        "US": ("United States", "USD", "America/New_York", ["en"]),
        "JP": ("Japan", "JPY", "Asia/Tokyo", ["ja"]),
        "AE": ("United Arab Emirates", "AED", "Asia/Dubai", ["ar"]),
        "CH": ("Switzerland", "CHF", "Europe/Zurich", ["de"]),
        "SG": ("Singapore", "SGD", "Asia/Singapore", ["en", "zh-CN"]),
    }
    assert catalog.markets["JP"].vars["refund_limit"] == "7000 JPY"
    assert [c.first_response_hours for c in catalog.markets["DE"].channels] == [24, 0.1]
    capsys.readouterr()
    assert main(["check", "--content", str(content), "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [f for f in findings if f["severity"] == "error"] == []
    # the customer-facing texts come translated and current; only the internal SOP waits for translators
    assert {(f["code"], f["entry"]) for f in findings} == {("untranslated", "sop:refund-request")}


def test_init_refuses_a_folder_that_is_not_empty_unless_forced(tmp_path, capsys):
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert "is not empty; choose a new folder, or pass --force" in capsys.readouterr().err
    assert not (tmp_path / "content").exists()
    assert main(["init", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "content/kb.yaml").is_file()


@pytest.mark.parametrize("args, message", [
    (["--markets", "DE,XX"], "'XX' is not a country code kb init knows"),
    (["--markets", "Germany"], "'GERMANY' is not a two-letter country code"),
    (["--languages", "en,German"], "'German' is not a language code"),
    (["--source-language", "EN"], "--source-language 'EN' is not a language code"),
])
def test_bad_options_are_usage_errors(tmp_path, capsys, args, message):
    assert main(["init", str(tmp_path / "x"), *args]) == 2
    assert message in capsys.readouterr().err


def test_source_language_is_added_to_languages(tmp_path):
    assert main(["init", str(tmp_path / "x"), "--source-language", "de", "--languages", "fr",
                 "--markets", "FR"]) == 0
    catalog = load(tmp_path / "x" / "content").catalog
    assert catalog.settings.languages == ["de", "fr"]
    assert catalog.faqs["refund-how-long"].source["question"] == "Wann bekomme ich mein Geld zurück?"


def test_pre_commit_and_workflow_use_the_projects_hook_and_commands(tmp_path):
    assert main(["init", str(tmp_path / "x")]) == 0
    hooks = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    config = yaml.safe_load((tmp_path / "x/.pre-commit-config.yaml").read_text(encoding="utf-8"))
    used = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert used == {"kb-check", "kb-schema"} <= hooks
    steps = yaml.safe_load((tmp_path / "x/.github/workflows/kb.yml").read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    runs = [s.get("run") for s in steps if "run" in s]
    assert runs[1:] == ["kb check --format github", "kb build"]
    upload = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"] == "site/"
    ignored = (tmp_path / "x/.gitignore").read_text(encoding="utf-8").split()
    assert {"/site/", ".kb-cache/"} <= set(ignored)
