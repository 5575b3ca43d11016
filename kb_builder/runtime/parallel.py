"""One way to use every core: KB_JOBS, forked workers that inherit the caller's state, and the
rule for when forking is unsafe.

Rendering pages, building help centers and indexing languages are each a list of independent
pieces of work over data already in memory (the loaded catalog, the rendered pages). Forked
workers inherit that data as it is, copy-on-write, instead of receiving a pickled copy: the work
function and its items are handed over through this module's one piece of state, set just
before the workers fork and cleared after. Forking a process that runs other threads is unsafe
(a lock held by another thread stays locked in the child), so with other threads running (kb
serve), or where the system cannot fork, the work runs here, one piece after the other.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence, TypeVar

from kb_builder.runtime.memory import release_freed

T = TypeVar("T")
R = TypeVar("R")

_INHERITED: tuple[Callable, Sequence] | None = None


def job_count(limit: int | None = None) -> int:
    """Worker processes for CPU-bound work: KB_JOBS when set to a positive number, else the
    number of cores, at most `limit`."""
    env = os.environ.get("KB_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    cores = os.cpu_count() or 1
    return max(1, min(limit, cores) if limit else cores)


def can_fork() -> bool:
    """True when workers may be forked from this process: no other thread runs, and the system forks."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def map_forked(work: Callable[[T], R], items: Sequence[T], jobs: int, here: bool = False) -> list[R]:
    """`[work(item) for item in items]`, on up to `jobs` forked workers when that is safe.

    Results come back in the order of `items`; an exception in a worker is raised here. `work`
    and `items` need not be picklable (workers inherit them); results must be. With `here`, this
    process does the first item itself while `jobs - 1` workers do the rest: one fork fewer, and
    that item's result is not pickled (for work that is short next to a worker's start).
    """
    global _INHERITED
    jobs = min(jobs, len(items))
    if jobs <= 1 or not can_fork():
        return [work(item) for item in items]
    if _INHERITED is not None:  # a worker asked for workers of its own: do the work here
        return [work(item) for item in items]
    if here:
        first = 1
        jobs -= 1
    else:
        first = 0
    _INHERITED = (work, items)
    release_freed()  # a worker would inherit (and count) the parent's freed heap pages
    frozen_before = gc.get_freeze_count()
    gc.freeze()  # a worker's collections then skip the parent's objects instead of writing to (copying) them
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_run_inherited, i) for i in range(first, len(items))]
            try:
                mine = [work(items[0])] if first else []
                return mine + [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    finally:
        _INHERITED = None
        if not frozen_before:  # a caller's own freeze (search/indexer.py) is the caller's to undo
            gc.unfreeze()


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive a build that was killed (kill -9 leaves no time to stop it)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - a C library without prctl
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _run_inherited(index: int):
    assert _INHERITED is not None, "map_forked's state did not reach the worker"
    work, items = _INHERITED
    return work(items[index])
