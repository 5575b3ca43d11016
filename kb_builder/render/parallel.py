"""Render a site's pages on every core: pages are independent functions of the loaded catalog.

Each worker (runtime.parallel: forked, so it shares the catalog as it is in memory) renders an
interleaved slice of the pages and sends back their Markdown and the Markdown conversions it
made (kept for the next build, see conversions.py).
"""

from __future__ import annotations

from typing import Callable

from kb_builder.render import text
from kb_builder.runtime.parallel import job_count, map_forked

Task = tuple[str, Callable[[], str]]  # (page path, function giving its Markdown)
MIN_PAGES = 200  # below this, starting workers costs more than it saves


def workers() -> int:
    """Processes to render pages with (KB_JOBS, else the cores, at most 4)."""
    return job_count(4)


def render_pages(tasks: list[Task]) -> dict[str, str]:
    """Every page's Markdown, in the order of `tasks`."""
    jobs = min(workers(), len(tasks) // (MIN_PAGES // 2) or 1)
    if jobs <= 1 or len(tasks) < MIN_PAGES:
        return {path: make() for path, make in tasks}

    def render_slice(start: int) -> tuple[dict[str, str], dict[str, str]]:
        # slices interleave, so big pages (FAQ categories, markets) are spread over the workers
        before = set(text.used_conversions())
        pages = {path: make() for path, make in tasks[start::jobs]}
        return pages, {k: v for k, v in text.used_conversions().items() if k not in before}

    rendered: dict[str, str] = {}
    for pages, conversions in map_forked(render_slice, range(jobs), jobs):
        rendered.update(pages)
        text.use_conversions(conversions)
        text.record_conversions(conversions)
    return {path: rendered[path] for path, _ in tasks}
