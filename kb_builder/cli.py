"""The `kb` command. The only place where errors become messages and exit codes:
0 success, 1 content errors (or a failed build), 2 bad usage, 3 a broken installation or
environment (InstallationError)."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import click

from kb_builder.errors import ContentError, InstallationError, KbError, Problem, UsageError, shown_text


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(p.format(), err=True)
    n_err = sum(p.severity == "error" for p in problems)
    n_warn = len(problems) - n_err
    click.echo(f"{n_err} error(s), {n_warn} warning(s)", err=True)


def _content_option(f):
    return click.option("--content", "content", type=click.Path(path_type=Path), default=Path("content"),
                        show_default=True, help="The content folder (holds kb.yaml).")(f)


def _version_text() -> str:
    """`kb --version`: this package's version and the engine versions that shape every page."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    return (f"kb {v('kb-builder')} (MkDocs {v('mkdocs')}, Material for MkDocs {v('mkdocs-material')}, "
            f"Python {platform.python_version()})")


def _show_version(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_text())
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the versions of kb, MkDocs, Material and Python, and exit.")
def cli() -> None:
    """Build a support knowledge base, help centers and a search index from YAML content."""


@cli.command()
@_content_option
@click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
              help="Output folder: internal/, public/ and search/ are written inside.")
@click.option("--audience", type=click.Choice(["internal", "public", "all"]), default="all", show_default=True,
              help="Build only the internal site, only the public help centers, or both.")
@click.option("--today", help="Pin 'today' (YYYY-MM-DD) for overdue markers, for reproducible output.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.option("--clean", is_flag=True, help="Build every page again instead of only the changed ones.")
def build(content: Path, out: Path, audience: str, today: str | None, quiet: bool, clean: bool) -> None:
    """Validate the content, then build the sites and the search index."""
    from kb_builder.pipeline import build as run_build

    _out_folder(out)
    result = run_build(content, out, audience=audience, today=_date(today), progress=not quiet,
                       incremental=not clean)
    if result.warnings and not quiet:
        click.echo(f"{len(result.warnings)} warning(s); run 'kb check' to see them.", err=True)
    click.echo(f"Internal site: {result.internal_index}" if result.internal_index else "Internal site: not built")
    if result.public_index:
        click.echo(f"Public help centers: {result.public_index}")
    if not quiet and (result.internal_index or result.public_index):
        click.echo(view_hint(out, internal=bool(result.internal_index), public=bool(result.public_index)))


def view_hint(out: Path, internal: bool = True, public: bool = True) -> str:
    """How to look at a built site in a browser. Its pages link to folders (`sops/`), which a
    browser opens from the disk as file listings, and the browser search needs http."""
    urls = " and ".join(u for u, on in (("http://127.0.0.1:8000/internal/", internal),
                                          ("http://127.0.0.1:8000/public/", public)) if on)
    return (f"To browse it: python3 -m http.server --directory {shlex.quote(str(out))} 8000, then open {urls} "
            "(opened from the disk, its links show folder listings and search does not start)")


def _out_folder(out: Path, option: str = "--out") -> None:
    """A UsageError when the output folder named is a file (or lies under one)."""
    for folder in (out, *out.parents):
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise UsageError(f"{option} '{out}': '{folder}' is a file, not a folder; pass a folder to write into")
            return


def _date(value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today '{value}' is not a date; write it as YYYY-MM-DD") from None


# --- kb translations -------------------------------------------------------------------------

@cli.group()
def translations() -> None:
    """Fingerprints and translation status."""


def _load_or_fail(content: Path):
    from kb_builder.pipeline import load_catalog

    return load_catalog(content)


def _find(catalog, ref: str):
    entry = catalog.lookup(ref) if ":" in ref else None
    if entry is None and ":" not in ref:  # a bare id or a file path
        stem = Path(ref).stem
        matches = [e for e in catalog.entries() if e.id == stem]
        if len(matches) == 1:
            entry = matches[0]
        elif len(matches) > 1:
            raise UsageError(f"'{ref}' is ambiguous; write it as " + " or ".join(m.ref for m in matches))
    if entry is None or not hasattr(entry, "translations"):
        raise UsageError(f"no SOP, FAQ entry or template '{ref}'; write it as kind:id, e.g. faq:where-is-my-order")
    return entry


@translations.command("fingerprint")
@_content_option
@click.argument("refs", nargs=-1)
def fingerprint_cmd(content: Path, refs: tuple[str, ...]) -> None:
    """Print the source fingerprint of entries (all entries when none is named)."""
    catalog = _load_or_fail(content)
    entries = [_find(catalog, r) for r in refs] if refs else catalog.entries()
    for e in entries:
        click.echo(f"{e.fingerprint()}  {e.ref}" if not refs or len(refs) > 1 else e.fingerprint())


@translations.command("mark-current")
@_content_option
@click.argument("refs", nargs=-1)
@click.option("--lang", "langs", multiple=True, help="Only these languages (repeatable).")
@click.option("--all", "all_", is_flag=True, help="Every translation of every entry.")
def mark_current_cmd(content: Path, refs: tuple[str, ...], langs: tuple[str, ...], all_: bool) -> None:
    """Record that translations match the current source: rewrite only their `from:` lines.

    Name entries (kind:id), languages (--lang), or --all.
    """
    from kb_builder.fingerprints import Edit, apply_edits

    if not refs and not langs and not all_:
        raise UsageError("name an entry (e.g. faq:where-is-my-order), a language (--lang de), or --all")
    catalog = _load_or_fail(content)
    for lang in langs:
        if lang not in catalog.settings.languages:
            raise UsageError(f"--lang {lang}: not a language of this KB ({', '.join(catalog.settings.languages)})")
    entries = [_find(catalog, r) for r in refs] if refs else catalog.entries()
    edits = [Edit(e, lang, e.fingerprint()) for e in entries for lang in e.translations
             if not langs or lang in langs]
    changed = apply_edits(edits)
    for f in changed:
        click.echo(f"updated {f}")
    click.echo(f"{len(changed)} file(s) updated" if changed else "all named translations were already current")


# --- kb init ---------------------------------------------------------------------------------

def _codes(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@cli.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--source-language", default="en", show_default=True, help="The language content is written in.")
@click.option("--languages", help="Every language of the KB, comma-separated [default: the source language].")
@click.option("--markets", help="Market (country) codes, comma-separated, e.g. DE,US [default: US].")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (files of the same name are replaced).")
def init_cmd(folder: Path, source_language: str, languages: str | None, markets: str | None, force: bool) -> None:
    """Start a new knowledge base in FOLDER: content, schemas, .gitignore, pre-commit, CI workflow, README."""
    from kb_builder.starter import init_project

    written = init_project(folder, source_language, _codes(languages), _codes(markets), force=force)
    click.echo(f"created {len(written)} files in {folder}")
    click.echo(f"next: cd {folder} && kb check && kb build && kb serve")


@translations.command("export")
@_content_option
@click.option("--lang", required=True, help="The language to translate into.")
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default="xliff", show_default=True)
@click.option("--only", default="untranslated,stale", show_default=True,
              help="Which units: 'all', or a comma-separated list of untranslated, stale, translated.")
@click.option("--market", help="Only entries that apply to this market.")
@click.option("--kind", type=click.Choice(["sop", "faq", "template"]), help="Only this kind of entry.")
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file [default: standard output].")
def translations_export_cmd(content: Path, lang: str, fmt: str, only: str, market: str | None, kind: str | None,
                            out: Path | None) -> None:
    """Export translatable fields for translators: XLIFF 1.2 or PO, one unit per field."""
    from kb_builder.translation_exchange.export import export_units, parse_only, render
    from kb_builder.translation_exchange.units import Selection

    states = parse_only(only)
    catalog = _load_or_fail(content)
    units = export_units(catalog, content, Selection(lang, states, market, kind))
    text = render(units, catalog, lang, fmt)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(units)} unit(s) to {out}", err=True)


@translations.command("import")
@_content_option
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--check", "check_only", is_flag=True, help="Say what would change; write nothing.")
def translations_import_cmd(content: Path, file: Path, check_only: bool) -> None:
    """Write the translations of an XLIFF or PO file into the YAML files, keeping every other byte."""
    from kb_builder.translation_exchange.importer import import_translations

    catalog = _load_or_fail(content)
    report = import_translations(catalog, file, check=check_only)
    for line in report.lines(check_only):
        click.echo(line)


# --- kb new ----------------------------------------------------------------------------------

@cli.command("new")
@_content_option
@click.argument("kind", type=click.Choice(["sop", "faq", "template", "market", "path"]))
@click.argument("ident")
def new_cmd(content: Path, kind: str, ident: str) -> None:
    """Write a valid skeleton file for a new entry (or market) to start from."""
    from kb_builder.skeletons import write_skeleton

    path = write_skeleton(content, kind, ident)
    click.echo(f"created {path}")


# --- kb serve --------------------------------------------------------------------------------

@cli.command()
@_content_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="An origin (e.g. https://acme.zendesk.com) whose pages may read /api/search; repeatable.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A host name besides localhost and --host under which the server may be reached; repeatable.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Build into this folder; the feedback database is OUT/.kb-feedback.sqlite3 "
                   "[default: a folder per content folder under the system's temp folder].")
def serve(content: Path, host: str, port: int, allow_origins: tuple[str, ...], allow_hosts: tuple[str, ...],
          out: Path | None) -> None:
    """Live preview of the internal site: rebuilds when content changes. Also takes the help
    centers' feedback (POST /api/feedback) and records searches that found nothing."""
    from kb_builder.serve import serve as run_serve

    if out is not None:
        _out_folder(out)
    run_serve(content, host, port, out=out, allowed_origins=allow_origins, allowed_hosts=allow_hosts)


# [commands added by other modules go below this line]


# --- kb export (kb_builder.export) ------------------------------------------------------------

@cli.command("export")
@click.argument("target", type=click.Choice(["zendesk", "gorgias", "freshdesk", "json"]))
@_content_option
@click.option("--out", type=click.Path(path_type=Path), default=Path("export"), show_default=True,
              help="Folder for the files; they are written to OUT/<target>/.")
@click.option("--market", "markets", multiple=True, help="Only this market (repeatable) [default: all].")
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable) [default: all].")
@click.option("--push", is_flag=True, help="Also send the payloads to the helpdesk API (see docs/export.md).")
@click.option("--dry-run", is_flag=True, help="With --push: print what would be created or updated, send nothing.")
def export_cmd(target: str, content: Path, out: Path, markets: tuple[str, ...], langs: tuple[str, ...],
               push: bool, dry_run: bool) -> None:
    """Write reply templates as helpdesk macros and public FAQ entries as articles (and push them)."""
    from kb_builder.export.run import run_export, summary

    if dry_run and not push:
        raise UsageError("--dry-run goes with --push")
    result = run_export(content, target, out, markets, langs, say=lambda line: click.echo(line, err=True))
    click.echo(summary(result))
    if push:
        from kb_builder.export.push import push_export

        push_export(result.export, dry_run=dry_run, say=click.echo)


# --- kb index, kb search (kb_builder.search) ----------------------------------------------------

def _out_option(f):
    return click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
                        help="Output folder of 'kb build'; the index is OUT/search.")(f)


@cli.command("index")
@_content_option
@_out_option
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary.")
def index_cmd(content: Path, out: Path, quiet: bool) -> None:
    """Build the search index (OUT/search), or update only what changed since the last time."""
    from kb_builder.pipeline import update_index

    report = update_index(content, out, say=None if quiet else lambda m: click.echo(m, err=True))
    click.echo(report.summary())


@cli.command("search")
@click.argument("query", nargs=-1, required=True)
@_content_option
@_out_option
@click.option("--market", help="Only entries that apply to this market (its values are filled in).")
@click.option("--lang", help="Search this language only [default: every language written like the query].")
@click.option("--kind", type=click.Choice(["sop", "faq", "template", "market"]), help="Only this kind of entry (market: a market's notes and values).")
@click.option("--public", is_flag=True, help="Only public entries (what customers may see).")
@click.option("--json", "as_json", is_flag=True, help="JSON for other tools.")
@click.option("-n", "limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Number of results.")
def search_cmd(query: tuple[str, ...], content: Path, out: Path, market: str | None, lang: str | None,
               kind: str | None, public: bool, as_json: bool, limit: int) -> None:
    """Search SOPs, FAQ entries and templates; rebuilds the index first when the content is newer."""
    from kb_builder.pipeline import current_index
    from kb_builder.search import console

    index = current_index(content, out, say=lambda m: click.echo(m, err=True))
    results = index.search(" ".join(query), market=market, lang=lang, kind=kind, public=public, n=limit)
    click.echo(console.as_json(results) if as_json else console.as_text(results, out / "internal"))


# --- kb check, kb schema, kb translations status (kb_builder.checks) ---------------------------

@cli.command("check")
@_content_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools (see docs/checks.md), github for workflow annotations.")
@click.option("--today", help="Pin 'today' (YYYY-MM-DD) for review dates, for reproducible runs.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--diff", "diffs", is_flag=True,
              help="Under each stale translation, show what changed in the source (needs git).")
def check_cmd(content: Path, fmt: str, today: str | None, strict: bool, diffs: bool) -> None:
    """Report untranslated, stale and overdue content and every broken reference; exit 1 on errors."""
    from kb_builder.checks.report import FORMATTERS
    from kb_builder.checks.verdict import verdict
    from kb_builder.pipeline import check, write_caches_later

    global _END_WITHOUT_TEARDOWN
    _END_WITHOUT_TEARDOWN = True
    later: list = []
    report = check(content, _date(today), diffs=diffs, later=later)
    if _CONSOLE:
        _KEPT.extend((report, later))  # the loaded entries, held by the cache writer in `later`
    click.echo(FORMATTERS[fmt](report), nl=False)
    write_caches_later(content, later)  # for the next run only: the report is out already
    verdict(report, strict)


@cli.command("schema")
@_content_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the schema files [default: schemas/ beside the content folder].")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when a schema file is outdated.")
def schema_cmd(content: Path, out: Path | None, check_only: bool) -> None:
    """Write JSON Schemas for every content file kind (and for `kb check --format json`)."""
    from kb_builder.schema_files import default_folder, outdated_schemas, write_schemas

    folder = out or default_folder(content)
    _out_folder(folder)
    if check_only:
        stale = outdated_schemas(folder)
        for path in stale:
            click.echo(f"outdated: {path}")
        if stale:
            raise KbError(f"{len(stale)} schema file(s) differ; run 'kb schema' to rewrite them")
        click.echo(f"schemas in {folder} are up to date")
        return
    for path in write_schemas(folder):
        click.echo(f"wrote {path}")
    click.echo(f"schemas are in {folder}")


@translations.command("status")
@_content_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
def translations_status_cmd(content: Path, fmt: str, as_json: bool) -> None:
    """Translation coverage as a market x language grid, then the untranslated and stale entries per language."""
    from kb_builder.checks.status import translation_status

    text, errors = translation_status(content, "json" if as_json else fmt)
    click.echo(text, nl=False)
    if errors:
        click.echo(f"note: the content has {errors} error(s); run 'kb check' to see them", err=True)


# --- kb report (kb_builder.feedback) -----------------------------------------------------------

@cli.group("report")
def report() -> None:
    """What customers told the help centers, from the feedback database kb serve keeps."""


def _feedback_store(out: Path, db: Path | None):
    from kb_builder.feedback.store import FeedbackMissing, FeedbackStore, database_path

    if db is not None and not db.is_file():
        raise FeedbackMissing(f"no feedback database at {db}: the production search API writes it where "
                              "KB_FEEDBACK_DB points (see docs/search.md)")
    return FeedbackStore(db if db is not None else database_path(out), create=False)


def _since(value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise KbError(f"--since '{value}' is not a date; write it as YYYY-MM-DD") from None


def _report_options(f):
    f = click.option("--json", "as_json", is_flag=True, help="JSON for other tools.")(f)
    f = click.option("--since", help="Only what was recorded from this day on (YYYY-MM-DD, UTC).")(f)
    f = click.option("--db", type=click.Path(path_type=Path), default=None,
                     help="The database file itself, instead of OUT's (the production search API's KB_FEEDBACK_DB).")(f)
    return click.option("--out", type=click.Path(path_type=Path), default=Path("site"), show_default=True,
                        help="The output folder kb serve built into (--out); the database is OUT/.kb-feedback.sqlite3.")(f)


@report.command("feedback")
@_report_options
def report_feedback_cmd(out: Path, db: Path | None, since: str | None, as_json: bool) -> None:
    """The answers customers found unhelpful: yes/no votes per answer and help center, latest reasons."""
    from kb_builder.feedback.report import answer_feedback, feedback_json, feedback_text

    day = _since(since)
    store = _feedback_store(out, db)
    try:
        answers = answer_feedback(store.votes(day))
    finally:
        store.close()
    click.echo((feedback_json if as_json else feedback_text)(answers, day), nl=False)


@report.command("search-misses")
@_report_options
def report_misses_cmd(out: Path, db: Path | None, since: str | None, as_json: bool) -> None:
    """The searches that found nothing, grouped by query: count, markets, languages, last seen."""
    from kb_builder.feedback.report import miss_groups, misses_json, misses_text

    day = _since(since)
    store = _feedback_store(out, db)
    try:
        groups = miss_groups(store.search_misses(day))
    finally:
        store.close()
    click.echo((misses_json if as_json else misses_text)(groups, day), nl=False)


_END_WITHOUT_TEARDOWN = False  # set by commands whose process has nothing left to do once it has answered
_KEPT: list = []  # what such a command leaves unfreed until the process ends (see _end_now)
_CONSOLE = False  # main() runs as the console script (or python -m), not for a caller in Python


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kb` console script."""
    global _CONSOLE
    _CONSOLE = argv is None
    code = _main(argv)
    if _CONSOLE and _END_WITHOUT_TEARDOWN:
        _end_now(code)
    return code


def _end_now(code: int) -> None:
    """End the process at once, without freeing every object: a checked catalog is millions of
    them, and freeing them one by one at exit took 0.05-0.08 s of a 0.65 s cold check on medium.
    Only `kb check` asks for it: it starts no thread and leaves no temporary file, and its caches
    are written by a detached process of their own (or before this, without a safe fork)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken stream: let the normal exit report it
        return
    os._exit(code)


def _main(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="kb", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except ContentError as exc:
        _print_problems(exc.problems)
        return 1
    except KbError as exc:
        click.echo(shown_text(f"error: {exc}"), err=True)
        return exc.exit_code
    except OSError as exc:  # the disk is full, the output read-only, a folder unreadable: not a bug of kb
        where = f" {exc.filename}" if exc.filename else ""
        click.echo(shown_text(f"error: cannot read or write{where}: {exc.strerror or exc} (check the free space "
                              "and the permissions of that path)"), err=True)
        return 1
    except ImportError as exc:  # a dependency that `require` did not foresee: still not the content's fault
        click.echo(f"error: the installation is incomplete ({exc}); reinstall kb_builder with its "
                   "dependencies", err=True)
        return InstallationError.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
