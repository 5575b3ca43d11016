"""How `kb search` prints hits: for people, or as JSON for tools."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import click

from kb_builder.search.query import SearchResults


def as_json(results: SearchResults) -> str:
    """Stable JSON for other tools."""
    return json.dumps(results.to_dict(), ensure_ascii=False, indent=2)


def as_text(results: SearchResults, site: Path) -> str:
    """Numbered hits: title, kind, id, language and markets; the snippet; where the page is."""
    if not results.hits:
        return f"no results for '{results.query}' (searched: {', '.join(results.languages)})"
    lines = []
    if results.corrections:
        fixed = ", ".join(f"{a} -> {b}" for a, b in results.corrections.items())
        lines.append(click.style(f"also searched for: {fixed}", dim=True))
    width = len(str(len(results.hits)))
    for i, hit in enumerate(results.hits, 1):
        markets = "all markets" if hit.markets == ["all"] else ", ".join(hit.markets)
        meta = f"{hit.kind}:{hit.id} · {hit.lang} · {markets}"
        if hit.audience == "internal":
            meta += " · internal"
        if hit.draft:
            meta += " · DRAFT"
        lines.append(f"{i:>{width}}. {click.style(hit.title, bold=True)}  {click.style(meta, dim=True)}")
        if hit.snippet:
            lines.append(" " * (width + 2) + _terminal(hit.snippet))
        lines.append(" " * (width + 2) + click.style(str(site / hit.url), fg="cyan"))
    return "\n".join(lines)


def _terminal(snippet: str) -> str:
    parts = re.split(r"<mark>(.*?)</mark>", snippet)
    return "".join(click.style(html.unescape(p), bold=True, fg="yellow") if i % 2 else html.unescape(p)
                   for i, p in enumerate(parts))
