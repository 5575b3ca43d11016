"""Text checks: required text that holds nothing but spaces or blank lines, and text with more
`[` than Markdown renders in reasonable time.

Empty strings are already refused by the schema while loading (same code, `empty-text`);
this catches text that only looks filled in.
"""

from __future__ import annotations

from typing import Iterator

from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Problem
from kb_builder.render.limits import MAX_BRACKETS


def _blank(text) -> bool:
    return isinstance(text, str) and not text.strip()


@check("texts")
def blank_texts(ctx: CheckContext) -> Iterator[Problem]:
    """Entry fields, translations and learning path texts that are only whitespace."""
    for item in ctx.texts.brackets:
        where = f"the {item.lang} translation of {item.path}" if item.lang else item.path
        yield finding("markdown-too-complex", f"{where} of {item.entry.ref} has {item.text.count('[')} '[', "
                      f"more than Markdown renders in reasonable time ({MAX_BRACKETS})",
                      "write fewer brackets; a long list of them is usually pasted by mistake",
                      item.mark, entry=item.entry.ref, lang=item.lang)
    for item in ctx.texts.blank:
        where = f"the {item.lang} translation of {item.path}" if item.lang else item.path
        yield finding("empty-text", f"{where} of {item.entry.ref} is blank", "write the text, or remove the key",
                      item.mark, entry=item.entry.ref, lang=item.lang)
    for lp in ctx.catalog.paths.values():
        if _blank(lp.title):
            yield finding("empty-text", f"the title of {lp.ref} is blank", "write the title",
                          lp.marks.get("title") or lp.mark, entry=lp.ref)
        for module in lp.modules:
            if _blank(module.title):
                yield finding("empty-text", f"a module title of {lp.ref} is blank", "write the module's title",
                              module.mark, entry=lp.ref)
            for n, q in enumerate(module.quiz, start=1):
                if _blank(q.question) or any(_blank(c) for c in q.choices):
                    yield finding("empty-text", f"question {n} of module '{module.title}' in {lp.ref} has blank text",
                                  "write the question and every choice", q.mark or module.mark, entry=lp.ref)
