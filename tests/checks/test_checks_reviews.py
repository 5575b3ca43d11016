"""review-overdue (entries and translations) and never-reviewed."""

from __future__ import annotations

import datetime as dt

from checkhelp import check_fixture, summary  # noqa: F401 (registers the `check` fixture)

FAQ = """\
category: shipping
markets: [DE]
reviewed: {reviewed}
{every}source:
  question: Where is my order?
  answer: Track it with the link in your shipping email.
translations:
  de:
    from: 0123456789ab
    reviewed: {tr_reviewed}
    question: Wo ist meine Bestellung?
    answer: Verfolgen Sie sie mit dem Link.
"""


def _faq(reviewed="2026-10-01", every="", tr_reviewed="2026-10-01"):
    return {"faq/where-is-my-order.yaml": FAQ.format(reviewed=reviewed, every=every, tr_reviewed=tr_reviewed)}


def test_entry_review_overdue_uses_kb_yaml_interval(check):
    found = check(_faq(reviewed="2026-05-26"), code="review-overdue")
    assert [summary(p) for p in found] == [
        ("review-overdue", "content/faq/where-is-my-order.yaml:3:11", "faq:where-is-my-order", None, None, ()),
    ]
    assert found[0].severity == "warning"
    assert found[0].message == ("faq:where-is-my-order was last reviewed on 2026-05-26; reviews are due every "
                                "180 days, so it was due on 2026-11-22 (1 days ago)")
    assert found[0].hint == "review it, then set reviewed: 2026-11-23"


def test_due_today_is_not_overdue(check):
    assert check(_faq(reviewed="2026-05-27"), code="review-overdue") == []


def test_entry_interval_overrides_kb_yaml(check):
    found = check(_faq(reviewed="2026-10-01", every="review_every_days: 30\n"), code="review-overdue")
    assert [p.lang for p in found] == [None, "de"]
    assert "every 30 days, so it was due on 2026-10-31" in found[0].message


def test_translation_review_overdue(check):
    found = check(_faq(tr_reviewed="2025-01-01"), code="review-overdue")
    assert [summary(p) for p in found] == [
        ("review-overdue", "content/faq/where-is-my-order.yaml:10:15", "faq:where-is-my-order", "de", "DE", ("DE",)),
    ]
    assert found[0].message.startswith("the de translation of faq:where-is-my-order was last reviewed on 2025-01-01")


def test_never_reviewed(check):
    files = {"faq/where-is-my-order.yaml": """\
        category: shipping
        source: {question: Where is my order?, answer: Track it.}
        """}
    found = check(files, code="never-reviewed", today=dt.date(2026, 11, 23))
    assert [summary(p) for p in found] == [
        ("never-reviewed", "content/faq/where-is-my-order.yaml:1:1", "faq:where-is-my-order", None, None, ()),
    ]
    assert found[0].message == "faq:where-is-my-order has no 'reviewed' date"
