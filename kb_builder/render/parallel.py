"""Render a site's pages on every core: pages are independent functions of the loaded catalog.

Worker processes are forked, so they share the catalog as it is in memory instead of receiving a
copy; each renders a slice of the pages and sends back their Markdown and the Markdown conversions
it made (kept for the next build, see conversions.py). Forking a process that runs other threads
is unsafe (a lock held by another thread stays locked in the child), so with other threads
running, and on systems without fork, the pages are rendered here, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable

from kb_builder.render import text

Task = tuple[str, Callable[[], str]]  # (page path, function giving its Markdown)
_TASKS: list[Task] = []
MIN_PAGES = 200  # below this, starting workers costs more than it saves


def job_count(limit: int) -> int:
    """Worker processes for CPU-bound work: KB_JOBS if set, else the number of cores, at most limit."""
    env = os.environ.get("KB_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(limit, os.cpu_count() or 1))


def workers() -> int:
    """Processes to render pages with (see job_count)."""
    return job_count(4)


def render_pages(tasks: list[Task]) -> dict[str, str]:
    """Every page's Markdown, in the order of `tasks`."""
    jobs = min(workers(), len(tasks) // (MIN_PAGES // 2) or 1)
    if (jobs <= 1 or len(tasks) < MIN_PAGES or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return {path: make() for path, make in tasks}
    global _TASKS
    _TASKS = tasks
    ctx = multiprocessing.get_context("fork")
    children = []
    try:
        # one process per slice, interleaved so big pages (FAQ categories, markets) are spread out
        for i in range(jobs):
            reader, writer = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_render_slice, args=(i, jobs, writer), daemon=True)
            child.start()
            writer.close()
            children.append((child, reader))
        parts = [_receive(child, reader) for child, reader in children]
    finally:
        _TASKS = []
        for child, _ in children:
            child.join(timeout=5)
            if child.is_alive():  # pragma: no cover - only after a failure in another child
                child.kill()
    rendered: dict[str, str] = {}
    for pages, conversions in parts:
        rendered.update(pages)
        text.use_conversions(conversions)
        text.record_conversions(conversions)
    return {path: rendered[path] for path, _ in tasks}


def _receive(child, reader) -> tuple[dict[str, str], dict[str, str]]:
    try:
        status, value = reader.recv()
    except EOFError:
        raise RuntimeError(f"a page-rendering worker stopped (exit code {child.exitcode})") from None
    if status == "error":
        raise value
    return value


def _render_slice(start: int, step: int, writer) -> None:
    try:
        before = set(text.used_conversions())
        pages = {path: make() for path, make in _TASKS[start::step]}
        made = {k: v for k, v in text.used_conversions().items() if k not in before}
        writer.send(("ok", (pages, made)))
    except BaseException as exc:  # handed to the parent, which raises it as its own
        try:
            writer.send(("error", exc))
        except Exception:  # an exception that cannot be pickled
            writer.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        writer.close()
