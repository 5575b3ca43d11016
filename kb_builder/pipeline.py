"""The build, top to bottom: load -> check -> render -> build sites -> index -> swap into place."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.checks import run_checks
from kb_builder.errors import ContentError, Problem, UsageError
from kb_builder.loading.loader import load
from kb_builder.model import Catalog
from kb_builder.runtime import environment
from kb_builder.runtime.environment import require


@dataclass
class BuildResult:
    """What a build produced and what it noticed."""

    out: Path
    internal_index: Path | None = None
    public_index: Path | None = None
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class Progress:
    """Stage timings printed to stderr (`stage NAME: 1.23 s`), so long builds show where they are."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.timings: dict[str, float] = {}

    def stage(self, name: str):
        progress = self

        class _Stage:
            def __enter__(self):
                self.t0 = time.perf_counter()
                if progress.enabled:
                    print(f"{name} ...", file=sys.stderr, flush=True)

            def __exit__(self, *exc):
                took = time.perf_counter() - self.t0
                progress.timings[name] = took
                if progress.enabled and exc[0] is None:
                    print(f"stage {name}: {took:.2f} s (peak memory {_peak_mib()} MiB)", file=sys.stderr, flush=True)

        return _Stage()


def _peak_mib() -> int:
    """This process's peak resident memory so far, in MiB (workers are not counted)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // (1024 * 1024) if sys.platform == "darwin" else peak // 1024  # bytes on macOS, KiB elsewhere


def load_and_check(content: Path, today: dt.date | None = None) -> tuple[Catalog, list[Problem]]:
    """Load the content and run every check; raise ContentError when anything is an error."""
    content = Path(content)
    if not content.is_dir():
        raise UsageError(f"content folder '{content}' does not exist; pass --content DIR")
    result = load(content)
    problems = list(result.problems)
    if result.catalog is not None and result.ok:
        problems += run_checks(result.catalog, today)
    if result.catalog is None or any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    return result.catalog, problems


def build_date(catalog: Catalog) -> int:
    """A build date derived from the content (the newest review date), for reproducible output."""
    dates = [e.reviewed for e in catalog.entries() if e.reviewed]
    newest = max(dates) if dates else dt.date(2020, 1, 1)
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc).timestamp())


def build(content: Path, out: Path, audience: str = "all", today: dt.date | None = None,
          progress: bool = True, incremental: bool = True) -> BuildResult:
    """Validate, then build the requested sites and the search index into `out`.

    Everything is written to a staging folder first; only when every part succeeded are the
    parts swapped into place, so a failed build leaves the previous output untouched.
    """
    require(*_stages_needed(audience))
    from kb_builder.render.internal import InternalSite
    from kb_builder.sites.engine import SitePlan, build_site, swap_into_place

    today = today or dt.date.today()
    prog = Progress(progress)
    from kb_builder.render import conversions

    with prog.stage("load+check"):
        catalog, problems = load_and_check(content, today)
        if incremental:
            conversions.load(content)
    date = build_date(catalog)
    out = Path(out).resolve()  # MkDocs reads relative paths against its config file, not the cwd
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".staging-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    result = BuildResult(out=out, warnings=[p for p in problems if p.severity == "warning"])
    parts: list[str] = []
    try:
        if audience in ("internal", "all"):
            with prog.stage("render internal"):
                site = InternalSite(catalog, problems, today).build(_health(catalog, problems, today))
            with prog.stage("mkdocs internal"):
                plan = SitePlan(name=catalog.settings.name, language=catalog.settings.source_language,
                                pages=site.pages, nav=site.nav, search_languages=catalog.settings.languages,
                                audience="internal", prune_navigation=len(site.pages) > 400, fast_search=True,
                                build_date=date)
                built = build_site(plan, staging / "internal", previous=out / "internal" if incremental else None)
                if prog.enabled:
                    print(f"  internal site: {built.summary()}", file=sys.stderr, flush=True)
                del site, plan  # hundreds of MB on a big KB, not needed by the parts still to come
                gc.collect()
            parts.append("internal")
        if audience in ("public", "all"):
            with prog.stage("public help centers"):
                _build_public(catalog, staging / "public", today, date, prog.enabled,
                              out / "public" if incremental else None)
                parts.append("public")
        if audience in ("internal", "all"):
            with prog.stage("search index"):
                _build_index(catalog, out / "search", staging / "search")
                parts.append("search")
        for part in parts:
            swap_into_place(staging / part, out / part)
        if "internal" in parts:  # the internal site renders every text; the public one a subset
            conversions.save(content)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.timings = prog.timings
    if "internal" in parts or (out / "internal" / "index.html").exists():
        result.internal_index = (out / "internal" / "index.html").resolve()
    if (out / "public" / "index.html").exists():
        result.public_index = (out / "public" / "index.html").resolve()
    return result


def _stages_needed(audience: str) -> list:
    """The dependency groups of the stages a build of this audience runs."""
    groups = [environment.SITES]
    if audience in ("public", "all"):
        groups.append(environment.PUBLIC)
    if audience in ("internal", "all"):
        groups.append(environment.SEARCH)
    return groups


def _health(catalog: Catalog, problems: list[Problem], today: dt.date) -> str:
    from kb_builder.checks import coverage
    from kb_builder.render.health import health_markdown

    return health_markdown(catalog, problems, coverage(catalog))


def _build_public(catalog: Catalog, target: Path, today: dt.date, date: int,
                  progress: bool = False, previous: Path | None = None) -> None:
    from kb_builder.sites.public import build_public

    build_public(catalog, target, today=today, build_date=date, previous=previous,
                 progress=(lambda line: print(f"  {line}", file=sys.stderr, flush=True)) if progress else None)


def _build_index(catalog: Catalog, existing: Path, staging: Path) -> None:
    """Update the index incrementally: copy the current one to staging, update it there."""
    from kb_builder.search import build_index

    if existing.is_dir():
        shutil.copytree(existing, staging)
    build_index(catalog, staging)
