"""Learning path checks: quiz answers must point at one of their choices."""

from __future__ import annotations

from typing import Iterator

from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Problem


@check("paths")
def quiz_answers(ctx: CheckContext) -> Iterator[Problem]:
    """Quiz questions whose `answer` is not an index into `choices`."""
    for path in ctx.catalog.paths.values():
        for module in path.modules:
            for n, q in enumerate(module.quiz, start=1):
                if 0 <= q.answer < len(q.choices):
                    continue
                yield finding("quiz-answer-out-of-range",
                              f"question {n} of module '{module.title}' in {path.ref} has answer: {q.answer}, "
                              f"but its {len(q.choices)} choices are numbered 0 to {len(q.choices) - 1}",
                              "answer is the position of the right choice, counting from 0",
                              q.mark or module.mark, entry=path.ref)
