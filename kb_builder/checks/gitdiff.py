"""What changed in an entry's source text since a translation was made, from the content's git history.

A stale translation records the fingerprint of the source it was made from (`from:`). Walking the
history of the entry's file, the newest revision whose source has that fingerprint is the text the
translator saw; a word diff from there to the current source is what the translation now lacks.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kb_builder.checks.report import Report
from kb_builder.layout import KB_FILE, KIND_FOLDERS
from kb_builder.loading.loader import load
from kb_builder.model import Catalog, Entry
from kb_builder.translation import fingerprint

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|(?:(?![{_CJK}])\w)+(?:[-'’.,/:](?:(?![{_CJK}])\w)+)*|[^\w\s]")
_CHANGED = re.compile(r"\[-|-\]|\{\+|\+\}")


@dataclass(frozen=True)
class Revision:
    """A commit that touched an entry's file, with the file's path in that commit."""

    commit: str
    date: str
    subject: str
    path: str

    def label(self) -> str:
        return f"{self.commit[:10]} of {self.date} \"{self.subject}\""


@dataclass(frozen=True)
class SourceChange:
    """The outcome for one stale translation: the matching revision (if found) and the text to show."""

    ref: str
    lang: str
    revision: Revision | None
    text: str


def word_diff(old: str, new: str) -> str:
    """A word diff in git's style: `[-removed-]{+added+}`; CJK text is compared character by character.

    Changes separated only by whitespace are shown as one change, as people read them.
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        gap = merged[-1] if merged and merged[-1][0] == "equal" else None
        if tag != "equal" and gap and len(merged) > 1 and "".join(a[gap[1]:gap[2]]).isspace():
            merged.pop()
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    out = []
    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + "".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + "".join(b[j1:j2]) + "+}")
    return "".join(out)


def changed_lines(diff: str) -> list[str]:
    """The lines of a word diff that contain a change, with `...` where unchanged lines were left out."""
    lines = diff.split("\n")
    keep, inside = [], False
    for line in lines:
        hit = inside or bool(_CHANGED.search(line))
        for m in _CHANGED.finditer(line):
            inside = m.group(0) in ("[-", "{+")
        keep.append(hit)
    out: list[str] = []
    for line, k in zip(lines, keep):
        if k:
            out.append(line)
        elif out and out[-1] != "...":
            out.append("...")
    while out and out[-1] == "...":
        out.pop()
    if keep and not keep[0]:
        out.insert(0, "...")
    return out


def source_diff(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Per field path: the changed lines of the word diff between two versions of an entry's source."""
    out: list[str] = []
    for path in list(dict.fromkeys([*new, *old])):
        before, after = old.get(path, ""), new.get(path, "")
        if before == after:
            continue
        lines = changed_lines(word_diff(before, after))
        label = f"{path}:" if path in old and path in new else (f"{path} (new):" if path in new else f"{path} (removed):")
        out.append(label + (" " + lines[0] if len(lines) == 1 else ""))
        if len(lines) > 1:
            out.extend("  " + line for line in lines)
    return out


class GitUnavailable(Exception):
    """The content folder is not in a git checkout, or git cannot be run."""


class History:
    """The git history of a content folder, read with the `git` command."""

    def __init__(self, content: Path):
        self.content = Path(content).resolve()
        self.top = Path(self._git(["rev-parse", "--show-toplevel"], cwd=self.content).decode().strip())
        self._revisions: dict[str, list[Revision]] = {}
        self._sources: dict[tuple[str, str], dict[str, str] | None] = {}
        self._kb_yaml = (self.content / KB_FILE).read_bytes()

    @staticmethod
    def _git(args: list[str], cwd: Path) -> bytes:
        try:
            done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True,
                                  check=False)
        except OSError as exc:
            raise GitUnavailable(f"git cannot be run ({exc.strerror})") from None
        if done.returncode != 0:
            raise GitUnavailable(done.stderr.decode(errors="replace").strip() or "git failed")
        return done.stdout

    def revisions(self, file: str) -> list[Revision]:
        """Commits that changed the file, newest first (following renames)."""
        try:
            rel = Path(file).resolve().relative_to(self.top).as_posix()
        except ValueError:
            raise GitUnavailable(f"{file} is outside the git checkout {self.top}") from None
        if rel not in self._revisions:
            raw = self._git(["log", "--follow", "--format=%x1e%H%x1f%cs%x1f%s", "--name-only", "--", rel],
                            cwd=self.top).decode("utf-8", errors="replace")
            revs = []
            for record in raw.split("\x1e")[1:]:
                head, _, names = record.partition("\n")
                commit, date, subject = (head.split("\x1f") + ["", ""])[:3]
                path = next((n for n in names.splitlines() if n.strip()), rel)
                revs.append(Revision(commit, date, subject, path))
            self._revisions[rel] = revs
        return self._revisions[rel]

    def source_at(self, revision: Revision, entry: Entry) -> dict[str, str] | None:
        """The entry's source fields as they were in a revision (None when that version does not load)."""
        key = (revision.commit, revision.path)
        if key not in self._sources:
            blob = self._git(["show", f"{revision.commit}:{revision.path}"], cwd=self.top)
            self._sources[key] = _parse_source(entry, blob, self._kb_yaml)
        return self._sources[key]

    def change_since(self, entry: Entry, lang: str) -> SourceChange:
        """What changed in the entry's source since its `lang` translation was made."""
        tr = entry.translations[lang]
        if tr.source_fingerprint is None:
            return SourceChange(entry.ref, lang, None, "the translation has no 'from:', so there is nothing to compare")
        for rev in self.revisions(entry.file):
            old = self.source_at(rev, entry)
            if old is not None and fingerprint(list(old.items())) == tr.source_fingerprint:
                lines = source_diff(old, entry.source)
                body = "\n".join("  " + line for line in lines) if lines else "  (only whitespace changed)"
                return SourceChange(entry.ref, lang, rev,
                                    f"source changes since revision {rev.label()}:\n{body}")
        return SourceChange(entry.ref, lang, None,
                            f"no committed version of {entry.file} has the source fingerprint {tr.source_fingerprint}; "
                            "cannot show what changed")


def _parse_source(entry: Entry, blob: bytes, kb_yaml: bytes) -> dict[str, str] | None:
    with tempfile.TemporaryDirectory(prefix="kb-rev-") as tmp:
        content = Path(tmp) / "content"
        folder = content / KIND_FOLDERS[entry.kind]
        folder.mkdir(parents=True)
        (content / KB_FILE).write_bytes(kb_yaml)
        (folder / f"{entry.id}.yaml").write_bytes(blob)
        result = load(content, use_cache=False)
        old = result.catalog.lookup(entry.ref) if result.catalog else None
        return dict(old.source) if old is not None else None


def open_history(content: Path) -> tuple[History | None, str]:
    """The history of a content folder, or None and the reason it is not available."""
    try:
        return History(content), ""
    except GitUnavailable as exc:
        return None, (f"{content} is not in a git checkout, or git is not available ({exc}); "
                      "stale translations are listed without what changed in their source")


def add_source_diffs(report: Report, catalog: Catalog, content: Path) -> None:
    """Attach to each stale translation what changed in its source, from the content's git history."""
    stale = [(p.entry, p.lang) for p in report.problems if p.code == "stale-translation" and p.entry and p.lang]
    if not stale:
        return
    history, reason = open_history(content)
    if history is None:
        report.notes.append(reason)
        return
    for ref, lang in stale:
        entry = catalog.lookup(ref)
        try:
            report.diffs[(ref, lang)] = history.change_since(entry, lang).text
        except GitUnavailable as exc:
            report.diffs[(ref, lang)] = f"cannot read the history of {entry.file}: {exc}"
