"""Browser tests: the bundled content's public help centers, served on localhost and driven by
Playwright with Debian's Chromium (no downloaded browsers; see `.ci/run`).

The browser must be installed: a missing Chromium fails these tests rather than skipping them.
Every request is routed through a guard that lets only 127.0.0.1 through and records the rest.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import textwrap
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]

# One FAQ entry the bundled content has translated nowhere: shows the fallback notice.
UNTRANSLATED_FAQ = """\
id: gift-wrapping
category: orders
audience: public
markets: all
reviewed: 2026-10-01
source:
  question: Do you offer gift wrapping?
  answer: |
    Not yet. Orders ship in our plain recyclable box; add a gift note at checkout and we print
    it on the packing slip without prices. Returns are accepted within {market.return_window_days} days.
"""


def chromium_path() -> str:
    """Debian's Chromium (or $KB_CHROMIUM); fails the test run with instructions when missing."""
    path = os.environ.get("KB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("Chromium is required for the browser tests: run `apt-get install -y chromium "
                    "fonts-noto-cjk fonts-noto-core` (or .ci/run), or set KB_CHROMIUM to its path",
                    pytrace=False)
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def public_site(tmp_path_factory) -> Path:
    """The bundled content plus one untranslated FAQ, built with `--audience public`."""
    from kb_builder.pipeline import build

    root = tmp_path_factory.mktemp("browser")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    (content / "faq" / "gift-wrapping.yaml").write_text(textwrap.dedent(UNTRANSLATED_FAQ), encoding="utf-8")
    build(content, root / "out", audience="public", progress=False)
    return root / "out" / "public"


@pytest.fixture(scope="session")
def base_url(public_site) -> str:
    """OUT/public served by Python's http.server on 127.0.0.1 and a free port."""
    handler = functools.partial(_QuietHandler, directory=str(public_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system, launched by Playwright."""
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


class NetworkGuard:
    """Lets requests to 127.0.0.1 through and aborts (and remembers) every other one."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


def new_context(browser, guard: NetworkGuard, **options):
    """A browser context whose every request goes through the guard."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "en-US")
    ctx = browser.new_context(service_workers="block", **options)
    ctx.route("**/*", guard.route)
    return ctx


@pytest.fixture
def guard():
    """Fails the test if any request tried to leave localhost."""
    g = NetworkGuard()
    yield g
    assert g.blocked == [], f"requests left localhost: {g.blocked}"


@pytest.fixture
def page(browser, guard):
    """A desktop-sized page; the network guard checks it after the test."""
    ctx = new_context(browser, guard)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"
