"""The production search API's feedback loop (kb_builder.search.wsgi with a feedback database):
the same answers as `kb serve` for the same requests, the known answers read from the index
folder, failed searches in `kb report`, and two gunicorn workers writing one database."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kb_builder.cli import main
from kb_builder.errors import UsageError
from kb_builder.feedback.intake import Answers
from kb_builder.loading.loader import load
from kb_builder.search import SearchIndex, build_index
from kb_builder.search import wsgi

from test_endpoint import FILES, call, preview, vote  # noqa: F401 (the kb serve fixture)

HELP = "https://help.example.com"


@pytest.fixture
def production(preview, tmp_path):  # noqa: F811
    app = wsgi.create_app(index_dir=preview.out / "search", allowed_origins=[HELP],
                          feedback_db=tmp_path / "feedback.sqlite3")
    yield app
    app.store().close()


def _rows(path, table):
    cols = "market, lang, entry, helpful, reason" if table == "feedback" else "query, market, lang, kind"
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()


# valid and invalid votes, types, sizes, origins and methods: (body, method, content type, headers)
REQUESTS = [
    (vote(), "POST", "application/json", {}),
    (vote(reason="  incomplete:\n <b>sale</b>  items "), "POST", "text/plain;charset=UTF-8", {}),
    (vote(market="AE", lang="ar", helpful=True, reason=None), "POST", "application/json", {"Origin": HELP}),
    (vote(reason="لا" * 250), "POST", "application/json", {"Origin": "http://127.0.0.1:8000"}),
    (vote(entry="agents-only"), "POST", "application/json", {}),
    (vote(entry="</script>"), "POST", "application/json", {"Origin": HELP}),
    (vote(market="FR"), "POST", "application/json", {}),
    (vote(lang="ja"), "POST", "application/json", {}),
    (vote(helpful="no"), "POST", "application/json", {}),
    (vote(email="a@b.c"), "POST", "application/json", {}),
    (vote(reason="x" * 501), "POST", "application/json", {}),
    (b"{not json", "POST", "application/json", {}),
    (b"[1, 2]", "POST", "application/json", {}),
    (b"x" * 5000, "POST", "application/json", {}),
    (vote(), "POST", "application/x-www-form-urlencoded", {}),
    (b"", "GET", "", {}),
    (b"", "OPTIONS", "", {"Origin": HELP}),
    (b"", "OPTIONS", "", {"Origin": "https://evil.example"}),
]


def test_the_same_request_gets_the_same_answer_from_kb_serve_and_production(preview, production):  # noqa: F811
    statuses = []
    for body, method, ctype, headers in REQUESTS:
        theirs = call(preview, "/api/feedback", body, method=method, ctype=ctype, **headers)
        ours = call(production, "/api/feedback", body, method=method, ctype=ctype, **headers)
        assert ours == theirs, (body[:60], method, ctype, headers)
        statuses.append(ours[0])
    assert statuses.count(204) == 6 and statuses.count(400) == 9 and {405, 413, 415} <= set(statuses)
    # both stored the same four votes, in the same order
    assert _rows(production.feedback_db, "feedback") == _rows(preview.out / ".kb-feedback.sqlite3", "feedback")
    assert len(_rows(production.feedback_db, "feedback")) == 4


def test_a_refused_origin_is_told_how_each_server_allows_it(preview, production):  # noqa: F811
    theirs = call(preview, "/api/feedback", vote(), Origin="https://evil.example")
    ours = call(production, "/api/feedback", vote(), Origin="https://evil.example")
    assert theirs[::2] == (403, {"error": "pages of https://evil.example may not send feedback; start kb serve "
                                          "with --allow-origin https://evil.example"})
    assert ours[::2] == (403, {"error": "pages of https://evil.example may not send feedback; add "
                                        "https://evil.example to KB_ALLOW_ORIGIN (or create_app's allowed_origins)"})


def test_a_search_that_found_nothing_is_in_kb_report(preview, production, capsys):  # noqa: F811
    for app in (preview, production):
        assert call(app, "/api/search", method="GET", query="q=Geschenk%20Karte%3F&market=DE&lang=en")[0] == 200
        assert call(app, "/api/search", method="GET", query="q=order")[2]["count"] > 0
        assert call(app, "/api/search", method="GET", query="q=")[0] == 400
    assert _rows(production.feedback_db, "search_miss") == [("Geschenk Karte?", "DE", "en", "")]
    assert _rows(production.feedback_db, "search_miss") == _rows(preview.out / ".kb-feedback.sqlite3", "search_miss")
    assert main(["report", "search-misses", "--db", str(production.feedback_db), "--json"]) == 0
    queries = json.loads(capsys.readouterr().out)["queries"]
    assert [(q["query"], q["count"], q["markets"], q["langs"]) for q in queries] == [("geschenk karte", 1, ["DE"], ["en"])]
    assert main(["report", "search-misses", "--db", str(production.feedback_db)]) == 0
    assert "    1  geschenk karte" in capsys.readouterr().out
    assert main(["report", "feedback", "--db", str(production.feedback_db.parent / "other.sqlite3")]) == 1
    assert capsys.readouterr().err == (f"error: no feedback database at {production.feedback_db.parent / 'other.sqlite3'}: "
                                       "the production search API writes it where KB_FEEDBACK_DB points "
                                       "(see docs/search.md)\n")
    assert not (production.feedback_db.parent / "other.sqlite3").exists()


def test_without_a_database_there_is_no_feedback_and_nothing_is_written(preview, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.delenv("KB_FEEDBACK_DB", raising=False)
    app = wsgi.create_app(index_dir=preview.out / "search")
    assert app.feedback_db is None
    assert call(app, "/api/feedback", vote())[::2] == (404, {"error": "no API at /api/feedback; use "
                                                                      "/api/search?q=... or /api/health"})
    assert call(app, "/api/search", method="GET", query="q=zzqqxx")[0] == 200
    assert list(tmp_path.rglob("*.sqlite3*")) == []


def test_the_database_comes_from_the_environment_and_a_bad_one_stops_the_start(preview, tmp_path, monkeypatch):  # noqa: F811
    index_dir = preview.out / "search"
    monkeypatch.setenv("KB_FEEDBACK_DB", str(tmp_path / "votes.sqlite3"))
    app = wsgi.create_app(index_dir=index_dir)
    assert app.feedback_db == tmp_path / "votes.sqlite3" and (tmp_path / "votes.sqlite3").is_file()
    assert call(app, "/api/feedback", vote())[0] == 204
    app.store().close()
    with pytest.raises(UsageError) as err:
        wsgi.create_app(index_dir=index_dir, feedback_db=index_dir / "fb.sqlite3")
    assert str(err.value) == (f"KB_FEEDBACK_DB {index_dir / 'fb.sqlite3'} is inside the search index folder "
                              f"{index_dir}, which is read-only and replaced on every deploy; put the database "
                              f"elsewhere, e.g. /var/lib/kb/feedback.sqlite3")
    assert not (index_dir / "fb.sqlite3").exists()
    with pytest.raises(UsageError) as err:
        wsgi.create_app(index_dir=index_dir, feedback_db=tmp_path / "nowhere" / "fb.sqlite3")
    assert str(err.value) == (f"KB_FEEDBACK_DB {tmp_path / 'nowhere' / 'fb.sqlite3'}: the folder "
                              f"{tmp_path / 'nowhere'} does not exist; create it (writable by the server's user) "
                              f"or name another file")
    (tmp_path / "notes.txt").write_text("not a database, just text " * 100, encoding="utf-8")
    with pytest.raises(UsageError) as err:
        wsgi.create_app(index_dir=index_dir, feedback_db=tmp_path / "notes.txt")
    assert str(err.value).startswith(f"KB_FEEDBACK_DB {tmp_path / 'notes.txt'} cannot be used as the feedback "
                                     f"database: {tmp_path / 'notes.txt'} is not a feedback database")


def test_each_forked_worker_opens_its_own_database_connection(production):
    parent = production.store()
    assert call(production, "/api/feedback", vote(reason="parent"))[0] == 204
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a worker forked after the parent had written
        try:
            child = production.store()
            ok = child is not parent and call(production, "/api/feedback", vote(reason="child"))[0] == 204
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert production.store() is parent
    assert [r[4] for r in _rows(production.feedback_db, "feedback")] == ["parent", "child"]


TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["</script>", "<b>x</b>", "\u202eRTL", "مرحبا", "返金", "**bold** [a](b)", "\"'", "DE", "de", "where-is-my-order"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(market=TEXT, lang=TEXT, entry=TEXT, helpful=st.sampled_from([True, False, None, "yes", 1]),
       reason=TEXT | st.none() | st.integers(), text_plain=st.booleans())
def test_hostile_votes_get_the_same_answer_from_both_servers(preview, production, market, lang, entry,  # noqa: F811
                                                             helpful, reason, text_plain):
    body = json.dumps({"market": market, "lang": lang, "entry": entry, "helpful": helpful, "reason": reason},
                      ensure_ascii=bool(text_plain)).encode("utf-8")
    ctype = "text/plain;charset=UTF-8" if text_plain else "application/json"
    assert call(production, "/api/feedback", body, ctype=ctype) == call(preview, "/api/feedback", body, ctype=ctype)


def test_a_newly_switched_in_index_brings_its_answers(preview, production, make_project):  # noqa: F811
    assert call(production, "/api/feedback", vote(entry="gift-cards"))[::2] == (
        400, {"error": "'entry': no public answer 'gift-cards' in market DE"})
    added = "category: shipping\nsource: {question: Gift cards?, answer: Yes.}\n"
    result = load(make_project({**FILES, "faq/gift-cards.yaml": added}))
    assert result.ok
    build_index(result.catalog, preview.out / "search")
    assert call(production, "/api/feedback", vote(entry="gift-cards"))[0] == 204


# --- the known answers, read from the index folder -----------------------------------------------

FAQ = """\
category: shipping
audience: {audience}
draft: {draft}
markets: {markets}
source: {{question: Question {n}?, answer: Answer {n}.}}
"""
SCOPES = ["all", "[DE]", "[AE]", "[DE, AE]"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(st.sampled_from(["public", "internal"]), st.booleans(), st.sampled_from(SCOPES)),
                        min_size=1, max_size=6),
       audience=st.sampled_from(["all", "public"]))
def test_the_answers_read_from_the_index_equal_those_of_the_catalog(make_project, tmp_path, entries, audience):
    files = dict(FILES)
    for n, (who, draft, scope) in enumerate(entries):
        files[f"faq/generated-{n}.yaml"] = FAQ.format(audience=who, draft=str(draft).lower(), markets=scope, n=n)
    result = load(make_project(files))
    assert result.ok, [p.format() for p in result.problems]
    folder = tmp_path / f"index-{audience}-{len(entries)}-{os.urandom(4).hex()}"
    build_index(result.catalog, folder, audience=audience)
    index = SearchIndex(folder)
    try:
        assert wsgi.published_answers(index) == Answers.of(result.catalog)
    finally:
        index.close()


def test_the_bundled_content_answers_read_from_the_index_equal_those_of_the_catalog(tmp_path):
    from conftest import REPO

    result = load(REPO / "content")
    assert result.ok
    build_index(result.catalog, tmp_path / "search")
    index = SearchIndex(tmp_path / "search")
    try:
        known = wsgi.published_answers(index)
    finally:
        index.close()
    assert known == Answers.of(result.catalog)
    assert sum(len(e) for e in known.entries.values()) > 20  # real answers, not two empty sets


# --- two gunicorn workers, one database ------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_gunicorn_workers_keep_every_concurrent_vote_and_miss(preview, tmp_path):  # noqa: F811
    pytest.importorskip("gunicorn")
    from benchmarks.load import gunicorn_command

    database = tmp_path / "feedback.sqlite3"
    port = _free_port()
    env = dict(os.environ, KB_FEEDBACK_DB=str(database), KB_ALLOW_ORIGIN=HELP)
    command = gunicorn_command(preview.out / "search", port, workers=2, threads=2)
    command[3:3] = ["--preload"]  # the app is made in the master process, then forked into both workers
    server = subprocess.Popen(command,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                              cwd=tmp_path, env=env)
    statuses: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        for i in range(10):  # a new connection each time, so the requests spread over both workers
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                if i % 2:
                    conn.request("GET", f"/api/search?q=zzqq{n}x{i}&market=DE")
                else:
                    conn.request("POST", "/api/feedback", body=vote(reason=f"r{n}-{i}"),
                                 headers={"Content-Type": "text/plain", "Origin": HELP})
                response = conn.getresponse()
                response.read()
            except OSError as exc:  # said in the failure instead of dying with the thread
                with lock:
                    failures.append(f"client {n} request {i}: {exc!r}")
                continue
            finally:
                conn.close()
            with lock:
                statuses.append(response.status)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/health")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for c in clients:
            c.start()
        for c in clients:
            c.join(120)
    finally:
        server.terminate()
        try:
            output = server.communicate(timeout=60)[0].decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output = server.communicate()[0].decode("utf-8", "replace")
            failures.append("gunicorn did not stop within 60 s of SIGTERM")
    assert failures == [], "\n".join(failures) + "\n" + output
    assert "Traceback" not in output and "could not record" not in output, output
    assert sorted(statuses) == [200] * 40 + [204] * 40
    assert {r[4] for r in _rows(database, "feedback")} == {f"r{n}-{i}" for n in range(8) for i in range(0, 10, 2)}
    assert len(_rows(database, "feedback")) == 40
    assert sorted(r[0] for r in _rows(database, "search_miss")) == sorted(
        f"zzqq{n}x{i}" for n in range(8) for i in range(1, 10, 2))
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
