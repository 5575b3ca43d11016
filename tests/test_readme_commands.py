"""The README's "Every command and option" table names every `kb` command and each of its options."""

from __future__ import annotations

import re
from pathlib import Path

import click

from kb_builder.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(cmd: click.Command, path: list[str]):
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from _commands(sub, [*path, name])
    else:
        flags = [max(p.opts, key=len) for p in cmd.params if isinstance(p, click.Option)]
        yield " ".join(path), flags


def _rows() -> dict[str, str]:
    table = README.split("## Every command and option", 1)[1].split("\n## ", 1)[0]
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `(kb [a-z -]+?)(?: [A-Z]+)*`[^|]*\| (.*) \|$", table, re.M)}


def test_every_command_has_a_row_naming_each_option():
    rows = _rows()
    commands = dict(_commands(cli, ["kb"]))
    assert "kb init" in commands and "kb translations status" in commands  # the walk sees subcommands
    missing = sorted(set(commands) - set(rows))
    assert not missing, f"add rows for {missing} to README.md's 'Every command and option'"
    for name, flags in commands.items():
        absent = [f for f in flags if f"`{f}" not in rows[name]]
        assert not absent, f"README.md: the row of `{name}` does not name {absent}"
    assert not set(rows) - set(commands), "README.md lists commands that do not exist"


def test_the_global_options_and_other_entry_points_are_named():
    table = README.split("## Every command and option", 1)[1].split("\n## ", 1)[0]
    for words in ("`kb --version`", "`mkdocs build`", "`kb-check`", "`kb-schema`", "`KB_JOBS=N`", "`KB_CACHE=off`"):
        assert words in table, words
