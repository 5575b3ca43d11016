"""Markdown the renderer would choke on (issue 18, item 6): 40,000 `[` in an answer keep
Python-Markdown busy for minutes. The checker refuses such a text with a clear message, and the
renderer shows it as plain text instead of rendering it."""

from __future__ import annotations

import time
from pathlib import Path

from kb_builder.cli import main
from kb_builder.render.text import MAX_BRACKETS, markdown_html, reference_html


def _faq(answer_line: str) -> str:
    return ("category: shipping\nreviewed: 2026-10-01\nsource:\n  question: Q?\n  answer: |\n"
            f"    {answer_line}\n")


def test_kb_check_refuses_40000_brackets_quickly(make_project, capsys):
    make_project({"faq/brackets.yaml": _faq("[" * 40_000)})
    capsys.readouterr()
    started = time.monotonic()
    assert main(["check", "--content", "content", "--today", "2026-11-23"]) == 1
    assert time.monotonic() - started < 20
    out = capsys.readouterr().out
    assert ("content/faq/brackets.yaml:5:11: error: answer of faq:brackets has 40000 '[', more than Markdown "
            "renders in reasonable time (500) (write fewer brackets; a long list of them is usually pasted by "
            "mistake) [markdown-too-complex]") in out


def test_a_text_with_a_few_hundred_links_is_fine(make_project):
    from kb_builder.checks import run_checks
    from kb_builder.loading.loader import load
    import datetime as dt

    content = make_project({"faq/links.yaml": _faq("[a](https://example.com/) " * MAX_BRACKETS)})
    problems = run_checks(load(content).catalog, dt.date(2026, 11, 23))
    assert [p for p in problems if p.code == "markdown-too-complex"] == []


def test_rendering_is_bounded_and_both_paths_agree():
    text = "Intro {market.a}\n\n" + "[" * 40_000
    started = time.monotonic()
    ref = reference_html(text, {"a": "x"})
    fast = str(markdown_html(text, {"a": "x"}))
    assert time.monotonic() - started < 5
    assert ref == fast == "<p>Intro x\n\n" + "[" * 40_000 + "</p>"
