"""The theme folders' file listing is made once per process and used by MkDocs's own listing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

from kb_builder.sites import engine
from kb_builder.sites.engine import MkDocsSite, build_site


def _plan() -> MkDocsSite:
    return MkDocsSite(name="Listing <test>", language="en", nav=[{"Home": "index.md"}, {"Page": "page.md"}],
                      pages={"index.md": "# Home\n\nHello.\n", "page.md": "# Page\n\nText.\n"})


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_theme_listing_is_made_once_and_gives_the_same_site(tmp_path, monkeypatch):
    calls = []
    real = jinja2.FileSystemLoader.list_templates

    def counting(self):
        calls.append(1)
        return real(self)

    monkeypatch.setattr(jinja2.FileSystemLoader, "list_templates", counting)
    monkeypatch.setattr(engine, "_LISTINGS", {})
    build_site(_plan(), tmp_path / "first")
    assert len(calls) == 1  # listed while MkDocs collected the theme's files (before on_env)
    build_site(_plan(), tmp_path / "second")
    assert len(calls) == 1  # the second build used the process's listing
    monkeypatch.setattr(engine, "TemplateCachePlugin", lambda key="": engine.BasePlugin())
    build_site(_plan(), tmp_path / "plain")  # no cache at all: MkDocs lists the folders itself
    assert len(calls) == 2
    assert _tree(tmp_path / "second") == _tree(tmp_path / "plain") == _tree(tmp_path / "first")
