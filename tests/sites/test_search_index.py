"""The search index each site ships: written once, and the same entries Material's own parser makes."""

from __future__ import annotations

import builtins
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from kb_builder import pipeline
from kb_builder.sites import engine
from kb_builder.sites.engine import MkDocsSite, build_site
from kb_builder.sites.search_sections import SearchSectionsPlugin

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "projects" / "mini"


def _plan(content: Path) -> MkDocsSite:
    catalog, problems = pipeline.load_and_check(content, dt.date(2026, 11, 23))
    site = pipeline.internal_site(catalog, problems, dt.date(2026, 11, 23))
    return MkDocsSite(name=catalog.settings.name, language=catalog.settings.source_language, pages=site.pages,
                    nav=site.nav, search_languages=catalog.settings.languages, build_date=1790812800)


@pytest.fixture
def count_index_writes(monkeypatch):
    writes: list[str] = []
    real_open = builtins.open

    def counting_open(file, mode="r", *args, **kwargs):
        if str(file).endswith("search_index.json") and any(c in mode for c in "wax+"):
            writes.append(str(file))
        return real_open(file, mode, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)  # pathlib's write_text goes through io.open
    return writes


def test_a_full_and_an_incremental_build_write_the_index_once(tmp_path, count_index_writes):
    plan = _plan(MINI)
    build_site(plan, tmp_path / "one")
    assert len(count_index_writes) == 1
    count_index_writes.clear()
    page = next(p for p in plan.pages if p.startswith("faq/"))
    plan.pages[page] += "\n\nOne more line.\n"
    assert build_site(plan, tmp_path / "two", previous=tmp_path / "one").how == "incremental"
    assert len(count_index_writes) == 1


def test_a_help_center_writes_its_index_once(tmp_path, count_index_writes):
    from kb_builder.sites.public import build_public

    catalog, _ = pipeline.load_and_check(MINI, dt.date(2026, 11, 23))
    result = build_public(catalog, tmp_path / "public", jobs=1)
    assert len(count_index_writes) == len(result.help_centers) >= 2


def _material_entries(monkeypatch, plan: MkDocsSite, out: Path) -> list[dict]:
    """Build with Material's own HTML parser doing the indexing (our plugin steps aside)."""
    with monkeypatch.context() as m:
        m.setattr(SearchSectionsPlugin, "on_page_content", lambda self, html, **kw: html)
        m.setattr(SearchSectionsPlugin, "on_post_build", lambda self, **kw: None)
        build_site(plan, out)
    return json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def _letters(text: str) -> str:
    """The text with tags and whitespace gone. Material joins table cells without a space
    ("ReviewedKindEntry"); search_sections keeps them apart on purpose, so spacing is not compared
    (nor the zero-width spaces that cut Chinese words, which the search separator treats alike)."""
    return re.sub(r"[\s\u200b]+", "", re.sub(r"<[^>]+>", "", text))


def test_search_sections_give_the_entries_material_gives_on_the_bundled_kb(tmp_path, monkeypatch):
    plan = _plan(REPO / "content")
    build_site(plan, tmp_path / "ours")
    ours = json.loads((tmp_path / "ours" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    theirs = _material_entries(monkeypatch, plan, tmp_path / "material")
    assert len(ours) > 300
    assert [(d["location"], d["title"]) for d in ours] == [(d["location"], d["title"]) for d in theirs]
    differ = [d["location"] for d, t in zip(ours, theirs) if _letters(d["text"]) != _letters(t["text"])]
    # the one difference by design: a flowchart's SVG labels (the steps' own text again, cut short)
    # are not indexed, so the flowchart section holds only its caption
    assert differ and all(loc.endswith("#flowchart") for loc in differ)
    for d, t in zip(ours, theirs):
        if d["location"] in differ:
            assert _letters(t["text"]).startswith(_letters(d["text"]))
    kept_tags = lambda docs: [re.findall(r"</?(?:p|li|ul|ol|code|pre)>", d["text"]) for d in docs]
    assert kept_tags(ours) == kept_tags(theirs)
