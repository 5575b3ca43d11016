"""Problems found in content, and the few exceptions the CLI turns into exit codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Mark:
    """A position in a content file: the path as shown to the author, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Problem:
    """One finding: what is wrong, where, and how to fix it."""

    severity: Severity
    code: str
    message: str
    hint: str = ""
    mark: Mark | None = None
    entry: str | None = None  # "kind:id"
    lang: str | None = None
    market: str | None = None
    markets: tuple[str, ...] = ()  # every market concerned, when there are several

    def format(self) -> str:
        """Render as `path:line:column: severity: message (hint)`, the form editors understand."""
        where = f"{self.mark}: " if self.mark else ""
        hint = f" ({self.hint})" if self.hint else ""
        return shown_text(f"{where}{self.severity}: {self.message}{hint}")

    def sort_key(self) -> tuple:
        """Order problems by file, line and column, then by code."""
        m = self.mark or Mark("")
        return (m.path, m.line, m.column, self.code, self.message)


@dataclass
class ProblemList:
    """Collects problems while loading or checking, so authors see all of them at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, code: str, message: str, hint: str = "", mark: Mark | None = None, **kw) -> None:
        """Record an error."""
        self.items.append(Problem("error", code, message, hint, mark, **kw))

    def warning(self, code: str, message: str, hint: str = "", mark: Mark | None = None, **kw) -> None:
        """Record a warning."""
        self.items.append(Problem("warning", code, message, hint, mark, **kw))

    def extend(self, problems) -> None:
        """Add problems found elsewhere."""
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=Problem.sort_key)


class KbError(Exception):
    """Base of the errors the CLI reports without a traceback."""

    exit_code = 1


class ContentError(KbError):
    """The content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        n = sum(1 for p in self.problems if p.severity == "error")
        super().__init__(f"{n} error(s) in content")


class UsageError(KbError):
    """The command was called wrongly (bad option, missing folder)."""

    exit_code = 2


class InstallationError(KbError):
    """A dependency is missing or broken: not the content's fault, so not exit code 1."""

    exit_code = 3


class BuildError(KbError):
    """The site engine failed for a reason that is not a content mistake."""


# Control characters (C0 with tab and line break, DEL, C1) and the bidirectional overrides and isolates: from content they
# could recolour a terminal, rewrite its title or make a message read backwards.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown_text(text: str) -> str:
    """Text for a terminal or a log: control and bidi characters written as escapes (\\x1b, \\u202e)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)
