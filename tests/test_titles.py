"""One title per entry: the internal pages, the health page and search results all show the
title the model gives (`display_title`), never a title made up from the id."""

from __future__ import annotations

import datetime as dt

from kb_builder.checks import coverage, run_checks
from kb_builder.loading.loader import load
from kb_builder.model import first_line
from kb_builder.render.health import health_markdown
from kb_builder.render.internal import InternalSite
from kb_builder.search import SearchIndex, build_index

TODAY = dt.date(2026, 11, 23)

TEMPLATE = """\
channel: email
reviewed: 2026-10-01
placeholders: [customer_name]
source:
  subject: "Sorry it arrived damaged"
  body: |
    Hi {customer_name}, we are sorry.
translations:
  de: {from: 000000000000, subject: "Entschuldigung", body: "Hallo {customer_name}."}
"""

CHAT = """\
channel: chat
reviewed: 2026-10-01
source:
  title: Greeting for a new chat
  body: Hello, how can I help?
"""

SMS = """\
channel: sms
reviewed: 2026-10-01
source:
  body: |

    Your parcel is on its way and should arrive within the next few days, thank you for your patience
"""


def _catalog(make_project):
    content = make_project({"templates/apology-damaged.yaml": TEMPLATE, "templates/chat-hello.yaml": CHAT,
                            "templates/parcel-sms.yaml": SMS})
    result = load(content)
    assert result.ok, result.problems
    return content, result.catalog


def test_template_title_rule(make_project):
    _, catalog = _catalog(make_project)
    assert catalog.templates["apology-damaged"].display_title() == "Sorry it arrived damaged"
    assert catalog.templates["apology-damaged"].display_title("de") == "Entschuldigung"
    assert catalog.templates["chat-hello"].display_title() == "Greeting for a new chat"
    assert catalog.templates["parcel-sms"].display_title() == (
        "Your parcel is on its way and should arrive within the next few days, thank you…")


def test_first_line_cuts_at_a_word():
    assert first_line("\n\n  short line  \nmore") == "short line"
    assert first_line("a" * 100) == "a" * 80 + "…"


def test_site_health_page_and_search_show_the_same_title(make_project, tmp_path):
    content, catalog = _catalog(make_project)
    problems = run_checks(catalog, TODAY)
    assert any(p.entry == "template:apology-damaged" and p.code == "stale-translation" for p in problems)
    site = InternalSite(catalog, problems, TODAY).build(health_markdown(catalog, problems, coverage(catalog)))
    assert site.pages["templates/apology-damaged.md"].startswith("# Sorry it arrived damaged\n")
    nav_titles = [t for section in site.nav for v in section.values() if isinstance(v, list)
                  for item in v for t in item]
    assert "Sorry it arrived damaged" in nav_titles
    assert "Apology damaged" not in "".join(site.pages.values())
    assert 'Sorry it arrived damaged</a>' in site.pages["health.md"]
    build_index(catalog, tmp_path / "search")
    hits = SearchIndex(tmp_path / "search").search("damaged", lang="en", kind="template").hits
    assert [h.title for h in hits] == ["Sorry it arrived damaged"]
