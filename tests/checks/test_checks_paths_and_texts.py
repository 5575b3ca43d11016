"""quiz-answer-out-of-range and empty-text."""

from __future__ import annotations

from checkhelp import check_fixture, summary  # noqa: F401 (registers the `check` fixture)


def test_quiz_answer_out_of_range(check):
    found = check({"paths/week-one.yaml": """\
        title: Week one
        modules:
          - title: How we answer
            quiz:
              - question: How soon?
                choices: ["4 hours", "24 hours"]
                answer: 2
              - question: Who approves?
                choices: [agent, lead]
                answer: 1
        """}, code="quiz-answer-out-of-range")
    assert [summary(p) for p in found] == [
        ("quiz-answer-out-of-range", "content/paths/week-one.yaml:7:17", "path:week-one", None, None, ()),
    ]
    assert found[0].severity == "error"
    assert found[0].message == ("question 1 of module 'How we answer' in path:week-one has answer: 2, "
                                "but its 2 choices are numbered 0 to 1")


def test_blank_text(check):
    found = check({"faq/where-is-my-order.yaml": """\
        category: shipping
        reviewed: 2026-10-01
        source: {question: Where is my order?, answer: "   "}
        translations:
          de: {from: 0123456789ab, question: "  ", answer: Hier.}
        """}, code="empty-text")
    assert [summary(p) for p in found] == [
        ("empty-text", "content/faq/where-is-my-order.yaml:3:48", "faq:where-is-my-order", None, None, ()),
        ("empty-text", "content/faq/where-is-my-order.yaml:5:38", "faq:where-is-my-order", "de", None, ()),
    ]
    assert found[0].message == "answer of faq:where-is-my-order is blank"
    assert found[1].message == "the de translation of question of faq:where-is-my-order is blank"


def test_empty_string_is_reported_by_the_loader_with_the_same_code(check):
    found = check({"faq/where-is-my-order.yaml": """\
        category: shipping
        source: {question: Where is my order?, answer: ""}
        """}, code="empty-text")
    assert [(p.code, str(p.mark), p.severity) for p in found] == [
        ("empty-text", "content/faq/where-is-my-order.yaml:2:48", "error")]
