"""The pipeline's contract with its callers: no silent stages, one build date per build."""

from __future__ import annotations

import datetime as dt
import os
import struct
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb_builder import pipeline

MINI = Path(__file__).resolve().parent / "projects" / "mini"


def _run_without(module: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `kb ARGS` in a fresh interpreter in which `module` cannot be imported."""
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from kb_builder.cli import main\n"
            f"sys.exit(main({args!r}))\n")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("module, dist, audience", [("whoosh", "whoosh-reloaded", "all"),
                                                    ("babel", "babel", "public"),
                                                    ("babel", "babel", "internal"),
                                                    ("jinja2", "Jinja2", "all")])
def test_a_missing_dependency_stops_the_build_with_exit_3_and_writes_nothing(tmp_path, module, dist, audience):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out = tmp_path / "out"
    (out / "internal").mkdir(parents=True)
    (out / "internal" / "index.html").write_text("previous good site", encoding="utf-8")
    done = _run_without(module, ["build", "--content", "content", "--out", "out", "--audience", audience, "-q"],
                        tmp_path)
    assert done.returncode == 3, done.stderr
    assert f"error: the installation is incomplete: {dist} (import {module}:" in done.stderr
    assert "Reinstall kb_builder with its dependencies" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["internal"]  # no public/, no search/, no staging
    assert (out / "internal" / "index.html").read_text(encoding="utf-8") == "previous good site"


def test_a_dependency_only_another_audience_needs_is_not_required(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    done = _run_without("whoosh", ["build", "--content", "content", "--out", "out", "--audience", "public",
                                   "-q"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "public" / "index.html").is_file()
    assert not (tmp_path / "out" / "search").exists()


def _build_day(site: Path) -> str:
    """The date MkDocs stamped on the site: the gzip header of sitemap.xml.gz carries the build time."""
    seconds = struct.unpack("<I", (site / "sitemap.xml.gz").read_bytes()[4:8])[0]
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()


def test_each_build_in_one_process_is_dated_by_its_own_content(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out = tmp_path / "out"
    pipeline.build(content, out, audience="internal", progress=False)
    assert _build_day(out / "internal") == "2026-10-01"  # the newest review date in the content
    faq = content / "faq" / "carrier-claims.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").replace("reviewed: 2026-10-01", "reviewed: 2026-11-20", 1),
                   encoding="utf-8")
    pipeline.build(content, out, audience="internal", progress=False)  # as `kb serve` does after an edit
    assert _build_day(out / "internal") == "2026-11-20"
    assert "SOURCE_DATE_EPOCH" not in os.environ  # the build leaves the process environment as it was


def test_a_date_set_by_the_caller_survives_the_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "12345")
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    pipeline.build(content, tmp_path / "out", audience="internal", progress=False)
    assert os.environ["SOURCE_DATE_EPOCH"] == "12345"


def test_a_long_lived_process_keeps_only_the_current_builds_conversions(tmp_path):
    from kb_builder.render import text

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    faq = content / "faq" / "carrier-claims.yaml"
    source = faq.read_text(encoding="utf-8")
    old_answer = next(line for line in source.splitlines() if "answer:" in line)
    faq.write_text(source.replace(old_answer, "  answer: First **wording** of the answer.", 1), encoding="utf-8")
    pipeline.build(content, tmp_path / "out", audience="internal", progress=False)
    assert "First **wording** of the answer." in text.used_conversions()
    faq.write_text(source.replace(old_answer, "  answer: Second **wording** of the answer.", 1), encoding="utf-8")
    pipeline.build(content, tmp_path / "out", audience="internal", progress=False)
    used = text.used_conversions()
    assert "Second **wording** of the answer." in used
    assert "First **wording** of the answer." not in used  # kb serve must not grow with every edit
