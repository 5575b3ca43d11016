"""Relevance of search on the bundled content, measured on the judged query sets (see
evaluate.py): the developers' set (queries.yaml), customer-style queries (customer_queries.yaml),
a second customer set written blind by someone who did not see the search (customer_queries2.yaml)
and a held-out set (unseen_queries.yaml), each with floors per user type, and the "no good
answer" signal (unanswerable queries flagged weak, found answers rarely).

Run `pytest tests/relevance -q -s` (or `python tests/relevance/evaluate.py`) to see the figures
per user type and language, and every miss.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import CONTENT, HELD_OUT, SETS, bundled_index, evaluate, judged, table  # noqa: E402

from kb_builder.loading.loader import load  # noqa: E402

# Floors per set and user type: (recall@1, recall@5). Raise them as search improves, never lower.
FLOORS = {
    "developers": {"customer": (0.84, 0.98), "agent": (0.90, 0.97)},
    "customers": {"customer": (0.84, 0.96), "agent": (0.80, 0.97)},
    "customers2": {"customer": (0.63, 0.91)},
    "unseen": {"customer": (0.60, 0.80)},
    "blind": {"customer": (0.52, 0.83)},
}


# With the semantic layer (kb.yaml semantic_search: true; the model is in the test extra).
SEMANTIC_FLOORS = {
    "developers": {"customer": (0.87, 0.99), "agent": (1.00, 1.00)},
    "customers": {"customer": (0.84, 1.00), "agent": (0.80, 1.00)},
    "customers2": {"customer": (0.65, 0.90)},
    "unseen": {"customer": (0.70, 0.87)},
    "blind": {"customer": (0.50, 0.90)},
}
# Share of unanswerable queries flagged weak: with the semantic layer one of the six held-out
# ones has a best cosine of 0.880, at the threshold calibrated on the tuning sets.
WEAK_FLAGGED = {"developers": 0.9, "customers": 0.9, "customers2": 0.9, "unseen": 0.9, "blind": 0.9}
SEMANTIC_WEAK_FLAGGED = {"developers": 0.9, "customers": 0.9, "customers2": 0.9, "unseen": 0.8, "blind": 0.9}
# Found answers flagged weak, as a share of the found ones (best hit an expected entry), at most.
# The blind set's ceiling is today's figure (16 of 35 found, keyword-only), a known weakness of the
# signal on colloquial queries (docs/search.md), kept from getting worse.
FOUND_WEAK = {"developers": 0.15, "customers": 0.15, "customers2": 0.26, "unseen": 0.15, "blind": 0.46}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return bundled_index(tmp_path_factory.mktemp("relevance") / "search")


@pytest.fixture(scope="module")
def semantic_index(tmp_path_factory):
    return bundled_index(tmp_path_factory.mktemp("relevance-semantic") / "search", semantic=True)


def test_the_query_sets_are_big_and_varied_enough():
    for name, path in SETS.items():
        queries = judged(path)
        langs = {q.get("lang") for q in queries}
        assert len(queries) >= 30, name
        assert {"en", "de", "ja", "zh-CN", "ar", "fr"} <= langs, name
        for item in queries:
            assert all(":" in e for e in item["expect"]), item
            assert item.get("user", "customer") in ("customer", "agent"), item
    customer = judged(SETS["customers"]) + judged(SETS["customers2"]) + judged(SETS["unseen"])
    for lang in ("en", "de", "fr", "ja", "zh-CN", "ar"):
        assert any(not q["expect"] for q in customer if q.get("lang") == lang), f"no unanswerable {lang} query"


def test_every_expected_entry_exists():
    catalog = load(CONTENT).catalog
    for path in SETS.values():
        for item in judged(path):
            for ref in item["expect"]:
                kind, _, ident = ref.partition(":")
                found = ident in catalog.markets if kind == "market" else catalog.lookup(ref) is not None
                assert found, f"{item['q']!r} expects {ref}, which the content does not have"


@pytest.mark.parametrize("name", list(SETS))
def test_recall_and_mrr_per_user_type(index, name):
    check(index, name, FLOORS[name], WEAK_FLAGGED[name], FOUND_WEAK[name])


@pytest.mark.parametrize("name", list(SETS))
def test_recall_and_mrr_per_user_type_with_the_semantic_layer(semantic_index, name):
    assert semantic_index.manifest.semantic
    check(semantic_index, name, SEMANTIC_FLOORS[name], SEMANTIC_WEAK_FLAGGED[name], FOUND_WEAK[name])


# Customers' queries on public entries only, as a help-center widget or a chatbot searches
# (evaluate.py --help-center), keyword-only: a second figure beside the whole-index one above.
HELP_CENTER_FLOORS = {
    "developers": {"customer": (0.89, 1.00)},
    "customers": {"customer": (0.78, 0.96)},
    "customers2": {"customer": (0.73, 0.91)},
    "unseen": {"customer": (0.66, 0.79)},
    "blind": {"customer": (0.61, 0.83)},
}


@pytest.mark.parametrize("name", list(SETS))
def test_customers_searching_the_help_center_entries_only(index, name):
    # Found answers flagged weak are not bounded here: the weak signal was calibrated on whole-index
    # searches, and on public entries only it flags more of them (blind: 20 of 26 at rank 1; docs/search.md).
    check(index, name, HELP_CENTER_FLOORS[name], WEAK_FLAGGED[name], 1.0, help_center=True)


def test_help_center_evaluation_searches_public_entries_for_customers_only(index):
    """--help-center narrows a customer's query to public entries and leaves an agent's alone."""
    from evaluate import run

    customer = {"q": "refund", "lang": "en", "expect": []}
    agent = dict(customer, user="agent")
    assert run(index, customer, help_center=True).hits
    assert {h.kind for h in run(index, customer, help_center=True).hits} == {"faq"}
    assert [h.id for h in run(index, agent, help_center=True).hits] == [h.id for h in run(index, agent).hits]
    assert {h.kind for h in run(index, agent).hits} - {"faq"}


def check(index, name: str, floors: dict, flagged: float, found_weak: float, help_center: bool = False) -> None:
    groups = evaluate(index, judged(SETS[name]), help_center=help_center)
    print(f"\n{name} ({SETS[name].name}):\n{table(groups)}")
    for line in [] if name in HELD_OUT else groups["all"].misses:
        print("    miss:", line)
    for user, (at1, at5) in floors.items():
        fig = groups[user]
        shown = len(groups["all"].misses) if name in HELD_OUT else groups["all"].misses
        assert fig.recall1 >= at1 and fig.recall5 >= at5, (user, fig.recall1, fig.recall5, shown)
    # "no good answer": unanswerable queries are flagged weak, found answers rarely are
    fig = groups["all"]
    if fig.unanswerable:
        assert fig.unanswerable_weak / fig.unanswerable >= flagged, (fig.unanswerable_weak, fig.unanswerable)
    assert fig.answered_weak <= found_weak * fig.at5, (fig.answered_weak, fig.at5)


def test_every_starter_synonym_group_reaches_the_bundled_content(index):
    """A group none of whose members the content uses cannot find anything: each bundled group has
    a member all of whose terms the language's index knows."""
    from kb_builder.search.analysis import analyzer_for

    catalog = load(CONTENT).catalog
    assert set(catalog.synonyms) == {"en", "de", "fr", "ja", "zh-CN", "ar"}
    for lang, groups in catalog.synonyms.items():
        reader = index._searcher(lang, index.generation).reader()
        analyzer = analyzer_for(lang)
        for group in groups:
            assert any(all(reader.doc_frequency("text", t) for t in analyzer.terms(m, query=True)) for m in group), \
                (lang, group)


def test_the_evaluation_script_keeps_a_held_out_sets_misses_to_itself(capsys):
    """`evaluate.py` prints a held-out set's totals and how many misses it has, never the misses."""
    from evaluate import main

    assert main([str(SETS["blind"])]) == 0
    out = capsys.readouterr().out
    assert "blind_queries.yaml:" in out and "R@5" in out
    assert "miss:" not in out and "misses not shown: a held-out set" in out
