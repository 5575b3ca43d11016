"""`kb serve`'s POST /api/feedback and the failed searches of /api/search, through the WSGI app
(and, for concurrency, through waitress on 127.0.0.1)."""

from __future__ import annotations

import http.client
import io
import json
import sqlite3
import threading

import pytest

from kb_builder.errors import ContentError
from kb_builder.feedback.store import DB_NAME
from kb_builder.loading.loader import load
from kb_builder.search import build_index
from kb_builder.serve import Preview

AE = """\
code: AE
name: United Arab Emirates
languages: [ar, en]
currency: AED
timezone: Asia/Dubai
vars: {return_window_days: 7}
"""
INTERNAL_FAQ = """\
category: shipping
audience: internal
source: {question: Internal only?, answer: Not for customers.}
"""
FILES = {"markets/ae.yaml": AE, "faq/agents-only.yaml": INTERNAL_FAQ,
         "kb.yaml": "name: T\nsource_language: en\nlanguages: [en, de, ja, ar]\n"
                    "categories:\n  shipping: {en: Shipping}\n"}


def fake_build(content, out, audience, today, progress):
    """Stands in for pipeline.build: a one-page internal site and the search index."""
    result = load(content)
    if not result.ok:
        raise ContentError(result.problems)
    (out / "internal").mkdir(parents=True, exist_ok=True)
    (out / "internal" / "index.html").write_text("<html><body>KB</body></html>", encoding="utf-8")
    build_index(result.catalog, out / "search")
    return result


@pytest.fixture
def preview(make_project):
    content = make_project(FILES)
    p = Preview(content, content.parent / "out", build=fake_build, say=lambda msg: None,
                allowed_origins=("https://help.example.com",))
    assert p.rebuild()
    yield p
    p.close()


def call(app, path, body=b"", method="POST", ctype="application/json", query="", **headers):
    got = {}

    def start_response(status, hdrs):
        got["status"], got["headers"] = int(status.split()[0]), dict(hdrs)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "127.0.0.1:8000",
               "CONTENT_TYPE": ctype, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    data = b"".join(app(environ, start_response))
    return got["status"], got["headers"], json.loads(data) if data else None


def vote(**fields) -> bytes:
    data = {"market": "DE", "lang": "de", "entry": "where-is-my-order", "helpful": False, "reason": "unclear"}
    data.update(fields)
    return json.dumps({k: v for k, v in data.items() if v is not ...}).encode("utf-8")


def rows(preview, table="feedback"):
    with sqlite3.connect(preview.out / DB_NAME) as db:
        cols = "market, lang, entry, helpful, reason" if table == "feedback" else "query, market, lang, kind"
        return db.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()


def test_a_vote_is_stored_and_answered_with_204(preview):
    status, headers, body = call(preview, "/api/feedback", vote(reason="  incomplete:\n  sale   items "))
    assert (status, body) == (204, None) and "Access-Control-Allow-Origin" not in headers
    status, _, _ = call(preview, "/api/feedback", vote(market="AE", lang="ar", helpful=True, reason=None))
    assert status == 204
    assert rows(preview) == [("DE", "de", "where-is-my-order", 0, "incomplete: sale items"),
                             ("AE", "ar", "where-is-my-order", 1, "")]


@pytest.mark.parametrize("body, message", [
    (b"{not json", "the body is not JSON; send {\"market\", \"lang\", \"entry\", \"helpful\", \"reason\"}"),
    (b"[1, 2]", "the body must be a JSON object with market, lang, entry, helpful and reason"),
    (vote(email="a@b.c"), "unknown field 'email': only market, lang, entry, helpful, reason are accepted"),
    (vote(market=...), "'market' is required and must be text"),
    (vote(market="FR"), "'market': no help center for market 'FR'"),
    (vote(lang="ja"), "'lang': market DE has no help center in 'ja'"),
    (vote(entry="agents-only"), "'entry': no public answer 'agents-only' in market DE"),
    (vote(entry="<script>"), "'entry': no public answer '<script>' in market DE"),
    (vote(helpful="no"), "'helpful' is required and must be true or false"),
    (vote(helpful=...), "'helpful' is required and must be true or false"),
    (vote(reason=5), "'reason' must be text (or null)"),
    (vote(reason="x" * 501), "'reason' is 501 characters long; at most 500 are accepted"),
], ids=lambda v: v[:30] if isinstance(v, str) else None)
def test_a_bad_vote_is_refused_with_400_and_a_message(preview, body, message):
    assert call(preview, "/api/feedback", body)[::2] == (400, {"error": message})
    assert not (preview.out / DB_NAME).exists() or rows(preview) == []


def test_a_reason_of_500_characters_in_any_script_is_accepted(preview):
    assert call(preview, "/api/feedback", vote(reason="لا" * 250))[0] == 204
    assert len(rows(preview)[0][4]) == 500


def test_method_type_and_size_are_checked_before_the_body_is_read(preview):
    assert call(preview, "/api/feedback", method="GET")[::2] == (405, {"error": "GET is not supported; POST a JSON vote"})
    assert call(preview, "/api/feedback", vote(), ctype="application/x-www-form-urlencoded")[::2] == (
        415, {"error": "send the vote as JSON (Content-Type: application/json or text/plain)"})
    assert call(preview, "/api/feedback", vote(), ctype="text/plain;charset=UTF-8")[0] == 204  # what pages send
    assert call(preview, "/api/feedback", b"x" * 5000)[::2] == (413, {"error": "the body is larger than 4096 bytes"})


def test_only_this_origin_and_allowed_origins_may_send(preview):
    assert call(preview, "/api/feedback", vote(), Origin="http://127.0.0.1:8000")[0] == 204
    status, headers, _ = call(preview, "/api/feedback", vote(), Origin="https://help.example.com")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "https://help.example.com"
    assert call(preview, "/api/feedback", vote(), Origin="https://evil.example")[::2] == (403, {
        "error": "pages of https://evil.example may not send feedback; start kb serve with "
                 "--allow-origin https://evil.example"})
    status, headers, _ = call(preview, "/api/feedback", method="OPTIONS", Origin="https://help.example.com")
    assert status == 204 and headers["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert headers["Access-Control-Allow-Headers"] == "Content-Type"
    status, headers, _ = call(preview, "/api/feedback", method="OPTIONS", Origin="https://evil.example")
    assert status == 204 and "Access-Control-Allow-Origin" not in headers
    assert len(rows(preview)) == 2


def test_before_the_first_good_build_votes_wait(make_project):
    content = make_project(FILES)
    p = Preview(content, content.parent / "out", build=fake_build, say=lambda msg: None)
    assert call(p, "/api/feedback", vote())[0] == 503


def test_searches_that_found_nothing_are_recorded_and_others_not(preview):
    assert call(preview, "/api/search", method="GET", query="q=zzqqxx+%20qqzzy&market=DE&lang=en")[0] == 200
    assert call(preview, "/api/search", method="GET", query="q=order")[2]["count"] > 0
    assert call(preview, "/api/search", method="GET", query="q=")[0] == 400
    assert rows(preview, "search_miss") == [("zzqqxx qqzzy", "DE", "en", "")]


def test_concurrent_requests_through_waitress_all_land(preview):
    import waitress

    server = waitress.create_server(preview, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    statuses: list[int] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(10):
            if i % 2:
                conn.request("GET", f"/api/search?q=zzqq{n}x{i}")
            else:
                conn.request("POST", "/api/feedback", body=vote(reason=f"r{n}-{i}"),
                             headers={"Content-Type": "application/json"})
            status = conn.getresponse()
            status.read()
            with lock:
                statuses.append(status.status)
        conn.close()

    clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for c in clients:
        c.start()
    for c in clients:
        c.join(60)
    server.close()
    thread.join(10)
    assert sorted(set(statuses)) == [200, 204] and len(statuses) == 80
    assert len(rows(preview)) == 40 and len(rows(preview, "search_miss")) == 40
    assert {r[4] for r in rows(preview)} == {f"r{n}-{i}" for n in range(8) for i in range(0, 10, 2)}
