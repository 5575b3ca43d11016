"""benchmarks/load.py works: it starts the server asked for, sends every planned request, reports
0 errors on a healthy server and counts the failures of a broken one (no timing is asserted)."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import waitress

from benchmarks import load
from kb_builder.loading.loader import load as load_content
from kb_builder.search import build_index
from kb_builder.search.wsgi import create_app

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"


@pytest.fixture
def mini_index(tmp_path) -> Path:
    result = load_content(MINI)
    assert result.ok
    build_index(result.catalog, tmp_path / "search")
    return tmp_path / "search"


def test_the_plan_mixes_languages_and_filters_the_index_has():
    health = {"languages": ["en", "de", "ja"], "markets": ["DE", "JP"]}
    paths = load.plan(health, 300)
    assert len(paths) == 300 and paths == load.plan(health, 300)  # seeded: every run asks the same
    params = [{k: v[0] for k, v in parse_qs(urlsplit(p).query).items()} for p in paths]
    assert {p.get("lang") for p in params} == {None, "en", "de", "ja"}
    assert {p.get("market") for p in params} == {None, "DE", "JP"}
    assert {p.get("kind") for p in params} == {None, *load.KINDS}
    assert {p.get("public") for p in params} == {None, "true"}
    assert any(p["q"] == "返品" for p in params)


def test_gunicorn_run_reports_zero_errors(mini_index, tmp_path, capsys):
    pytest.importorskip("gunicorn")
    out = tmp_path / "load.json"
    code = load.main(["--server", "gunicorn", "--index", str(mini_index), "--requests", "60", "--threads", "4",
                      "--workers", "2", "--threads-per-worker", "2", "--json", str(out)])
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0, capsys.readouterr().out
    assert (figures["requests"], figures["errors"], figures["statuses"]) == (60, 0, {"200": 60})
    assert figures["server"] == "gunicorn (2 workers x 2 threads)" and figures["p50_ms"] <= figures["p99_ms"]
    assert "60 requests from 4 threads" in capsys.readouterr().out


def test_kb_serve_run_reports_zero_errors(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # kb serve builds under the temp folder
    out = tmp_path / "load.json"
    code = load.main(["--server", "kb-serve", "--content", str(content), "--requests", "30", "--threads", "3",
                      "--json", str(out)])
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0, capsys.readouterr().out
    assert (figures["requests"], figures["errors"], figures["statuses"]) == (30, 0, {"200": 30})


def test_failures_are_counted_and_make_the_exit_code_1(mini_index, capsys):
    app = create_app(mini_index)

    def flaky(environ, start_response):  # every search for public entries answers 500
        if environ["PATH_INFO"] == "/api/search" and "public=true" in environ["QUERY_STRING"]:
            start_response("500 Internal Server Error", [("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    health = json.loads(b"".join(app({"PATH_INFO": "/api/health", "REQUEST_METHOD": "GET"}, lambda *a: None)))
    failing = sum("public=true" in p for p in load.plan(health, 40))
    assert 0 < failing < 40
    server = waitress.create_server(flaky, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        code = load.main(["--url", f"http://127.0.0.1:{server.effective_port}", "--requests", "40",
                          "--threads", "2"])
    finally:
        server.close()
    printed = capsys.readouterr().out
    assert code == 1
    assert f"{failing} errors {{'200': {40 - failing}, '500': {failing}}}" in printed, printed
    assert "  error: 500 for /api/search?q=" in printed


def test_only_this_machine_is_a_target():
    with pytest.raises(SystemExit):
        load.main(["--url", "http://192.0.2.1:8000"])
