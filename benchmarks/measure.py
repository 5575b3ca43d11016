"""Run one command as a whole process: wall time, exit code, output and peak memory.

Peak memory three ways: the largest single process (wait4 rusage, what `/usr/bin/time -v` reports
as maximum resident set size), and the whole process tree sampled every 50 ms from /proc, as
the sum of resident sets (RSS: counts memory that forked workers share with their parent once per
process) and as the sum of proportional sets (PSS, from smaps_rollup: shared pages divided among
the processes sharing them, so the tree's real use).
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024


@dataclass
class Measure:
    """One whole-process run of a command."""

    cmd: list[str]
    exit_code: int | None = None
    wall_s: float = 0.0
    peak_rss_mib: float | None = None       # largest single process (wait4 rusage)
    peak_tree_mib: float | None = None      # whole process tree, sampled: sum of RSS
    peak_tree_pss_mib: float | None = None  # whole process tree, sampled: sum of PSS
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(x) for x in f.read().split())
    except OSError:
        pass
    return kids


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _tree_rss(root: int) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) over the process tree under root."""
    total, pss, stack, page = 0, 0, [root], os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        pss += _pss(pid)
        stack.extend(_children(pid))
    return total, pss


def measure(cmd: list[str], timeout: float, cwd: Path | None = None, env: dict | None = None) -> Measure:
    """Run cmd to completion; wall time, exit code, output and peak memory."""
    m = Measure(cmd=[str(c) for c in cmd])
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(m.cmd, stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True)
        peak = [0, 0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss, pss = _tree_rss(proc.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        if os.path.isdir("/proc/self/task"):
            sampler.start()

        def kill() -> None:
            m.timed_out = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        m.wall_s = time.perf_counter() - start
        timer.cancel()
        done.set()
        proc.returncode = m.exit_code = os.waitstatus_to_exitcode(status)
        m.peak_rss_mib = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
        m.peak_tree_mib = round(peak[0] / MIB, 1) if peak[0] else None
        m.peak_tree_pss_mib = round(peak[1] / MIB, 1) if peak[1] else None
        out.seek(0)
        err.seek(0)
        m.stdout = out.read().decode("utf-8", "replace")
        m.stderr = err.read().decode("utf-8", "replace")
    return m


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return ordered[k]
