"""runtime.parallel: one KB_JOBS rule, forked workers that inherit state, order and errors kept."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from kb_builder.runtime import parallel


def test_kb_jobs_wins_over_the_cores_and_the_limit(monkeypatch):
    monkeypatch.setenv("KB_JOBS", "3")
    assert parallel.job_count(2) == 3
    monkeypatch.setenv("KB_JOBS", "0")  # not a usable count: the cores decide
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert parallel.job_count(4) == 4
    assert parallel.job_count() == 8
    monkeypatch.delenv("KB_JOBS")
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert parallel.job_count(4) == 1


def test_workers_inherit_unpicklable_work_and_results_keep_their_order():
    # in a fresh interpreter: other tests leave server threads behind, and with threads running
    # map_forked rightly stays in its own process (see the last test)
    script = """
import os
from kb_builder.runtime import parallel
offset = 100
work = lambda i: (i + offset, os.getpid())  # a lambda over a local: cannot be pickled, is inherited
results = parallel.map_forked(work, list(range(12)), 3)
assert [r[0] for r in results] == list(range(100, 112)), results
assert os.getpid() not in {pid for _, pid in results}, "it ran in workers"
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_with_here_the_caller_does_the_first_item_and_workers_the_rest():
    script = """
import os
from kb_builder.runtime import parallel
offset = 100
work = lambda i: (i + offset, os.getpid())
results = parallel.map_forked(work, list(range(6)), 3, here=True)
assert [r[0] for r in results] == list(range(100, 106)), results
assert results[0][1] == os.getpid(), "the first item ran here"
others = {pid for _, pid in results[1:]}
assert os.getpid() not in others and 1 <= len(others) <= 2, others
def bad_here(i):
    if i == 0:
        raise ValueError("item 0 is bad")
    return i
try:
    parallel.map_forked(bad_here, [0, 1, 2], 2, here=True)
except ValueError as exc:
    assert "item 0" in str(exc)
else:
    raise AssertionError("the caller's own error was lost")
assert parallel._INHERITED is None
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_an_error_in_a_worker_is_raised_in_the_caller():
    def work(i):
        if i == 5:
            raise ValueError("item 5 is bad")
        return i

    with pytest.raises(ValueError, match="item 5 is bad"):
        parallel.map_forked(work, list(range(8)), 2)


def test_with_other_threads_running_the_work_stays_in_this_process():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        results = parallel.map_forked(lambda i: os.getpid(), [1, 2, 3], 2)
    finally:
        stop.set()
        other.join()
    assert set(results) == {os.getpid()}


def test_workers_start_with_the_parent_frozen_and_the_parent_is_unfrozen_after():
    # Frozen, the parent's objects are skipped by a worker's collections, which would otherwise
    # write to (and so copy) every page holding one. A caller's own freeze is left for it to undo.
    script = """
import gc
from kb_builder.runtime import parallel
assert gc.get_freeze_count() == 0
counts = parallel.map_forked(lambda i: gc.get_freeze_count(), list(range(4)), 2)
assert min(counts) > 0, counts
assert gc.get_freeze_count() == 0, "the parent's objects are collected again after the workers"
gc.freeze()
frozen = gc.get_freeze_count()
parallel.map_forked(lambda i: i, list(range(4)), 2)
assert gc.get_freeze_count() >= frozen, "a caller's freeze is the caller's to undo"
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
