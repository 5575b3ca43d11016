"""`kb serve`: a live preview of the internal site, with the JSON search API.

A waitress WSGI server (threads, no reloader) serves the last good build of the internal site
and /api/search. A watcher thread polls the content files' modification times; on a change it
rebuilds (pipeline.build, which also updates the search index incrementally) and bumps a
version number. Pages carry a small script that polls /api/version and reloads when it changes,
and shows a banner while the content has errors. A failed build keeps the last good site.

POST /api/feedback takes the help centers' "Was this helpful?" votes, and /api/search's searches
that found nothing are recorded too, both in OUT/.kb-feedback.sqlite3 (kb_builder/feedback).
"""

from __future__ import annotations

import hashlib
import html
import ipaddress
import mimetypes
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from kb_builder.errors import ContentError, KbError, Problem, UsageError
from kb_builder.feedback.endpoint import PATH as FEEDBACK_PATH, feedback_app, miss_recorder
from kb_builder.feedback.intake import Answers
from kb_builder.feedback.store import FeedbackStore, database_path
from kb_builder.layout import require_content
from kb_builder.runtime import environment
from kb_builder.runtime.environment import require
from kb_builder.search.api import HEALTH_PATH, PATH as SEARCH_PATH, health_app, json_response, search_app
from kb_builder.search.manifest import content_stamp, read_manifest
from kb_builder.search.query import IndexMissing, SearchIndex

VERSION_PATH = "/api/version"
RELOAD_SCRIPT = """<script>(function(){
var v=%d, bar=null;
function show(errs){
  if(!errs.length){if(bar){bar.remove();bar=null}return}
  if(!bar){
    bar=document.createElement('div');bar.setAttribute('role','alert');
    bar.style.cssText='position:fixed;bottom:0;left:0;right:0;z-index:9999;max-height:40vh;overflow:auto;'+
      'background:#b00020;color:#fff;font:13px/1.4 monospace;padding:8px 12px;white-space:pre-wrap';
    document.body.appendChild(bar)}
  bar.textContent='The content has errors; showing the last good build.\\n'+errs.join('\\n')}
function poll(){
  fetch('%s',{cache:'no-store'}).then(function(r){return r.json()})
    .then(function(d){if(d.version!==v){location.reload();return}show(d.errors||[])})
    .catch(function(){}).then(function(){setTimeout(poll,1000)})}
setTimeout(poll,1000)})();</script>"""

Builder = Callable[..., object]


class Preview:
    """The preview of one content folder: builds, watches, and answers HTTP requests (WSGI)."""

    def __init__(self, content: Path, out: Path | None = None, build: Builder | None = None,
                 poll_interval: float = 1.0, say: Callable[[str], None] | None = None,
                 allowed_origins: tuple[str, ...] = (), allowed_hosts: tuple[str, ...] = (), host: str = "127.0.0.1"):
        self.content = Path(content)
        self.out = Path(out) if out else default_out(self.content)
        self.site = self.out / "internal"
        self.poll_interval = poll_interval
        self._build = build
        self._say = say or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self.version = 0
        self.problems: list[Problem] = []
        self._stamp: str | None = None
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._search = search_app(self.index, allowed_origins, on_miss=miss_recorder(self.store, self._say))
        self._health = health_app(self.index)
        self.allowed_origins = tuple(allowed_origins)
        self._feedback = feedback_app(lambda: self.answers, self.store, allowed_origins,
                                      allow_hint=lambda origin: f"start kb serve with --allow-origin {origin}",
                                      not_ready="the first build has not succeeded yet; try again in a moment")
        self.answers: Answers | None = None  # the help centers' answers, known after the first good build
        self._store: FeedbackStore | None = None
        self.allowed_hosts = frozenset({host.lower(), "localhost", *(h.lower() for h in allowed_hosts)})

    # --- building -----------------------------------------------------------------------------

    def rebuild(self) -> bool:
        """Build the internal site and update the search index; False (and the problems kept
        for the banner) when the content has errors."""
        stamp = content_stamp(self.content)
        build = self._build
        if build is None:
            from kb_builder.pipeline import build
        started = time.perf_counter()
        try:
            result = build(self.content, self.out, audience="internal", today=None, progress=False)
            self._ensure_index(result, stamp)
            answers = self._answers_of(result)
        except ContentError as exc:
            self._stamp = stamp
            self.problems = [p for p in exc.problems if p.severity == "error"]
            self._say(f"content has {len(self.problems)} error(s); still serving the last good build:")
            for p in self.problems:
                self._say("  " + p.format())
            return False  # pages keep polling /api/version and show the problems in a banner
        except KbError as exc:
            self._stamp = stamp
            self.problems = [Problem("error", "build-failed", str(exc))]
            self._say(f"build failed: {exc}; still serving the last good build")
            return False
        with self._lock:
            self._stamp = stamp
            self.problems = []
            self.answers = answers
            self.version += 1
        self._say(f"rebuilt in {time.perf_counter() - started:.1f} s")
        return True

    def _ensure_index(self, result: object, stamp: str | None) -> None:
        """pipeline.build updates OUT/search; should it not have (or have seen other content), do it here."""
        manifest = read_manifest(self.out / "search")
        if manifest is not None and manifest.compatible() and manifest.content_stamp == stamp:
            return
        from kb_builder.pipeline import update_index

        update_index(self.content, self.out)

    def _answers_of(self, result: object) -> Answers:
        catalog = getattr(result, "catalog", None)
        if catalog is None:
            from kb_builder.pipeline import load_catalog

            catalog = load_catalog(self.content)
        return Answers.of(catalog)

    def changed(self) -> bool:
        """True when the content files differ from the last build attempt."""
        return content_stamp(self.content) != self._stamp

    def watch(self) -> None:
        """Poll the content and rebuild on change, until stop() is called."""
        while not self._stop.wait(self.poll_interval):
            try:
                if self.changed():
                    self._say("content changed; rebuilding ...")
                    self.rebuild()
            except Exception as exc:  # keep watching whatever happens in one build
                self._say(f"rebuild failed unexpectedly: {exc!r}")

    def stop(self) -> None:
        """Stop the watcher."""
        self._stop.set()

    def index(self) -> SearchIndex | None:
        """The search index (opened on first use; it follows later updates by itself)."""
        if self._index is None:
            try:
                self._index = SearchIndex(self.out / "search")
            except IndexMissing:
                return None
        return self._index

    def warm(self) -> None:
        """Prepare the search index for fast first queries (run in the background at start)."""
        try:
            index = self.index()
            if index is not None:
                index.warm()
        except Exception as exc:  # only an optimisation: never stop the server for it
            self._say(f"could not warm the search index: {exc!r}")

    # --- serving ------------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response):
        if not self.host_allowed(environ.get("HTTP_HOST", "")):
            # a DNS-rebinding page reaches this server under its own name: refuse it
            body = b"421 Misdirected Request: this kb serve answers only to its own address or an --allow-host name\n"
            start_response("421 Misdirected Request", [("Content-Type", "text/plain; charset=utf-8"),
                                                       ("Content-Length", str(len(body)))])
            return [body]
        path = _path(environ)
        if path == SEARCH_PATH:
            return self._search(environ, start_response)
        if path == FEEDBACK_PATH:
            return self._feedback(environ, start_response)
        if path == HEALTH_PATH:
            return self._health(environ, start_response)
        if path == VERSION_PATH:
            errors = [p.format() for p in self.problems]
            return json_response(start_response, "200 OK", {"version": self.version, "errors": errors})
        if path.startswith("/api/"):
            return json_response(start_response, "404 Not Found", {"error": f"no API at {path}"})
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
            return [b""]
        return self._static(path, environ, start_response)

    # --- feedback -----------------------------------------------------------------------------

    def store(self) -> FeedbackStore:
        """The feedback database (created on the first thing worth recording)."""
        with self._lock:
            if self._store is None:
                self._store = FeedbackStore(database_path(self.out))
            return self._store

    def close(self) -> None:
        """Stop the watcher and close the feedback database."""
        self.stop()
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()

    def host_allowed(self, host_header: str) -> bool:
        """True when the Host header names this server: an IP address (which DNS rebinding cannot
        use), localhost, the bound host or an allowed name; a missing Host (HTTP/1.0) is allowed."""
        host = host_header.strip().lower()
        if not host:
            return True
        if host.startswith("["):  # [::1]:8000
            name = host[1:host.find("]")] if "]" in host else host
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name.rstrip(".") in self.allowed_hosts

    def _static(self, path: str, environ: dict, start_response):
        root = self.site.resolve()
        if not (root / "index.html").is_file():
            return self._page(start_response, "503 Service Unavailable", "No site yet",
                              "The first build has not succeeded yet. " + _problem_list(self.problems))
        parts = [p for p in path.split("/") if p not in ("", ".")]
        if any(p == ".." or "\\" in p or "\0" in p for p in parts):
            return self._page(start_response, "404 Not Found", "Not found", "")
        target = root.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", path + "/"), ("Content-Length", "0")])
                return [b""]
            target = target / "index.html"
        try:
            resolved = target.resolve()
            resolved.relative_to(root)
            data = resolved.read_bytes()
        except (OSError, ValueError):
            missing = root / "404.html"
            body = self._inject(missing.read_bytes()) if missing.is_file() else b"not found"
            start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8"),
                                             ("Content-Length", str(len(body)))])
            return [body]
        ctype = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            data = self._inject(data)
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(data))),
                                  ("Cache-Control", "no-cache")])
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [data]

    def _inject(self, page: bytes) -> bytes:
        script = (RELOAD_SCRIPT % (self.version, VERSION_PATH)).encode("utf-8")
        at = page.rfind(b"</body>")
        return page[:at] + script + page[at:] if at != -1 else page + script

    def _page(self, start_response, status: str, title: str, body: str):
        page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
                f"<body><h1>{html.escape(title)}</h1>{body}</body></html>").encode("utf-8")
        page = self._inject(page)
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))])
        return [page]


def _path(environ: dict) -> str:
    raw = environ.get("PATH_INFO", "/") or "/"
    try:
        return unquote(raw.encode("latin-1").decode("utf-8"))
    except UnicodeError:
        return raw


def _problem_list(problems: list[Problem]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li><code>{html.escape(p.format())}</code></li>" for p in problems)
    return f"<p>Fix these and save; the page reloads by itself:</p><ul>{items}</ul>"


def default_out(content: Path) -> Path:
    """Where the preview builds: a folder per content folder under the system's temp folder, so a
    restarted preview finds its search index and only updates it."""
    key = hashlib.sha1(str(Path(content).resolve()).encode("utf-8")).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / "kb-preview" / key


def serve(content: Path, host: str, port: int, *, out: Path | None = None, poll_interval: float = 1.0,
          threads: int = 4, allowed_origins: tuple[str, ...] = (), allowed_hosts: tuple[str, ...] = ()) -> None:
    """Build, then serve the internal site and /api/search at http://host:port/ until Ctrl-C,
    rebuilding whenever the content changes."""
    require(environment.SITES, environment.SEARCH, environment.SERVE)
    import waitress

    require_content(content)
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535, not {port}")
    preview = Preview(content, out, poll_interval=poll_interval, allowed_origins=allowed_origins,
                      allowed_hosts=allowed_hosts, host=host)
    try:
        server = waitress.create_server(preview, host=host, port=port, threads=threads, ident="kb serve")
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port") from None
    preview._say(f"building {content} into {preview.out} ...")
    preview.rebuild()
    watcher = threading.Thread(target=preview.watch, name="kb-serve-watcher", daemon=True)
    watcher.start()
    threading.Thread(target=preview.warm, name="kb-serve-warm", daemon=True).start()
    preview._say(f"serving http://{host}:{server.effective_port}/  (search API: {SEARCH_PATH}?q=..., "
                 f"feedback: POST {FEEDBACK_PATH} into {database_path(preview.out)})  Ctrl-C stops")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
        server.close()
