"""`kb report feedback` and `kb report search-misses`: output, --since, --json, and clear errors."""

from __future__ import annotations

import json

from kb_builder.cli import main
from kb_builder.feedback.store import FeedbackStore, SearchMiss, Vote, database_path


def fill(out):
    store = FeedbackStore(database_path(out))
    store.add_vote(Vote("DE", "de", "return-window", False, "unclear", at="2026-11-20T10:00:00Z"))
    store.add_vote(Vote("DE", "de", "return-window", True, at="2026-12-02T10:00:00Z"))
    store.add_vote(Vote("JP", "ja", "where-is-my-order", False, "分かりにくい", at="2026-12-02T11:00:00Z"))
    store.add_search_miss(SearchMiss("Gift card", "DE", "de", "", at="2026-12-02T12:00:00Z"))
    store.close()


def test_feedback_report(tmp_path, capsys):
    fill(tmp_path / "site")
    assert main(["report", "feedback", "--out", str(tmp_path / "site"), "--since", "2026-12-01"]) == 0
    assert capsys.readouterr().out == (
        "Was this helpful? since 2026-12-01: 2 vote(s) on 2 answer(s), 1 unhelpful\n"
        "\n"
        "help center  entry                             yes   no unhelpful  latest reasons\n"
        "JP/ja        where-is-my-order                   0    1      100%  分かりにくい\n"
        "DE/de        return-window                       1    0        0%  -\n")


def test_search_misses_report_as_json(tmp_path, capsys):
    fill(tmp_path / "site")
    assert main(["report", "search-misses", "--out", str(tmp_path / "site"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["queries"] == [
        {"query": "gift card", "count": 1, "markets": ["DE"], "langs": ["de"], "kinds": [],
         "last_seen": "2026-12-02T12:00:00Z"}]


def test_a_missing_database_or_a_bad_date_is_a_clear_error(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["report", "feedback", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == (f"error: no feedback database at {out}/.kb-feedback.sqlite3: 'kb serve --out {out}' "
                   "records feedback and failed searches there\n")
    assert not out.exists()
    fill(out)
    assert main(["report", "search-misses", "--out", str(out), "--since", "yesterday"]) == 1
    assert capsys.readouterr().err == "error: --since 'yesterday' is not a date; write it as YYYY-MM-DD\n"
