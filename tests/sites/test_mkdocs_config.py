"""`mkdocs build` on the repository's mkdocs.yml builds exactly the internal site of `kb build`, and
an output written by another configuration is never trusted by the next incremental `kb build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb_builder.cli import main
from kb_builder.sites.incremental import STATE_FILE

from .test_build import MINI, REPO, tree_digest

TODAY = "2026-11-23"


def _mkdocs(project: Path, config: str = "mkdocs.yml") -> None:
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config], cwd=project,
                         capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr


@pytest.fixture
def project(tmp_path) -> Path:
    """The mini content beside the repository's mkdocs.yml and a docs/ folder of developer notes."""
    shutil.copytree(MINI, tmp_path / "content")
    cfg = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(cfg.replace("content: content", f"content: content\n      today: '{TODAY}'"),
                                         encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "checks.md").write_text("# Developer notes ZQX-DEVNOTE-1234\n", encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Repository docs ZQX-DEVNOTE-1234\n", encoding="utf-8")
    return tmp_path


def test_mkdocs_build_is_the_internal_site_of_kb_build_byte_for_byte(project, tmp_path, monkeypatch):
    _mkdocs(project)
    by_mkdocs = project / "site" / "internal"
    monkeypatch.chdir(project)  # the health page names files as seen from the working folder
    assert main(["build", "--content", "content", "--out", str(tmp_path / "kb"), "--audience",
                 "internal", "--today", TODAY, "--clean", "-q"]) == 0
    by_kb = {k: v for k, v in tree_digest(tmp_path / "kb" / "internal").items() if k != STATE_FILE}
    assert tree_digest(by_mkdocs) == by_kb
    # the same site name, and no developer note in the pages or in the search index
    assert "<title>Mini Support</title>" in (by_mkdocs / "index.html").read_text(encoding="utf-8")
    assert not (by_mkdocs / "checks").exists()
    assert all("ZQX-DEVNOTE" not in p.read_text(encoding="utf-8", errors="replace")
               for p in by_mkdocs.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml"))


def test_mkdocs_build_then_kb_build_equals_kb_build_clean(project, tmp_path, monkeypatch):
    monkeypatch.chdir(project)
    content, out = Path("content"), project / "site"
    assert main(["build", "--content", str(content), "--out", str(out), "--today", TODAY, "-q"]) == 0
    assert (out / "internal" / STATE_FILE).is_file()
    # another configuration over the same output folder: its pages differ from kb build's
    other = (project / "mkdocs.yml").read_text(encoding="utf-8") + "extra_css: [developer.css]\n"
    (project / "mkdocs-dev.yml").write_text(other, encoding="utf-8")
    _mkdocs(project, "mkdocs-dev.yml")
    assert "developer.css" in (out / "internal" / "index.html").read_text(encoding="utf-8")
    assert not (out / "internal" / STATE_FILE).exists()  # nothing for kb build to trust
    assert main(["build", "--content", str(content), "--out", str(out), "--today", TODAY, "-q"]) == 0
    clean = tmp_path / "clean"
    assert main(["build", "--content", str(content), "--out", str(clean), "--today", TODAY, "--clean", "-q"]) == 0
    digest = lambda root: {k: v for k, v in tree_digest(root).items()  # the inputs record names its folder
                           if not k.startswith("search/") and k != ".kb-inputs"}
    assert digest(out) == digest(clean)
    assert "developer.css" not in (out / "internal" / "index.html").read_text(encoding="utf-8")
