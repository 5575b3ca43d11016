"""A per-file cache of what the loader builds, so unchanged files are not parsed and validated again.

Parsing and schema validation dominate loading (about 4 ms a file; a 6,000-file catalog takes half
a minute). The cache keeps, per file, the built entry and the problems found in it, under
`.kb-cache/` beside the content folder (git-ignored). A file counts as unchanged when its size,
mtime and change time match and it was not modified within two seconds of the cache being written; otherwise its
content hash decides, as git does with "racily clean" files. Anything that could change how a
file is read is part of the cache key: the loader's own code, kb.yaml and the set of market codes.

The code version is a digest of every source file of the package (code_version), so no list of
files has to be kept. The key stored with an entry is the digest of the bytes the YAML reader
actually parsed (note_parsed), not of the file read again afterwards, which may be newer.

Cache files hold data only: `write_data` adds a digest of the payload, and `read_data` rebuilds
nothing but plain values, dates and kb_builder's dataclasses, so a planted file cannot run code,
and a damaged one is thrown away and rebuilt. The digest is keyed with a secret of this user's
(`cache_key`, kept outside every cache folder): a cache file that was not written here (committed
to a repository by a pull request, restored from another machine) fails it and is ignored, so it
cannot put pages or findings into a build that its YAML would not make. Set `KB_CACHE=off` to
bypass the cache. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import hmac
import io
import os
import pickle
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from kb_builder.errors import ProblemList
from kb_builder.runtime.detached import wait_for_writer

CACHE_DIR = ".kb-cache"
SHARDS = 32
RACY_NS = 2_000_000_000
# What a cache file may contain besides plain data (str, bytes, numbers, lists, dicts, tuples):
# kb_builder's own dataclasses (the model, problems, the report and its parts) and dates. Nothing
# else is ever constructed from a cache file, so a planted file cannot run code (_DataUnpickler).
_DATA_GLOBALS = frozenset({("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"),
                           ("builtins", "set"), ("builtins", "frozenset")})
_MAGIC = b"kb-cache-data-2\n"  # 2: the digest is keyed (cache_key)
KEY_FILE = "cache-key"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of every source file of the kb_builder package and of Python's version: any change
    to the code that builds what a cache holds (found automatically, no list to keep) retires it."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            pass
    return h.hexdigest()


@lru_cache(maxsize=1)
def cache_key() -> bytes:
    """This user's secret for the digests of cache files, kept in `$XDG_CACHE_HOME/kb_builder/`
    (default `~/.cache/kb_builder/`), never in a cache folder: whoever could plant a cache file
    beside the content (a pull request, a shared CI cache) cannot know it. Made on first use.
    When it cannot be kept (no writable home), the process makes its own: caches then last one run."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        folder = (Path(base) if base else Path.home() / ".cache") / "kb_builder"
    except (RuntimeError, KeyError):  # no home directory to find
        return os.urandom(32)
    path = folder / KEY_FILE
    for _attempt in range(2):
        try:
            key = path.read_bytes()
            if len(key) == 32:
                return key
            path.unlink()  # damaged: replaced (caches written with it are retired with it)
        except FileNotFoundError:
            pass
        except OSError:
            return os.urandom(32)
        key = os.urandom(32)
        tmp = folder / f".{KEY_FILE}.{os.getpid()}"
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(key)
            os.link(tmp, path)  # fails if another process made it first: then that one is read
            return key
        except FileExistsError:
            continue
        except OSError:
            return key
        finally:
            try:
                tmp.unlink()
            except OSError:
                pass
    return os.urandom(32)


def keyed_digest(payload: bytes, size: int = 32) -> bytes:
    """The digest of a cache file's payload under this user's cache_key."""
    return hashlib.blake2b(payload, digest_size=size, key=cache_key()).digest()


def _code_version() -> str:  # the loader cache's name for it (kept for callers)
    return code_version()


class _DataUnpickler(pickle.Unpickler):
    """Builds only plain data and the allowed dataclasses; any other global (os.system, eval,
    a class with a custom __reduce__) makes the file unusable instead of running."""

    def find_class(self, module: str, name: str):
        if (module, name) in _DATA_GLOBALS:
            return super().find_class(module, name)
        if module.startswith("kb_builder.") and "." not in name and not name.startswith("__"):
            found = super().find_class(module, name)
            if isinstance(found, type) and dataclasses.is_dataclass(found):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")


def write_data(path: Path, data: Any) -> None:
    """Write data (see _DataUnpickler) atomically with a digest of the bytes; raises OSError.

    The pickle is streamed to the file and digested on the way (the digest's place is filled in
    after): the page cache of a big KB is 400 MB, and the whole payload in memory, then the file's
    bytes made of it, were two more copies of it at the build's peak."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(_MAGIC + bytes(32))
            digest = hashlib.blake2b(digest_size=32, key=cache_key())  # = keyed_digest(payload)

            class _Digested:
                def write(self, chunk) -> int:
                    digest.update(chunk)
                    return f.write(chunk)

            pickle.Pickler(_Digested(), protocol=pickle.HIGHEST_PROTOCOL).dump(data)
            f.seek(len(_MAGIC))
            f.write(digest.digest())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_data(path: Path) -> Any:
    """The data written by write_data, or None when the file is missing, damaged (digest), or
    holds anything but data: a damaged cache is thrown away and rebuilt, never a traceback."""
    head = len(_MAGIC) + 32
    try:
        with open(path, "rb") as f:
            raw = f.read(head)
            payload = f.read()  # read apart: a slice of the whole file would be a second copy
    except OSError:
        return None
    if not raw.startswith(_MAGIC) or len(raw) < head:
        return None
    if not hmac.compare_digest(keyed_digest(payload), raw[len(_MAGIC):head]):
        return None
    try:
        with gc_paused():
            return _DataUnpickler(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - whatever a damaged or planted file raises, it is just not used
        return None


@dataclass
class _Record:
    size: int
    mtime_ns: int
    digest: bytes
    result: Any
    problems: list
    ctime_ns: int = 0


@dataclass
class _Shard:
    records: dict[str, _Record] = field(default_factory=dict)
    dirty: bool = False
    written_ns: int = 0


@contextmanager
def gc_paused():
    """Pause the cycle collector: building a million small objects (unpickling a catalog, checking it)
    would otherwise trigger full collections over and over, for nothing, since none of them is garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cache_folder(content: Path) -> Path:
    """Where the caches of a content folder live: `.kb-cache/` beside it, or, when KB_CACHE_DIR is
    set (read-only checkouts, test runs), a folder per content folder under that directory."""
    root = Path(content).resolve()
    elsewhere = os.environ.get("KB_CACHE_DIR", "").strip()
    if elsewhere:
        tag = hashlib.blake2b(str(root).encode(), digest_size=8).hexdigest()
        return Path(elsewhere).resolve() / f"{root.name}-{tag}"
    return root.parent / CACHE_DIR


def content_listing(content: Path, skip: Path | None = None) -> tuple[bytes, int]:
    """A digest of every file's path, size, inode, modification and change time under the content
    folder, and the newest modification time. The change time catches an edit whose modification time
    was put back (`touch -d`, `cp -p`): it is set by the kernel on every write and cannot be set.
    The folder `skip` (an output folder inside the content folder) is left out."""
    h = hashlib.blake2b(digest_size=16)
    newest = 0
    todo = [content]
    while todo:
        folder = todo.pop()
        with os.scandir(folder) as it:
            items = sorted(it, key=lambda e: e.name)
        for item in items:
            if item.is_dir(follow_symlinks=False):
                if skip is not None and Path(item.path) == skip:
                    continue
                todo.append(Path(item.path))
                h.update(b"d" + item.path.encode() + b"\0")
                continue
            st = item.stat()
            newest = max(newest, st.st_mtime_ns)
            h.update(f"{item.path}\0{st.st_size}\0{st.st_ino}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0".encode())
    return h.digest(), newest


def enabled() -> bool:
    """False when the environment turns the cache off (KB_CACHE=off/0/no)."""
    return os.environ.get("KB_CACHE", "").lower() not in ("off", "0", "no", "false")


class FileCache:
    """Cached per-file load results for one content folder and one loading context."""

    def __init__(self, content: Path, context: bytes):
        root = Path(content).resolve()
        self.folder = cache_folder(root)
        wait_for_writer(self.folder)  # the last `kb check` may still be writing it
        tag = hashlib.blake2b(str(root).encode() + os.getcwd().encode(), digest_size=8).hexdigest()
        self.prefix = f"load-{tag}"
        self.key = hashlib.blake2b(_code_version().encode() + context, digest_size=16).hexdigest()
        self.shards: dict[int, _Shard] = {}
        self.seen: set[str] = set()
        self.folders: dict[Path, str] = {}

    def shown(self, file: Path, shown_path: Callable[[Path], str]) -> str:
        """`shown_path(file)`, computed once per folder (relpath is slow over thousands of files)."""
        folder = self.folders.get(file.parent)
        if folder is None:
            folder = self.folders[file.parent] = shown_path(file.parent)
        return file.name if folder == "." else os.path.join(folder, file.name)

    def _shard_no(self, shown: str) -> int:
        return int.from_bytes(hashlib.blake2b(shown.encode(), digest_size=2).digest(), "big") % SHARDS

    def _shard(self, n: int) -> _Shard:
        shard = self.shards.get(n)
        if shard is None:
            shard = self.shards[n] = self._read_shard(n)
        return shard

    def _read_shard(self, n: int) -> _Shard:
        stored = read_data(self.folder / f"{self.prefix}-{n:02d}.pickle")
        try:
            key, written_ns, records = stored
            if not (isinstance(written_ns, int) and isinstance(records, dict)
                    and all(isinstance(r, _Record) for r in records.values())):
                raise TypeError
        except (TypeError, ValueError):
            return _Shard(dirty=stored is not None)
        if key != self.key:
            return _Shard(dirty=True)
        return _Shard(records, written_ns=written_ns)

    def fresh(self, file: Path, shown: str) -> bool:
        """True when `build` would give the file's result from the cache (its stat or bytes match)."""
        record = self._shard(self._shard_no(shown)).records.get(shown)
        if record is None:
            return False
        try:
            st = file.stat()
        except OSError:
            return False
        shard = self._shard(self._shard_no(shown))
        if (record.size == st.st_size and record.mtime_ns == st.st_mtime_ns and record.ctime_ns == st.st_ctime_ns
                and st.st_mtime_ns < shard.written_ns - RACY_NS):
            return True
        digest = _digest(file)
        return bool(digest) and digest == record.digest

    def build(self, file: Path, shown: str, build: Callable[[], Any], problems: ProblemList) -> Any:
        """The result of `build()` for a file, from the cache when the file is unchanged.

        The problems `build()` records are kept with the result and replayed on a cache hit.
        """
        self.seen.add(shown)
        shard = self._shard(self._shard_no(shown))
        record = shard.records.get(shown)
        try:
            st = file.stat()
        except OSError:
            return build()
        digest = b""
        if record is not None:
            # the change time too: an edit that keeps the size and puts the modification time
            # back (`touch -d`, `cp -p`, some editors) still sets it
            same_stat = (record.size == st.st_size and record.mtime_ns == st.st_mtime_ns
                         and record.ctime_ns == st.st_ctime_ns)
            if same_stat and st.st_mtime_ns < shard.written_ns - RACY_NS:
                problems.extend(record.problems)
                return record.result
            digest = _digest(file)
            if digest and digest == record.digest:
                if not same_stat:
                    record.size, record.mtime_ns, record.ctime_ns = st.st_size, st.st_mtime_ns, st.st_ctime_ns
                    shard.dirty = True
                problems.extend(record.problems)
                return record.result
        start = len(problems.items)
        result = build()
        # the digest of the bytes the build parsed (not of the file read again: it may have been
        # edited meanwhile, and the entry would then be stored under the other version's digest)
        parsed = parsed_digest(file)
        if parsed is None:
            return result  # the build read nothing (an unreadable file): nothing worth keeping
        shard.records[shown] = _Record(st.st_size, st.st_mtime_ns, parsed, result, problems.items[start:],
                                       st.st_ctime_ns)
        shard.dirty = True
        return result

    def save(self) -> None:
        """Write the shards that changed (and forget files that are gone); never fails the load."""
        now = time.time_ns()
        for n, shard in self.shards.items():
            gone = [k for k in shard.records if k not in self.seen]
            for k in gone:
                del shard.records[k]
            if not (shard.dirty or gone):
                continue
            try:
                ensure_folder(self.folder)
                with gc_paused():
                    write_data(self.folder / f"{self.prefix}-{n:02d}.pickle", (self.key, now, shard.records))
            except OSError:
                pass


def ensure_folder(folder: Path) -> None:
    """Create the cache folder, with a .gitignore that keeps it out of git."""
    folder.mkdir(parents=True, exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")


def _digest(file: Path) -> bytes:
    try:
        return digest_bytes(file.read_bytes())
    except OSError:
        return b""


def digest_bytes(data: bytes) -> bytes:
    """The digest the cache keeps of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).digest()


# Digest of the bytes yamlfile.read_limited last read per path, for FileCache.build.
_PARSED: dict[str, bytes] = {}


def note_parsed(path: Path, data: bytes) -> None:
    """Remember the digest of the bytes just read from path (called by the YAML reader)."""
    _PARSED[os.fspath(path)] = digest_bytes(data)


def note_digest(path: Path, digest: bytes) -> None:
    """Remember a digest of the bytes read from path by another process (a forked reader)."""
    _PARSED[os.fspath(path)] = digest


def parsed_digest(path: Path) -> bytes | None:
    """The digest of the bytes the last read of path returned (and forget it), None if none."""
    return _PARSED.pop(os.fspath(path), None)


def context_key(kb_yaml: Path, market_codes) -> bytes:
    """What besides a file itself decides how it loads: kb.yaml's bytes and the known market codes."""
    try:
        data = kb_yaml.read_bytes()
    except OSError:
        data = b""
    return data + b"\0" + ",".join(sorted(market_codes)).encode()
