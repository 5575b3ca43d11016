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


def test_static_file_listing_is_kept_per_static_templates(tmp_path, monkeypatch):
    """The filtered listing (the theme files MkDocs copies) is made once for the same
    static_templates, and again when they differ (an incremental build keeps the theme pages)."""
    monkeypatch.setattr(engine, "_STATIC", {})
    build_site(_plan(), tmp_path / "first")
    assert len(engine._STATIC) == 1
    build_site(_plan(), tmp_path / "second")
    assert len(engine._STATIC) == 1
    kept = next(iter(engine._STATIC.values()))
    assert "assets/kb.css" in kept and not any(name.endswith(".html") for name in kept)
    # an incremental build takes 404.html and sitemap.xml out of static_templates: another key
    plan = _plan()
    plan.pages["page.md"] = "# Page\n\nOther text.\n"
    build_site(plan, tmp_path / "third", previous=tmp_path / "second")
    assert (tmp_path / "third/page/index.html").read_text(encoding="utf-8").count("Other text.") == 1
    assert len(engine._STATIC) == 2
    monkeypatch.setattr(engine, "TemplateCachePlugin", lambda key="": engine.BasePlugin())
    build_site(plan, tmp_path / "plain")
    assert _tree(tmp_path / "third") == _tree(tmp_path / "plain")
