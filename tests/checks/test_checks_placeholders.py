"""undeclared-placeholder, missing-placeholder, unused-placeholder, placeholder-outside-template."""

from __future__ import annotations

from checkhelp import check_fixture, summary  # noqa: F401 (registers the `check` fixture)

TEMPLATE = """\
channel: email
reviewed: 2026-10-01
placeholders: [customer_name, order_id]
source:
  subject: "Your order {order_id}"
  body: |
    Hi {customer_name},
    sorry about {order_id}. {{literal}} braces stay.
translations:
  de:
    from: 0123456789ab
    subject: "Ihre Bestellung {order_id}"
    body: |
      Hallo,
      Entschuldigung.
"""


def test_declared_placeholder_missing_from_translation(check):
    found = check({"templates/apology.yaml": TEMPLATE}, code="missing-placeholder")
    assert [summary(p) for p in found] == [
        ("missing-placeholder", "content/templates/apology.yaml:13:11", "template:apology", "de", "DE", ("DE",)),
    ]
    assert found[0].severity == "warning"
    assert found[0].message == "the de translation of template:apology lacks {customer_name}"


def test_untranslated_field_falls_back_to_source_placeholders(check):
    text = TEMPLATE.replace("    body: |\n      Hallo,\n      Entschuldigung.\n", "")
    assert check({"templates/apology.yaml": text}, code="missing-placeholder") == []


def test_undeclared_placeholder(check):
    text = TEMPLATE.replace("sorry about {order_id}", "sorry about {order_number}")
    found = check({"templates/apology.yaml": text}, code="undeclared-placeholder")
    assert [summary(p) for p in found] == [
        ("undeclared-placeholder", "content/templates/apology.yaml:6:9", "template:apology", None, None, ()),
    ]
    assert found[0].severity == "error"
    assert found[0].message == ("template:apology uses the placeholder {order_number}, which its placeholders "
                                "list does not declare")
    assert found[0].hint.startswith("did you mean {order_id}?")


def test_undeclared_placeholder_in_translation(check):
    text = TEMPLATE.replace("Ihre Bestellung {order_id}", "Ihre Bestellung {bestellung}")
    found = check({"templates/apology.yaml": text}, code="undeclared-placeholder")
    assert [summary(p) for p in found] == [
        ("undeclared-placeholder", "content/templates/apology.yaml:12:14", "template:apology", "de", None, ()),
    ]


def test_unused_placeholder(check):
    text = TEMPLATE.replace("[customer_name, order_id]", "[customer_name, order_id, tracking_url]")
    found = check({"templates/apology.yaml": text}, code="unused-placeholder")
    assert [summary(p) for p in found] == [
        ("unused-placeholder", "content/templates/apology.yaml:3:15", "template:apology", None, None, ()),
    ]


def test_placeholder_outside_template(check):
    found = check({"faq/where-is-my-order.yaml": """\
        category: shipping
        reviewed: 2026-10-01
        source: {question: "Where is {order_id}?", answer: "Within {return_window_days} days."}
        """}, code="placeholder-outside-template")
    assert [summary(p) for p in found] == [
        ("placeholder-outside-template", "content/faq/where-is-my-order.yaml:3:20", "faq:where-is-my-order", None,
         None, ()),
        ("placeholder-outside-template", "content/faq/where-is-my-order.yaml:3:52", "faq:where-is-my-order", None,
         None, ()),
    ]
    assert found[0].severity == "error"
    assert found[0].hint == "write {{order_id}} to show it with braces, or reword it"
    assert found[1].hint == "write {market.return_window_days} for the market's value"
