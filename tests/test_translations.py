"""Fingerprints follow content-format.md; mark-current rewrites only `from:` lines."""

from pathlib import Path

from kb_builder.cli import main
from kb_builder.loading.loader import load
from kb_builder.translation import fingerprint, normalise


def test_normalisation_ignores_trailing_spaces_and_blank_edges():
    assert normalise("\n\nline one   \r\nline two\t\n\n") == "line one\nline two"
    assert normalise("Cafe\u0301") == "Caf\u00e9"


def test_fingerprint_is_stable_under_whitespace_edits_only():
    a = fingerprint([("question", "Where?"), ("answer", "Here.\nThere.")])
    assert a == fingerprint([("question", "Where?  "), ("answer", "\nHere.   \r\nThere.\n\n")])
    assert a != fingerprint([("question", "Where?"), ("answer", "Here.\nThere!")])
    assert a != fingerprint([("question", "Where?Here."), ("answer", "There.")])
    assert len(a) == 12 and int(a, 16) >= 0


def test_fingerprint_command_prints_the_source_fingerprint(make_project, capsys):
    content = make_project()
    assert main(["translations", "fingerprint", "--content", str(content), "faq:where-is-my-order"]) == 0
    expected = load(content).catalog.faqs["where-is-my-order"].fingerprint()
    assert capsys.readouterr().out.strip() == expected


FAQ = """\
# a comment that must survive
category: shipping
source:
  question: Where?   # trailing comment
  answer: Here.
translations:
  de:
    # translator: Anna
    question: Wo?
    answer: Hier.
  ja: {question: どこ？, answer: ここ。}
"""


def test_mark_current_inserts_from_and_keeps_every_other_byte(make_project):
    content = make_project({"faq/a.yaml": FAQ, "markets/jp.yaml": None})
    fp = load(content).catalog.faqs["a"].fingerprint()
    assert main(["translations", "mark-current", "--content", str(content), "faq:a"]) == 0
    text = (content / "faq/a.yaml").read_text(encoding="utf-8")
    assert text == FAQ.replace("  de:\n    # translator: Anna\n    question", f"  de:\n    # translator: Anna\n    from: {fp}\n    question").replace(
        "ja: {question", f"ja: {{from: {fp}, question")
    catalog = load(content).catalog
    assert all(not catalog.faqs["a"].is_stale(lang) for lang in ("de", "ja"))


def test_mark_current_replaces_an_old_from_in_place_with_crlf(make_project):
    body = FAQ.replace("  de:\n", "  de:\n    from: 'aaaaaaaaaaaa'\n").replace("\n", "\r\n").encode()
    content = make_project({"faq/a.yaml": body, "markets/jp.yaml": None})
    fp = load(content).catalog.faqs["a"].fingerprint()
    assert main(["translations", "mark-current", "--content", str(content), "--lang", "de"]) == 0
    assert (content / "faq/a.yaml").read_bytes() == body.replace(b"aaaaaaaaaaaa", fp.encode())


def test_mark_current_needs_a_target(make_project, capsys):
    content = make_project()
    assert main(["translations", "mark-current", "--content", str(content)]) == 2
    assert "name an entry" in capsys.readouterr().err
