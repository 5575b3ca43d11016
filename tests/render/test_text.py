"""text.markdown_html renders each text once and fills values per market: it must equal the
reference path (fill, then render and sanitise) in every mode the internal site uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_builder.loading.loader import load
from kb_builder.render.text import markdown_html, reference_html

TRICKY = ["{{ x }} and {% y %} {market.a} `{{code}}` [l](https://x.example/{market.a})",
          "**{market.a} days** {market.missing} {placeholder}", "<script>{market.a}</script> ok {market.a}",
          "- {market.a}\n- {market.b}", "{market.a}{market.a}", "plain {market.b} text", "",
          "Call {market.a}.\n\nThen *wait* for {market.b} [x]({market.a})"]
VALUES = [None, {}, {"a": "5 & <6>", "b": "*bold*"}, {"a": "30", "b": "- item"}, {"a": "x\u00a0y", "b": ""},
          {"a": "50 EUR", "b": "14"}]


@pytest.mark.parametrize("chips", [False, True])
def test_render_once_equals_reference_on_tricky_texts(chips):
    for text in TRICKY:
        for values in VALUES:
            assert str(markdown_html(text, values, chips)) == reference_html(text, values, chips), (text, values)


def test_render_once_equals_reference_on_bundled_sop_steps():
    catalog = load(Path(__file__).resolve().parents[2] / "content").catalog
    texts = [t for s in catalog.sops.values() for t in s.source.values()]
    assert len(texts) > 100
    markets = [m.variables() for m in catalog.markets.values()] + [None]
    for text in texts:
        for values in markets:
            for chips in (False, True):
                assert str(markdown_html(text, values, chips)) == reference_html(text, values, chips)


def test_chips_name_the_variable_and_values_are_escaped():
    assert str(markdown_html("Within {market.return_window_days} days", None, chips=True)) == (
        '<p>Within <span class="kb-var" title="market value: differs per market">return_window_days</span>'
        ' days</p>')
    assert str(markdown_html("Up to {market.limit}", {"limit": "<50 EUR>"})) == "<p>Up to &lt;50 EUR&gt;</p>"


def test_pages_rendered_in_forked_workers_equal_pages_rendered_here():
    import subprocess
    import sys

    script = """
import datetime as dt, os
from pathlib import Path
from kb_builder.checks import run_checks
from kb_builder.loading.loader import load
from kb_builder.render import parallel, text
from kb_builder.render.internal import InternalSite

catalog = load(Path("content")).catalog
site = InternalSite(catalog, run_checks(catalog, dt.date(2026, 11, 23)), dt.date(2026, 11, 23))
parallel.workers = lambda: 1
here = site.build("# Health").pages
text._USED.clear(); text._to_safe_html.cache_clear(); text._prepared.cache_clear()
parallel.workers = lambda: 2
parallel.MIN_PAGES = 2
forked = site.build("# Health").pages
assert list(forked) == list(here) and forked == here
assert text._USED, "the workers' Markdown conversions come back for the next build"
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "ok", done.stderr


def test_render_pages_uses_other_processes_and_keeps_the_order():
    # in a fresh interpreter: other tests leave server threads behind, and with threads running
    # render_pages rightly stays in its own process (see the next test)
    import subprocess
    import sys

    script = """
import os
from kb_builder.render import parallel
parallel.workers = lambda: 2
tasks = [(f"p{i}.md", lambda i=i: f"{i}:{os.getpid()}") for i in range(400)]
pages = parallel.render_pages(tasks)
assert list(pages) == [f"p{i}.md" for i in range(400)]
pids = {v.split(":")[1] for v in pages.values()}
# a pool of 2: which worker takes which slice is the scheduler's choice, but none runs here
assert 1 <= len(pids) <= 2 and str(os.getpid()) not in pids, pids
assert all(v.startswith(f"{i}:") for i, v in enumerate(pages.values()))
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_workers_send_their_pages_back_a_slice_at_a_time():
    # a worker holds and pickles a few pages at once, not its whole share (a big KB's pages are
    # hundreds of MB: the whole share pickled at once doubled each worker's memory)
    import subprocess
    import sys

    script = """
import os
from kb_builder.render import parallel
from kb_builder.runtime import parallel as runtime
parallel.workers = lambda: 2
sizes = []
real = runtime.map_forked
def counting(work, items, jobs):
    results = real(work, items, jobs)
    sizes.extend(len(pages) for pages, *_ in results)
    return results
parallel.map_forked = counting
tasks = [(f"p{i}.md", lambda i=i: f"{i}:{os.getpid()}") for i in range(400)]
pages = parallel.render_pages(tasks)
assert list(pages) == [f"p{i}.md" for i in range(400)] and all(v.startswith(f"{i}:") for i, v in enumerate(pages.values()))
assert sum(sizes) == 400 and max(sizes) <= 400 // (2 * 4), sizes
sizes.clear()
tasks = [(f"p{i}.md", lambda i=i: f"{i}:{os.getpid()}") for i in range(2000)]
pages = parallel.render_pages(tasks)
assert list(pages) == [f"p{i}.md" for i in range(2000)] and all(v.startswith(f"{i}:") for i, v in enumerate(pages.values()))
assert sum(sizes) == 2000 and max(sizes) <= parallel.PAGES_PER_SLICE, sizes  # a big site: more, smaller slices
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_with_other_threads_running_pages_are_rendered_here(monkeypatch):
    import os
    import threading

    from kb_builder.render import parallel

    monkeypatch.setattr(parallel, "workers", lambda: 2)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pages = parallel.render_pages([(f"p{i}.md", lambda i=i: str(os.getpid())) for i in range(400)])
    finally:
        stop.set()
        thread.join()
    assert set(pages.values()) == {str(os.getpid())}


def test_an_error_in_a_worker_is_raised_here():
    import subprocess
    import sys

    script = """
from kb_builder.render import parallel
parallel.workers = lambda: 2
def boom():
    raise ValueError("page 7 failed")
tasks = [(f"p{i}.md", (boom if i == 7 else (lambda: "x"))) for i in range(400)]
try:
    parallel.render_pages(tasks)
except ValueError as exc:
    print("raised:", exc)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "raised: page 7 failed", done.stderr
