"""What an output folder was built from, so that a build whose every input is unchanged is skipped.

After a build has swapped its parts into place it writes `OUT/.kb-inputs` (data only, through
loading.cache.write_data): a key made of every input and the identity of each part it put there.
The next build computes the key again before loading anything; when it is equal and the parts
are still the ones this build left, the output already is what a build would make, and nothing
is loaded, rendered or written.

The key holds everything a build reads besides the output itself:
- every file of the content folder by path, size and modification time (kb.yaml, entries, the
  project's theme layer `site_overrides/`): a file changed within two seconds of the key being
  taken makes the record unusable, as in the loader's cache, because its time cannot tell two
  versions apart;
- every file of the kb_builder package (Python code, Jinja templates, the shipped theme) and
  Python's version, and the name and version of every installed distribution (MkDocs, Material,
  Markdown, ...);
- the options: audience, the day taken as today (review dates become overdue), the content and
  output folders and the working folder.
A part swapped or touched since (another build, `kb index`, `mkdocs build`, a hand edit of its top
folder) changes its identity (inode and modification time) and the record no longer applies.
`KB_CACHE=off` and `kb build --clean` never use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.errors import Problem
from kb_builder.loading.cache import RACY_NS, content_listing, enabled, read_data, write_data

RECORD_FILE = ".kb-inputs"
PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildKey:
    """The inputs of one build, taken before anything is loaded (edits made meanwhile count)."""

    digest: str
    newest_ns: int
    taken_ns: int


@dataclass
class BuildRecord:
    """What `OUT/.kb-inputs` holds: the key, the identity of each part written, the warnings."""

    digest: str
    taken_ns: int
    newest_ns: int
    parts: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def package_digest(root: Path) -> str:
    """A digest of every file of the package (code, templates, theme; not bytecode) by path, size,
    modification and change time, of Python's version and of every installed distribution (the
    `NAME-VERSION.dist-info` folders on sys.path: installing another version renames its folder).
    Taken anew for every build: `kb serve` lives on while templates and packages change under it."""
    h = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            st = os.stat(os.path.join(folder, name))
            rel = os.path.relpath(os.path.join(folder, name), root)
            h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0".encode())
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip file or a folder that is gone
            continue
        h.update(f"{entry}\0{chr(0).join(names)}\0".encode())
    return h.hexdigest()


def build_key(content: Path, out: Path, audience: str, today: dt.date, extra: str = "") -> BuildKey | None:
    """The key of a build with these inputs (None when the cache is off or the folder unreadable);
    `extra`: any other input's state as text (the feedback database the health page shows)."""
    if not enabled():
        return None
    taken = time.time_ns()
    root = Path(content).resolve()
    try:
        listing, newest = content_listing(root, skip=Path(out).resolve())
    except OSError:
        return None
    options = "\0".join([str(root), str(Path(out).resolve()), os.getcwd(), audience, today.isoformat(), extra])
    digest = hashlib.blake2b(package_digest(PACKAGE).encode() + b"\0" + options.encode() + b"\0" + listing,
                             digest_size=16).hexdigest()
    return BuildKey(digest, newest, taken)


def _identity(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_mtime_ns]


def unchanged(out: Path, key: BuildKey | None) -> BuildRecord | None:
    """The record of the build that made `out`, when that build had exactly these inputs and its
    parts are still in place; None otherwise (build)."""
    if key is None:
        return None
    record = read_data(Path(out) / RECORD_FILE)
    if not isinstance(record, BuildRecord) or record.digest != key.digest or not record.parts:
        return None
    if record.newest_ns >= record.taken_ns - RACY_NS:  # a file was edited as that build began
        return None
    if any(_identity(Path(out) / name) != ident for name, ident in record.parts.items()):
        return None
    return record


def remember(out: Path, key: BuildKey | None, parts: list[str], warnings: list[Problem]) -> None:
    """Record the inputs of the build that just put `parts` into `out`; never fails the build."""
    if key is None:
        return
    idents = {name: _identity(Path(out) / name) for name in parts}
    if any(v is None for v in idents.values()):
        return
    record = BuildRecord(key.digest, key.taken_ns, key.newest_ns, idents, list(warnings))
    try:
        write_data(Path(out) / RECORD_FILE, record)
    except OSError:
        pass
