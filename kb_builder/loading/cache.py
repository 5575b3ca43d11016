"""A per-file cache of what the loader builds, so unchanged files are not parsed and validated again.

Parsing and schema validation dominate loading (about 4 ms a file; a 6,000-file catalog takes half
a minute). The cache keeps, per file, the built entry and the problems found in it, under
`.kb-cache/` beside the content folder (git-ignored). A file counts as unchanged when its size and
mtime match and it was not modified within two seconds of the cache being written; otherwise its
content hash decides, as git does with "racily clean" files. Anything that could change how a
file is read is part of the cache key: the loader's own code, kb.yaml and the set of market codes.

Set `KB_CACHE=off` to bypass it. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kb_builder.errors import ProblemList

CACHE_DIR = ".kb-cache"
SHARDS = 32
RACY_NS = 2_000_000_000
_CODE_FILES = ("loading/loader.py", "loading/validate.py", "loading/yamlfile.py", "loading/schemas.py",
               "loading/cache.py", "model.py", "errors.py", "translation.py")


def _code_version() -> str:
    root = Path(__file__).resolve().parent.parent
    h = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for name in _CODE_FILES:
        try:
            h.update((root / name).read_bytes())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()


@dataclass
class _Record:
    size: int
    mtime_ns: int
    digest: bytes
    result: Any
    problems: list


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


def enabled() -> bool:
    """False when the environment turns the cache off (KB_CACHE=off/0/no)."""
    return os.environ.get("KB_CACHE", "").lower() not in ("off", "0", "no", "false")


class FileCache:
    """Cached per-file load results for one content folder and one loading context."""

    def __init__(self, content: Path, context: bytes):
        root = Path(content).resolve()
        self.folder = cache_folder(root)
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
        path = self.folder / f"{self.prefix}-{n:02d}.pickle"
        try:
            with open(path, "rb") as f, gc_paused():
                key, written_ns, records = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return _Shard()
        if key != self.key:
            return _Shard(dirty=True)
        return _Shard(records, written_ns=written_ns)

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
            same_stat = record.size == st.st_size and record.mtime_ns == st.st_mtime_ns
            if same_stat and st.st_mtime_ns < shard.written_ns - RACY_NS:
                problems.extend(record.problems)
                return record.result
            digest = _digest(file)
            if digest and digest == record.digest:
                if not same_stat:
                    record.size, record.mtime_ns = st.st_size, st.st_mtime_ns
                    shard.dirty = True
                problems.extend(record.problems)
                return record.result
        start = len(problems.items)
        result = build()
        shard.records[shown] = _Record(st.st_size, st.st_mtime_ns, digest or _digest(file), result,
                                       problems.items[start:])
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
            path = self.folder / f"{self.prefix}-{n:02d}.pickle"
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            try:
                ensure_folder(self.folder)
                with open(tmp, "wb") as f, gc_paused():
                    pickle.dump((self.key, now, shard.records), f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except OSError:
                tmp.unlink(missing_ok=True)


def ensure_folder(folder: Path) -> None:
    """Create the cache folder, with a .gitignore that keeps it out of git."""
    folder.mkdir(parents=True, exist_ok=True)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("*\n", encoding="utf-8")


def _digest(file: Path) -> bytes:
    try:
        return hashlib.blake2b(file.read_bytes(), digest_size=16).digest()
    except OSError:
        return b""


def context_key(kb_yaml: Path, market_codes) -> bytes:
    """What besides a file itself decides how it loads: kb.yaml's bytes and the known market codes."""
    try:
        data = kb_yaml.read_bytes()
    except OSError:
        data = b""
    return data + b"\0" + ",".join(sorted(market_codes)).encode()
