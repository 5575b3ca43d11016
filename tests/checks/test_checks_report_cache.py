"""`kb check` reuses its last report while nothing it depends on has changed."""

from __future__ import annotations

import os
import time

import pytest

from kb_builder import pipeline
from kb_builder.cli import main


def _age(content, seconds=60):
    old = time.time() - seconds
    for path in content.rglob("*"):
        os.utime(path, (old, old))


def _check(capsys, *args):
    code = main(["check", "--today", "2026-11-23", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def no_loading(monkeypatch):
    def fail(content, *later):
        raise AssertionError("loaded the content although the report was cached")
    return lambda: monkeypatch.setattr(pipeline, "load_content", fail)


def test_unchanged_content_reuses_the_report(make_project, capsys, no_loading):
    _age(make_project())
    first = _check(capsys)
    no_loading()
    assert _check(capsys) == first
    assert _check(capsys, "--format", "json")[1].startswith("{")


def test_any_change_or_another_day_is_checked_again(make_project, capsys, no_loading):
    content = make_project()
    _age(content)
    _check(capsys)
    faq = content / "faq/where-is-my-order.yaml"
    faq.write_text(faq.read_text(encoding="utf-8") + "tags: [tracking]\n", encoding="utf-8")
    _age(content)
    code, out = _check(capsys, "--today", "2026-11-24")
    assert code == 0 and "[untranslated]" in out
    code, out = _check(capsys)
    assert "[untranslated]" in out
    no_loading()
    assert _check(capsys)[1] == out


def test_recent_edits_are_never_trusted(make_project, capsys, no_loading):
    make_project()
    _check(capsys)
    no_loading()
    with pytest.raises(AssertionError, match="loaded the content"):
        _check(capsys)
