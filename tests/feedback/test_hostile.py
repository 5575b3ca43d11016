"""Whatever a visitor types as a reason or a query (markup, quotes, `</script>`, right-to-left and
CJK text, Markdown, control characters) is stored as sent and comes back unchanged from the
reports, and the health page shows it as text."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from kb_builder.feedback.intake import Answers, parse_vote, search_miss, tidy
from kb_builder.feedback.report import AnswerFeedback, HealthFeedback, answer_feedback, feedback_json, miss_groups, normalise
from kb_builder.feedback.store import FeedbackStore, database_path

ANSWERS = Answers(languages={"AE": ("ar", "en")}, entries={"AE": frozenset({"return-window"})})
HOSTILE = st.text(st.sampled_from(list("<>&\"'`|*_#[]()\\/ \n\t\u200fabcالطلب返品\u0000\u202e")) | st.characters(),
                  max_size=120).map(lambda t: "</script>" + t)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reason=HOSTILE, query=HOSTILE)
def test_reasons_and_queries_come_back_as_sent(tmp_path, reason, query):
    store = FeedbackStore(database_path(tmp_path / f"o{abs(hash((reason, query)))}"))
    body = json.dumps({"market": "AE", "lang": "ar", "entry": "return-window", "helpful": False, "reason": reason})
    vote = parse_vote(body.encode("utf-8"), ANSWERS)
    store.add_vote(vote)
    store.add_search_miss(search_miss(query, "AE", "ar", None))
    expected = tidy(reason)  # spaces collapsed, lone surrogates replaced by U+FFFD
    assert "\ud800" not in expected
    assert [v.reason for v in store.votes()] == [expected]
    data = json.loads(feedback_json(answer_feedback(store.votes())))
    assert data["answers"][0]["latest_reasons"] == ([expected] if expected else [])
    groups = miss_groups(store.search_misses())
    assert [g.query for g in groups] == ([normalise(tidy(query))] if normalise(tidy(query)) else [])
    store.close()


@settings(max_examples=40, deadline=None)
@given(reason=HOSTILE)
def test_the_health_page_shows_a_reason_as_text(reason):
    from kb_builder.checks.coverage import coverage
    from kb_builder.model import Catalog, Settings
    from kb_builder.render.health import health_markdown

    catalog = Catalog(root=Path("content"), settings=Settings(name="T", source_language="en", languages=["en"]))
    shown = " ".join(reason.split())
    fb = HealthFeedback([AnswerFeedback("AE", "ar", "return-window", 0, 1, [shown])], [], 1, 0)
    md = health_markdown(catalog, [], coverage(catalog), fb)
    assert "</script>" not in md and "&lt;/script&gt;" in md
    cell = md.split("<td>100%</td><td>", 1)[1].split("</td></tr>", 1)[0]
    assert "<" not in cell and ">" not in cell
