"""`kb index` and `kb search`: output, exit codes, and an index kept current with the content."""

from __future__ import annotations

import json
import os

from kb_builder.cli import main

from search_project import project  # noqa: F401 (fixtures)


def search_json(capsys, *args) -> dict:
    assert main(["search", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_index_then_search(project, capsys):
    assert main(["index"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("search index built: 15 documents in 3 languages")
    data = search_json(capsys, "refund", "--lang", "en", "-n", "1")
    assert data["hits"][0]["id"] == "refund-timing" and data["count"] == 1
    assert main(["search", "where", "is", "my", "order", "--lang", "en"]) == 0  # words need no quotes
    text = capsys.readouterr().out
    assert text.startswith("1. Where is my order?  faq:where-is-my-order · en · all markets\n")
    assert "site/internal/faq/shipping/#faq-where-is-my-order" in text


def test_a_missing_index_is_built_and_an_outdated_one_updated(project, capsys):
    data = search_json(capsys, "islands")
    assert data["hits"][0]["id"] == "island-delivery"
    path = project / "faq/island-delivery.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("islands get", "archipelagos get"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different modification time, whatever the clock's resolution
    data = search_json(capsys, "archipelagos")
    assert [h["id"] for h in data["hits"]] == ["island-delivery"]
    assert main(["search", "archipelagos"]) == 0
    assert "older than the content" not in capsys.readouterr().err  # now current


def test_content_with_errors_searches_the_last_good_index(project, capsys):
    assert main(["index", "-q"]) == 0
    (project / "faq/broken.yaml").write_text("category: shipping\nsource: [\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["search", "islands"]) == 0
    captured = capsys.readouterr()
    assert "searching the index built before them" in captured.err and "island" in captured.out.lower()
    assert main(["index"]) == 1


def test_no_index_and_no_content_is_a_usage_error(make_project, tmp_path, capsys):
    make_project()
    assert main(["search", "refund", "--content", "nowhere", "--out", "nothing"]) == 2
    assert "no search index in nothing/search and no content folder 'nowhere'" in capsys.readouterr().err
    assert main(["index", "--content", "nowhere"]) == 2


def test_bad_options_exit_2(project, capsys):
    assert main(["search", "refund", "--lang", "xx"]) == 2
    assert "no content in language 'xx'" in capsys.readouterr().err
    assert main(["search", "refund", "--kind", "path"]) == 2
    assert main(["search", "refund", "-n", "0"]) == 2
    assert main(["search"]) == 2
