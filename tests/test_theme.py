"""Theme layers: the package's own Material overrides, and a content project's site_overrides/ over them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_builder import theme
from kb_builder.cli import main
from kb_builder.sites.engine import MkDocsSite, _signature

MINI = Path(__file__).resolve().parent / "projects" / "mini"
SHIPPED_CSS = (theme.SHIPPED / "assets" / "kb.css").read_bytes()
PROJECT_CSS = b"/* the project's own colours */\n:root { --md-primary-fg-color: #7b1fa2; }\n"


@pytest.fixture
def project(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    layer = content / theme.PROJECT_FOLDER
    (layer / "assets").mkdir(parents=True)
    (layer / "assets" / "kb.css").write_bytes(PROJECT_CSS)
    (layer / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    return content


def test_project_layer_wins_over_the_shipped_one_on_every_site(project, tmp_path):
    out = tmp_path / "out"
    assert main(["build", "--content", str(project), "--out", str(out), "--today", "2026-11-23", "-q"]) == 0
    sites = [out / "internal", out / "public" / "de" / "de", out / "public" / "jp" / "ja"]
    for site in sites:
        assert (site / "assets" / "kb.css").read_bytes() == PROJECT_CSS, site
        assert (site / "assets" / "logo.svg").is_file(), site
        # what the project does not override falls through to the shipped layer
        assert (site / "assets" / "kb.js").read_bytes() == (theme.SHIPPED / "assets" / "kb.js").read_bytes()
    page = (out / "public" / "de" / "de" / "index.html").read_text(encoding="utf-8")
    assert "assets/kb.css" in page


def test_without_a_project_layer_the_shipped_files_are_used(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--out", str(out), "--audience", "internal",
                 "--today", "2026-11-23", "-q"]) == 0
    assert (out / "internal" / "assets" / "kb.css").read_bytes() == SHIPPED_CSS
    assert theme.project_dir(content) is None


def test_a_changed_theme_file_makes_every_page_stale(project):
    plan = MkDocsSite(name="T", language="en", pages={"index.md": "# Home\n"}, nav=[{"Home": "index.md"}],
                    theme_overrides=str(theme.project_dir(project)))
    before = _signature(plan)
    assert _signature(plan) == before
    (project / theme.PROJECT_FOLDER / "assets" / "kb.css").write_bytes(PROJECT_CSS + b"a { color: red; }\n")
    assert _signature(plan) != before
    plan.theme_overrides = None
    assert _signature(plan) != before


def test_a_symbolic_link_in_the_project_layer_is_refused(project, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for customers", encoding="utf-8")
    (project / theme.PROJECT_FOLDER / "assets" / "leak.txt").symlink_to(secret)
    assert main(["build", "--content", str(project), "--out", str(tmp_path / "out"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "leak.txt is a symbolic link" in err and "Traceback" not in err


def test_missing_shipped_theme_is_a_broken_installation(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    monkeypatch.setattr(theme, "SHIPPED", tmp_path / "nowhere")
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "out"), "-q"]) == 3
    err = capsys.readouterr().err
    assert "theme files are missing" in err and "reinstall kb-builder" in err
    assert not (tmp_path / "out" / "internal").exists()
