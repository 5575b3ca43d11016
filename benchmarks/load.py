"""A bounded load test of the search API (issue 17 item 6): many threads, a fixed number of requests.

    python benchmarks/load.py --server gunicorn --index SITE/search [--workers 2 --threads-per-worker 4]
    python benchmarks/load.py --server kb-serve --content CONTENT     # builds first, like `kb serve`
    python benchmarks/load.py --url http://127.0.0.1:8000             # a server that is already running

Sends --requests GET /api/search requests (default 3,000) from --threads client threads (default
16), each thread on one keep-alive connection, to 127.0.0.1 only. The queries are run.py's fixed
set (several languages and scripts), restricted to the languages and markets the server's
/api/health names, with seeded extra filters (market, kind, public, lang) on some of them, so
every run asks the same. A server that this script starts is stopped at the end.

Prints requests/s, latency p50/p95/p99 and the error count (any answer but 200, or a broken
connection); --json FILE also writes them. Asserts nothing; exit code 1 when any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import percentile  # noqa: E402
from benchmarks.run import QUERIES  # noqa: E402

KINDS = ("sop", "faq", "template", "market")
HOST = "127.0.0.1"  # the only address this script sends to


@dataclass
class Figures:
    """What one load run measured."""

    server: str
    requests: int
    threads: int
    seconds: float
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    errors: int
    statuses: dict[str, int] = field(default_factory=dict)
    first_errors: list[str] = field(default_factory=list)
    queries: int = 0


def plan(health: dict, requests: int, seed: int = 17) -> list[str]:
    """The request paths of a run: the fixed queries the index can answer, with seeded filters."""
    langs, markets = set(health.get("languages", [])), list(health.get("markets", []))
    usable = [(q, dict(o)) for q, o in QUERIES
              if o.get("lang") in (None, *langs) and o.get("market") in (None, *markets)]
    rng = random.Random(seed)
    paths = []
    for i in range(requests):
        text, opts = usable[i % len(usable)]
        opts = dict(opts)
        roll = rng.random()
        if roll < 0.25 and markets and "market" not in opts:
            opts["market"] = rng.choice(markets)
        elif roll < 0.45 and "kind" not in opts:
            opts["kind"] = rng.choice(KINDS)
        elif roll < 0.55:
            opts["public"] = "true"
        elif roll < 0.65 and langs and "lang" not in opts:
            opts["lang"] = rng.choice(sorted(langs))
        params = {"q": text, **{k: ("true" if v is True else v) for k, v in opts.items()}}
        paths.append("/api/search?" + urlencode(params))
    return paths


def get(port: int, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """One request on a new connection: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_healthy(port: int, process: subprocess.Popen | None, timeout: float) -> dict:
    """Poll /api/health until it answers 200; its body."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server exited with code {process.returncode} before it was ready")
        try:
            status, body = get(port, "/api/health", timeout=2.0)
            if status == 200:
                return json.loads(body)
            last = f"{status} {body[:200]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.25)
    raise SystemExit(f"the server on port {port} was not healthy within {timeout:.0f} s ({last})")


def run_load(port: int, paths: list[str], threads: int, server: str) -> Figures:
    """Send every path once, from `threads` threads with a keep-alive connection each."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    cursor = iter(range(len(paths)))

    def worker() -> None:
        conn = None
        mine: list[float] = []
        while True:
            with lock:
                i = next(cursor, None)
            if i is None:
                break
            started = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                conn.request("GET", paths[i])
                response = conn.getresponse()
                response.read()
                key = str(response.status)
                if response.status != 200:
                    with lock:
                        errors.append(f"{response.status} for {paths[i]}")
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as exc:
                key = type(exc).__name__
                with lock:
                    errors.append(f"{key}: {exc} for {paths[i]}")
                if conn is not None:
                    conn.close()
                conn = None
            mine.append(time.perf_counter() - started)
            with lock:
                statuses[key] = statuses.get(key, 0) + 1
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker, name=f"load-{n}") for n in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    seconds = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)
    return Figures(server=server, requests=len(paths), threads=threads, seconds=round(seconds, 3),
                   requests_per_s=round(len(paths) / seconds, 1), p50_ms=round(percentile(ms, 50), 1),
                   p95_ms=round(percentile(ms, 95), 1), p99_ms=round(percentile(ms, 99), 1),
                   mean_ms=round(statistics.fmean(ms), 1), errors=len(errors),
                   statuses=dict(sorted(statuses.items())), first_errors=errors[:5])


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


GRACEFUL_TIMEOUT = 5  # seconds gunicorn gives its workers to finish after SIGTERM


def gunicorn_command(index: Path, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn running create_app on the index folder: `workers` processes of `threads` threads."""
    from gunicorn.config import KNOWN_SETTINGS

    # an idle gunicorn can take its whole graceful timeout (30 s by default) to stop
    # (benoitc/gunicorn#901): a short one keeps a stop well inside the wait for it
    command = [sys.executable, "-m", "gunicorn", "--bind", f"{HOST}:{port}", "--workers", str(workers),
               "--worker-class", "gthread", "--threads", str(threads), "--log-level", "warning",
               "--graceful-timeout", str(GRACEFUL_TIMEOUT),
               f"kb_builder.search.wsgi:create_app(index_dir={str(index.resolve())!r})"]
    if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS):  # gunicorn >= 25.1
        command.insert(3, "--no-control-socket")  # else it opens a socket under $HOME
    return command


def start(args) -> tuple[subprocess.Popen, int, str]:
    """Start the server asked for; (process, port, description)."""
    port = free_port()
    if args.server == "gunicorn":
        command = gunicorn_command(args.index, port, args.workers, args.threads_per_worker)
        label = f"gunicorn ({args.workers} workers x {args.threads_per_worker} threads)"
    else:
        command = [sys.executable, "-m", "kb_builder", "serve", "--content", str(args.content), "--host", HOST,
                   "--port", str(port)]
        label = "kb serve (waitress, 4 threads)"
    log = tempfile.TemporaryFile()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    process.log = log  # type: ignore[attr-defined]
    return process, port, label


def stop(process: subprocess.Popen) -> str:
    """Stop a server this script started (its whole process group); its output."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=GRACEFUL_TIMEOUT + 25)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    return log.read().decode("utf-8", "replace")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", choices=["gunicorn", "kb-serve"], help="start this server (else --url)")
    parser.add_argument("--index", type=Path, help="index folder for --server gunicorn (SITE/search)")
    parser.add_argument("--content", type=Path, help="content folder for --server kb-serve")
    parser.add_argument("--url", help="a running server on 127.0.0.1, e.g. http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=16, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads-per-worker", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--ready-timeout", type=float, default=900, help="seconds to wait for the server")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if bool(args.server) == bool(args.url):
        parser.error("give either --server or --url")
    if args.server == "gunicorn" and not args.index:
        parser.error("--server gunicorn needs --index")
    if args.server == "kb-serve" and not args.content:
        parser.error("--server kb-serve needs --content")

    process = None
    if args.url:
        parts = urlsplit(args.url)
        if parts.hostname not in (HOST, "localhost") or not parts.port:
            parser.error("--url must be http://127.0.0.1:PORT (this load test sends to this machine only)")
        port, label = parts.port, args.url
    else:
        process, port, label = start(args)
    try:
        health = wait_healthy(port, process, args.ready_timeout)
        paths = plan(health, args.requests)
        for path in dict.fromkeys(paths):  # one warm-up pass over the distinct queries, not timed
            get(port, path, timeout=60)
        figures = run_load(port, paths, args.threads, label)
        figures.queries = len(set(paths))
    finally:
        output = stop(process) if process is not None else ""
    print(f"{figures.server}: {figures.requests} requests from {figures.threads} threads "
          f"({figures.queries} distinct) in {figures.seconds:.1f} s: {figures.requests_per_s:.0f} requests/s, "
          f"p50 {figures.p50_ms:.1f} ms, p95 {figures.p95_ms:.1f} ms, p99 {figures.p99_ms:.1f} ms, "
          f"{figures.errors} errors {figures.statuses}")
    for line in figures.first_errors:
        print("  error: " + line)
    if figures.errors and output:
        print("server output (last lines):\n" + "\n".join(output.strip().splitlines()[-10:]))
    if args.json:
        args.json.write_text(json.dumps(asdict(figures), indent=1) + "\n", encoding="utf-8")
    return 1 if figures.errors else 0


if __name__ == "__main__":
    sys.exit(main())
