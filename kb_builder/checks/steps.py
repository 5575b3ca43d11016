"""SOP step checks: `next` targets, reachability, loops with no way out, step market scopes.

Flow model: steps run in order. A step without branches continues with the following step; a
branch continues with its `next` step, or with the following step when it has none. Running
past the last step ends the procedure. A loop is fine as long as some branch leads out of it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Iterator

from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Mark, Problem
from kb_builder.model import Sop


@dataclass(frozen=True)
class Jump:
    """An edge of the step graph: from step index `origin` to `target` (len(steps) = the end)."""

    origin: int
    target: int
    branch: int | None = None
    mark: Mark | None = None


def jumps(sop: Sop) -> list[Jump]:
    """Every edge of the SOP's step graph; a `next` that names no step counts as an exit."""
    index = {s.id: i for i, s in enumerate(sop.steps)}
    end = len(sop.steps)
    edges = []
    for i, step in enumerate(sop.steps):
        if not step.branches:
            edges.append(Jump(i, i + 1))
        for b, branch in enumerate(step.branches):
            target = i + 1 if branch.next is None else index.get(branch.next, end)
            edges.append(Jump(i, target, b, branch.mark))
    return edges


def _closure(start: int, edges: dict[int, list[int]]) -> set[int]:
    seen, todo = {start}, deque([start])
    while todo:
        for n in edges.get(todo.popleft(), ()):
            if n not in seen:
                seen.add(n)
                todo.append(n)
    return seen


@dataclass(frozen=True)
class StepFlow:
    """Which steps can be reached from the first, and which can reach the end."""

    reachable: set[int]
    can_finish: set[int]
    edges: list[Jump]


def flow(sop: Sop) -> StepFlow:
    """Reachability of the SOP's steps."""
    edges = jumps(sop)
    forward: dict[int, list[int]] = {}
    backward: dict[int, list[int]] = {}
    for e in edges:
        forward.setdefault(e.origin, []).append(e.target)
        backward.setdefault(e.target, []).append(e.origin)
    reachable = _closure(0, forward) if sop.steps else set()
    return StepFlow(reachable, _closure(len(sop.steps), backward), edges)


@check("steps")
def unknown_steps(ctx: CheckContext) -> Iterator[Problem]:
    """Branches whose `next` names no step of the SOP."""
    for sop in ctx.catalog.sops.values():
        ids = [s.id for s in sop.steps]
        for step in sop.steps:
            for b, branch in enumerate(step.branches):
                if branch.next is not None and branch.next not in ids:
                    yield finding("unknown-step",
                                  f"branch {b + 1} of step '{step.id}' in {sop.ref} has next: {branch.next}, "
                                  "which is not a step of this SOP",
                                  "use one of the step ids: " + ", ".join(ids), branch.mark or step.mark,
                                  entry=sop.ref)


@check("steps")
def step_flow(ctx: CheckContext) -> Iterator[Problem]:
    """Steps no path reaches, and loops that no branch leads out of."""
    for sop in ctx.catalog.sops.values():
        f = flow(sop)
        steps = sop.steps
        for i, step in enumerate(steps):
            if i not in f.reachable:
                yield finding("unreachable-step",
                              f"step '{step.id}' of {sop.ref} can never be reached: every path through the "
                              "earlier steps jumps past it",
                              f"add a branch with next: {step.id}, or remove the step", step.mark, entry=sop.ref)
        trapped = sorted(i for i in f.reachable if i not in f.can_finish and i < len(steps))
        if not trapped:
            continue
        back = next((e for e in f.edges if e.origin in trapped and e.target in trapped and e.target <= e.origin
                     and e.branch is not None), None)
        names = " -> ".join(steps[i].id for i in trapped)
        mark = back.mark if back and back.mark else steps[trapped[0]].mark
        yield finding("step-cycle", f"steps {names} of {sop.ref} form a loop with no way out",
                      "give one of these steps a branch that continues past the loop, "
                      "or change the 'next' that jumps back", mark, entry=sop.ref)


@check("steps")
def step_markets(ctx: CheckContext) -> Iterator[Problem]:
    """Step market lists outside the SOP's markets, and jumps into steps that skip some markets."""
    markets = ctx.catalog.markets
    for sop in ctx.catalog.sops.values():
        sop_codes = ctx.market_codes(sop.markets)
        by_id = {s.id: s for s in sop.steps}
        for step in sop.steps:
            if not step.markets.all and not sop.markets.all:
                outside = [c for c in step.markets.codes if c in markets and not sop.markets.includes(c)]
                if outside:
                    yield finding("step-market-out-of-scope",
                                  f"step '{step.id}' of {sop.ref} lists {', '.join(outside)}, "
                                  f"but the SOP applies only to {sop.markets.label()}",
                                  "remove those markets from the step, or add them to the SOP's markets",
                                  step.mark, entry=sop.ref, markets=outside)
            here = [c for c in sop_codes if step.markets.includes(c)]
            for b, branch in enumerate(step.branches):
                target = by_id.get(branch.next) if branch.next else None
                if target is None or target.markets.all:
                    continue
                missing = [c for c in here if not target.markets.includes(c)]
                if missing:
                    yield finding("next-outside-market",
                                  f"branch {b + 1} of step '{step.id}' in {sop.ref} jumps to step '{target.id}', "
                                  f"which does not apply in {', '.join(missing)}",
                                  f"limit step '{step.id}' to {target.markets.label()}, or add the missing "
                                  f"markets to step '{target.id}'", branch.mark or step.mark,
                                  entry=sop.ref, markets=missing)
