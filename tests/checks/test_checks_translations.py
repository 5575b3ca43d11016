"""untranslated, stale-translation, incomplete-translation, identical-translation."""

from __future__ import annotations

from kb_builder.loading.loader import load
from checkhelp import check_fixture, summary  # noqa: F401 (registers the `check` fixture)


def test_untranslated_once_per_entry_and_language_with_markets(check):
    found = check(code="untranslated")
    assert [summary(p) for p in found] == [
        ("untranslated", "content/faq/where-is-my-order.yaml:1:1", "faq:where-is-my-order", "de", "DE", ("DE",)),
        ("untranslated", "content/faq/where-is-my-order.yaml:1:1", "faq:where-is-my-order", "ja", "JP", ("JP",)),
    ]
    assert found[0].severity == "warning"
    assert found[0].message == "faq:where-is-my-order has no de translation (needed in DE)"
    assert "add a 'de:' block under translations with from: " in found[0].hint


def test_untranslated_lists_every_market_needing_the_language(check):
    found = check({"markets/at.yaml": """\
        code: AT
        name: Austria
        languages: [de]
        currency: EUR
        timezone: Europe/Vienna
        vars: {return_window_days: 30}
        """}, code="untranslated")
    de = [p for p in found if p.lang == "de"]
    assert len(de) == 1
    assert de[0].markets == ("AT", "DE") and de[0].market is None
    assert de[0].message == "faq:where-is-my-order has no de translation (needed in AT, DE)"


def test_untranslated_only_for_markets_in_scope_and_never_the_source(check):
    found = check({"faq/where-is-my-order.yaml": """\
        category: shipping
        markets: [JP]
        reviewed: 2026-10-01
        source: {question: Where is my order?, answer: Track it with the link.}
        """}, code="untranslated")
    assert [(p.lang, p.markets) for p in found] == [("ja", ("JP",))]


FAQ_DE = """\
category: shipping
markets: [DE]
reviewed: 2026-10-01
source:
  question: Where is my order?
  answer: Track it with the link in your shipping email.
translations:
  de:
    from: {fp}
    question: Wo ist meine Bestellung?
    answer: Verfolgen Sie sie mit dem Link in Ihrer Versand-E-Mail.
"""


def _fingerprint(make_project) -> str:
    content = make_project({"faq/where-is-my-order.yaml": FAQ_DE.format(fp="000000000000")})
    return load(content).catalog.faqs["where-is-my-order"].fingerprint()


def test_current_translation_has_no_finding(check, make_project):
    fp = _fingerprint(make_project)
    assert check({"faq/where-is-my-order.yaml": FAQ_DE.format(fp=fp)}, code="stale-translation") == []


def test_stale_translation_points_at_from(check):
    found = check({"faq/where-is-my-order.yaml": FAQ_DE.format(fp="0123456789ab")}, code="stale-translation")
    assert [summary(p) for p in found] == [
        ("stale-translation", "content/faq/where-is-my-order.yaml:9:11", "faq:where-is-my-order", "de", "DE", ("DE",)),
    ]
    p = found[0]
    assert p.severity == "warning"
    assert p.message.startswith("the de translation of faq:where-is-my-order was made from source 0123456789ab, "
                                "but the source is now ")
    assert "kb translations mark-current faq:where-is-my-order --lang de" in p.hint


def test_missing_from_is_stale_with_mark_current_hint(check):
    text = FAQ_DE.replace("    from: {fp}\n", "")
    found = check({"faq/where-is-my-order.yaml": text}, code="stale-translation")
    assert [summary(p) for p in found] == [
        ("stale-translation", "content/faq/where-is-my-order.yaml:8:3", "faq:where-is-my-order", "de", "DE", ("DE",)),
    ]
    assert "has no 'from:' fingerprint" in found[0].message
    assert found[0].hint == ("if it matches the current source, run "
                             "'kb translations mark-current faq:where-is-my-order --lang de'")


def test_incomplete_translation(check):
    text = FAQ_DE.replace("    answer: Verfolgen Sie sie mit dem Link in Ihrer Versand-E-Mail.\n", "")
    found = check({"faq/where-is-my-order.yaml": text.format(fp="0123456789ab")}, code="incomplete-translation")
    assert [summary(p) for p in found] == [
        ("incomplete-translation", "content/faq/where-is-my-order.yaml:8:3", "faq:where-is-my-order", "de", "DE",
         ("DE",)),
    ]
    assert found[0].message == "the de translation of faq:where-is-my-order lacks 1 field(s): answer"


def test_identical_translation(check):
    text = FAQ_DE.replace("Verfolgen Sie sie mit dem Link in Ihrer Versand-E-Mail.",
                          "Track it with the link in your shipping email.  ")
    found = check({"faq/where-is-my-order.yaml": text.format(fp="0123456789ab")}, code="identical-translation")
    assert [summary(p) for p in found] == [
        ("identical-translation", "content/faq/where-is-my-order.yaml:11:13", "faq:where-is-my-order", "de", "DE",
         ("DE",)),
    ]
    assert found[0].message == "the de translation of faq:where-is-my-order is identical to the source in answer"


def test_identical_short_names_are_not_reported(check):
    text = FAQ_DE.replace("Wo ist meine Bestellung?", "PayPal")
    text = text.replace("  question: Where is my order?", "  question: PayPal")
    assert check({"faq/where-is-my-order.yaml": text.format(fp="0123456789ab")}, code="identical-translation") == []
