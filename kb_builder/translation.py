"""Source-text normalisation and translation fingerprints (see content-format.md)."""

from __future__ import annotations

import hashlib
import json
import unicodedata


def normalise(text: str) -> str:
    """NFC, unified line endings, no trailing spaces on any line, no blank lines around the text."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def fingerprint(fields: list[tuple[str, str]]) -> str:
    """First 12 hex digits of SHA-256 over (field path, normalised text) pairs in the given order.

    The pairs are serialised as compact JSON so that moving text from one field to another,
    or splitting it, changes the fingerprint even when the concatenated text is the same.
    """
    payload = json.dumps([[key, normalise(value)] for key, value in fields], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
