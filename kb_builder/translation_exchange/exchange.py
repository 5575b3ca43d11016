"""What both file formats hand to the importer: the units read from a file, with positions."""

from __future__ import annotations

from dataclasses import dataclass, field

from kb_builder.errors import Mark


@dataclass(frozen=True)
class ReadUnit:
    """One unit as read from an XLIFF or PO file."""

    id: str
    lang: str
    target: str  # "" when the file has no translation for it
    fingerprint: str | None  # the source fingerprint the export was made from
    mark: Mark  # where the unit is in the imported file
    lang_mark: Mark  # where its language is declared
    reviewed: bool = True  # False when the file says the target still needs (re)translation
    source_placeholders_from: str | None = None  # the unit's source text as the file has it


@dataclass
class ReadFile:
    """Every unit of an imported file, and problems that make it unusable."""

    path: str
    units: list[ReadUnit] = field(default_factory=list)


class NotAnExchangeFile(Exception):
    """The file is not XLIFF 1.2 or PO; carries the position and the message."""

    def __init__(self, mark: Mark, message: str, hint: str = ""):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint
