"""The feedback database and the two reports made from it, with exact output."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading

import pytest

from kb_builder.feedback.report import (answer_feedback, feedback_json, feedback_text, health_feedback, miss_groups,
                                        misses_json, misses_text, normalise)
from kb_builder.feedback.store import DB_NAME, FeedbackMissing, FeedbackStore, SearchMiss, Vote, database_path


@pytest.fixture
def store(tmp_path):
    s = FeedbackStore(database_path(tmp_path))
    yield s
    s.close()


def test_the_database_is_a_real_wal_file_next_to_the_output(tmp_path, store):
    store.add_vote(Vote("DE", "de", "return-window", False, "unclear", at="2026-12-01T10:00:00Z"))
    assert (tmp_path / DB_NAME).is_file() and store.journal_mode() == "wal"
    with sqlite3.connect(tmp_path / DB_NAME) as other:  # another process's view
        assert other.execute("SELECT market, lang, entry, helpful, reason FROM feedback").fetchall() == [
            ("DE", "de", "return-window", 0, "unclear")]


def test_a_missing_database_is_not_created_for_reading(tmp_path):
    with pytest.raises(FeedbackMissing, match=r"no feedback database at .*\.kb-feedback\.sqlite3"):
        FeedbackStore(database_path(tmp_path / "site"), create=False)
    assert not (tmp_path / "site").exists()


def test_rows_from_many_threads_are_all_kept(store):
    def write(n: int) -> None:
        for i in range(25):
            store.add_vote(Vote("DE", "de", f"entry-{n}", i % 2 == 0))
            store.add_search_miss(SearchMiss(f"query {n} {i}"))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.votes()) == 200 and len(store.search_misses()) == 200


def test_since_keeps_what_was_recorded_from_that_day_on(store):
    store.add_vote(Vote("DE", "de", "a", True, at="2026-11-30T23:59:59Z"))
    store.add_vote(Vote("DE", "de", "b", True, at="2026-12-01T00:00:00Z"))
    store.add_search_miss(SearchMiss("old", at="2026-11-01T00:00:00Z"))
    assert [v.entry for v in store.votes(dt.date(2026, 12, 1))] == ["b"]
    assert store.search_misses(dt.date(2026, 12, 1)) == []


VOTES = [
    Vote("DE", "de", "return-window", True, at="2026-12-01T09:00:00Z"),
    Vote("DE", "de", "return-window", False, "unclear", at="2026-12-01T10:00:00Z"),
    Vote("DE", "de", "return-window", False, "incomplete: what about sale items?", at="2026-12-02T10:00:00Z"),
    Vote("DE", "en", "return-window", True, at="2026-12-02T11:00:00Z"),
    Vote("AE", "ar", "where-is-my-order", False, "outdated: الرابط لا يعمل", at="2026-12-03T08:00:00Z"),
]


def test_feedback_report_text_lists_the_most_unhelpful_answers_first():
    assert feedback_text(answer_feedback(VOTES), dt.date(2026, 12, 1)) == (
        "Was this helpful? since 2026-12-01: 5 vote(s) on 3 answer(s), 3 unhelpful\n"
        "\n"
        "help center  entry                             yes   no unhelpful  latest reasons\n"
        "DE/de        return-window                       1    2       67%  incomplete: what about sale items? | unclear\n"
        "AE/ar        where-is-my-order                   0    1      100%  outdated: الرابط لا يعمل\n"
        "DE/en        return-window                       1    0        0%  -\n")


def test_feedback_report_json():
    data = json.loads(feedback_json(answer_feedback(VOTES)))
    assert data["since"] is None and data["votes"] == 5
    assert data["answers"][0] == {"market": "DE", "lang": "de", "entry": "return-window", "yes": 1, "no": 2,
                                  "unhelpful_share": 0.6667, "latest_reasons": ["incomplete: what about sale items?",
                                                                                "unclear"],
                                  "last_vote": "2026-12-02T10:00:00Z"}


def test_only_the_latest_three_reasons_are_kept():
    votes = [Vote("DE", "de", "x", False, f"reason {i}", at=f"2026-12-0{i}T00:00:00Z") for i in range(1, 6)]
    assert answer_feedback(votes)[0].reasons == ["reason 5", "reason 4", "reason 3"]


MISSES = [
    SearchMiss("Refund?", "DE", "de", "", at="2026-12-01T10:00:00Z"),
    SearchMiss("  refund ", "AE", "ar", "faq", at="2026-12-02T10:00:00Z"),
    SearchMiss("ＲＥＦＵＮＤ", "", "", "", at="2026-12-01T12:00:00Z"),
    SearchMiss("gift card", "DE", "en", "", at="2026-12-03T10:00:00Z"),
    SearchMiss("???", at="2026-12-03T10:00:00Z"),
]


def test_normalised_queries_group_case_width_spaces_and_punctuation():
    assert normalise("  ＲＥＦＵＮＤ?! ") == "refund" and normalise("Gift   Card") == "gift card"
    assert normalise("返品。") == "返品"


def test_search_misses_text_groups_by_normalised_query():
    assert misses_text(miss_groups(MISSES)) == (
        "Searches that found nothing: 4 search(es), 2 distinct\n"
        "\n"
        "count  query                            markets      languages    last seen\n"
        "    3  refund                           AE,DE        ar,de        2026-12-02T10:00:00Z\n"
        "    1  gift card                        DE           en           2026-12-03T10:00:00Z\n")


def test_search_misses_json():
    data = json.loads(misses_json(miss_groups(MISSES), dt.date(2026, 12, 1)))
    assert data == {"since": "2026-12-01", "searches": 4, "queries": [
        {"query": "refund", "count": 3, "markets": ["AE", "DE"], "langs": ["ar", "de"], "kinds": ["faq"],
         "last_seen": "2026-12-02T10:00:00Z"},
        {"query": "gift card", "count": 1, "markets": ["DE"], "langs": ["en"], "kinds": [],
         "last_seen": "2026-12-03T10:00:00Z"}]}


def test_empty_reports_say_so():
    assert feedback_text([]) == "Was this helpful?: 0 vote(s) on 0 answer(s), 0 unhelpful\n"
    assert misses_text([]) == "Searches that found nothing: 0 search(es), 0 distinct\n"


def test_health_summary_only_when_the_database_exists(tmp_path):
    assert health_feedback(tmp_path) is None
    store = FeedbackStore(database_path(tmp_path))
    for v in VOTES:
        store.add_vote(v)
    for m in MISSES:
        store.add_search_miss(m)
    store.close()
    summary = health_feedback(tmp_path)
    assert (summary.votes, summary.searches) == (5, 4)
    assert [(a.help_center, a.entry) for a in summary.answers] == [("DE/de", "return-window"),
                                                                    ("AE/ar", "where-is-my-order")]
    assert [g.query for g in summary.misses] == ["refund", "gift card"]
