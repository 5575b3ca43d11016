"""Time to first search result in headless Chromium on a built site (issue 17 item 4).

    python benchmarks/browser_search.py --site SITE/internal [--query refund] [--runs 3]

Serves the site folder on 127.0.0.1 (Python's http.server: no compression, so the index travels
whole over loopback), opens its home page in a fresh browser context per run (nothing cached),
types the query into Material's search box as soon as it is there and waits for the first
result. Prints, per run and as the median: time from navigation start to the first result, the
page's load time (DOMContentLoaded), the search index's download time (resource timing) and
its size raw and gzipped (what a server that
compresses would send). Uses Playwright with Debian's Chromium ($KB_CHROMIUM or `chromium`).
Asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

INDEX = "search/search_index.json"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def measure(site: Path, query: str, runs: int, timeout_s: float) -> dict:
    """Serve `site` and time `runs` fresh page loads until the first result for `query`."""
    from playwright.sync_api import sync_playwright

    data = (site / INDEX).read_bytes()
    figures = {"site": str(site), "query": query, "index_bytes": len(data),
               "index_gzip_bytes": len(gzip.compress(data, compresslevel=6, mtime=0)), "runs": []}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    chromium = os.environ.get("KB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url, wait_until="domcontentloaded")
                box = page.locator("input.md-search__input")
                box.click()
                box.fill(query)
                deadline = time.monotonic() + timeout_s
                found = False
                while time.monotonic() < deadline:
                    box.press("End")  # Material searches on key events
                    try:
                        page.wait_for_selector(".md-search-result__item", timeout=250)
                        found = True
                        break
                    except Exception:  # noqa: BLE001 - not there yet
                        continue
                first_ms = page.evaluate("performance.now()") if found else None
                fetch = page.evaluate("""name => { const e = performance.getEntriesByType('resource')
                    .filter(r => r.name.endsWith(name)); return e.length ? e[0].duration : null; }""", INDEX)
                loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
                results = page.locator(".md-search-result__item").count()
                figures["runs"].append({"first_result_ms": round(first_ms) if first_ms else None,
                                        "page_loaded_ms": round(loaded) if loaded else None,
                                        "index_fetch_ms": round(fetch) if fetch else None, "results": results})
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    firsts = [r["first_result_ms"] for r in figures["runs"] if r["first_result_ms"] is not None]
    figures["first_result_ms_median"] = round(statistics.median(firsts)) if firsts else None
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True, help="a built site folder (OUT/internal)")
    parser.add_argument("--query", default="refund")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for a result per run")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not (args.site / INDEX).is_file():
        parser.error(f"{args.site / INDEX} does not exist: build the site first")
    figures = measure(args.site, args.query, args.runs, args.timeout)
    print(f"{args.site}: index {figures['index_bytes'] / 1e6:.2f} MB, gzipped {figures['index_gzip_bytes'] / 1e6:.2f} MB")
    for n, run in enumerate(figures["runs"], 1):
        print(f"  run {n}: first result for '{args.query}' after {run['first_result_ms']} ms "
              f"(page loaded after {run['page_loaded_ms']} ms, index fetched in {run['index_fetch_ms']} ms, "
              f"{run['results']} results)")
    print(f"  median time to first result: {figures['first_result_ms_median']} ms")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0 if figures["first_result_ms_median"] is not None else 1


if __name__ == "__main__":
    sys.exit(main())
