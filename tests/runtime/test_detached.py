"""Caches written after the command has answered: in another process, which the next run waits for."""

from __future__ import annotations

import os
import time

from kb_builder.loading.cache import ensure_folder
from kb_builder.runtime import detached
from kb_builder.runtime.detached import run_detached, wait_for_writer


def _wait_for(path, seconds=30.0):
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.01)


def test_the_tasks_run_in_another_process_that_the_caller_does_not_wait_for(tmp_path, monkeypatch):
    # in a full test run other tests' threads are still alive, so can_fork() says no: this test
    # is about what happens when it says yes (the rule itself is tested in test_parallel.py)
    monkeypatch.setattr(detached, "can_fork", lambda: True)
    folder, go, done = tmp_path / "cache", tmp_path / "go", tmp_path / "cache" / "done"

    def task():
        _wait_for(go)  # blocks until the test says so: run_detached must have returned before
        done.write_text(str(os.getpid()), encoding="utf-8")

    assert run_detached([task], folder, ensure_folder) is True
    assert not done.exists()
    go.touch()
    wait_for_writer(folder)  # returns only once the writer is finished
    assert done.read_text(encoding="utf-8") != str(os.getpid())
    assert (folder / ".gitignore").read_text(encoding="utf-8") == "*\n"


def test_without_a_safe_fork_the_tasks_run_here_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(detached, "can_fork", lambda: False)
    ran = []
    assert run_detached([lambda: ran.append(os.getpid())], tmp_path / "cache", ensure_folder) is False
    assert ran == [os.getpid()]


def test_a_failing_task_does_not_stop_the_next_one_in_the_writer(tmp_path, monkeypatch):
    monkeypatch.setattr(detached, "can_fork", lambda: True)  # as above: the detached writer
    folder = tmp_path / "cache"

    def fails():
        raise RuntimeError("boom")

    run_detached([fails, lambda: (folder / "second").write_text("ok", encoding="utf-8")], folder, ensure_folder)
    wait_for_writer(folder)
    assert (folder / "second").read_text(encoding="utf-8") == "ok"


def test_waiting_on_a_folder_without_a_writer_returns_at_once(tmp_path):
    wait_for_writer(tmp_path / "never-written")
    wait_for_writer(tmp_path)
