"""An SOP's steps drawn as an SVG flowchart, computed here: no script, no network, prints well."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

BOX_W = 300
X = 20
LINE_H = 17
PAD = 10
GAP = 34
LANE_GAP = 16


@dataclass
class FlowStep:
    """What the chart needs of a step: id, number, a short label, where its branches go."""

    id: str
    number: int
    label: str
    branches: list[tuple[str, str | None]]  # (condition, next step id or None = continue)
    markets: str = ""  # empty when the step applies everywhere


def _short(text: str, limit: int = 90) -> str:
    text = re.sub(r"[*_`#>\[\]]|\{market\.([A-Za-z0-9_]+)\}", lambda m: m.group(1) or "", text)
    text = " ".join(text.split())
    first = re.split(r"(?<=[.!?。！？])\s*", text, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int = 36) -> list[str]:
    # CJK text has no spaces; wrap by characters then.
    if " " not in text and len(text) > width // 2:
        return [text[i:i + width // 2] for i in range(0, len(text), width // 2)][:4]
    return textwrap.wrap(text, width)[:4] or [""]


def flowchart_svg(steps: list[FlowStep], title: str) -> str:
    """SVG markup: one box per step, arrows for the order and for each branch's `next`."""
    if not steps:
        return ""
    index = {s.id: i for i, s in enumerate(steps)}
    boxes = []
    y = 20
    for s in steps:
        lines = _wrap(f"{s.number}. {_short(s.label)}")
        h = PAD * 2 + LINE_H * len(lines) + (LINE_H if s.markets else 0)
        boxes.append((y, h, lines))
        y += h + GAP
    end_y = y
    jumps = []  # (from index, to index, label)
    for i, s in enumerate(steps):
        for cond, nxt in s.branches:
            if nxt and nxt in index and index[nxt] != i + 1:
                jumps.append((i, index[nxt], _short(cond, 40)))
    lanes = len(jumps)
    width = X + BOX_W + 40 + lanes * LANE_GAP + (260 if lanes else 150)
    height = end_y + 40
    out = [f'<svg class="kb-flow" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">',
           f"<title>{escape(title)}</title>",
           '<defs><marker id="kb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="kb-flow-head"/></marker></defs>']
    cx = X + BOX_W / 2
    for i, (s, (by, bh, lines)) in enumerate(zip(steps, boxes)):
        dashed = ' stroke-dasharray="6 4"' if s.markets else ""
        kind = "kb-flow-decision" if s.branches else "kb-flow-step"
        out.append(f'<a href="#step-{escape(s.id)}"><rect class="{kind}" x="{X}" y="{by}" width="{BOX_W}" '
                   f'height="{bh}" rx="8"{dashed}/>')
        for n, line in enumerate(lines):
            out.append(f'<text class="kb-flow-text" x="{X + PAD}" y="{by + PAD + LINE_H * (n + 1) - 4}">'
                       f"{escape(line)}</text>")
        if s.markets:
            out.append(f'<text class="kb-flow-note" x="{X + PAD}" y="{by + PAD + LINE_H * (len(lines) + 1) - 4}">'
                       f"only {escape(s.markets)}</text>")
        out.append("</a>")
        # the order arrow (falls through to the next step, or to the end)
        ny = boxes[i + 1][0] if i + 1 < len(steps) else end_y
        conds_to_next = [c for c, nxt in s.branches if nxt is None or index.get(nxt) == i + 1]
        if not s.branches or conds_to_next:
            out.append(f'<line class="kb-flow-edge" x1="{cx}" y1="{by + bh}" x2="{cx}" y2="{ny - 2}" '
                       'marker-end="url(#kb-arrow)"/>')
            if s.branches:
                label = _short(conds_to_next[0], 34) + (" …" if len(conds_to_next) > 1 else "")
                out.append(f'<text class="kb-flow-label" x="{cx + 8}" y="{by + bh + GAP / 2 + 4}">'
                           f"{escape(label)}</text>")
    label_x = X + BOX_W + 24 + lanes * LANE_GAP
    per_source: dict[int, int] = {}
    for lane, (src, dst, label) in enumerate(jumps):
        k = per_source.get(src, 0)
        per_source[src] = k + 1
        sy = boxes[src][0] + 12 + k * 8
        dy = boxes[dst][0] + min(18, boxes[dst][1] / 2) + (lane % 3) * 4
        lx = X + BOX_W + 24 + lane * LANE_GAP
        out.append(f'<path class="kb-flow-edge kb-flow-jump" d="M{X + BOX_W},{sy} H{lx} V{dy} H{X + BOX_W + 2}" '
                   'fill="none" marker-end="url(#kb-arrow)"/>')
        out.append(f'<text class="kb-flow-label" x="{label_x}" y="{boxes[src][0] + 14 + k * 14}">'
                   f"→ step {dst + 1}: {escape(label)}</text>")
    out.append(f'<rect class="kb-flow-end" x="{cx - 40}" y="{end_y}" width="80" height="26" rx="13"/>'
               f'<text class="kb-flow-text" x="{cx}" y="{end_y + 18}" text-anchor="middle">Done</text>')
    out.append("</svg>")
    return "".join(out)
