"""`kb translations mark-current`: write current source fingerprints into `from:` lines.

Only the `from:` values are touched (or a `from:` line inserted); every other byte of the file,
comments and formatting included, stays as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kb_builder.model import Entry

_HEX = re.compile(r"[0-9a-fA-F]{12}")


@dataclass
class Edit:
    """One change to make: set the `from:` of `lang` in `entry` to `fingerprint`."""

    entry: Entry
    lang: str
    fingerprint: str


def apply_edits(edits: list[Edit]) -> list[str]:
    """Apply edits file by file; returns the files changed."""
    by_file: dict[str, list[Edit]] = {}
    for e in edits:
        tr = e.entry.translations[e.lang]
        if tr.source_fingerprint == e.fingerprint:
            continue
        by_file.setdefault(e.entry.file, []).append(e)
    changed = []
    for file, file_edits in sorted(by_file.items()):
        _rewrite(Path(file), file_edits)
        changed.append(file)
    return changed


def _rewrite(path: Path, edits: list[Edit]) -> None:
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split("\n")  # a CRLF file keeps its "\r" at the end of each line

    def key(e: Edit):
        tr = e.entry.translations[e.lang]
        m = tr.from_mark or tr.mark
        return (m.line, m.column)

    for e in sorted(edits, key=key, reverse=True):
        tr = e.entry.translations[e.lang]
        if tr.from_mark is not None:
            i, col = tr.from_mark.line - 1, tr.from_mark.column - 1
            line = lines[i]
            start = col + 1 if line[col:col + 1] in ("'", '"') else col
            m = _HEX.match(line, start)
            end = m.end() if m else start
            lines[i] = line[:start] + e.fingerprint + line[end:]
            continue
        i, col = tr.mark.line - 1, tr.mark.column - 1
        line = lines[i]
        if line[col:col + 1] == "{":  # flow mapping: de: {question: ..., answer: ...}
            lines[i] = line[:col + 1] + f"from: {e.fingerprint}, " + line[col + 1:].lstrip(" ")
        else:  # block mapping: a new first key with the same indentation
            eol = "\r" if newline == "\r\n" else ""
            lines.insert(i, " " * col + f"from: {e.fingerprint}" + eol)
    out = "\n".join(lines)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8"))
