"""undefined-market-variable: per (entry, variable), markets lacking it, at the first field using it."""

from __future__ import annotations

from checkhelp import check_fixture, summary  # noqa: F401 (registers the `check` fixture)


def test_undefined_for_some_markets_in_scope(check):
    found = check({"faq/where-is-my-order.yaml": """\
        category: shipping
        reviewed: 2026-10-01
        source:
          question: Where is my order?
          answer: "You may withdraw within {market.withdrawal_days} days ({market.withdrawal_days})."
        translations:
          de: {from: 0123456789ab, question: Wo?, answer: "Widerruf binnen {market.withdrawal_days} Tagen."}
        """}, code="undefined-market-variable")
    assert [summary(p) for p in found] == [
        ("undefined-market-variable", "content/faq/where-is-my-order.yaml:5:11", "faq:where-is-my-order", None, "JP",
         ("JP",)),
    ]
    assert found[0].severity == "error"
    assert found[0].message == "faq:where-is-my-order uses {market.withdrawal_days}, which is not defined for JP"
    assert found[0].hint == "add withdrawal_days: ... under vars: in markets/jp.yaml"


def test_suggests_a_close_name_and_lists_every_market(check):
    found = check({"faq/where-is-my-order.yaml": """\
        category: shipping
        reviewed: 2026-10-01
        source: {question: Where?, answer: "Returns within {market.return_window_day} days."}
        """}, code="undefined-market-variable")
    assert [p.markets for p in found] == [("DE", "JP")]
    assert found[0].hint.startswith("did you mean {market.return_window_days}?")


def test_builtins_are_defined(check):
    found = check({"faq/where-is-my-order.yaml": """\
        category: shipping
        reviewed: 2026-10-01
        source: {question: "{market.name}?", answer: "{market.currency}, {market.response_hours_email} h"}
        """}, code="undefined-market-variable")
    assert found == []


def test_step_variables_only_for_the_step_markets(check):
    sop = """\
        title: Item arrived damaged
        reviewed: 2026-10-01
        steps:
          - id: withdrawal
            markets: [DE]
            do: Remind them of the {market.withdrawal_days}-day right.
          - id: everyone
            do: "Refund within {market.withdrawal_days} days."
        """
    found = check({"sops/damaged-item.yaml": sop}, code="undefined-market-variable")
    assert [summary(p) for p in found] == [
        ("undefined-market-variable", "content/sops/damaged-item.yaml:6:9", "sop:damaged-item", None, "JP", ("JP",)),
    ]
    only_step = sop.replace('"Refund within {market.withdrawal_days} days."', "Refund.")
    assert check({"sops/damaged-item.yaml": only_step}, code="undefined-market-variable") == []


def test_variable_used_only_in_a_translation(check):
    found = check({"faq/where-is-my-order.yaml": """\
        category: shipping
        reviewed: 2026-10-01
        source: {question: Where?, answer: Track it.}
        translations:
          ja: {from: 0123456789ab, question: どこ?, answer: "{market.withdrawal_days}日以内"}
        """}, code="undefined-market-variable")
    assert [summary(p) for p in found] == [
        ("undefined-market-variable", "content/faq/where-is-my-order.yaml:5:51", "faq:where-is-my-order", "ja", "JP",
         ("JP",)),
    ]
