"""The JSON search API: answers, CORS, 400s for every bad parameter, and a real server under
concurrent requests."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from kb_builder.search.api import search_app

from search_project import catalog, index, index_dir, project  # noqa: F401 (fixtures)


def call(app, query: str = "", method: str = "GET", origin: str | None = None):
    """Call a WSGI app; returns (status code, headers, parsed JSON or None)."""
    got = {}

    def start_response(status, headers):
        got["status"], got["headers"] = int(status.split()[0]), dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": "/api/search", "QUERY_STRING": query}
    if origin:
        environ["HTTP_ORIGIN"] = origin
    body = b"".join(app(environ, start_response))
    return got["status"], got["headers"], (json.loads(body) if body else None)


@pytest.fixture
def app(index):
    return search_app(lambda: index)


def test_search_answers_json_without_cors_by_default(app):
    status, headers, body = call(app, "q=refund&lang=en&n=2")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert body["count"] == len(body["hits"]) <= 2 and body["hits"][0]["id"] == "refund-timing"
    assert set(body["hits"][0]) == {"id", "kind", "lang", "title", "snippet", "url", "score", "markets", "audience",
                                    "draft"}


def test_filters_and_utf8_queries(app):
    status, _, body = call(app, "q=%E8%BF%94%E9%87%91&market=jp&public=true")  # 返金
    assert status == 200 and [h["id"] for h in body["hits"]] == ["refund-timing"]
    status, _, body = call(app, "q=damaged&kind=template&market=")  # empty = no filter
    assert status == 200 and {h["kind"] for h in body["hits"]} == {"template"}


@pytest.mark.parametrize("query, message", [
    ("", "parameter 'q' is required: the words to search for, e.g. /api/search?q=refund"),
    ("q=+", "parameter 'q' is required: the words to search for, e.g. /api/search?q=refund"),
    ("q=a&n=abc", "parameter 'n' must be a whole number from 1 to 100, not 'abc'"),
    ("q=a&n=-1", "parameter 'n' must be a whole number from 1 to 100, not '-1'"),
    ("q=a&n=500", "the number of results must be between 1 and 100, not 500"),
    ("q=a&n=" + "9" * 5000, "parameter 'n' must be a whole number from 1 to 100, not '" + "9" * 5000 + "'"),
    ("q=a&kind=path", "unknown kind 'path'; use one of: sop, faq, template, market"),
    ("q=a&lang=xx", "no content in language 'xx'; the index has: de, en, ja"),
    ("q=a&market=ZZ", "unknown market 'ZZ'; known markets: DE, JP"),
    ("q=a&q=b", "parameter 'q' is given more than once"),
    ("q=a&public=maybe", "parameter 'public' must be true or false, not 'maybe'"),
    ("q=%FF%FE", "the query string is not valid UTF-8 (or has too many fields)"),
    ("q=" + "x" * 600, "the query is 600 characters long; keep it under 500"),
])
def test_bad_parameters_get_400_with_a_message(app, query, message):
    status, headers, body = call(app, query)
    assert (status, body) == (400, {"error": message})
    assert "Access-Control-Allow-Origin" not in headers


def test_methods(app, index):
    allowed = search_app(lambda: index, ["https://acme.zendesk.com"])
    status, headers, _ = call(allowed, method="OPTIONS", origin="https://acme.zendesk.com")
    assert status == 204 and "GET" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Origin"] == "https://acme.zendesk.com"
    status, headers, _ = call(allowed, "q=refund", origin="https://acme.zendesk.com")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://acme.zendesk.com"
    status, headers, _ = call(allowed, "q=refund", origin="https://evil.example")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, body = call(app, "q=a", method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD, OPTIONS" and "use GET" in body["error"]
    status, _, body = call(app, "q=refund", method="HEAD")
    assert status == 200 and body is None


def test_no_index_yet_is_503():
    status, _, body = call(search_app(lambda: None), "q=refund")
    assert status == 503 and "not built yet" in body["error"]


def test_a_real_server_under_concurrent_requests(index):
    import waitress

    server = waitress.create_server(search_app(lambda: index), host="127.0.0.1", port=0, threads=4)
    stop = threading.Event()

    def run():  # the server's own loop, one poll at a time, so it can be stopped from its thread
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        server.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}/api/search?"
    queries = ["q=refund", "q=Paket&lang=de", "q=%E8%BF%94%E9%87%91", "q=damaged&kind=sop", "q=x&n=0", "q=&lang=en"]

    def fetch(i: int) -> int:
        try:
            with urllib.request.urlopen(base + queries[i % len(queries)], timeout=10) as r:
                json.loads(r.read())
                return r.status
        except urllib.error.HTTPError as exc:
            json.loads(exc.read())
            return exc.code

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(fetch, range(60)))
    finally:
        stop.set()
        thread.join(timeout=5)
    assert codes.count(200) == 40 and codes.count(400) == 20
