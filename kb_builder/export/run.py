"""`kb export TARGET`: load and check the content, select, convert placeholders, write (and push)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from kb_builder.errors import ContentError

from . import freshdesk, gorgias, neutral, zendesk
from .placeholders import mapping_for, missing_mappings
from .resources import Export, write
from .selection import select

MODULES = {"zendesk": zendesk, "gorgias": gorgias, "freshdesk": freshdesk, "json": neutral}


@dataclass
class ExportRun:
    """What `kb export` did: the folder written and the export itself."""

    folder: Path
    export: Export


def build_export(catalog, target: str, markets: tuple[str, ...] = (), langs: tuple[str, ...] = ()) -> Export:
    """The export of a loaded, checked catalog for a target (nothing written)."""
    module = MODULES[target]
    settings = catalog.settings
    sel_channels = module.CHANNELS
    templates = [t for t in catalog.templates.values() if sel_channels is None or t.channel in sel_channels]
    problems = missing_mappings(settings, templates, target)
    if problems:
        raise ContentError(problems)
    sel = select(catalog, target, sel_channels, mapping_for(settings, target), markets, langs)
    options = settings.export.get(target) or {}
    if target == "zendesk":
        return zendesk.build(sel, options.get("locale_ids"), options.get("permission_group_id"))
    if target == "gorgias":
        return gorgias.build(sel, options.get("intents"))
    return module.build(sel)


def run_export(content: Path, target: str, out: Path, markets: tuple[str, ...] = (), langs: tuple[str, ...] = (),
               say: Callable[[str], None] = lambda line: None) -> ExportRun:
    """Load and check the content, export it for a target into OUT/<target>/."""
    from kb_builder.pipeline import load_and_check

    catalog, _ = load_and_check(Path(content))
    export = build_export(catalog, target, markets, langs)
    folder = write(export, Path(out))
    for line in export.skipped:
        say(f"left out {line}")
    return ExportRun(folder, export)


def summary(run: ExportRun) -> str:
    """`wrote OUT/zendesk: 2 macro, 4 dynamic_content_item, ...` in order of first appearance."""
    counts: dict[str, int] = {}
    for r in run.export.resources:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    parts = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    extra = "".join(f", {name}" for name in sorted(run.export.extra))
    return f"wrote {run.folder}: {parts}{extra}"
