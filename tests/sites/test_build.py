"""Real builds of the mini fixture project through MkDocs + Material."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb_builder.cli import main

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"
REPO = Path(__file__).resolve().parents[2]


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("mini")
    content = root / "content"
    shutil.copytree(MINI, content)
    out = root / "out"
    assert main(["build", "--content", str(content), "--out", str(out), "--audience", "internal",
                 "--today", "2026-11-23", "-q"]) == 0
    return root, content, out


def test_internal_pages_are_built(built):
    _, _, out = built
    site = out / "internal"
    sop = (site / "sops/damaged-item/index.html").read_text(encoding="utf-8")
    assert '<svg class="kb-flow"' in sop and 'class="tabbed-set tabbed-alternate"' in sop
    assert "Item arrived damaged" in sop
    faq = (site / "faq/shipping/index.html").read_text(encoding="utf-8")
    assert 'id="faq-where-is-my-order"' in faq and "Check the carrier portal" in faq
    for page in ("index.html", "markets/de/index.html", "markets/jp/index.html", "templates/apology-damaged/index.html",
                 "paths/new-agent/index.html", "health/index.html", "changes/index.html"):
        assert (site / page).is_file(), page


def test_search_is_configured_for_every_language_offline(built):
    _, _, out = built
    import json

    index = json.loads((out / "internal/search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en", "de", "ja"]
    assert any("Wo ist meine Bestellung" in d["text"] or "Wo ist meine Bestellung" in d["title"] for d in index["docs"])
    for page in (out / "internal").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net"):
            assert host not in html, f"{page} loads from {host}"


def test_same_content_gives_same_bytes(built, tmp_path):
    _, content, out = built
    again = tmp_path / "again"
    assert main(["build", "--content", str(content), "--out", str(again), "--audience", "internal",
                 "--today", "2026-11-23", "-q"]) == 0
    assert tree_digest(again / "internal") == tree_digest(out / "internal")


def test_failed_build_leaves_previous_output_untouched(built, capsys):
    root, content, out = built
    before = tree_digest(out)
    broken = root / "broken"
    shutil.copytree(content, broken)
    (broken / "faq/where-is-my-order.yaml").write_text("category: shipping\nsource:\n\tquestion: Q\n", encoding="utf-8")
    assert main(["build", "--content", str(broken), "--out", str(out), "-q"]) == 1
    assert "broken/faq/where-is-my-order.yaml:3:1: error: a tab character" in capsys.readouterr().err
    assert tree_digest(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_mkdocs_build_with_the_plugin(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    (tmp_path / "docs").mkdir()
    cfg = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("site_name: Kestrel Home Support KB",
                                                                     "site_name: Mini")
    (tmp_path / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, capture_output=True,
                         text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "site/internal/sops/damaged-item/index.html").read_text(encoding="utf-8")
    assert "Item arrived damaged" in page and '<svg class="kb-flow"' in page
    # the shipped theme layer comes from the package: mkdocs.yml names no custom_dir
    assert (tmp_path / "site/internal/assets/kb.css").read_bytes() == (REPO / "kb_builder/theme/overrides/assets/kb.css").read_bytes()


def test_mkdocs_build_reports_content_errors(tmp_path):
    shutil.copytree(MINI, tmp_path / "content")
    (tmp_path / "content/faq/bad.yaml").write_text("category: nope\nsource: {question: Q, answer: A}\n",
                                                   encoding="utf-8")
    (tmp_path / "docs").mkdir()
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, capture_output=True,
                         text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 1
    assert "faq/bad.yaml:1:11: error: unknown category 'nope'" in run.stderr


def test_relative_out_folder_is_relative_to_the_working_folder(tmp_path, monkeypatch):
    """`kb build --out site` from a shell: MkDocs must not resolve it against its scratch config."""
    shutil.copytree(MINI, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--content", "content", "--out", "site", "--audience", "internal",
                 "--today", "2026-11-23", "-q"]) == 0
    assert (tmp_path / "site/internal/sops/damaged-item/index.html").is_file()
    assert not [p for p in (tmp_path / "site").iterdir() if p.name.startswith(".staging")]
