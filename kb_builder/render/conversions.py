"""Markdown conversions kept between builds, so a rebuild renders only texts that changed.

Turning a content text into sanitised HTML (Markdown, then nh3) is the largest part of rendering
a big knowledge base, and nearly every text is the same as in the previous build. The results
are stored, keyed by the text itself, in `.kb-cache/conversions-<version>.pickle` beside the
content folder (the folder the loader's cache uses). The version covers everything that decides
the HTML: text.py and the Markdown and nh3 versions. Only the conversions a build used are
written back, so the file never holds more than one build's texts. `KB_CACHE=off` bypasses it;
a file that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from importlib.metadata import version
from pathlib import Path

from kb_builder.loading.cache import cache_folder, enabled, ensure_folder, gc_paused
from kb_builder.render import text


def _version() -> str:
    h = hashlib.blake2b(Path(text.__file__).read_bytes(), digest_size=8)
    h.update(f"{version('Markdown')} {version('nh3')}".encode())
    return h.hexdigest()


def store_path(content: Path) -> Path:
    """Where the conversions of a content folder are kept."""
    return cache_folder(content) / f"conversions-{_version()}.pickle"


def load(content: Path) -> int:
    """Make the stored conversions available to `text`; returns how many there are."""
    if not enabled():
        return 0
    try:
        with open(store_path(content), "rb") as fh, gc_paused():
            stored = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return 0
    if not isinstance(stored, dict):
        return 0
    text.use_conversions(stored)
    return len(stored)


def save(content: Path) -> None:
    """Write the conversions this process used (atomically; a failure only costs speed)."""
    if not enabled():
        return
    path = store_path(content)
    try:
        ensure_folder(path.parent)
        for old in path.parent.glob("conversions-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump(text.used_conversions(), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
