"""The "Content health" page of the internal site."""

from __future__ import annotations

from checkhelp import TODAY

from kb_builder.checks import coverage, run_checks
from kb_builder.render.health import health_anchor, health_markdown
from kb_builder.loading.loader import load

SOP = """\
title: "Damaged <script>alert(1)</script> item"
owner: after-sales
reviewed: 2025-01-01
steps:
  - id: ask
    do: Ask.
"""


def _page(make_project, files=None) -> str:
    content = make_project(files or {})
    result = load(content)
    problems = result.problems + run_checks(result.catalog, TODAY)
    return health_markdown(result.catalog, problems, coverage(result.catalog))


def test_anchor_matches_entry_banner_links():
    assert health_anchor("sop:damaged-item") == "sop-damaged-item"


def test_sections_and_entry_blocks(make_project):
    page = _page(make_project, {"sops/damaged-item.yaml": SOP})
    # the wide tables get the whole width: Material's page-level `hide: navigation`
    assert page.startswith("---\nhide:\n  - navigation\n---\n# Content health\n")
    for heading in ("## Translation coverage", "## By market", "## By language", "## By owner",
                    "## Findings by entry"):
        assert heading in page
    assert '<div class="kb-health-entry" id="sop-damaged-item">' in page
    assert '<div class="kb-health-entry" id="faq-where-is-my-order">' in page
    assert '<a href="../sops/damaged-item/">' in page
    assert '<a href="../faq/shipping/#faq-where-is-my-order">Where is my order?</a>' in page
    assert "<td>after-sales</td>" in page and "<td>(no owner)</td>" in page
    assert "<code>review-overdue</code> sop:damaged-item was last reviewed on 2025-01-01" in page
    assert "<code>untranslated</code> [de, ja] 2 findings, the first: sop:damaged-item has no de translation" in page


def test_content_text_is_escaped(make_project):
    page = _page(make_project, {"sops/damaged-item.yaml": SOP})
    assert "<script>" not in page
    assert "Damaged &lt;script&gt;alert(1)&lt;/script&gt; item" in page


def test_coverage_grid_counts(make_project):
    page = _page(make_project)
    assert '<tr><td><a href="../markets/de/">DE</a></td><td>0/1 (0%)</td><td></td><td>0</td><td>1</td></tr>' in page


def test_clean_content(make_project):
    content = make_project({"markets/jp.yaml": None, "faq/where-is-my-order.yaml": """\
        category: shipping
        markets: [DE]
        reviewed: 2026-10-01
        source: {question: Q?, answer: A.}
        translations:
          de: {from: 0123456789ab, question: F?, answer: A.}
        """})
    result = load(content)
    faq = result.catalog.faqs["where-is-my-order"]
    faq.translations["de"].source_fingerprint = faq.fingerprint()
    problems = run_checks(result.catalog, TODAY)
    assert problems == []
    page = health_markdown(result.catalog, problems, coverage(result.catalog))
    assert "No findings: everything is translated, current and reviewed on time." in page
    assert "Nothing to fix." in page


def test_findings_of_one_code_share_a_line():
    from kb_builder.render.health import health_markdown
    from kb_builder.checks import coverage
    from kb_builder.errors import Mark, Problem
    from kb_builder.loading.loader import load
    from pathlib import Path

    catalog = load(Path(__file__).resolve().parents[1] / "projects" / "mini").catalog
    problems = [Problem("warning", "untranslated", f"not translated into {lang}", "translate it", Mark("faq/x.yaml", 3, 1),
                        entry="faq:where-is-my-order", lang=lang) for lang in ("ja", "de")]
    page = health_markdown(catalog, problems, coverage(catalog))
    assert ("<code>untranslated</code> [de, ja] 2 findings, the first: not translated into de. "
            "<em>Fix: translate it</em> <small>faq/x.yaml:3:1</small>") in page
    assert page.count("<li>") == 1
