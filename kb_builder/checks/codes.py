"""Every finding code with its severity: one table for the checks, the docs and the tests."""

from __future__ import annotations

from dataclasses import dataclass

from kb_builder.errors import Severity


@dataclass(frozen=True)
class Code:
    """A stable finding code: its severity, which family reports it, and what it means."""

    name: str
    severity: Severity
    family: str
    summary: str


def _codes(*rows: tuple[str, Severity, str, str]) -> dict[str, Code]:
    return {name: Code(name, severity, family, summary) for name, severity, family, summary in rows}


CHECK_CODES: dict[str, Code] = _codes(
    ("untranslated", "warning", "translations",
     "A language of a market the entry applies to has no translation."),
    ("stale-translation", "warning", "translations",
     "The translation's `from` differs from the current source fingerprint, or is missing."),
    ("incomplete-translation", "warning", "translations",
     "A translation lacks some fields the source has; those show in the source language."),
    ("identical-translation", "warning", "translations",
     "Translated text is the same as the source text (probably copied, not translated)."),
    ("review-overdue", "warning", "reviews",
     "`reviewed` + `review_every_days` is before today (entries and translations)."),
    ("never-reviewed", "warning", "reviews",
     "An SOP, FAQ entry or template has no `reviewed` date."),
    ("broken-reference", "error", "references",
     "`related`, `faq`, step `templates`/`faq`, a template's `scenario` or a path's `read` names "
     "an entry that does not exist."),
    ("internal-reference", "warning", "references",
     "A public entry refers or links to an internal one; the help center cannot show that link."),
    ("broken-link", "error", "links",
     "A Markdown link in content points to nothing: a missing `kind:id`, a missing SOP step, or a "
     "relative path the built sites cannot resolve."),
    ("unknown-step", "error", "steps", "A branch's `next` names no step of the SOP."),
    ("step-cycle", "error", "steps", "SOP steps form a loop with no way out."),
    ("unreachable-step", "warning", "steps", "No path through the SOP's steps reaches this step."),
    ("next-outside-market", "warning", "steps",
     "A branch jumps to a step that does not apply in some markets where the branch does."),
    ("step-market-out-of-scope", "warning", "steps",
     "A step lists markets the SOP itself does not apply to."),
    ("undefined-market-variable", "error", "variables",
     "`{market.NAME}` is not defined for a market the entry (or step) applies to."),
    ("undeclared-placeholder", "error", "placeholders",
     "A template uses a `{name}` placeholder that its `placeholders` list does not declare."),
    ("missing-placeholder", "warning", "placeholders",
     "A translation of a template lacks a declared placeholder that the source uses."),
    ("unused-placeholder", "warning", "placeholders",
     "A template declares a placeholder its source text never uses."),
    ("placeholder-outside-template", "error", "placeholders",
     "A `{name}` ticket placeholder appears in an SOP or FAQ entry; only templates have them."),
    ("quiz-answer-out-of-range", "error", "paths", "A quiz `answer` is not an index into its `choices`."),
    ("empty-text", "error", "texts", "A text field holds only spaces or blank lines."),
    ("markdown-too-complex", "error", "texts", "A text has so many '[' that Markdown would take minutes to render it."),
    ("draft", "warning", "drafts",
     "An entry or learning path is marked `draft: true`: internal site (with a Draft banner) and agent "
     "search only, never a public help center or public search."),
    ("skeleton-text", "error", "drafts",
     "An entry that is not a draft still holds the text `kb new` wrote (marked `TODO(kb new)`)."),
)

LOADER_CODES: dict[str, Code] = _codes(
    ("missing-kb-yaml", "error", "loader", "The content folder has no kb.yaml."),
    ("unreadable-file", "error", "loader", "A file cannot be read."),
    ("file-too-large", "error", "loader", "A file is over the size limit."),
    ("not-a-file", "error", "loader", "A FIFO, device, socket or folder named like a content file."),
    ("link-outside", "error", "loader", "A symbolic link points outside the content folder."),
    ("broken-link", "error", "loader", "A symbolic link whose target is missing, or a loop of links."),
    ("unreadable-folder", "error", "loader", "A content folder cannot be listed."),
    ("not-utf8", "error", "loader", "A file is not UTF-8."),
    ("yaml-syntax", "error", "loader", "The YAML cannot be parsed."),
    ("yaml-structure", "error", "loader", "Duplicate key, custom tag, alias bomb or too deep nesting."),
    ("schema", "error", "loader", "The file does not have the shape of its kind."),
    ("missing-key", "error", "loader", "A required key is missing."),
    ("wrong-type", "error", "loader", "A value has the wrong type."),
    ("bad-value", "error", "loader", "A value is not in the expected form or not allowed."),
    ("empty-text", "error", "loader", "A required text is empty."),
    ("empty-list", "error", "loader", "A list needs more items."),
    ("unknown-key", "warning", "loader", "A key that the format does not know; it is ignored."),
    ("ignored-file", "warning", "loader", "A file in a content folder that is not YAML."),
    ("id-mismatch", "error", "loader", "`id` (or a market's `code`) differs from the file name."),
    ("bad-id", "error", "loader", "A file name is not a valid id."),
    ("duplicate-id", "error", "loader", "Two files of one kind (or two markets) have the same id."),
    ("duplicate-step", "error", "loader", "Two steps of one SOP have the same id."),
    ("duplicate-language", "error", "loader", "kb.yaml lists a language twice."),
    ("duplicate-channel", "error", "loader", "A market lists a channel type twice."),
    ("unknown-language", "error", "loader", "A language that kb.yaml `languages` does not list."),
    ("unknown-market", "error", "loader", "A market code with no markets/<code>.yaml."),
    ("unknown-category", "error", "loader", "An FAQ category that kb.yaml `categories` does not define."),
    ("bad-date", "error", "loader", "A date that does not exist."),
    ("bad-timezone", "error", "loader", "A time zone that is not an IANA name."),
    ("translation-of-source", "error", "loader", "A translation into the source language."),
    ("translation-unknown-field", "error", "loader", "A translation has a field the source does not have."),
    ("translation-unknown-step", "error", "loader", "An SOP translation names a step the SOP does not have."),
)


def severity(code: str) -> Severity:
    """The documented severity of a checker code."""
    return CHECK_CODES[code].severity
