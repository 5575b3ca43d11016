"""The internal site's search in a real browser, on its budgeted index (titles and headings whole,
the start of each section's text): an agent still finds an entry by its title words, by a
heading's words and by words of its first paragraph."""

from __future__ import annotations

import json

import pytest

from kb_builder.sites.search_sections import INTERNAL_TEXT_BUDGET

from .agent_site import agent_site, agent_url  # noqa: F401 (fixtures)
from .helpers import open_page, search

SEARCHES = [
    # query, a result title that must be listed
    ("damaged", "Item arrived damaged"),  # an SOP's title
    ("Escalate", "Escalate when"),  # a heading inside the SOP page
    ("Where is my order", "Where is my order?"),  # an FAQ question (a heading on its category page)
    ("broken", "Item arrived damaged"),  # the SOP's summary, its first paragraph
]


def test_the_index_the_page_loads_is_the_budgeted_one(agent_site):
    raw = (agent_site / "search" / "search_index.json").read_text(encoding="utf-8")
    docs = json.loads(raw)["docs"]
    assert raw == json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False)  # UTF-8, no \\u escapes
    assert "注文はどこですか" in raw
    assert all(len(d["text"]) <= INTERNAL_TEXT_BUDGET + 40 for d in docs)  # + <p></p> and escapes
    assert not any("Copy answer" in d["text"] for d in docs)  # buttons are not text


@pytest.mark.parametrize("query, title", SEARCHES, ids=[q for q, _ in SEARCHES])
def test_an_agent_finds_an_entry_by_title_heading_and_first_paragraph(page, agent_url, query, title):
    open_page(page, agent_url)
    assert title in search(page, query)
