"""Ticket placeholder checks: `{name}` belongs to reply templates only, declared in `placeholders`,
and every translation keeps the placeholders its source uses."""

from __future__ import annotations

import difflib
from typing import Iterator

from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.checks.translations import translation_mark
from kb_builder.errors import Mark, Problem
from kb_builder.model import Entry, Template

Uses = dict[str, tuple[Entry, dict[str, tuple[Mark | None, str | None]]]]


def _first_uses(ctx: CheckContext) -> Uses:
    return ctx.shared("placeholder-first-uses", _collect_first_uses)


def _collect_first_uses(ctx: CheckContext) -> Uses:
    """Per entry ref: each placeholder name with the mark and language of its first use."""
    out: Uses = {}
    for item in ctx.texts.braces:
        if not item.placeholders:
            continue
        uses = out.setdefault(item.entry.ref, (item.entry, {}))[1]
        for name in sorted(item.placeholders):
            if name not in uses:
                uses[name] = (item.mark, item.lang)
    return out


FieldPlaceholders = dict[str, dict[tuple[str | None, str], frozenset[str]]]


def _by_field(ctx: CheckContext) -> FieldPlaceholders:
    return ctx.shared("placeholders-by-field", _collect_by_field)


def _collect_by_field(ctx: CheckContext) -> FieldPlaceholders:
    """Per template ref: the placeholders of each (language or None, field path) that has any."""
    out: FieldPlaceholders = {}
    for item in ctx.texts.braces:
        if item.placeholders and isinstance(item.entry, Template):
            out.setdefault(item.entry.ref, {})[(item.lang, item.path)] = item.placeholders
    return out


def _source_placeholders(ctx: CheckContext, t: Template) -> set[str]:
    fields = _by_field(ctx).get(t.ref, {})
    return set().union(*(fields.get((None, path), ()) for path in t.source))


@check("placeholders")
def undeclared_placeholders(ctx: CheckContext) -> Iterator[Problem]:
    """Placeholders a template uses without declaring them."""
    for t, uses in _first_uses(ctx).values():
        if not isinstance(t, Template):
            continue
        declared = set(t.placeholders)
        for name, (mark, lang) in uses.items():
            if name in declared:
                continue
            close = difflib.get_close_matches(name, t.placeholders, n=1)
            hint = (f"did you mean {{{close[0]}}}? " if close else "") + \
                f"declare it in placeholders, or write {{{{{name}}}}} for literal braces"
            yield finding("undeclared-placeholder",
                          f"{t.ref} uses the placeholder {{{name}}}, which its placeholders list does not declare",
                          hint, mark, entry=t.ref, lang=lang)


@check("placeholders")
def unused_placeholders(ctx: CheckContext) -> Iterator[Problem]:
    """Declared placeholders that the template's source text never uses."""
    for t in ctx.catalog.templates.values():
        used = _source_placeholders(ctx, t)
        for name in t.placeholders:
            if name not in used:
                yield finding("unused-placeholder", f"{t.ref} declares the placeholder {name}, but its text never uses it",
                              f"remove {name} from placeholders, or use {{{name}}} in the text",
                              t.mark_of("placeholders"), entry=t.ref)


def _missing_in(ctx: CheckContext, t: Template, lang: str, wanted: set[str]) -> tuple[list[str], Mark | None]:
    tr = t.translations[lang]
    fields = _by_field(ctx).get(t.ref, {})
    used: set[str] = set()
    for path in t.source:
        used.update(fields.get((lang if path in tr.fields else None, path), ()))
    missing = sorted(wanted - used)
    for path in t.source:
        if path in tr.fields and missing and missing[0] in fields.get((None, path), ()):
            return missing, t.marks.get(f"translations.{lang}.{path}")
    return missing, None


@check("placeholders")
def missing_placeholders(ctx: CheckContext) -> Iterator[Problem]:
    """Translations of a template that drop declared placeholders its source uses."""
    for t in ctx.catalog.templates.values():
        if not t.translations:
            continue
        wanted = set(t.placeholders) & _source_placeholders(ctx, t)
        if not wanted:
            continue
        for lang, tr in t.translations.items():
            missing, mark = _missing_in(ctx, t, lang, wanted)
            if missing:
                names = ", ".join(f"{{{n}}}" for n in missing)
                yield finding("missing-placeholder", f"the {lang} translation of {t.ref} lacks {names}",
                              "put the placeholders where the source has them, so the reply gets the ticket's values",
                              mark or translation_mark(t, tr), entry=t.ref, lang=lang,
                              markets=ctx.markets_speaking(t.markets, lang))


@check("placeholders")
def placeholders_outside_templates(ctx: CheckContext) -> Iterator[Problem]:
    """`{name}` in SOPs and FAQ entries, where nothing would ever fill it."""
    variables = {name for m in ctx.catalog.markets.values() for name in m.variables()}
    for entry, uses in _first_uses(ctx).values():
        if isinstance(entry, Template):
            continue
        for name, (mark, lang) in uses.items():
            hint = (f"write {{market.{name}}} for the market's value" if name in variables
                    else f"write {{{{{name}}}}} to show it with braces, or reword it")
            yield finding("placeholder-outside-template",
                          f"{entry.ref} contains {{{name}}}, but only reply templates have ticket placeholders",
                          hint, mark, entry=entry.ref, lang=lang)
