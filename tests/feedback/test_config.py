"""kb.yaml `feedback_url`: an absolute http(s) URL or a site-relative path; anything else is an
error naming file, line and column."""

from __future__ import annotations

import pytest
from conftest import KB_YAML

from kb_builder.cli import main
from kb_builder.pipeline import load_catalog


@pytest.mark.parametrize("url", ["https://help.example.com/api/feedback", "http://127.0.0.1:8000/api/feedback",
                                 "/api/feedback"])
def test_good_urls_are_kept(make_project, url):
    content = make_project({"kb.yaml": KB_YAML + f"feedback_url: {url}\n"})
    assert load_catalog(content).settings.feedback_url == url


def test_no_url_means_no_feedback(make_project):
    assert load_catalog(make_project()).settings.feedback_url == ""


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/x", "api/feedback", "ftp://x.example/",
                                 "'/a\\\"b'", "https://x.example/a b"])
def test_a_bad_url_is_an_error_at_its_position(make_project, capsys, url):
    line = KB_YAML.count("\n") + 1
    make_project({"kb.yaml": KB_YAML + f"feedback_url: {url}\n"})
    assert main(["check"]) == 1
    err = capsys.readouterr().out
    assert f"content/kb.yaml:{line}:15: error: feedback_url: the text " in err
    assert ("is not in the expected form (write an absolute http(s) URL or a site-relative path, "
            "e.g. /api/feedback) [bad-value]") in err
