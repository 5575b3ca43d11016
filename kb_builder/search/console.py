"""What `kb index` and `kb search` do, apart from option parsing: keep the index current with
the content, and print hits for people or as JSON."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Callable

import click

from kb_builder.errors import ContentError, UsageError
from kb_builder.search.indexer import IndexReport, build_index
from kb_builder.search.manifest import content_stamp, read_manifest
from kb_builder.search.query import SearchIndex, SearchResults

Say = Callable[[str], None]


def update_index(content: Path, out: Path, say: Say | None = None) -> IndexReport:
    """Build or update `OUT/search` from the content folder (ContentError when it has errors)."""
    from kb_builder.loading.loader import load

    if not (Path(content) / "kb.yaml").is_file():
        raise UsageError(f"no kb.yaml in '{content}'; pass --content DIR (the folder that holds kb.yaml)")
    stamp = content_stamp(content)  # before loading: an edit made meanwhile is seen next time
    result = load(content)
    if not result.ok:
        raise ContentError(result.problems)
    folder = Path(out) / "search"
    manifest = read_manifest(folder)
    audience = manifest.audience if manifest is not None and manifest.compatible() else "all"
    return build_index(result.catalog, folder, audience=audience, stamp=stamp, progress=say)


def open_current(content: Path, out: Path, say: Say) -> SearchIndex:
    """The index in OUT/search, first rebuilt or updated when it is missing or older than the
    content. When the content has errors, the last good index is searched (and that is said)."""
    folder = Path(out) / "search"
    manifest = read_manifest(folder)
    usable = manifest is not None and manifest.compatible()
    if (Path(content) / "kb.yaml").is_file():
        stamp = content_stamp(content)
        if not usable or manifest.content_stamp != stamp:
            why = "older than the content" if usable else (
                "from another version of kb" if manifest is not None else "missing")
            say(f"search index in {folder} is {why}; updating it from {content} ...")
            try:
                report = update_index(content, out, say=None)
            except ContentError as exc:
                if not usable:
                    raise
                n = sum(p.severity == "error" for p in exc.problems)
                say(f"the content has {n} error(s) (run 'kb check'); searching the index built before them")
            else:
                say(report.summary())
    elif not usable:
        raise UsageError(f"no search index in {folder} and no content folder '{content}' to build one from; "
                         f"run 'kb build' or 'kb index', or pass --out/--content")
    return SearchIndex(folder)


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
        lines.append(f"{i:>{width}}. {click.style(hit.title, bold=True)}  {click.style(meta, dim=True)}")
        if hit.snippet:
            lines.append(" " * (width + 2) + _terminal(hit.snippet))
        lines.append(" " * (width + 2) + click.style(str(site / hit.url), fg="cyan"))
    return "\n".join(lines)


def _terminal(snippet: str) -> str:
    parts = re.split(r"<mark>(.*?)</mark>", snippet)
    return "".join(click.style(html.unescape(p), bold=True, fg="yellow") if i % 2 else html.unescape(p)
                   for i, p in enumerate(parts))
