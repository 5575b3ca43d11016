"""The production search API (kb_builder.search.wsgi): the same answers as `kb serve`, a health
endpoint, configuration from the environment, and a read-only index folder under a real
multi-worker gunicorn."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from kb_builder.errors import UsageError
from kb_builder.search import wsgi
from kb_builder.search.query import IndexMissing
from kb_builder.serve import Preview

from search_project import catalog, index, index_dir, project  # noqa: F401 (fixtures)
from test_preview import fake_build, get

ORIGIN = "https://acme.zendesk.com"

# several languages and scripts, every filter, bad parameters, CORS and a preflight
REQUESTS = [
    ("q=refund", {}), ("q=refund&lang=en&n=2", {}), ("q=where+is+my+order", {}),
    ("q=" + quote("Rückerstattung"), {}), ("q=" + quote("beschädigt") + "&lang=de", {}),
    ("q=" + quote("返金") + "&market=jp&public=true", {}), ("q=" + quote("荷物の配送"), {}),
    ("q=" + quote("我的parcel还没到"), {}), ("q=damaged&kind=template", {}), ("q=withdrawal&market=DE", {}),
    ("q=withdrawal&market=JP", {}), ("q=carrier+claim&public=true", {}), ("q=kettel", {}),
    ("q=refund&market=DE&lang=de&kind=faq&n=1", {}), ("q=" + quote("<script>alert(1)</script>"), {}),
    ("q=refund", {"origin": ORIGIN}), ("q=refund", {"origin": "https://evil.example"}),
    ("q=a&lang=xx", {}), ("q=a&market=ZZ", {}), ("q=", {}), ("q=a&n=0", {}), ("q=%FF", {}),
    ("q=refund", {"method": "HEAD"}), ("", {"method": "OPTIONS", "origin": ORIGIN}), ("q=a", {"method": "POST"}),
]


@pytest.fixture
def preview(project):
    p = Preview(project, project.parent / "preview-out", build=fake_build, say=lambda msg: None,
                allowed_origins=(ORIGIN,))
    assert p.rebuild()
    return p


def test_answers_byte_for_byte_what_kb_serve_answers(preview):
    app = wsgi.create_app(index_dir=preview.out / "search", allowed_origins=[ORIGIN])
    found = set()
    for query, extra in REQUESTS:
        method = extra.get("method", "GET")
        headers = {"origin": extra["origin"]} if "origin" in extra else {}
        theirs = get(preview, "/api/search", query, method=method, **headers)
        ours = get(app, "/api/search", query, method=method, **headers)
        assert ours == theirs, query
        if theirs[0] == 200 and method == "GET":
            found.update(h["id"] for h in json.loads(theirs[2])["hits"])
    assert get(app, "/api/health") == get(preview, "/api/health")
    assert json.loads(get(preview, "/api/health")[2])["status"] == "ok"
    # the comparison covered real answers in each language, not only errors
    assert {"refund-timing", "where-is-my-order", "withdrawal", "apology-damaged"} <= found


def test_health_and_unknown_paths(index_dir, index):
    app = wsgi.create_app(index_dir)
    status, headers, body = get(app, "/api/health")
    health = json.loads(body)
    assert status == 200 and headers["Content-Type"] == "application/json; charset=utf-8"
    assert health == {"status": "ok", "generation": index.manifest.generation, "documents": index.manifest.documents,
                      "languages": ["de", "en", "ja"], "markets": ["DE", "JP"], "audience": "all"}
    assert get(app, "/api/health", method="HEAD")[:1] == (200,) and get(app, "/api/health", method="HEAD")[2] == b""
    status, _, body = get(app, "/")
    assert (status, json.loads(body)) == (404, {"error": "no API at /; use /api/search?q=... or /api/health"})


def test_health_says_503_when_the_index_goes_away(index_dir, index):
    app = wsgi.create_app(index_dir)
    (index_dir / "manifest.json").unlink()
    status, _, body = get(app, "/api/health")
    assert status == 503 and json.loads(body)["status"] == "unavailable"


def test_configuration_errors_stop_the_server_at_start(tmp_path, monkeypatch):
    monkeypatch.delenv("KB_INDEX", raising=False)
    with pytest.raises(UsageError) as err:
        wsgi.create_app()
    assert str(err.value) == ("KB_INDEX is not set: set it to the search index folder that 'kb build' or "
                              "'kb index' wrote (OUT/search), or call create_app(index_dir=...)")
    with pytest.raises(IndexMissing) as err:
        wsgi.create_app(tmp_path / "nothing")
    assert str(err.value) == (f"no search index in {tmp_path / 'nothing'}; run 'kb index' or 'kb build' and point "
                              f"KB_INDEX at OUT/search")


def test_module_app_is_made_from_the_environment(index_dir, index, monkeypatch):
    monkeypatch.setenv("KB_INDEX", str(index_dir))
    monkeypatch.setenv("KB_ALLOW_ORIGIN", f"{ORIGIN}, https://other.example")
    try:
        app = wsgi.app
        assert wsgi.application is app and app.index_dir == index_dir
        assert app.allowed_origins == (ORIGIN, "https://other.example")
        status, headers, body = get(app, "/api/search", "q=refund&lang=en", origin="https://other.example")
        assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://other.example"
        assert json.loads(body)["hits"][0]["id"] == "refund-timing"
    finally:
        vars(wsgi).pop("app", None)
        vars(wsgi).pop("application", None)


def test_each_forked_worker_opens_its_own_index(index_dir, index):
    app = wsgi.create_app(index_dir)
    parent = app.index()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a worker forked after the parent had opened the index
        try:
            child = app.index()
            ok = child is not parent and child.search("refund", lang="en").hits[0].id == "refund-timing"
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert app.index() is parent


# --- a read-only folder under a real multi-worker server ------------------------------------------

# A gunicorn config whose workers refuse every write under the index folder (and log it): the
# folder is also made read-only, but root, which runs CI, may write to read-only folders.
GUARD = """\
import os, sys

INDEX = os.path.realpath({index!r})
LOG = {log!r}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
WRITE_EVENTS = {{"os.mkdir", "os.remove", "os.rmdir", "os.rename", "os.chmod", "os.utime", "os.truncate",
                "os.link", "os.symlink", "os.chown", "shutil.rmtree", "shutil.move", "shutil.copyfile"}}

def _inside(path):
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        return False
    full = os.path.realpath(os.path.join(os.getcwd(), path))
    return full == INDEX or full.startswith(INDEX + os.sep)

def _guard(event, args):
    if event == "open":
        path, mode, flags = args
        writes = bool(flags & WRITE_FLAGS) or (isinstance(mode, str) and any(c in mode for c in "wax+"))
        if writes and _inside(path):
            _refuse(event, path)
    elif event in WRITE_EVENTS and args and _inside(args[0]):
        _refuse(event, args[0])

def _refuse(event, path):
    with open(LOG, "a") as log:
        log.write(f"{{event}} {{path}}\\n")
    raise PermissionError(f"read-only index: {{event}} {{path}}")

def post_fork(server, worker):
    sys.addaudithook(_guard)

from kb_builder.search.gunicorn_conf import post_worker_init  # warming must not write either
"""


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.is_dir(), p.stat().st_mtime_ns,
                                         None if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*"))}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_gunicorn_workers_serve_a_read_only_index_folder(index_dir, index, tmp_path):
    pytest.importorskip("gunicorn")
    from benchmarks.load import gunicorn_command

    index.close()
    reference = wsgi.create_app(index_dir)
    expected = {q: get(reference, "/api/search", q)[2] for q, extra in REQUESTS[:15]}
    reference.index().close()
    log = tmp_path / "writes.log"
    conf = tmp_path / "guard.py"
    conf.write_text(GUARD.format(index=str(index_dir), log=str(log)), encoding="utf-8")
    for p in [index_dir, *index_dir.rglob("*")]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = _snapshot(index_dir)
    port = _free_port()
    command = gunicorn_command(index_dir, port, workers=2, threads=2)
    command[3:3] = ["--config", str(conf)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                              cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _http(port, "/api/health")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        for _round in range(3):  # every query several times, so both workers open the index
            for query, body in expected.items():
                assert _http(port, "/api/search?" + query) == (200, body), query
    finally:
        server.terminate()
        try:
            output = server.communicate(timeout=60)[0].decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output = "gunicorn did not stop within 60 s of SIGTERM\n" + server.communicate()[0].decode()
        for p in [index_dir, *index_dir.rglob("*")]:
            p.chmod(p.stat().st_mode | stat.S_IWUSR)
    assert not log.exists(), log.read_text()
    assert "Traceback" not in output and "did not stop" not in output, output
    assert output.count("warmed the index (") == 2, output
    assert _snapshot(index_dir) == before


class _Worker:
    def __init__(self, wsgi):
        self.wsgi = wsgi


def test_the_gunicorn_hook_warms_each_workers_index(index_dir, index, capsys):
    from kb_builder.search.gunicorn_conf import post_worker_init

    app = wsgi.create_app(index_dir)
    post_worker_init(_Worker(app))
    warmed = app.index()
    languages = ", ".join(warmed.manifest.languages)
    assert f"worker {os.getpid()} warmed the index ({languages}) in " in capsys.readouterr().err
    # the spelling vocabulary the first query of each language would build is already there
    assert sorted(key[0] for key in warmed._correctors) == sorted(warmed.manifest.languages)
    assert get(app, "/api/search", "q=refund")[0] == 200
    post_worker_init(_Worker(lambda environ, start_response: []))  # another app: left alone


def test_warming_a_folder_whose_index_is_gone_says_so(index_dir, index, capsys):
    app = wsgi.create_app(index_dir)
    index.close()
    for p in index_dir.iterdir():
        if p.is_dir():
            for f in p.iterdir():
                f.unlink()
    app.warm()  # a worker that cannot warm still starts: its requests and health check say why
    assert (f"could not warm the index: the search index in {index_dir} is being replaced; try again"
            in capsys.readouterr().err)
