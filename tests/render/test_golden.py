"""Generated Markdown of the mini fixture project, compared with golden files.

After an intended change, refresh them with:  KB_UPDATE_GOLDEN=1 pytest tests/render/test_golden.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kb_builder.errors import Mark, Problem
from kb_builder.loading.loader import load
from kb_builder.render.internal import InternalSite

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "projects" / "mini"
GOLDEN = ROOT / "golden" / "mini"
TODAY = dt.date(2026, 11, 23)


def _site(problems=()):
    result = load(MINI)
    assert result.problems == []
    return InternalSite(result.catalog, list(problems), TODAY).build(health_markdown=None)


def test_pages_match_golden_files():
    site = _site()
    if os.environ.get("KB_UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for rel, text in site.pages.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
        pytest.skip("golden files refreshed")
    expected = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(site.pages) == sorted(expected)
    for rel, text in site.pages.items():
        assert text == expected[rel], f"{rel} differs from tests/golden/mini/{rel}"


def test_sop_page_content():
    page = _site().pages["sops/damaged-item.md"]
    assert page.startswith("# Item arrived damaged\n")
    assert '<svg class="kb-flow"' in page and "<title>Flowchart of Item arrived damaged</title>" in page
    assert ('<span class="kb-var" data-var="no_return_refund_limit" data-label="no-return refund limit" tabindex="0" '
            'title="DE: 15 EUR · JP: 2500 JPY">no-return refund limit</span>') in page  # a label, values on hover
    assert '<a href="#step-close">Step 4</a>' in page  # the branch's `next`
    assert "Only in DE" in page
    assert 'data-tabs="1:2"' in page and ">Deutsch (stale)</label>" in page  # template tabs per language
    assert '<span class="kb-ph">{customer_name}</span>' in page
    assert "Braces stay literal: {like this}." in page


def test_market_page_fills_values_and_leaves_out_other_markets_steps():
    site = _site()
    de, jp = site.pages["markets/de.md"], site.pages["markets/jp.md"]
    assert "Remind the customer of the 14-day withdrawal right." in de
    assert "withdrawal" not in jp
    assert "Refund up to 7000 JPY without approval." in jp
    assert "Order value is below 2500 JPY" in jp
    assert "Reply within 12 hours using the apology template." in jp
    assert "| Live chat |  | about 3 minutes |" in de
    assert "Germans expect the withdrawal right" in de


def test_path_page_has_quiz_with_hidden_answer():
    page = _site().pages["paths/new-agent.md"]
    assert '<details class="kb-answer"><summary>Show answer</summary><p>b) 24 hours</p></details>' in page
    assert "window.print()" in page


def test_status_banner_links_to_health():
    p = Problem("warning", "stale-translation", "stale", mark=Mark("x"), entry="sop:damaged-item", lang="de")
    page = _site([p]).pages["sops/damaged-item.md"]
    assert "Needs attention" in page and "stale translation (de)" in page and 'href="../../health/#sop-damaged-item"' in page


def test_market_page_lists_entries_when_there_are_too_many_to_show(monkeypatch):
    import kb_builder.render.internal as internal

    monkeypatch.setattr(internal, "MARKET_PAGE_LIMIT", 0)
    de = _site().pages["markets/de.md"]
    assert "procedures apply in Germany: too many to show in full here" in de
    assert '<li><a href="../../sops/damaged-item/">Item arrived damaged</a>' in de
    assert '<li><a href="../../faq/shipping/#faq-where-is-my-order">Where is my order?</a></li>' in de
    assert "Remind the customer of the 14-day withdrawal right." not in de  # steps are on the SOP page
    assert '| <span title="{market.withdrawal_days}">withdrawal days</span> | 14 |' in de  # the market's own values stay


def test_big_sections_keep_only_their_index_page_in_the_navigation(monkeypatch):
    import kb_builder.render.internal as internal

    monkeypatch.setattr(internal, "NAV_LIMIT", 0)
    nav = dict(kv for item in _site().nav for kv in item.items())
    assert nav["SOPs"] == [{"Standard operating procedures": "sops/index.md"}]
    assert nav["Templates"] == [{"Reply templates": "templates/index.md"}]
    site = _site()
    assert "[Item arrived damaged](damaged-item.md)" in site.pages["sops/index.md"]  # still listed there
    assert '<p class="kb-crumbs"><a href="../">All procedures</a></p>' in site.pages["sops/damaged-item.md"]
    assert '<p class="kb-crumbs"><a href="../">All reply templates</a></p>' in site.pages["templates/apology-damaged.md"]
