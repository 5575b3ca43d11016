"""What a target's exporter produces: API payloads with stable keys, written as deterministic files."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.errors import UsageError

MANIFEST = "manifest.json"
FORMAT = "kb-export/1"


@dataclass
class Resource:
    """One object to create or update in a helpdesk.

    `payload` is the request body of its create call; `refs` names the fields whose ids are only
    known once another resource exists (field -> that resource's key); `parent` is the resource a
    translation belongs to.
    """

    kind: str
    key: str
    file: str  # relative to OUT/<target>/
    name: str
    payload: dict
    refs: dict[str, str] = field(default_factory=dict)
    parent: str | None = None
    lang: str | None = None  # a translation's language, where the API takes it in the URL


@dataclass
class Export:
    """A target's resources, extra files (e.g. a CSV) and what was left out."""

    target: str
    resources: list[Resource] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)  # relative path -> text
    skipped: list[str] = field(default_factory=list)

    def manifest(self) -> dict:
        """Every resource with its key, file, refs and parent, in creation order."""
        return {"format": FORMAT, "target": self.target,
                "resources": [{"kind": r.kind, "key": r.key, "file": r.file, "name": r.name,
                               **({"refs": r.refs} if r.refs else {}), **({"parent": r.parent} if r.parent else {}),
                               **({"lang": r.lang} if r.lang else {})}
                              for r in self.resources],
                "skipped": self.skipped}


def dumps(value) -> str:
    """JSON as every export file is written: sorted keys, two-space indent, UTF-8 text, final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(export: Export, out: Path) -> Path:
    """Write OUT/<target>/ afresh (files of an earlier export of the target are replaced, so a
    template that is gone leaves no stale file); any other folder in the way is left alone."""
    folder = Path(out) / export.target
    if folder.exists() and any(folder.iterdir()) and not (folder / MANIFEST).is_file():
        raise UsageError(f"{folder} exists and is not an earlier 'kb export {export.target}'; "
                         "pass another --out or remove it")
    tmp = Path(out) / f".{export.target}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        files = {r.file: dumps(r.payload) for r in export.resources}
        files.update(export.extra)
        files[MANIFEST] = dumps(export.manifest())
        for rel, text in sorted(files.items()):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        if folder.exists():
            shutil.rmtree(folder)
        tmp.rename(folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def slug(text: str) -> str:
    """Lowercase letters, digits and '_' (Zendesk turns a dynamic content name into its placeholder)."""
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")
