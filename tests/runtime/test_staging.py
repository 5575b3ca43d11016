"""runtime.staging: one build per output folder, every part swapped in together, a complete output
visible at every instant, and what dead builds leave behind cleaned up."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kb_builder.runtime import staging
from kb_builder.runtime.staging import JOURNAL, OutputBusy, Staging, exchange, recover

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"


def _part(folder: Path, text: str) -> None:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")


def _read(out: Path, part: str) -> str:
    return (out / part / "index.html").read_text(encoding="utf-8")


def test_a_second_build_into_the_same_folder_is_refused_with_a_clear_message(tmp_path, capsys):
    from kb_builder.cli import main

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out = tmp_path / "out"
    with Staging(out):
        assert main(["build", "--content", str(content), "--out", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err == (f"error: another build (pid {os.getpid()}) is writing {out}; wait for it to finish, "
                   "or build into another folder with --out\n")
    assert sorted(p.name for p in out.iterdir()) == [".kb-build.lock"]  # the refused build wrote nothing


def test_every_part_is_swapped_in_and_the_old_parts_are_gone(tmp_path):
    out = tmp_path / "out"
    for part in ("internal", "public"):
        _part(out / part, f"old {part}")
    with Staging(out) as stage:
        for part in ("internal", "public"):
            _part(stage.part(part), f"new {part}")
        stage.commit(["internal", "public"])
    assert _read(out, "internal") == "new internal" and _read(out, "public") == "new public"
    assert sorted(p.name for p in out.iterdir()) == [".kb-build.lock", "internal", "public"]


def test_a_build_killed_in_the_middle_of_the_swap_is_completed_by_the_next(tmp_path, monkeypatch):
    out = tmp_path / "out"
    for part in ("internal", "public", "search"):
        _part(out / part, f"old {part}")
    dead = Staging(out)
    dead.__enter__()
    for part in ("internal", "public", "search"):
        _part(dead.part(part), f"new {part}")
    calls = []
    real = staging.exchange

    def dies_after_one(new, target):
        if calls:
            raise KeyboardInterrupt("killed")  # stands for kill -9 after the first exchange
        calls.append(target)
        real(new, target)
    monkeypatch.setattr(staging, "exchange", dies_after_one)
    with pytest.raises(KeyboardInterrupt):
        dead.commit(["internal", "public", "search"])
    dead._unlock()  # the process is gone: its lock goes with it, its staging folder stays
    monkeypatch.setattr(staging, "exchange", real)
    assert _read(out, "internal") == "new internal" and _read(out, "public") == "old public"  # mixed
    with Staging(out):  # the next build's first act
        pass
    assert [_read(out, p) for p in ("internal", "public", "search")] == ["new internal", "new public", "new search"]
    assert sorted(p.name for p in out.iterdir()) == [".kb-build.lock", "internal", "public", "search"]


def test_a_journal_cut_short_means_nothing_was_swapped(tmp_path):
    out = tmp_path / "out"
    _part(out / "public", "old")
    (out / JOURNAL).write_text('{"staging": ".staging-1", "par', encoding="utf-8")
    assert recover(out) == []
    assert _read(out, "public") == "old" and not (out / JOURNAL).exists()


def test_leftovers_of_dead_builds_are_removed(tmp_path):
    out = tmp_path / "out"
    _part(out / ".staging-99999999" / "internal", "half a build")
    _part(out / ".public.old", "the old swap's leftover")
    _part(out / "public", "current")
    with Staging(out):
        pass
    assert sorted(p.name for p in out.iterdir()) == [".kb-build.lock", "public"]


def test_a_reader_finds_the_part_at_every_instant_of_many_swaps(tmp_path):
    out = tmp_path / "out"
    _part(out / "public", "0")
    missing: list[int] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            try:
                _read(out, "public")
            except FileNotFoundError:
                missing.append(1)
    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(1, 300):
            new = tmp_path / f"new-{i}"
            _part(new, str(i))
            exchange(new, out / "public")
            shutil.rmtree(new)
    finally:
        stop.set()
        reader.join()
    assert _read(out, "public") == "299"
    assert missing == []


def test_workers_die_with_a_killed_parent(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    script = f"""
import os, time
from kb_builder.runtime.parallel import map_forked
def work(i):
    open(os.path.join({str(pids)!r}, str(os.getpid())), "w").close()
    time.sleep(60)
map_forked(work, [1, 2], 2)
"""
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in workers if _alive(pid)]
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its (dead) parent's reaper counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _trash(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.name.startswith(staging.TRASH_PREFIX))


def _gone(out: Path, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while _trash(out) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not _trash(out)


def test_the_old_parts_are_taken_out_of_the_way_at_once_and_removed_in_the_background(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_BACKGROUND_REMOVAL", "on")
    handed: list[Path] = []
    real = staging.remove_later
    monkeypatch.setattr(staging, "remove_later", handed.append)
    out = tmp_path / "out"
    _part(out / "public", "old public")
    for i in range(200):  # something for the remover to do
        _part(out / "public" / f"page-{i}", "old page")
    with Staging(out) as stage:
        _part(stage.part("public"), "new public")
        stage.commit(["public"])
    assert _read(out, "public") == "new public" and not (out / "public" / "page-0").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(staging.STAGING_PREFIX)]
    # the previous part, whole, in one trash folder handed to the remover
    assert handed == _trash(out) and handed[0].name.startswith(f"{staging.TRASH_PREFIX}{os.getpid()}-")
    assert _read(handed[0], "public") == "old public" and _read(handed[0] / "public", "page-199") == "old page"
    assert real(handed[0]) is True
    assert _gone(out)
    assert sorted(p.name for p in out.iterdir()) == [".kb-build.lock", "public"]


def test_without_background_removal_the_old_parts_are_gone_when_the_build_returns(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_BACKGROUND_REMOVAL", "off")
    out = tmp_path / "out"
    _part(out / "public", "old public")
    with Staging(out) as stage:
        _part(stage.part("public"), "new public")
        stage.commit(["public"])
    assert sorted(p.name for p in out.iterdir()) == [".kb-build.lock", "public"]


def test_a_failed_build_removes_its_half_written_parts_before_it_returns(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_BACKGROUND_REMOVAL", "on")
    out = tmp_path / "out"
    _part(out / "public", "old public")
    with pytest.raises(RuntimeError):
        with Staging(out) as stage:
            _part(stage.part("public"), "half of a new public")
            raise RuntimeError("the build failed")
    assert sorted(p.name for p in out.iterdir()) == [".kb-build.lock", "public"]
    assert _read(out, "public") == "old public"


def test_trash_that_no_remover_holds_is_removed_by_the_next_lock_holder(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_BACKGROUND_REMOVAL", "on")
    out = tmp_path / "out"
    _part(out / f"{staging.TRASH_PREFIX}1-2" / "internal", "a killed remover's leftover")
    _part(out / "public", "current")
    with Staging(out):
        pass
    assert _gone(out)
    assert sorted(p.name for p in out.iterdir()) == [".kb-build.lock", "public"]


def test_trash_that_a_remover_holds_is_left_to_it(tmp_path):
    import fcntl

    folder = tmp_path / f"{staging.TRASH_PREFIX}1-2"
    _part(folder, "being removed")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # stands for a remover at work
        assert staging.remove_later(folder) is False
        assert _read(tmp_path, folder.name) == "being removed"
    finally:
        os.close(fd)
    assert staging.remove_later(folder) is True
    assert _gone(tmp_path)


def test_a_reader_finds_every_page_while_rebuilds_hand_old_output_to_the_remover(tmp_path, monkeypatch):
    """kb build twice with background removal: the output is whole at every instant of both builds
    and of the removals after them, and the old trees are gone in the end."""
    from kb_builder.cli import main

    monkeypatch.setenv("KB_BACKGROUND_REMOVAL", "on")
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out = tmp_path / "out"
    args = ["build", "--content", str(content), "--out", str(out), "--audience", "internal",
            "--today", "2026-11-23", "-q"]
    assert main(args) == 0
    pages = sorted(p.relative_to(out) for p in (out / "internal").rglob("index.html"))
    assert len(pages) > 5
    problems: list[str] = []
    stop = threading.Event()

    def read():
        while not stop.is_set():
            for rel in pages:
                try:
                    if not (out / rel).read_bytes().rstrip().endswith(b"</html>"):
                        problems.append(f"{rel} cut short")
                except FileNotFoundError:
                    problems.append(f"{rel} missing")
    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(2):
            faq = content / "faq" / "where-is-my-order.yaml"
            faq.write_text(faq.read_text(encoding="utf-8").replace("answer: |", f"answer: |\n    Edit {i}.", 1),
                           encoding="utf-8")
            assert main(args) == 0
        assert _gone(out)
    finally:
        stop.set()
        reader.join()
    assert problems == []
    assert any("Edit 1." in (out / rel).read_text("utf-8") for rel in pages)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".kb-")) == ["internal", "search"]
