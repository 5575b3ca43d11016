"""The only orchestrator: every command runs its stages from here.

    load -> check -> render -> build sites -> index -> swap into place

`check` is `kb check`, `build` is `kb build` (and each rebuild of `kb serve`), `internal_site` is
what the MkDocs plugin adds to `mkdocs build`, `update_index` / `current_index` are `kb index` and
`kb search`. The entry points (cli.py, serve.py, mkdocs_plugin.py) call these and nothing below
them; the stages (loading/, checks/, render/, sites/, search/) never call back up here.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kb_builder.checks import coverage, run_checks
from kb_builder.checks.gitdiff import add_source_diffs
from kb_builder.checks.report import Report
from kb_builder.checks.report_cache import cached_report, report_key, store_report
from kb_builder.errors import ContentError, Problem, UsageError
from kb_builder.layout import require_content
from kb_builder.loading.cache import gc_paused
from kb_builder.loading.loader import LoadResult, load, shown_path
from kb_builder.model import Catalog
from kb_builder.runtime import build_record, environment
from kb_builder.runtime.environment import require
from kb_builder.runtime.memory import release_freed
from kb_builder.runtime.staging import OutputBusy, Staging

if TYPE_CHECKING:
    from kb_builder.search.indexer import IndexReport
    from kb_builder.search.query import SearchIndex


@dataclass
class BuildResult:
    """What a build produced and what it noticed."""

    out: Path
    internal_index: Path | None = None
    public_index: Path | None = None
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    catalog: Catalog | None = None  # what was built (kb serve learns the help centers' answers from it)
    unchanged: bool = False  # every input equals what the output was built from: nothing was done


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


def load_content(content: Path, later: list | None = None) -> LoadResult:
    """Load with the cycle collector paused, then freeze what was loaded.

    A large catalog is millions of small, acyclic, long-lived objects: left to the collector, each
    full collection walks all of them again (about a second per pass on 6,000 entries). Frozen,
    they are skipped by collections and still freed by reference counting when dropped.
    """
    with gc_paused():
        result = load(content) if later is None else load(content, later=later)
        gc.freeze()
    return result


def load_catalog(content: Path) -> Catalog:
    """The catalog of a content folder that loads without errors (ContentError otherwise), for
    commands that edit or export entries (`kb translations ...`)."""
    result = load(require_content(content, need_kb_yaml=False))
    if not result.ok:
        raise ContentError(result.problems)
    return result.catalog


def check(content: Path, today: dt.date | None = None, diffs: bool = False, later: list | None = None) -> Report:
    """`kb check`: the loader's problems plus every check's findings, with coverage.

    When kb.yaml itself is unusable there is no catalog: the report holds the loader's problems
    only. An unchanged folder gets the report of the previous run (see checks/report_cache.py).
    When `later` is a list, writing the caches for the next run is appended to it instead of
    done here: the caller runs it once the report is printed (see `write_caches_later`).
    """
    content = require_content(content, need_kb_yaml=False)  # a missing kb.yaml is a positioned finding
    today = today or dt.date.today()
    key = None if diffs else report_key(content, today)
    report = cached_report(key)
    if report is not None:
        return report
    result = load_content(content, later)
    report = Report(content=shown_path(content), today=today, problems=list(result.problems))
    catalog = result.catalog
    if catalog is not None:
        report.problems += run_checks(catalog, today)
        report.coverage = coverage(catalog)
        report.entries = len(catalog.entries()) + len(catalog.paths)
        if diffs:
            add_source_diffs(report, catalog, content)
    if later is None:
        store_report(key, report)
    else:
        later.append(lambda: store_report(key, report))
    return report


def write_caches_later(content: Path, later: list) -> None:
    """Run what `check(..., later=...)` left to do, in a process the command does not wait for."""
    from kb_builder.loading.cache import cache_folder, ensure_folder
    from kb_builder.runtime.detached import run_detached

    run_detached(later, cache_folder(content), ensure_folder)


def load_and_check(content: Path, today: dt.date | None = None) -> tuple[Catalog, list[Problem]]:
    """Load the content and run every check; raise ContentError when anything is an error."""
    content = require_content(content, need_kb_yaml=False)
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
    parts swapped into place, all together (runtime/staging.py), so a failed build leaves the
    previous output untouched. One build per output folder at a time. When every input equals
    what the output was built from (runtime/build_record.py), nothing is done at all.
    """
    content = require_content(content, need_kb_yaml=False)  # before any progress line
    today = today or dt.date.today()
    out = Path(out).resolve()  # MkDocs reads relative paths against its config file, not the cwd
    key = build_record.build_key(content, out, audience, today, extra=_feedback_state(out, audience))
    done = build_record.unchanged(out, key) if incremental else None  # --clean builds (and records) anyway
    if done is not None:
        if progress:
            print(f"nothing changed since the last build of {out}: the output is left as it is",
                  file=sys.stderr, flush=True)
        return _finished(BuildResult(out=out, warnings=done.warnings, unchanged=True), [])
    # After the record: a build with nothing to do imports no engine (0.15 s on every no-op
    # rebuild, jieba alone 0.08 s), and the record vouches for the installation it was built
    # with, as the key covers every installed distribution (removing one makes a rebuild).
    require(*_stages_needed(audience))
    from kb_builder.sites.engine import MkDocsSite, build_site
    from kb_builder.sites.search_sections import INTERNAL_TEXT_BUDGET

    prog = Progress(progress)
    from kb_builder.render import conversions, text

    with prog.stage("load+check"):
        catalog, problems = load_and_check(content, today)
        text.start_build()
        if incremental:
            conversions.load(content)
    date = build_date(catalog)
    result = BuildResult(out=out, warnings=[p for p in problems if p.severity == "warning"], catalog=catalog)
    parts: list[str] = []
    cached_pages = 0
    with Staging(out) as stage:
        if audience in ("internal", "all"):
            with prog.stage("render internal"):
                site = internal_site(catalog, problems, today, out, page_cache=incremental)
                cached_pages = site.cached
                if prog.enabled:
                    print(f"  {len(site.pages) - site.cached} of {len(site.pages)} pages rendered "
                          "(the others unchanged, from the page cache)", file=sys.stderr, flush=True)
            with prog.stage("mkdocs internal"):
                plan = MkDocsSite(name=catalog.settings.name, language=catalog.settings.source_language,
                                  pages=site.pages, nav=site.nav, search_languages=catalog.settings.languages,
                                  audience="internal", prune_navigation=len(site.pages) > 400,
                                  build_date=date, theme_overrides=_theme_overrides(content),
                                  search_unicode=True, search_text_budget=INTERNAL_TEXT_BUDGET,
                                  hand_over_pages=True)
                built = build_site(plan, stage.part("internal"), previous=out / "internal" if incremental else None)
                if prog.enabled:
                    print(f"  internal site: {built.summary()}", file=sys.stderr, flush=True)
                del site, plan  # hundreds of MB on a big KB, not needed by the parts still to come
                release_freed()  # and handed back to the system, not carried by the next stages
            parts.append("internal")
        if audience in ("public", "all"):
            with prog.stage("public help centers"):
                _build_public(catalog, stage.part("public"), date, prog.enabled,
                              out / "public" if incremental else None)
                parts.append("public")
        if audience in ("internal", "all"):
            with prog.stage("search index"):
                _build_index(catalog, out / "search", stage.part("search"))
                parts.append("search")
        stage.commit(parts)  # every part at once, or none
        if "internal" in parts:  # the internal site renders every text; the public one a subset
            conversions.save(content, keep=cached_pages > 0)
        build_record.remember(out, key, parts, result.warnings)  # under the lock, after the swap
    result.timings = prog.timings
    return _finished(result, parts)


def _finished(result: BuildResult, parts: list[str]) -> BuildResult:
    """The result with the entry pages of the sites that the output holds."""
    out = result.out
    if "internal" in parts or (out / "internal" / "index.html").exists():
        result.internal_index = (out / "internal" / "index.html").resolve()
    if (out / "public" / "index.html").exists():
        result.public_index = (out / "public" / "index.html").resolve()
    return result


def _feedback_state(out: Path, audience: str) -> str:
    """The feedback database's state, an input of the internal health page (kb_builder/feedback)."""
    if audience == "public":
        return ""
    from kb_builder.feedback.store import database_state

    return database_state(out)


def _stages_needed(audience: str) -> list:
    """The dependency groups of the stages a build of this audience runs."""
    groups = [environment.SITES]
    if audience in ("public", "all"):
        groups.append(environment.PUBLIC)
    if audience in ("internal", "all"):
        groups.append(environment.SEARCH)
    return groups


def _theme_overrides(content: Path) -> str | None:
    from kb_builder.theme import project_dir

    folder = project_dir(content)
    return str(folder) if folder else None


def internal_site(catalog: Catalog, problems: list[Problem], today: dt.date, out: Path | None = None,
                  page_cache: bool | None = None):
    """The internal site's pages and navigation (render.internal.SiteContent), health page included;
    with `out`, the health page also sums up the feedback database there (kb serve's). `page_cache`:
    True takes unchanged pages from the page cache, False renders all and stores them, None leaves
    the cache alone (render/page_cache.py)."""
    from kb_builder.feedback.report import health_feedback
    from kb_builder.render.health import health_markdown
    from kb_builder.render.internal import InternalSite

    feedback = health_feedback(out) if out is not None else None
    health = health_markdown(catalog, problems, coverage(catalog), feedback)
    return InternalSite(catalog, problems, today).build(health, cache=page_cache)


def _build_public(catalog: Catalog, target: Path, date: int,
                  progress: bool = False, previous: Path | None = None) -> None:
    from kb_builder.sites.public import build_public

    build_public(catalog, target, build_date=date, previous=previous,
                 progress=(lambda line: print(f"  {line}", file=sys.stderr, flush=True)) if progress else None)


def _build_index(catalog: Catalog, existing: Path, staging: Path) -> None:
    """Update the index incrementally: the current one is copied to staging (its segments
    linked) and updated there."""
    from kb_builder.search import build_index

    build_index(catalog, staging, previous=existing if existing.is_dir() else None)


Say = Callable[[str], None]


def update_index(content: Path, out: Path, say: Say | None = None) -> IndexReport:
    """`kb index`: build or update OUT/search from the content folder (ContentError when it has errors)."""
    require(environment.SEARCH)
    from kb_builder.search.indexer import build_index
    from kb_builder.search.manifest import content_stamp, read_manifest

    content = require_content(content)
    stamp = content_stamp(content)  # before loading: an edit made meanwhile is seen next time
    result = load(content)
    if not result.ok:
        raise ContentError(result.problems)
    folder = Path(out) / "search"
    with Staging.lock_only(Path(out)):
        manifest = read_manifest(folder)
        audience = manifest.audience if manifest is not None and manifest.compatible() else "all"
        return build_index(result.catalog, folder, audience=audience, stamp=stamp, progress=say)


def current_index(content: Path, out: Path, say: Say) -> SearchIndex:
    """`kb search`: the index in OUT/search, first rebuilt or updated when it is missing or older
    than the content. When the content has errors, the last good index is searched (and that is said)."""
    require(environment.SEARCH)
    from kb_builder.search.manifest import content_stamp, read_manifest
    from kb_builder.search.query import SearchIndex

    from kb_builder.search.indexer import damaged_languages

    folder = Path(out) / "search"
    manifest = read_manifest(folder)
    usable = manifest is not None and manifest.compatible()
    damaged = usable and bool(damaged_languages(folder, manifest))
    usable = usable and not damaged
    if (Path(content) / "kb.yaml").is_file():
        stamp = content_stamp(content)
        if not usable or manifest.content_stamp != stamp:
            why = "older than the content" if usable else "damaged" if damaged else (
                "from another version of kb" if manifest is not None else "missing")
            say(f"search index in {folder} is {why}; updating it from {content} ...")
            try:
                report = update_index(content, out, say=None)
            except ContentError as exc:
                if not usable:
                    raise
                n = sum(p.severity == "error" for p in exc.problems)
                say(f"the content has {n} error(s) (run 'kb check'); searching the index built before them")
            except OutputBusy:
                if not usable:
                    raise
                say("a build is writing this output folder; searching the index it has now")
            else:
                say(report.summary())
    elif not usable:
        what = f"the search index in {folder} is damaged" if damaged else f"no search index in {folder}"
        raise UsageError(f"{what} and no content folder '{content}' to build one from; "
                         f"run 'kb build' or 'kb index', or pass --out/--content")
    return SearchIndex(folder)
