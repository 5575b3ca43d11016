"""Searching: ranking, filters, languages, typos, snippets, bad parameters, threads."""

from __future__ import annotations

import json
import threading

import pytest

from kb_builder.loading.loader import load
from kb_builder.search import IndexMissing, SearchError, SearchIndex, build_index

from search_project import catalog, index, index_dir, project  # noqa: F401 (fixtures)


def refs(results):
    return [f"{h.kind}:{h.id}" for h in results.hits]


def test_a_hit_says_what_and_where(index):
    hit = index.search("refund", lang="en").hits[0]
    assert (hit.id, hit.kind, hit.lang, hit.title) == ("refund-timing", "faq", "en", "When will I get my refund?")
    assert hit.url == "faq/returns/#faq-refund-timing"
    assert (hit.markets, hit.audience) == (["all"], "public") and hit.score > 0
    json.dumps(index.search("refund").to_dict())  # plain values only


def test_title_and_tags_weigh_more_than_body_text(index):
    # "damaged" is in the SOP's title and in the template's subject, only in the body elsewhere
    assert set(refs(index.search("damaged", lang="en"))[:2]) == {"sop:damaged-item", "template:apology-damaged"}
    assert refs(index.search("tracking", lang="en"))[0] == "faq:where-is-my-order"  # a tag


def test_market_filter_keeps_entries_that_apply_and_fills_their_values(index):
    assert "faq:withdrawal" in refs(index.search("withdrawal cancel", market="DE"))
    assert "faq:withdrawal" not in refs(index.search("withdrawal cancel", market="jp"))
    hit = index.search("refund", lang="en", market="JP").hits[0]
    assert "14 days" in hit.snippet and "{market." not in hit.snippet
    assert "{market.return_window_days}" in index.search("refund", lang="en").hits[0].snippet


def test_kind_and_public_filters(index):
    assert {h.kind for h in index.search("damaged", kind="template").hits} == {"template"}
    public = index.search("damaged order claim carrier refund", public=True)
    assert public.hits and all(h.audience == "public" for h in public.hits)
    assert "faq:carrier-claims" in refs(index.search("carrier claim deadlines"))


def test_one_language_or_every_language_of_the_query_script(index):
    assert {h.lang for h in index.search("Erstattung", lang="de").hits} == {"de"}
    assert index.search("refund").languages == ["en"]  # Latin script, and only English knows the word
    anywhere = index.search("Paket refund")
    assert anywhere.languages == ["en", "de"] and len(refs(anywhere)) == len(set(refs(anywhere)))  # one per entry
    assert index.search("refnud").languages == ["en", "de"]  # nobody knows it: all, to correct it
    assert index.search("返金").languages == ["ja"]
    assert refs(index.search("返金はいつ")) == ["faq:refund-timing"]


def test_language_codes_are_matched_leniently(index):
    assert index.search("Paket", lang="DE").languages == ["de"]
    assert index.search("Paket", lang="de-AT").languages == ["de"]


def test_misspellings_are_corrected(index):
    results = index.search("refnud", lang="en")
    assert results.corrections == {"refnud": "refund"} and refs(results)[0] == "faq:refund-timing"


def test_german_compounds_find_their_parts(index):
    assert refs(index.search("Wasserkocher kaputt", lang="de"))[0] == "sop:damaged-item"
    assert "faq:refund-timing" in refs(index.search("Rücksendungseingang", lang="de"))


def test_snippets_mark_matches_and_escape_content(index):
    hit = index.search("paste ticket", lang="en").hits[0]
    assert "Never <mark>paste</mark> alert(1) into a <mark>ticket</mark>." in hit.snippet  # HTML tags dropped
    hit = index.search("islands", lang="en").hits[0]
    assert "(fees &lt; 5 EUR &amp; no surcharge)" in hit.snippet and "<mark>islands</mark>" in hit.snippet
    hit = index.search("荷物", lang="ja").hits[0]
    assert "<mark>荷物</mark>" in hit.snippet


@pytest.mark.parametrize("kwargs, message", [
    ({"text": "  "}, "the query is empty: give a few words to search for"),
    ({"text": "x" * 501}, "the query is 501 characters long; keep it under 500"),
    ({"text": "x", "lang": "xx"}, "no content in language 'xx'; the index has: de, en, ja"),
    ({"text": "x", "market": "ZZ"}, "unknown market 'ZZ'; known markets: DE, JP"),
    ({"text": "x", "kind": "path"}, "unknown kind 'path'; use one of: sop, faq, template, market"),
    ({"text": "x", "n": 0}, "the number of results must be between 1 and 100, not 0"),
    ({"text": "x", "n": 101}, "the number of results must be between 1 and 100, not 101"),
])
def test_bad_parameters_are_explained(index, kwargs, message):
    text = kwargs.pop("text")
    with pytest.raises(SearchError) as err:
        index.search(text, **kwargs)
    assert str(err.value) == message


def test_queries_that_match_nothing(index):
    assert index.search("zzzzqqq").hits == []
    assert index.search("the of and", lang="en").hits == []
    assert index.search("12345").hits == []


def test_missing_index_is_reported(tmp_path):
    with pytest.raises(IndexMissing) as err:
        SearchIndex(tmp_path / "search")
    assert "no search index in" in str(err.value) and "kb index" in str(err.value)


def test_concurrent_searches_while_the_index_is_updated(project, catalog, index_dir, index):
    errors: list[BaseException] = []
    seen: list[int] = []

    def searcher():
        try:
            for i in range(30):
                results = index.search(("refund", "Paket", "返金", "damaged")[i % 4], n=5)
                seen.append(len(results.hits))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=searcher) for _ in range(6)]
    for t in threads:
        t.start()
    path = project / "faq/island-delivery.yaml"
    for i in range(3):  # three incremental updates while the threads search
        path.write_text(path.read_text(encoding="utf-8").replace("little longer", f"little longer {i}"),
                        encoding="utf-8")
        build_index(load(project).catalog, index_dir)
    for t in threads:
        t.join()
    assert errors == [] and len(seen) == 180 and all(seen)
