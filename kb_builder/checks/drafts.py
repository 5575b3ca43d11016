"""Drafts (`draft: true`) and the placeholder text `kb new` writes.

Every draft is listed (`draft`), so a team sees what is still unpublished. Skeleton text (the
SKELETON_MARKER that `kb new` puts into every text it writes) in an entry that is not a draft is
an error (`skeleton-text`): without this, removing `draft: true` too early would publish the
skeleton's placeholder question and answer on every help center.
"""

from __future__ import annotations

from typing import Iterator

from kb_builder.checks.fields import text_mark
from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Mark, Problem
from kb_builder.skeletons import SKELETON_MARKER


@check("drafts")
def drafts(ctx: CheckContext) -> Iterator[Problem]:
    """Entries and learning paths marked `draft: true`."""
    for item in [*ctx.catalog.entries(), *ctx.catalog.paths.values()]:
        if item.draft:
            where = ("on the internal site and in agent search only, not on any public help center"
                     if item.audience == "public" else "shown with a Draft banner on the internal site")
            yield finding("draft", f"{item.ref} is a draft: {where}",
                          "remove 'draft: true' when it is ready", item.marks.get("draft") or item.mark,
                          entry=item.ref)


@check("drafts")
def skeleton_text(ctx: CheckContext) -> Iterator[Problem]:
    """Text that `kb new` wrote and nobody replaced, in an entry that is not a draft."""
    hint = f"replace the text marked {SKELETON_MARKER}, or keep 'draft: true' until it is written"
    for entry in ctx.catalog.entries():
        if entry.draft:
            continue
        for fields, lang in [(entry.source, None), *((tr.fields, lang) for lang, tr in entry.translations.items())]:
            for path, text in fields.items():
                if SKELETON_MARKER in text:
                    where = f"the {lang} translation of {path}" if lang else path
                    yield finding("skeleton-text", f"{where} of {entry.ref} still holds the text 'kb new' wrote",
                                  hint, text_mark(entry, path, lang), entry=entry.ref, lang=lang)
    for lp in ctx.catalog.paths.values():
        if lp.draft:
            continue
        texts = [("title", lp.title, lp.marks.get("title")), ("summary", lp.summary, lp.marks.get("summary"))]
        for module in lp.modules:
            texts += [("a module title", module.title, module.mark), ("an exercise", module.exercise, module.mark)]
            texts += [("a quiz question", " ".join([q.question, *map(str, q.choices)]), q.mark or module.mark)
                      for q in module.quiz]
        for what, text, mark in texts:
            if text and SKELETON_MARKER in text:
                yield finding("skeleton-text", f"{what} of {lp.ref} still holds the text 'kb new' wrote",
                              hint, mark or lp.mark, entry=lp.ref)
    for market in ctx.catalog.markets.values():
        texts = [("name", market.name), ("support_hours", market.support_hours), ("notes", market.notes)]
        texts += [(f"the {ch.type} channel", ch.address) for ch in market.channels]
        texts += [(f"vars.{k}", v) for k, v in market.vars.items()]
        for what, text in texts:
            if text and SKELETON_MARKER in text:
                mark = market.marks.get(what) or next((ch.mark for ch in market.channels
                                                       if what == f"the {ch.type} channel"), None)
                yield finding("skeleton-text", f"{what} of market {market.code} still holds the text 'kb new' wrote",
                              f"replace the text marked {SKELETON_MARKER}: a market's help center is public "
                              "as soon as the market exists", mark or Mark(market.file, 1, 1), markets=(market.code,))
