"""PO (gettext) export and reading, with polib.

One entry per unit: `msgctxt` is the unit id, `msgid` the source, `msgstr` the translation; a stale
translation is `fuzzy` with the source it was made from as the previous msgid (`#| msgid`); texts
with `{...}` tokens carry the `python-brace-format` flag (the same braces, `{{` included), so
tools check them; the translator notes and the source fingerprint are extracted comments (`#.`).
"""

from __future__ import annotations

import re

import polib

from kb_builder.errors import Mark
from kb_builder.translation_exchange.exchange import NotAnExchangeFile, ReadFile, ReadUnit
from kb_builder.translation_exchange.units import Unit, placeholder_counts

FINGERPRINT_LABEL = "kb-source-fingerprint:"
_FINGERPRINT = re.compile(r"^kb-source-fingerprint:\s*([0-9a-fA-F]+)\s*$", re.M)


def export_po(units: list[Unit], source_language: str, lang: str, project: str) -> str:
    """A PO file with the units, in export order."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": project,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "kb_builder",
        "X-Source-Language": source_language,
    }
    for u in units:
        comments = list(u.notes)
        if u.max_chars:
            comments.append(f"at most {u.max_chars} characters (one SMS)")
        comments.append(f"{FINGERPRINT_LABEL} {u.fingerprint}")
        flags = []
        if u.state == "stale":
            flags.append("fuzzy")
        if placeholder_counts(u.source) or "{{" in u.source or "}}" in u.source:
            flags.append("python-brace-format")
        entry = polib.POEntry(msgctxt=u.id, msgid=u.source, msgstr=u.target, comment="\n".join(comments),
                              occurrences=[(u.file, "")], flags=flags)
        if u.previous_source is not None:
            entry.previous_msgid = u.previous_source
        po.append(entry)
    return str(po) + "\n"


def looks_like_po(data: bytes) -> bool:
    """True when the file has a msgid line, as every PO file does."""
    return re.search(rb'(?m)^\s*msgid\s+"', data[:1_000_000]) is not None


def _language_mark(text: str, path: str) -> Mark:
    for i, line in enumerate(text.splitlines(), 1):
        if line.startswith('"Language:'):
            return Mark(path, i, 1)
    return Mark(path, 1, 1)


def read_po(data: bytes, path: str) -> ReadFile:
    """The units of a PO file with their positions; NotAnExchangeFile when it cannot be parsed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise NotAnExchangeFile(Mark(path, line, 1), "not a PO file: it is not UTF-8 text",
                                "export the file again as UTF-8") from None
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise NotAnExchangeFile(Mark(path, int(m.group(1)) if m else 1, 1),
                                f"not a PO file: {str(exc).rstrip('.')}", "export the file again as PO") from None
    lang = po.metadata.get("Language", "")
    lang_mark = _language_mark(text, path)
    out = ReadFile(path)
    for e in po:
        if e.obsolete or not e.msgid:
            continue
        m = _FINGERPRINT.search(e.comment or "")
        out.units.append(ReadUnit(
            id=e.msgctxt or "", lang=lang, target=e.msgstr, fingerprint=m.group(1) if m else None,
            mark=Mark(path, e.linenum, 1), lang_mark=lang_mark, reviewed="fuzzy" not in e.flags))
    return out
