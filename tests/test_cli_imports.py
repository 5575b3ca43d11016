"""What `kb check` imports: the renderers, the site engine and the search engine are heavy and a
check uses none of them, so they stay unimported (process start counts in every cold check)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("markdown", "nh3", "jinja2", "mkdocs", "material", "whoosh", "jieba", "jsonschema")

_PROBE = """
import json, sys
for name in {preload!r}:
    __import__(name)
from kb_builder.cli import main
code = main(sys.argv[1:])
print(json.dumps({{"code": code, "heavy": sorted(m for m in {heavy!r} if m in sys.modules)}}), file=sys.stderr)
"""


def _imported_by(args: list[str], cwd: Path, preload: tuple[str, ...] = ()) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1", KB_CACHE_DIR=str(cwd / "cache"))
    done = subprocess.run([sys.executable, "-c", _PROBE.format(preload=preload, heavy=HEAVY), *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_check_imports_no_renderer_site_engine_or_search_engine(tmp_path):
    got = _imported_by(["check", "--content", str(REPO / "content"), "--format", "json"], tmp_path)
    assert got["code"] in (0, 1)
    assert got["heavy"] == []


def test_the_probe_reports_a_heavy_module_that_was_imported(tmp_path):
    got = _imported_by(["check", "--content", str(REPO / "content"), "--format", "json"], tmp_path,
                       preload=("markdown",))
    assert got["heavy"] == ["markdown"]


def test_the_site_engine_quiets_jieba_without_importing_it():
    script = """
import sys
from kb_builder.sites.engine import _quiet_mkdocs
_quiet_mkdocs()
_quiet_mkdocs()
print("imported" if "jieba" in sys.modules else "not imported")
import jieba  # its import sets its logger back to DEBUG: the filter must still hold
jieba.default_logger.debug("a debug line")
jieba.default_logger.info("an info line")
jieba.default_logger.warning("a warning line")
"""
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "not imported", done.stderr
    assert "a warning line" in done.stderr
    assert "a debug line" not in done.stderr and "an info line" not in done.stderr


def test_a_build_with_nothing_to_do_imports_no_engine(tmp_path):
    import shutil

    shutil.copytree(REPO / "tests" / "projects" / "mini", tmp_path / "content")
    args = ["build", "--content", "content", "--out", "out", "-q"]
    first = _imported_by(args, tmp_path)
    assert first["code"] == 0
    assert {"markdown", "jinja2", "mkdocs", "whoosh"} <= set(first["heavy"])  # a real build imports them
    again = _imported_by(args, tmp_path)
    assert again["code"] == 0
    assert again["heavy"] == []


_CONSOLE = """
import atexit, sys
atexit.register(lambda: print("torn down", file=sys.stderr))
from kb_builder.cli import main
sys.exit(main())
"""


def _kb_process(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """`kb ARGS` as the console script runs it (main() without arguments), with an atexit hook that
    tells whether the interpreter's teardown ran."""
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1", KB_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run([sys.executable, "-c", _CONSOLE, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("broken", [False, True])
def test_kb_check_ending_without_teardown_prints_and_exits_as_in_process(make_project, capsys, broken):
    from kb_builder.cli import main

    files = {"faq/a.yaml": "category: shipping\nsource:\n\tquestion: Q?\n"} if broken else {}
    content = make_project(files)
    args = ["check", "--content", str(content), "--format", "json", "--today", "2026-11-23"]
    in_process = main(args)  # a caller in Python gets the code back: the test process lives on
    here = capsys.readouterr()
    done = _kb_process(args, content.parent)
    assert done.returncode == in_process == (1 if broken else 0)
    assert json.loads(done.stdout) == json.loads(here.out)  # the whole report, flushed before the end
    assert done.stderr == here.err  # and no "torn down": the process ended without its teardown
    other = _kb_process(["schema", "--check", "--out", str(content.parent / "s")], content.parent)
    assert "torn down" in other.stderr  # another command ends as usual
