"""Render a site's pages on every core: pages are independent functions of the loaded catalog.

Each worker (runtime.parallel: forked, so it shares the catalog as it is in memory) renders an
interleaved slice of the pages and sends back their Markdown, what each read from the catalog's
tables (for the page cache, page_cache.py) and the Markdown conversions it made (kept for the
next build, see conversions.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from kb_builder.render import text
from kb_builder.render.page_cache import keep_fragments, render_recorded, take_fresh_fragments
from kb_builder.runtime.parallel import job_count, map_forked

if TYPE_CHECKING:
    from kb_builder.render.page_cache import PageCache

Task = tuple[str, Callable[[], str]]  # (page path, function giving its Markdown)
MIN_PAGES = 200  # below this, starting workers costs more than it saves
# Each worker sends its pages back a slice at a time: a worker holds (and pickles) a few of them at
# once, not its whole share, and the parent takes them in while the workers go on rendering.
SLICES_PER_WORKER = 4  # at least; more on a big site, so that no slice holds more than
PAGES_PER_SLICE = 50  # pages (a large KB's pages average 350 KB: a slice is about 17 MB)


def workers() -> int:
    """Processes to render pages with (KB_JOBS, else the cores, at most 4)."""
    return job_count(4)


def render_pages(tasks: list[Task], cache: "PageCache | None" = None) -> dict[str, str]:
    """Every page's Markdown, in the order of `tasks`; with a page cache, pages whose reads are
    unchanged come from it and only the others are rendered (see page_cache.py)."""
    done: dict[str, str] = {}
    if cache is not None:
        for path, make in tasks:
            markdown = cache.lookup(path, make)
            if markdown is not None:
                done[path] = markdown
    todo = [(path, make) for path, make in tasks if path not in done]
    makes = dict(todo)
    for path, (markdown, reads) in _render(todo).items():
        done[path] = markdown
        if cache is not None:
            cache.keep(path, makes[path], markdown, reads)
    return {path: done[path] for path, _ in tasks}


def _render(tasks: list[Task]) -> dict[str, tuple[str, frozenset]]:
    """Each page's Markdown and what it read, rendered on every core when there are many; the
    blocks the workers store in the page cache (page_cache.fragment) are stored in this process's."""
    jobs = min(workers(), len(tasks) // (MIN_PAGES // 2) or 1)
    if jobs <= 1 or len(tasks) < MIN_PAGES:
        return {path: render_recorded(make) for path, make in tasks}

    def render_slice(start: int) -> tuple[dict[str, tuple[str, frozenset]], dict[str, str], dict]:
        # slices interleave, so big pages (FAQ categories, markets) are spread over the workers
        before = set(text.used_conversions())
        held = take_fresh_fragments()  # in-process (no fork): the parent's, put back below
        pages = {path: render_recorded(make) for path, make in tasks[start::slices]}
        blocks = take_fresh_fragments()
        keep_fragments(held)
        return pages, {k: v for k, v in text.used_conversions().items() if k not in before}, blocks

    rendered: dict[str, tuple[str, frozenset]] = {}
    slices = max(jobs * SLICES_PER_WORKER, -(-len(tasks) // PAGES_PER_SLICE))
    for pages, conversions, blocks in map_forked(render_slice, range(slices), jobs):
        rendered.update(pages)
        text.use_conversions(conversions)
        text.record_conversions(conversions)
        keep_fragments(blocks)
    return rendered
