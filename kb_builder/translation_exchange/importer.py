"""`kb translations import`: translated units from an XLIFF or PO file back into the YAML files.

Everything is checked before anything is written: an unknown unit id or language, a placeholder
missing or added, or a file that is not XLIFF/PO refuses the whole import (exit 1, nothing
written). Each written translation's `from:` is the fingerprint the export was made from, so a
source that changed since the export shows as stale afterwards.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.errors import ContentError, Mark, Problem
from kb_builder.model import Catalog, Entry
from kb_builder.translation import normalise
from kb_builder.translation_exchange import yamledit
from kb_builder.translation_exchange.exchange import NotAnExchangeFile, ReadFile, ReadUnit
from kb_builder.translation_exchange.units import placeholder_counts, split_unit_id


@dataclass
class FileChange:
    """What an import changes in one YAML file."""

    file: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (entry ref, lang, field path)
    new_text: str = ""


@dataclass
class ImportReport:
    """The outcome of an import (or of `--check`)."""

    changes: list[FileChange] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    empty: int = 0
    unreviewed: int = 0

    def lines(self, check: bool) -> list[str]:
        """What changed (or would change, with --check), file by file, and the counts."""
        verb = "would update" if check else "updated"
        out = []
        for ch in self.changes:
            by_lang: dict[str, list[str]] = {}
            for ref, lang, path in ch.fields:
                by_lang.setdefault(lang, []).append(f"{ref}#{path}")
            what = "; ".join(f"{lang}: {', '.join(ids)}" for lang, ids in by_lang.items()) or "from: only"
            out.append(f"{verb} {ch.file} ({what})")
        out.append(f"{self.written} translation(s) {'to import' if check else 'imported'} into "
                   f"{len(self.changes)} file(s); {self.unchanged} unchanged, {self.empty} empty target(s) skipped, "
                   f"{self.unreviewed} still marked as needing translation or review skipped")
        return out


def _problem(code: str, message: str, hint: str, mark: Mark) -> Problem:
    return Problem("error", code, message, hint, mark)


def read_exchange_file(path: Path) -> ReadFile:
    """Read an XLIFF 1.2 or PO file; raises ContentError when it is neither."""
    from kb_builder.translation_exchange import po, xliff

    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError([_problem("import-unreadable", f"cannot read the file ({exc.strerror})",
                                     "check the path", Mark(shown))]) from None
    try:
        if xliff.looks_like_xliff(data):
            return xliff.read_xliff(data, shown)
        if po.looks_like_po(data):
            return po.read_po(data, shown)
    except NotAnExchangeFile as exc:
        raise ContentError([_problem("import-not-exchange-file", exc.message, exc.hint, exc.mark)]) from None
    raise ContentError([_problem("import-not-exchange-file", "not an XLIFF 1.2 or PO file",
                                 "import the .xlf or .po file exported by 'kb translations export'",
                                 Mark(shown, 1, 1))])


def _fit(target: str, source: str) -> str:
    """The target with LF line ends and a final line break exactly where the source has one."""
    text = target.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    return text + "\n" if source.endswith("\n") else text


def _placeholder_problem(uid: str, source: str, target: str) -> str | None:
    want, have = placeholder_counts(source), placeholder_counts(target)
    missing = sorted((want - have).elements())
    added = sorted((have - want).elements())
    parts = []
    if missing:
        parts.append("lacks the placeholder(s) " + ", ".join("{" + t + "}" for t in dict.fromkeys(missing)))
    if added:
        parts.append("adds the placeholder(s) " + ", ".join("{" + t + "}" for t in dict.fromkeys(added)) +
                     ", which the source does not have")
    return f"the translation of {uid} " + " and ".join(parts) if parts else None


def plan_import(catalog: Catalog, read: ReadFile) -> ImportReport:
    """Check every unit and compute the new file texts; raises ContentError listing every refusal."""
    settings = catalog.settings
    problems: list[Problem] = []
    report = ImportReport()
    groups: dict[tuple[str, str], list[tuple[ReadUnit, str, str]]] = {}
    entries: dict[str, Entry] = {}
    for u in read.units:
        if not u.lang:
            problems.append(_problem("import-unknown-language", "the file does not name its target language",
                                     "PO: add a Language header; XLIFF: a target-language on each <file>", u.lang_mark))
            continue
        if u.lang not in settings.languages:
            problems.append(_problem("import-unknown-language",
                                     f"unknown language '{u.lang}' (the KB's languages are {', '.join(settings.languages)})",
                                     "set the file's target language to one of them", u.lang_mark))
            continue
        if u.lang == settings.source_language:
            problems.append(_problem("import-unknown-language",
                                     f"'{u.lang}' is the source language; translations go into the other languages",
                                     "set the file's target language to the language of the translation", u.lang_mark))
            continue
        parts = split_unit_id(u.id)
        entry = catalog.lookup(parts[0]) if parts else None
        if entry is None or not isinstance(entry, Entry) or parts[1] not in entry.source:
            problems.append(_problem("import-unknown-unit",
                                     f"unknown unit id '{u.id}': this KB has no such entry or translatable field",
                                     "export again with 'kb translations export' and translate that file", u.mark))
            continue
        if not u.target.strip():
            report.empty += 1
            continue
        if not u.reviewed:
            report.unreviewed += 1
            continue
        source = entry.source[parts[1]]
        wrong = _placeholder_problem(u.id, source, u.target)
        if wrong:
            problems.append(_problem("import-placeholder", wrong,
                                     "keep every {...} of the source exactly as written; only the text around them is translated",
                                     u.mark))
            continue
        if not u.fingerprint:
            problems.append(_problem("import-no-fingerprint",
                                     f"unit '{u.id}' does not say which source fingerprint it was exported from",
                                     "import a file made by 'kb translations export' (translation tools keep it)", u.mark))
            continue
        entries[entry.ref] = entry
        groups.setdefault((entry.ref, u.lang), []).append((u, parts[1], _fit(u.target, source)))
    by_file: dict[str, FileChange] = {}
    texts: dict[str, str] = {}
    for (ref, lang), items in groups.items():
        entry = entries[ref]
        tr = entry.translations.get(lang)
        fingerprint = items[-1][0].fingerprint
        fields = {}
        for u, path, text in items:
            old = tr.fields.get(path) if tr else None
            if old is not None and normalise(old) == normalise(text):
                report.unchanged += 1
            else:
                fields[path] = text
        if not fields and tr is not None and tr.source_fingerprint == fingerprint:
            continue
        if entry.file not in texts:
            texts[entry.file] = _read_text(entry.file)
        try:
            texts[entry.file] = yamledit.apply(texts[entry.file], ["translations", lang],
                                               {"from": fingerprint, **_tree(fields)})
        except yamledit.ListHole as hole:
            u = next(u for u, _, _ in items)
            problems.append(_problem("import-list-order",
                                     f"{ref} in {lang}: item {hole.index} of a list has no translation, but a later item has",
                                     "list items are written in order; translate the earlier item too", u.mark))
            continue
        change = by_file.setdefault(entry.file, FileChange(entry.file))
        change.fields.extend((ref, lang, path) for path in fields)
        report.written += len(fields)
    if problems:
        raise ContentError(sorted(set(problems), key=Problem.sort_key))  # one message per file, not per unit
    for file, change in sorted(by_file.items()):
        change.new_text = texts[file]
        report.changes.append(change)
    return report


def _tree(fields: dict[str, str]) -> dict:
    """Field paths to the nested shape of a translation block (lists as {index: value})."""
    tree: dict = {}
    for path, text in fields.items():
        parts = path.split(".")
        if parts[0] == "steps":  # steps.<id>.do | steps.<id>.branches.<i>.if|then
            step = tree.setdefault("steps", {}).setdefault(parts[1], {})
            if parts[2] == "do":
                step["do"] = text
            else:
                step.setdefault("branches", {}).setdefault(int(parts[3]), {})[parts[4]] = text
        elif parts[0] == "authority":  # authority.<i>.may
            tree.setdefault("authority", {})[int(parts[1])] = text
        elif parts[0] == "escalate_when":
            tree.setdefault("escalate_when", {})[int(parts[1])] = text
        else:
            tree[path] = text
    for sid, step in tree.get("steps", {}).items():
        if set(step) == {"do"}:
            tree["steps"][sid] = step["do"]  # a step with only its text is written as the text
    return tree


def _read_text(file: str) -> str:
    return Path(file).read_bytes().decode("utf-8-sig")


def write_changes(report: ImportReport) -> None:
    """Write the new texts (a file that had a byte order mark keeps it)."""
    for ch in report.changes:
        path = Path(ch.file)
        bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ch.new_text.encode("utf-8"))


def import_translations(catalog: Catalog, file: Path, check: bool = False) -> ImportReport:
    """Import an XLIFF or PO file into the catalog's YAML files (nothing is written with `check`)."""
    report = plan_import(catalog, read_exchange_file(file))
    if not check:
        write_changes(report)
    return report
