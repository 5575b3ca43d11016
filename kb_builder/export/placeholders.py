"""Ticket placeholders (`{customer_name}`) to each helpdesk's own syntax.

The mapping of a target is the built-in defaults below, overridden and extended by kb.yaml:

    export:
      zendesk:
        placeholders:
          order_id: "{{ticket.external_id}}"

A placeholder a template uses with no mapping for the chosen target is an error naming the line
of the template where it is used and the line of kb.yaml where the mapping belongs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kb_builder.errors import Mark, Problem
from kb_builder.model import Settings, Template
from kb_builder.variables import tokens

TARGETS = ("zendesk", "gorgias", "freshdesk", "json")

# Only names whose meaning is the same in every shop; order numbers and tracking links live in
# helpdesk-specific custom fields or integrations, so those need a line in kb.yaml.
DEFAULTS: dict[str, dict[str, str]] = {
    "zendesk": {
        "customer_name": "{{ticket.requester.first_name}}",
        "customer_full_name": "{{ticket.requester.name}}",
        "agent_name": "{{current_user.first_name}}",
        "agent_full_name": "{{current_user.name}}",
        "ticket_id": "{{ticket.id}}",
    },
    "gorgias": {
        "customer_name": "{{ticket.customer.firstname}}",
        "customer_full_name": "{{ticket.customer.name}}",
        "agent_name": "{{current_user.firstname}}",
        "agent_full_name": "{{current_user.name}}",
        "ticket_id": "{{ticket.id}}",
    },
    "freshdesk": {
        "customer_name": "{{ticket.requester.firstname}}",
        "customer_full_name": "{{ticket.requester.name}}",
        "agent_name": "{{ticket.agent.firstname}}",
        "agent_full_name": "{{ticket.agent.name}}",
        "ticket_id": "{{ticket.id}}",
    },
}


@dataclass(frozen=True)
class PlaceholderMap:
    """One target's placeholder mapping: name -> the target's placeholder text."""

    target: str
    names: dict[str, str]

    def get(self, name: str) -> str | None:
        """The target's placeholder for a name; the neutral json target keeps `{name}` as written."""
        if self.target == "json":
            return self.names.get(name, "{" + name + "}")
        return self.names.get(name)


def mapping_for(settings: Settings, target: str) -> PlaceholderMap:
    """The built-in defaults of a target with kb.yaml's `export.<target>.placeholders` on top."""
    names = dict(DEFAULTS.get(target, {}))
    names.update((settings.export.get(target) or {}).get("placeholders") or {})
    return PlaceholderMap(target, names)


def missing_mappings(settings: Settings, templates: list[Template], target: str) -> list[Problem]:
    """An error for the first use of each placeholder (per template) that has no mapping."""
    mapping = mapping_for(settings, target)
    problems = []
    for t in templates:
        seen: set[str] = set()
        for lang, path, text in _texts(t):
            for tok in tokens(text):
                if tok.market or tok.name in seen or mapping.get(tok.name) is not None:
                    continue
                seen.add(tok.name)
                problems.append(Problem(
                    "error", "export-unmapped-placeholder",
                    f"placeholder {{{tok.name}}} of {t.ref} has no {target} mapping",
                    "map it in " + add_here(settings, target, tok.name),
                    token_mark(t, path, lang, text, tok.offset), entry=t.ref, lang=lang))
    return problems


def _texts(t: Template):
    for path, text in t.source.items():
        yield None, path, text
    for lang, tr in t.translations.items():
        for path, text in tr.fields.items():
            yield lang, path, text


def example(target: str, name: str) -> str:
    """A sample mapping value in the target's syntax."""
    return {"zendesk": "{{ticket.ticket_field_<id of the %s field>}}", "gorgias": "{{ticket.customer.%s}}",
            "freshdesk": "{{ticket.cf_%s}}"}.get(target, "{%s}").replace("%s", name)


def add_here(settings: Settings, target: str, name: str) -> str:
    """Where in kb.yaml the mapping of `name` belongs and what to write there: under the deepest
    part of the `export:` block that exists, or as a new block at the end of kb.yaml."""
    value = f'"{example(target, name)}"'
    marks = settings.marks
    steps = [(f"export.{target}.placeholders", f"export: {target}: placeholders:", f"{name}: {value}"),
             (f"export.{target}", f"export: {target}:", f"placeholders: {{{name}: {value}}}"),
             ("export", "export:", f"{target}: {{placeholders: {{{name}: {value}}}}}")]
    for key, under, snippet in steps:
        mark = marks.get(key)
        if mark is not None:
            return f"{mark.path}:{mark.line} under {under} add {snippet}"
    return (f"{settings.file}:{_lines(settings.file) + 1} (end of file) add "
            f"export: {{{target}: {{placeholders: {{{name}: {value}}}}}}}")


def _lines(path: str) -> int:
    try:
        return len(Path(path).read_text(encoding="utf-8").splitlines())
    except OSError:
        return 0


def token_mark(t: Template, path: str, lang: str | None, text: str, offset: int) -> Mark | None:
    """The file position of a token: the field's line (the next lines in a block scalar, one per
    text line), and the token's column when it is written there as is."""
    mark = t.marks.get(f"translations.{lang}.{path}") if lang else t.marks.get(path)
    mark = mark or t.mark
    if mark is None:
        return None
    line_no, start = mark.line + text.count("\n", 0, offset), mark.column
    line_text = _line(mark.path, mark.line)
    if line_text is not None and line_text.rstrip().endswith(("|", "|-", "|+", ">", ">-", ">+")):
        line_no, start = line_no + 1, 1  # a block scalar's text starts on the next line
    token = text[offset:text.index("}", offset) + 1]
    found = (_line(mark.path, line_no) or "").find(token, max(start - 1, 0))
    return Mark(mark.path, line_no, found + 1 if found >= 0 else start)


def _line(path: str, number: int) -> str | None:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return lines[number - 1] if 0 < number <= len(lines) else None
