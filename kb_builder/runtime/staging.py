"""A build's output folder: one writer at a time, every part staged, then swapped in together.

A build writes its parts (internal/, public/, search/) into `OUT/.staging-<pid>/`. Only when all
of them are complete are they put in place, each by one atomic exchange of two folders
(`renameat2(RENAME_EXCHANGE)` on Linux), so a reader (kb serve, a web server) sees either the
previous part or the new one at every instant, never a missing or half-written folder. Before the
first exchange a journal (`OUT/.kb-swap.json`) names the staged folders by inode; a build that
dies in the middle of the swap is completed by the next one (roll forward), so the output never
stays a mix of two builds. One build per output folder holds `OUT/.kb-build.lock` (flock), and
whoever holds it removes what dead builds left behind.

After the swap the previous parts sit in the staging folder, out of every reader's path. Removing
them costs in proportion to the whole output (one `rmdir` per folder: 14,000 on the medium preset,
1.4 s on a quiet machine and 18 s on a busy disk), not to what changed, so a committed build
renames its staging folder to `OUT/.kb-trash-<pid>-<ns>` and hands it to a detached `rm -rf` that
the build does not wait for (`remove_later`). The remover holds a flock on the folder while it
works; the next lock holder hands any trash that nobody holds to a new remover (a remover that was
killed), so trash never stays. A failed build removes its staging folder at once (it holds only
its own half-written parts). `KB_BACKGROUND_REMOVAL=off` removes the old parts before the build
returns (the test suite sets it, so that its listings of output folders are deterministic).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from kb_builder.errors import KbError

LOCK_FILE = ".kb-build.lock"
JOURNAL = ".kb-swap.json"
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".kb-trash-"


class OutputBusy(KbError):
    """Another build is writing the same output folder."""

    exit_code = 1


class Staging:
    """`with Staging(out) as stage:` build into `stage.part("internal")`, then `stage.commit([...])`.

    Leaving the block without commit (an error, a content problem) discards what was staged; the
    previous output is untouched.
    """

    def __init__(self, out: Path, stages: bool = True):
        self.out = Path(out)
        self.root = self.out / f"{STAGING_PREFIX}{os.getpid()}"
        self.stages = stages  # False: the writer stages on its own and only needs the lock
        self._lock_fd: int | None = None
        self._committed = False

    def __enter__(self) -> "Staging":
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            recover(self.out)
            _remove_leftovers(self.out)
            if self.stages:
                self.root.mkdir()
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.stages:
                if self._committed and background_removal():
                    discard(self.root)  # the previous parts: nobody reads them any more
                else:
                    shutil.rmtree(self.root, ignore_errors=True)
        finally:
            self._unlock()

    def part(self, name: str) -> Path:
        """Where this build writes one part of the output (not created)."""
        return self.root / name

    def commit(self, parts: list[str]) -> None:
        """Put every staged part in place: all of them, or (if this process dies midway) the next
        build finishes the job."""
        staged = {name: os.stat(self.part(name)).st_ino for name in parts}
        _write_journal(self.out, {"staging": self.root.name, "parts": staged})
        for name in parts:
            exchange(self.part(name), self.out / name)
        (self.out / JOURNAL).unlink()
        self._committed = True

    @classmethod
    def lock_only(cls, out: Path) -> "Staging":
        """The same lock and recovery, for a writer that stages on its own (`kb index`)."""
        return cls(out, stages=False)

    def _lock(self) -> None:
        fd = os.open(self.out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputBusy(f"another build (pid {holder}) is writing {self.out}; wait for it to finish, "
                             "or build into another folder with --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None


def recover(out: Path) -> list[str]:
    """Finish a swap that a dead build began (see the module docstring); returns the parts moved."""
    journal = Path(out) / JOURNAL
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        staging = Path(out) / plan["staging"]
        parts: dict[str, int] = plan["parts"]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):  # a journal cut short: nothing was swapped yet
        journal.unlink(missing_ok=True)
        return []
    moved = []
    for name, inode in parts.items():
        target, new = Path(out) / name, staging / name
        if _inode(target) == inode:
            continue  # already in place
        if _inode(new) == inode:
            exchange(new, target)
            moved.append(name)
    journal.unlink(missing_ok=True)
    return moved


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _write_journal(out: Path, plan: dict) -> None:
    tmp = out / f"{JOURNAL}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(plan, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out / JOURNAL)


def _remove_leftovers(out: Path) -> None:
    """Staging folders of builds that died (only the lock holder runs this, before it stages
    anything, so none is alive; a dead build may even have had this process's pid), the
    `.NAME.old` folders of the earlier two-rename swap, and trash that no remover holds."""
    for path in out.iterdir():
        name = path.name
        if name.startswith(TRASH_PREFIX) and path.is_dir() and not path.is_symlink():
            remove_later(path)
        elif name.startswith(STAGING_PREFIX) or (name.startswith(".") and name.endswith(".old")) \
                or name.startswith(f"{JOURNAL}."):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def background_removal() -> bool:
    """False when the environment asks for the old parts to be removed before a build returns."""
    return os.environ.get("KB_BACKGROUND_REMOVAL", "").lower() not in ("off", "0", "no", "false")


def discard(folder: Path) -> None:
    """Take a folder out of the way at once (one rename to `.kb-trash-...` beside it) and remove it
    in the background (`remove_later`)."""
    trash = folder.with_name(f"{TRASH_PREFIX}{os.getpid()}-{time.time_ns()}")
    try:
        os.rename(folder, trash)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    remove_later(trash)


def remove_later(folder: Path) -> bool:
    """Remove a folder that nothing reads in a detached `rm -rf` that this process does not wait
    for; False when a remover already holds it (its flock on the folder). Where no remover can be
    started, the folder is removed here and now."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        # `sh` starts rm in the background and exits, so rm is nobody's child to wait for; rm
        # inherits the locked descriptor and holds the lock until it is done
        try:
            shell = subprocess.run(["/bin/sh", "-c", 'rm -rf -- "$1" </dev/null >/dev/null 2>&1 &', "sh", str(folder)],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   pass_fds=(fd,), check=False, timeout=30)
            started = shell.returncode == 0
        except (OSError, subprocess.SubprocessError):
            started = False
        if not started:
            shutil.rmtree(folder, ignore_errors=True)
        return True
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
@functools.lru_cache(maxsize=1)
def _renameat2():
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except OSError:  # pragma: no cover - no C library to ask
        return None


def exchange(new: Path, target: Path) -> None:
    """Put `new` at `target` in one step; the previous `target` ends up at `new`'s old path."""
    if not os.path.lexists(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(new, target)
        return
    call = _renameat2()
    if call is not None:
        if call(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE) == 0:
            return
        err = ctypes.get_errno()
        if err not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(err, os.strerror(err), str(target))
    # no atomic exchange here (not Linux, or a file system without it): two renames, and a
    # journal-driven recovery covers a crash between them
    aside = new.with_name(new.name + ".previous")
    os.rename(target, aside)
    os.rename(new, target)
    os.rename(aside, new)
