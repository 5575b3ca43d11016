"""Work that the command's answer does not depend on, done after it has been given.

`kb check` writes its caches (the loader's per-file shards, the report) only for the next run:
on a large catalog that is over a second of pickling after the report is ready. `run_detached`
does it in a grandchild process that the command does not wait for, with its standard streams
on /dev/null (whoever reads the command's output sees its end when the command exits).

The next run must not find a half-written cache folder and think it cold (the files themselves
are replaced atomically, so it would only be slower, never wrong): the writer holds an exclusive
lock on `<folder>/.writing`, taken before forking and inherited by the grandchild, and readers
wait for it with `wait_for_writer` before reading anything there. Where forking is not safe
(other threads, no fork on the system) the work runs here and now, as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from kb_builder.runtime.parallel import can_fork

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no fork either, the work runs at once
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".writing"


def wait_for_writer(folder: Path) -> None:
    """Return once no detached writer holds the folder's lock (at once when there is none)."""
    if fcntl is None:
        return
    try:
        fd = os.open(Path(folder) / LOCK_NAME, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return  # no lock file: nothing was ever written in the background here
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        pass
    finally:
        os.close(fd)


def run_detached(tasks: Sequence[Callable[[], None]], folder: Path, prepare: Callable[[Path], None]) -> bool:
    """Run `tasks` (which write under `folder`) in a process nobody waits for; True when detached.

    `prepare(folder)` creates the folder first. Each task must handle its own errors (a cache
    that cannot be written); in the grandchild, whatever escapes one is dropped, since nobody is
    left to tell. Without a safe fork, or when the lock cannot be taken, the tasks run here.
    """
    if not tasks:
        return False
    fd = _locked(folder, prepare) if fcntl is not None and can_fork() else None
    if fd is None:
        for task in tasks:
            task()
        return False
    for stream in (sys.stdout, sys.stderr):  # nothing buffered may be written twice
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        child = os.fork()
    except OSError:
        os.close(fd)
        for task in tasks:
            task()
        return False
    if child:
        os.close(fd)  # the lock stays with the grandchild, which shares the open file
        os.waitpid(child, 0)
        return True
    try:  # the child: fork once more and leave, so the grandchild is nobody's zombie
        os.setsid()
        if os.fork():
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for n in (0, 1, 2):
            os.dup2(devnull, n)
        _run_all(tasks)
    finally:
        os._exit(0)


def _locked(folder: Path, prepare: Callable[[Path], None]) -> int | None:
    """An open descriptor holding the folder's writer lock, or None when it cannot be had."""
    try:
        prepare(folder)
        fd = os.open(Path(folder) / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another run's writer may still be at work: wait for it
    except OSError:
        os.close(fd)
        return None
    return fd


def _run_all(tasks: Sequence[Callable[[], None]]) -> None:
    for task in tasks:
        try:
            task()
        except Exception:  # noqa: BLE001 - a cache that cannot be written is only a slower next run
            pass
