"""Reference checks: every id an entry names (related SOPs, FAQ, step templates, a template's
scenario, a learning path's reading list) must exist; public entries should not point at internal ones."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterator

from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Mark, Problem
from kb_builder.layout import KIND_FOLDERS
from kb_builder.model import Catalog, Faq

KIND_WORDS = {"sop": "SOP", "faq": "FAQ entry", "template": "template", "path": "learning path"}


@dataclass(frozen=True)
class Reference:
    """One id named somewhere in the content: who names it, where, and what it should be."""

    source: str  # kind:id of the entry that holds the reference
    target: str  # kind:id it names
    field: str
    mark: Mark | None


def references(catalog: Catalog) -> Iterator[Reference]:
    """Every entry-to-entry reference in the catalog, in file order."""
    for sop in catalog.sops.values():
        for i, rid in enumerate(sop.related):
            yield Reference(sop.ref, f"sop:{rid}", "related", sop.mark_of(f"related.{i}"))
        for i, fid in enumerate(sop.faq):
            yield Reference(sop.ref, f"faq:{fid}", "faq", sop.mark_of(f"faq.{i}"))
        for step in sop.steps:
            for key, kind in (("templates", "template"), ("faq", "faq")):
                for i, ident in enumerate(getattr(step, key)):
                    yield Reference(sop.ref, f"{kind}:{ident}", f"step '{step.id}' {key}",
                                    sop.marks.get(f"steps.{step.id}.{key}.{i}") or step.mark)
    for faq in catalog.faqs.values():
        for i, fid in enumerate(faq.related):
            yield Reference(faq.ref, f"faq:{fid}", "related", faq.mark_of(f"related.{i}"))
    for t in catalog.templates.values():
        if t.scenario:
            yield Reference(t.ref, f"sop:{t.scenario}", "scenario", t.mark_of("scenario"))
    for path in catalog.paths.values():
        for module in path.modules:
            for i, ref in enumerate(module.read):
                mark = module.read_marks[i] if i < len(module.read_marks) else module.mark
                yield Reference(path.ref, ref, f"module '{module.title}' read", mark)


def suggestion(catalog: Catalog, ref: str) -> str:
    """A hint for a reference to nothing: the closest existing id, or how to create the target."""
    kind, _, ident = ref.partition(":")
    table = {"sop": catalog.sops, "faq": catalog.faqs, "template": catalog.templates, "path": catalog.paths}.get(kind)
    if table is None:
        return "write the reference as sop:ID, faq:ID, template:ID or path:ID"
    close = difflib.get_close_matches(ident, list(table), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"fix the id, or create {KIND_FOLDERS[kind]}/{ident}.yaml"


@check("references")
def broken_references(ctx: CheckContext) -> Iterator[Problem]:
    """References to entries that do not exist (files that failed to load are not repeated here)."""
    catalog = ctx.catalog
    for ref in references(catalog):
        if catalog.lookup(ref.target) is not None or ctx.unloaded(ref.target):
            continue
        kind, _, ident = ref.target.partition(":")
        yield finding("broken-reference",
                      f"{ref.source} {ref.field} names the {KIND_WORDS.get(kind, kind)} '{ident}', which does not exist",
                      suggestion(catalog, ref.target), ref.mark, entry=ref.source)


@check("references")
def internal_references(ctx: CheckContext) -> Iterator[Problem]:
    """Public FAQ entries whose `related` names an internal FAQ entry."""
    catalog = ctx.catalog
    for ref in references(catalog):
        source = catalog.lookup(ref.source)
        target = catalog.lookup(ref.target)
        if isinstance(source, Faq) and source.published and target is not None and not target.published:
            what = "draft" if getattr(target, "draft", False) else "internal"
            yield finding("internal-reference",
                          f"public {ref.source} lists {what} {ref.target} in {ref.field}; "
                          "the help center will not show that link",
                          f"publish {ref.target} (public, without draft: true), or remove it from {ref.field}"
                          if what == "draft" else f"make {ref.target} public, or remove it from {ref.field}",
                          ref.mark, entry=ref.source)
