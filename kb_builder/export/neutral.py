"""`kb export json`: our own neutral format for other tools (documented in docs/export.md).

One file, `kb-export.json`: every reply variant (template x market x language) and every public
article variant with its stable key; ticket placeholders stay `{name}` unless kb.yaml maps them
under `export: json: placeholders:`.
"""

from __future__ import annotations

from dataclasses import asdict

from .resources import FORMAT, Export, Resource
from .selection import Selection

CHANNELS = None  # every channel


def build(sel: Selection) -> Export:
    """The neutral export: one resource holding everything."""
    data = {
        "format": FORMAT,
        "name": sel.name,
        "source_language": sel.source_language,
        "markets": [m.code for m in sel.markets],
        "replies": [{"key": r.key, "name": r.name, **asdict(r)} for r in sel.replies],
        "articles": [{"key": f"kb-faq-{a.faq}-{a.market.lower()}-{a.lang.lower()}", **asdict(a)}
                     for a in sel.articles],
    }
    return Export("json", [Resource("export", "kb-export", "kb-export.json", sel.name, data)],
                  skipped=sel.skipped)
