"""`kb check --diff`: what changed in the source of a stale translation, from git history."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from kb_builder.cli import main
from kb_builder.checks.gitdiff import changed_lines, word_diff
from kb_builder.loading.loader import load

FAQ = """\
category: shipping
markets: [DE]
reviewed: 2026-10-01
source:
  question: Where is my order?
  answer: |
    Most orders arrive within 7-15 days.
    Track it with the link in your shipping email.
translations:
  de:
    from: {fp}
    question: Wo ist meine Bestellung?
    answer: Verfolgen Sie sie mit dem Link.
"""


def git(root, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
                    *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(make_project, tmp_path):
    """A git checkout whose FAQ translation was made from the first source, then the source changed twice."""
    content = make_project({"faq/where-is-my-order.yaml": FAQ.format(fp="000000000000")})
    fp = load(content, use_cache=False).catalog.faqs["where-is-my-order"].fingerprint()
    faq = content / "faq/where-is-my-order.yaml"
    faq.write_text(FAQ.format(fp=fp), encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "content")
    git(tmp_path, "commit", "-q", "-m", "First answer")
    faq.write_text(FAQ.format(fp=fp).replace("7-15 days", "5-10 working days"), encoding="utf-8")
    git(tmp_path, "commit", "-q", "-am", "Faster shipping")
    faq.write_text(faq.read_text(encoding="utf-8").replace("shipping email.", "shipping email or in your account."),
                   encoding="utf-8")
    return content


def test_word_diff_marks_changes_and_handles_cjk():
    assert word_diff("arrive within 7-15 days", "arrive within 5-10 working days") == \
        "arrive within [-7-15-]{+5-10 working+} days"
    assert word_diff("配送に7日かかります", "配送に5日かかります") == "配送に[-7-]{+5+}日かかります"


def test_changed_lines_leave_out_unchanged_lines():
    assert changed_lines("a\nb [-x-]{+y+}\nc\nd\ne {+z+}") == ["...", "b [-x-]{+y+}", "...", "e {+z+}"]


def test_diff_under_stale_translation(repo, capsys):
    code = main(["check", "--content", "content", "--today", "2026-11-23", "--diff"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if line.endswith("[stale-translation]"))
    assert lines[i].startswith("  content/faq/where-is-my-order.yaml:11:11: warning: the de translation of "
                               "faq:where-is-my-order was made from source ")
    assert lines[i + 1].startswith("      source changes since revision ")
    assert lines[i + 1].endswith(' "First answer":')
    assert lines[i + 2:i + 5] == [
        "        answer:",
        "          Most orders arrive within [-7-15-]{+5-10 working+} days.",
        "          Track it with the link in your shipping email{+ or in your account+}.",
    ]


def test_diff_in_json(repo, capsys):
    main(["check", "--content", "content", "--today", "2026-11-23", "--diff", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    stale = [f for f in doc["findings"] if f["code"] == "stale-translation"]
    assert len(stale) == 1
    assert "[-7-15-]{+5-10 working+}" in stale[0]["source_diff"]


def test_no_matching_revision(repo, capsys):
    faq = repo / "faq/where-is-my-order.yaml"
    faq.write_text(re.sub(r"from: [0-9a-f]{12}", "from: abcdefabcdef", faq.read_text(encoding="utf-8")),
                   encoding="utf-8")
    main(["check", "--content", "content", "--today", "2026-11-23", "--diff"])
    out = capsys.readouterr().out
    assert ("      no committed version of content/faq/where-is-my-order.yaml has the source fingerprint abcdefabcdef; "
            "cannot show what changed") in out


def test_without_git_says_so_and_carries_on(make_project, capsys):
    make_project({"faq/where-is-my-order.yaml": FAQ.format(fp="0123456789ab")})
    code = main(["check", "--content", "content", "--today", "2026-11-23", "--diff"])
    out = capsys.readouterr().out
    assert code == 0
    assert "[stale-translation]" in out
    note = next(line for line in out.splitlines() if line.startswith("note: "))
    assert note.startswith("note: content is not in a git checkout, or git is not available (")
    assert note.endswith("); stale translations are listed without what changed in their source")
