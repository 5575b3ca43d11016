"""Incremental builds: only changed pages are built again, and the result equals a clean build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb_builder.cli import main
from kb_builder.sites.engine import MkDocsSite, build_site
from kb_builder.sites.incremental import STATE_FILE, page_output, page_url

from .test_build import MINI, tree_digest

TODAY = ["--today", "2026-11-23", "-q"]


def sites_digest(out: Path) -> dict[str, str]:
    """Every output file of both sites (the Whoosh index names its segments at random; the inputs
    record names the output folder)."""
    return {k: v for k, v in tree_digest(out).items() if not k.startswith("search/") and k != ".kb-inputs"}


def plan(pages: dict[str, str]) -> MkDocsSite:
    nav = [{"Home": "index.md"}] + [{rel[:-3].title(): rel} for rel in pages if rel != "index.md"]
    return MkDocsSite(name="Test", language="en", pages=pages, nav=nav)


PAGES = {"index.md": "# Home\n\nWelcome.\n", "alpha.md": "# Alpha\n\nFirst page.\n",
         "beta.md": "# Beta\n\nSecond page about refunds.\n"}


def test_page_paths_follow_directory_urls():
    assert page_output("index.md") == "index.html" and page_url("index.md") == ""
    assert page_output("faq/index.md") == "faq/index.html" and page_url("faq/index.md") == "faq/"
    assert page_output("faq/shipping.md") == "faq/shipping/index.html" and page_url("faq/shipping.md") == "faq/shipping/"


def test_only_the_changed_page_is_built_again_and_the_previous_output_is_untouched(tmp_path):
    first, second, clean = tmp_path / "first", tmp_path / "second", tmp_path / "clean"
    assert build_site(plan(PAGES), first).how == "full"
    before = tree_digest(first)
    changed = {**PAGES, "beta.md": "# Beta\n\nSecond page about exchanges.\n"}
    assert build_site(plan(changed), second, previous=first).how == "incremental"
    assert tree_digest(first) == before
    assert (second / "alpha/index.html").stat().st_ino == (first / "alpha/index.html").stat().st_ino
    assert (second / "beta/index.html").stat().st_ino != (first / "beta/index.html").stat().st_ino
    assert "exchanges" in (second / "beta/index.html").read_text("utf-8")
    index = json.loads((second / "search/search_index.json").read_text("utf-8"))
    texts = " ".join(d["text"] for d in index["docs"])
    assert "exchanges" in texts and "refunds" not in texts and "First page" in texts
    build_site(plan(changed), clean)
    assert tree_digest(second) == tree_digest(clean)


def test_an_incremental_build_keeps_the_theme_pages_instead_of_rendering_them(tmp_path, monkeypatch):
    from mkdocs.commands import build as mkdocs_build

    first, second, clean = tmp_path / "first", tmp_path / "second", tmp_path / "clean"
    build_site(plan(PAGES), first)
    rendered: list[str] = []
    real = mkdocs_build._build_theme_template
    monkeypatch.setattr(mkdocs_build, "_build_theme_template",
                        lambda name, *args, **kw: rendered.append(name) or real(name, *args, **kw))
    changed = {**PAGES, "alpha.md": "# Alpha\n\nFirst page, changed.\n"}
    assert build_site(plan(changed), second, previous=first).how == "incremental"
    assert "404.html" not in rendered and "sitemap.xml" not in rendered
    assert (second / "404.html").stat().st_ino != (first / "404.html").stat().st_ino  # a copy, not a link
    build_site(plan(changed), clean)
    assert "404.html" in rendered and "sitemap.xml" in rendered
    assert tree_digest(second) == tree_digest(clean)


def test_nothing_changed_means_no_engine_run(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    build_site(plan(PAGES), first)
    assert build_site(plan(PAGES), second, previous=first).how == "unchanged"
    assert tree_digest(second) == tree_digest(first)


@pytest.mark.parametrize("change", ["title", "new page", "bare nav entry", "no state"])
def test_anything_beyond_page_text_means_a_full_build(tmp_path, change):
    first, second = tmp_path / "first", tmp_path / "second"
    build_site(plan(PAGES), first)
    p = plan(PAGES)
    if change == "title":
        p.nav[1] = {"Alpha, renamed": "alpha.md"}
    elif change == "new page":
        p = plan({**PAGES, "gamma.md": "# Gamma\n"})
    elif change == "bare nav entry":
        p.nav[1] = "alpha.md"  # MkDocs would take its title from the page, which a dirty build skips
    else:
        (first / STATE_FILE).unlink()
    assert build_site(p, second, previous=first).how == "full"


def test_kb_build_after_an_edit_equals_a_clean_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out, clean = tmp_path / "out", tmp_path / "clean"
    assert main(["build", "--content", str(content), "--out", str(out), *TODAY]) == 0
    faq = content / "faq/where-is-my-order.yaml"
    faq.write_text(faq.read_text("utf-8").replace("shipping email", "shipping email or text message"), "utf-8")
    assert main(["build", "--content", str(content), "--out", str(out), *TODAY]) == 0
    assert main(["build", "--content", str(content), "--out", str(clean), "--clean", *TODAY]) == 0
    assert sites_digest(out) == sites_digest(clean)
    assert "text message" in (out / "internal/faq/shipping/index.html").read_text("utf-8")
    assert "text message" in (out / "public/de/en/shipping/index.html").read_text("utf-8")


def test_pages_handed_over_are_dropped_once_written_and_build_the_same_site(tmp_path):
    from dataclasses import replace

    from kb_builder.render.common import raw

    pages = {**PAGES, "gamma.md": "# Gamma\n" + raw('<div class="kb-x"><p>a &amp; b</p></div>') + "\nAfter.\n"}
    kept, handed = dict(pages), dict(pages)
    full_kept = build_site(plan(kept), tmp_path / "kept")
    full_handed = build_site(replace(plan(handed), hand_over_pages=True), tmp_path / "handed")
    assert kept == pages and handed == {}  # the caller's dict is emptied: the engine needs it no more
    assert (full_handed.how, full_handed.pages, full_handed.built) == (full_kept.how, 4, 4)
    assert tree_digest(tmp_path / "handed") == tree_digest(tmp_path / "kept")
    changed = {**pages, "beta.md": "# Beta\n\nSecond page about exchanges.\n"}
    again_kept = build_site(plan(dict(changed)), tmp_path / "again-kept", previous=tmp_path / "kept")
    handed = dict(changed)
    again_handed = build_site(replace(plan(handed), hand_over_pages=True), tmp_path / "again-handed",
                              previous=tmp_path / "handed")
    assert handed == {}
    assert (again_handed.how, again_handed.pages, again_handed.built) == ("incremental", 4, 1)
    assert (again_kept.how, again_kept.pages, again_kept.built) == ("incremental", 4, 1)
    assert tree_digest(tmp_path / "again-handed") == tree_digest(tmp_path / "again-kept")


def _tree(root: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(root).as_posix(): ("dir" if p.is_dir() else p.read_text(), p.stat().st_ino if p.is_file() else 0)
            for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("link_all", [False, True])
def test_staging_links_kept_pages_copies_the_rest_and_leaves_out_what_is_written_again(tmp_path, link_all):
    prev = tmp_path / "prev"
    for rel, text in {"index.html": "home", "a/index.html": "a", "a/b/index.html": "b", "a/b/note.txt": "n",
                      "c/index.html": "old c", "assets/site.css": "css", "search/search_index.json": "{}",
                      "404.html": "nf", STATE_FILE: "{}"}.items():
        (prev / rel).parent.mkdir(parents=True, exist_ok=True)
        (prev / rel).write_text(text)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_text("s")
    (prev / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    before = _tree(prev)
    from kb_builder.sites.incremental import stage_previous

    out = tmp_path / "out"
    stage_previous(prev, out, ["c.md"], link_all=link_all)
    got = _tree(out)
    assert _tree(prev) == before  # the previous output is untouched
    # the engine writes the rebuilt page, the search index, the theme pages and the state again
    assert sorted(got) == ["a", "a/b", "a/b/index.html", "a/b/note.txt", "a/index.html",
                           "assets", "assets/site.css", "c", "index.html", "search"]
    for rel in ("index.html", "a/index.html", "a/b/index.html"):  # kept pages are the same files
        assert got[rel][1] == before[rel][1]
    for rel in ("a/b/note.txt", "assets/site.css"):  # others are copies unless link_all
        assert got[rel][0] == before[rel][0]
        assert (got[rel][1] == before[rel][1]) is link_all
