"""An SOP's steps drawn as an SVG flowchart, computed here: no script, no network, prints well."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

BOX_W = 300
X = 12
LINE_H = 18
PAD = 10
GAP = 30
LANE_GAP = 14
WRAP = 34  # characters of Latin text per line at 14px in a 300-unit box


@dataclass
class FlowStep:
    """What the chart needs of a step: id, number, its text, where its branches go."""

    id: str
    number: int
    label: str
    branches: list[tuple[str, str | None]]  # (condition, next step id or None = continue)
    markets: str = ""  # empty when the step applies everywhere


def _clean(text: str) -> str:
    """The step's text without Markdown marks, on one line (values are filled in by the caller)."""
    text = re.sub(r"[*_`#>\[\]]", "", text)
    return " ".join(text.split())


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


def _wrap(text: str, width: int = WRAP) -> list[str]:
    """The whole text in lines of about `width` columns (wide CJK characters count 2); never cut."""
    if not any(_wide(c) for c in text):
        return textwrap.wrap(text, width, break_long_words=True) or [""]
    lines, line, cols = [], "", 0
    for c in text:
        w = 2 if _wide(c) else 1
        if cols + w > width and line:
            lines.append(line.rstrip())
            line, cols = "", 0
        line += c
        cols += w
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def flowchart_svg(steps: list[FlowStep], title: str, ident: str = "") -> str:
    """SVG markup: one box per step with its whole text and each branch (`if …: step N`), arrows for
    the order and for each branch's `next`. Narrow (about 360 units) so that a phone shows it near
    full size: branch conditions are written in their step's box, not beside the arrows.

    `ident` names this chart's arrowhead: a page with a chart per market needs one per chart, as
    an arrow whose marker sits in a hidden chart (the first of several `kb-arrow`s) has no head."""
    if not steps:
        return ""
    arrow = f"kb-arrow-{ident}" if ident else "kb-arrow"
    index = {s.id: i for i, s in enumerate(steps)}
    boxes = []
    y = 12
    for s in steps:
        lines = [(ln, "kb-flow-text") for ln in _wrap(f"{s.number}. {_clean(s.label)}")]
        for cond, nxt in s.branches:
            where = f"step {index[nxt] + 1}" if nxt in index else ("continue" if not nxt else "not in this market")
            lines += [(ln, "kb-flow-label") for ln in _wrap(f"↳ {_clean(cond)} → {where}", WRAP + 2)]
        if s.markets:
            lines.append((f"only {s.markets}", "kb-flow-note"))
        h = PAD * 2 + LINE_H * len(lines)
        boxes.append((y, h, lines))
        y += h + GAP
    end_y = y
    jumps = [(i, index[nxt]) for i, s in enumerate(steps) for _, nxt in s.branches
             if nxt and nxt in index and index[nxt] != i + 1]
    width = X + BOX_W + 16 + len(jumps) * LANE_GAP + 8
    height = end_y + 34
    out = [f'<svg class="kb-flow" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">',
           f"<title>{escape(title)}</title>",
           f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="kb-flow-head"/></marker></defs>']
    cx = X + BOX_W / 2
    for i, (s, (by, bh, lines)) in enumerate(zip(steps, boxes)):
        dashed = ' stroke-dasharray="6 4"' if s.markets else ""
        kind = "kb-flow-decision" if s.branches else "kb-flow-step"
        out.append(f'<a href="#step-{escape(s.id)}"><rect class="{kind}" x="{X}" y="{by}" width="{BOX_W}" '
                   f'height="{bh}" rx="8"{dashed}/>')
        for n, (line, cls) in enumerate(lines):
            out.append(f'<text class="{cls}" x="{X + PAD}" y="{by + PAD + LINE_H * (n + 1) - 5}">{escape(line)}</text>')
        out.append("</a>")
        ny = boxes[i + 1][0] if i + 1 < len(steps) else end_y
        if not s.branches or any(nxt is None or index.get(nxt) == i + 1 for _, nxt in s.branches):
            out.append(f'<line class="kb-flow-edge" x1="{cx}" y1="{by + bh}" x2="{cx}" y2="{ny - 2}" '
                       f'marker-end="url(#{arrow})"/>')
    per_source: dict[int, int] = {}
    for lane, (src, dst) in enumerate(jumps):
        k = per_source.get(src, 0)
        per_source[src] = k + 1
        sy = boxes[src][0] + 12 + k * 8
        dy = boxes[dst][0] + min(18, boxes[dst][1] / 2) + (lane % 3) * 4
        lx = X + BOX_W + 12 + lane * LANE_GAP
        out.append(f'<path class="kb-flow-edge kb-flow-jump" d="M{X + BOX_W},{sy} H{lx} V{dy} H{X + BOX_W + 2}" '
                   f'fill="none" marker-end="url(#{arrow})"/>')
    out.append(f'<rect class="kb-flow-end" x="{cx - 40}" y="{end_y}" width="80" height="26" rx="13"/>'
               f'<text class="kb-flow-text" x="{cx}" y="{end_y + 18}" text-anchor="middle">Done</text>')
    out.append("</svg>")
    return "".join(out)
