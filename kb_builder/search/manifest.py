"""The index manifest: what an index folder holds, and per-entry fingerprints for updates.

`manifest.json` is small and read by every searcher (languages, markets and their values, a
generation number bumped on every write). `entries.json` holds the fingerprint of every entry
and of each of its documents, and is read only by the indexer.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from kb_builder.layout import CONTENT_FOLDERS, KB_FILE, YAML_SUFFIXES
from kb_builder.search.analysis import ANALYSIS_VERSION
from kb_builder.search.schema import FORMAT_VERSION

MANIFEST = "manifest.json"
ENTRIES = "entries.json"


@dataclass
class MarketInfo:
    """What search needs to know about a market: its languages and `{market.NAME}` values."""

    name: str
    languages: list[str]
    values: dict[str, str]


@dataclass
class Manifest:
    """The contents of manifest.json."""

    audience: str  # "all" or "public"
    source_language: str
    languages: dict[str, int]  # language -> number of documents in its index
    markets: dict[str, MarketInfo]
    generation: int = 0
    content_stamp: str | None = None
    format: int = FORMAT_VERSION
    analysis: str = ANALYSIS_VERSION
    synonyms: dict[str, list[list[str]]] = field(default_factory=dict)  # language -> groups (synonyms/<lang>.yaml)
    semantic: str | None = None  # the embedding model of OUT/search/vectors (semantic.py), None: keywords only
    entries: dict[str, dict] = field(default_factory=dict, repr=False)  # entries.json, loaded on demand

    def compatible(self) -> bool:
        """True when this code can read and update the index as it is."""
        return self.format == FORMAT_VERSION and self.analysis == ANALYSIS_VERSION

    @property
    def documents(self) -> int:
        return sum(self.languages.values())


def read_manifest(folder: Path, entries: bool = False) -> Manifest | None:
    """The manifest of an index folder, or None when there is none or it cannot be read."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        data["markets"] = {code: MarketInfo(**info) for code, info in data["markets"].items()}
        data.pop("entries", None)
        manifest = Manifest(**data)
        if entries:
            manifest.entries = json.loads((folder / ENTRIES).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return manifest


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Write entries.json, then manifest.json (each atomically): the manifest last, so a reader
    that sees a new generation finds everything it describes."""
    _write_json(folder / ENTRIES, manifest.entries, compact=True)
    data = {f.name: getattr(manifest, f.name) for f in fields(manifest) if f.name != "entries"}
    data["markets"] = {code: asdict(info) for code, info in manifest.markets.items()}
    _write_json(folder / MANIFEST, data)


def _write_json(path: Path, data, compact: bool = False) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # json.dumps, not json.dump: only the one-shot form uses the C encoder (10x faster here)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) if compact \
        else json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def content_stamp(content: Path) -> str | None:
    """A cheap signature of a content folder (names, sizes and modification times of its YAML
    files): when it differs from the one in the manifest, the index may be out of date."""
    content = Path(content)
    kb = content / KB_FILE
    if not kb.is_file():
        return None
    rows = [_stat_row(kb, KB_FILE)]
    for folder in CONTENT_FOLDERS:
        try:
            with os.scandir(content / folder) as it:
                for item in it:
                    if item.name.endswith(YAML_SUFFIXES) and item.is_file():
                        rows.append(_stat_row(item, f"{folder}/{item.name}"))
        except OSError:
            continue
    rows.sort()
    return hashlib.blake2b("\n".join(rows).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _stat_row(item, name: str) -> str:
    st = item.stat()
    return f"{name}\t{st.st_size}\t{st.st_mtime_ns}"
