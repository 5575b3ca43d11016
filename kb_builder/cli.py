"""The `kb` command. The only place where errors become messages and exit codes:
0 success, 1 content errors (or a failed build), 2 bad usage."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb_builder.errors import ContentError, KbError, Problem, UsageError


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(p.format(), err=True)
    n_err = sum(p.severity == "error" for p in problems)
    n_warn = len(problems) - n_err
    click.echo(f"{n_err} error(s), {n_warn} warning(s)", err=True)


def _content_option(f):
    return click.option("--content", "content", type=click.Path(path_type=Path), default=Path("content"),
                        show_default=True, help="The content folder (holds kb.yaml).")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kb-builder")
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
def build(content: Path, out: Path, audience: str, today: str | None, quiet: bool) -> None:
    """Validate the content, then build the sites and the search index."""
    from kb_builder.pipeline import build as run_build

    result = run_build(content, out, audience=audience, today=_date(today), progress=not quiet)
    if result.warnings and not quiet:
        click.echo(f"{len(result.warnings)} warning(s); run 'kb check' to see them.", err=True)
    click.echo(f"Internal site: {result.internal_index}" if result.internal_index else "Internal site: not built")
    if result.public_index:
        click.echo(f"Public help centers: {result.public_index}")


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
    from kb_builder.loading.loader import load

    if not (content / "kb.yaml").exists() and not content.is_dir():
        raise UsageError(f"content folder '{content}' does not exist; pass --content DIR")
    result = load(content)
    if not result.ok:
        raise ContentError(result.problems)
    return result.catalog


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
@click.option("--port", default=8000, show_default=True, type=int)
def serve(content: Path, host: str, port: int) -> None:
    """Live preview of the internal site: rebuilds when content changes."""
    from kb_builder.sites.preview import serve as run_serve

    run_serve(content, host, port)


# [commands added by other modules go below this line]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kb` console script."""
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
        click.echo(f"error: {exc}", err=True)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
