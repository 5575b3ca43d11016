"""Hostile or broken input gives a message, never a traceback (issue 18, item 7): each case names
the exact message and exit code."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest

from kb_builder.cli import main
from kb_builder.loading.loader import load

FAQ = "category: shipping\nreviewed: 2026-10-01\nsource:\n  question: Q?\n  answer: A.\n"


def _errors(content) -> list[str]:
    return [p.format() for p in sorted(load(content, use_cache=False).problems, key=lambda p: p.sort_key())
            if p.severity == "error"]


def _check(capsys, *extra) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["check", "--content", "content", "--today", "2026-11-23", *extra])
    said = capsys.readouterr()
    assert "Traceback" not in said.out + said.err
    return code, said.out + said.err


def test_flow_nesting_of_1200_levels(make_project, capsys):
    make_project({"faq/a.yaml": FAQ + "deep: " + "[" * 1200 + "]" * 1200 + "\n"})
    assert _errors(Path("content")) == [
        "content/faq/a.yaml:6:57: error: the file nests deeper than 50 levels (flatten the structure)"]
    assert _check(capsys)[0] == 1


def test_block_nesting_of_1000_levels(make_project, capsys):
    deep = "".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "x: 1\n"
    make_project({"faq/a.yaml": FAQ + deep})
    assert _errors(Path("content")) == [
        "content/faq/a.yaml:57:103: error: the file nests deeper than 50 levels (flatten the structure)"]
    assert _check(capsys)[0] == 1


def test_nesting_within_the_limit_is_still_read(make_project):
    make_project({"faq/a.yaml": FAQ + "tags: " + "[" * 3 + "x" + "]" * 3 + "\n"})
    assert "nests deeper" not in "\n".join(_errors(Path("content")))


def test_an_integer_of_5000_digits(make_project, capsys):
    make_project({"faq/a.yaml": FAQ + "review_every_days: " + "9" * 5000 + "\n"})
    assert _errors(Path("content")) == [
        "content/faq/a.yaml:6:20: error: the number has 5000 digits, more than kb reads (4,000) (write a smaller "
        "number, or quote it if it is text)"]
    assert _check(capsys)[0] == 1


@pytest.mark.parametrize("extra", ["reviewed: 9999-12-31\n", "review_every_days: 99999999999999999\n"])
def test_review_dates_at_the_end_of_the_calendar(make_project, capsys, extra):
    body = FAQ.replace("reviewed: 2026-10-01\n", "") + extra + ("reviewed: 2026-10-01\n" if "every" in extra else "")
    make_project({"faq/where-is-my-order.yaml": body})
    code, said = _check(capsys)
    assert code in (0, 1) and "overdue" not in said and "OverflowError" not in said


def test_a_time_zone_of_5000_characters(make_project, capsys):
    from conftest import MARKET_DE

    make_project({"markets/de.yaml": MARKET_DE.replace("Europe/Berlin", "A" * 5000)})
    assert _errors(Path("content")) == [
        f"content/markets/de.yaml:5:11: error: '{'A' * 60}…' is not a known IANA time zone (use a name like "
        "Europe/Berlin or Asia/Tokyo)"]
    assert _check(capsys)[0] == 1


def test_control_and_bidi_characters_from_content_are_shown_escaped(make_project, capsys):
    make_project({"faq/a.yaml": FAQ + '"bogus\\e]0;owned\\a\\e[31m\\u202e\\nfake": 1\n'})
    code, said = _check(capsys)
    line = next(ln for ln in said.splitlines() if "unknown key" in ln)
    assert "'bogus\\x1b]0;owned\\x07\\x1b[31m\\u202e\\x0afake'" in line
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", said)


def test_out_naming_a_file_is_a_usage_error(make_project, capsys):
    make_project()
    Path("afile").write_text("x", "utf-8")
    capsys.readouterr()
    assert main(["build", "--content", "content", "--out", "afile", "-q"]) == 2
    assert capsys.readouterr().err == (
        "error: --out 'afile': 'afile' is a file, not a folder; pass a folder to write into\n")
    assert main(["build", "--content", "content", "--out", "afile/site", "-q"]) == 2
    assert main(["schema", "--content", "content", "--out", "afile/schemas"]) == 2
    assert "'afile' is a file, not a folder" in capsys.readouterr().err


def test_schema_out_in_an_impossible_place(make_project, capsys):
    make_project()
    capsys.readouterr()
    assert main(["schema", "--content", "content", "--out", "/proc/kb-schemas"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot read or write /proc/kb-schemas: ") and "Traceback" not in err


@pytest.mark.parametrize("failure", [(errno.ENOSPC, "No space left on device"),
                                     (errno.EROFS, "Read-only file system")])
def test_a_full_disk_or_read_only_output_is_a_message(make_project, capsys, monkeypatch, failure):
    import kb_builder.pipeline as pipeline

    make_project()

    def build(*_a, **_k):
        raise OSError(failure[0], failure[1], "site/internal/index.html")

    monkeypatch.setattr(pipeline, "build", build)
    capsys.readouterr()
    assert main(["build", "--content", "content", "-q"]) == 1
    assert capsys.readouterr().err == (
        f"error: cannot read or write site/internal/index.html: {failure[1]} (check the free space and the "
        "permissions of that path)\n")


@pytest.mark.parametrize("port", ["-5", "99999"])
def test_serve_refuses_a_port_out_of_range(make_project, capsys, port):
    make_project()
    capsys.readouterr()
    assert main(["serve", "--content", "content", "--port", port]) == 2
    assert f"Invalid value for '--port': {port} is not in the range 0<=x<=65535" in capsys.readouterr().err


def test_api_n_of_5000_digits_is_a_bad_request():
    from kb_builder.search.api import BadRequest, parameters, search_app

    with pytest.raises(BadRequest, match=r"^parameter 'n' must be a whole number from 1 to 100, not '9{5000}'$"):
        parameters("q=refund&n=" + "9" * 5000)
    statuses = []
    app = search_app(lambda: None)
    app({"REQUEST_METHOD": "GET", "QUERY_STRING": "q=refund&n=" + "9" * 5000},
        lambda status, headers: statuses.append(status))
    assert statuses == ["400 Bad Request"]
