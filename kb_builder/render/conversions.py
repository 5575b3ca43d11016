"""Markdown conversions kept between builds, so a rebuild renders only texts that changed.

Turning a content text into sanitised HTML (Markdown, then nh3) is the largest part of rendering
a big knowledge base, and nearly every text is the same as in the previous build. The results
are stored, keyed by the text itself, in `.kb-cache/conversions-<version>.json` beside the
content folder (the folder the loader's cache uses): plain JSON text, with a digest of its
conversions. The version covers everything that decides the HTML: kb_builder's code and the
Markdown and nh3 versions. Only the conversions a build used are written back, so the file never
holds more than one build's texts. `KB_CACHE=off` bypasses it; a file that cannot be read, or
whose digest (keyed with this user's cache key) does not match, is ignored. As a second guard,
every stored conversion is sanitised again on loading: one that changes is dropped.
"""

from __future__ import annotations

import hashlib
import os
import json
from importlib.metadata import version
from pathlib import Path

from kb_builder.loading.cache import cache_folder, code_version, enabled, ensure_folder, keyed_digest
from kb_builder.render import text


def _version() -> str:
    h = hashlib.blake2b(code_version().encode(), digest_size=8)
    h.update(f"{version('Markdown')} {version('nh3')}".encode())
    return h.hexdigest()


def store_path(content: Path) -> Path:
    """Where the conversions of a content folder are kept."""
    return cache_folder(content) / f"conversions-{_version()}.json"


def _digest(conversions: dict[str, str]) -> str:
    # keyed (loading.cache.cache_key): a store that was not written here is not used at all
    return keyed_digest(json.dumps(conversions, sort_keys=True, ensure_ascii=False).encode(), 16).hex()


def load(content: Path) -> int:
    """Make the stored conversions available to `text`; returns how many there are."""
    if not enabled():
        return 0
    try:
        stored = json.loads(store_path(content).read_bytes())
        found = stored["conversions"]
        if not isinstance(found, dict) or stored.get("digest") != _digest(found):
            return 0
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return 0
    # sanitised after the cache: a conversion the sanitiser would change did not come from here
    safe = {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str) and text.sanitize(v) == v}
    text.use_conversions(safe)
    return len(safe)


def save(content: Path, keep: bool = False) -> None:
    """Write the conversions this process used (atomically; a failure only costs speed). `keep`
    also writes back the stored ones it did not use: pages taken from the page cache did not
    convert their texts, and those conversions are needed again when such a page changes."""
    if not enabled():
        return
    path = store_path(content)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        ensure_folder(path.parent)
        for old in [*path.parent.glob("conversions-*.pickle"), *path.parent.glob("conversions-*.json")]:
            if old != path:
                old.unlink(missing_ok=True)
        used = {**text.stored_conversions(), **text.used_conversions()} if keep else text.used_conversions()
        tmp.write_text(json.dumps({"digest": _digest(used), "conversions": used}, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
