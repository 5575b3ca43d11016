"""The no-op short-cut: a build whose every input equals the last one's leaves the output as it is,
and every kind of input, changed once, makes a real build again."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest

from kb_builder import pipeline
from kb_builder.runtime import build_record

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"
TODAY = dt.date(2026, 11, 23)
FAQ = "faq/where-is-my-order.yaml"


def settle(folder: Path) -> None:
    """Every file's modification time ten seconds back, so no edit counts as made while a build began."""
    past = time.time() - 10
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def build(content: Path, out: Path, **options) -> pipeline.BuildResult:
    options = {"audience": "internal", "today": TODAY, "progress": False, **options}
    return pipeline.build(content, out, **options)


def page(out: Path, rel: str = "faq/shipping/index.html") -> str:
    return (out / "internal" / rel).read_text("utf-8")


@pytest.fixture()
def project(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(MINI, content)
    settle(content)
    first = build(content, out)
    assert not first.unchanged
    return content, out


def test_an_unchanged_build_does_nothing_and_says_so(project, capsys):
    content, out = project
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    again = build(content, out, progress=True)
    assert again.unchanged and again.timings == {}
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == before
    assert again.internal_index == (out / "internal" / "index.html").resolve()
    assert "nothing changed since the last build" in capsys.readouterr().err
    assert [p.format() for p in again.warnings] == [p.format() for p in build(content, out, incremental=False).warnings]
    assert again.warnings


def edit_entry(content: Path, out: Path, _pkg: Path) -> str:
    faq = content / FAQ
    faq.write_text(faq.read_text("utf-8").replace("shipping email", "shipping email or text message"), "utf-8")
    settle(content)
    return "text message"


def edit_keeping_size_and_time(content: Path, out: Path, _pkg: Path) -> str:
    faq = content / FAQ
    st = faq.stat()
    text = faq.read_text("utf-8")
    assert "shipping email" in text
    faq.write_text(text.replace("shipping email", "shipping EMAIL"), "utf-8")  # same length
    os.utime(faq, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same modification time
    assert faq.stat().st_size == st.st_size and faq.stat().st_mtime_ns == st.st_mtime_ns
    return "shipping EMAIL"


def add_file(content: Path, out: Path, _pkg: Path) -> str:
    text = (content / FAQ).read_text("utf-8")
    (content / "faq/where-is-my-parcel.yaml").write_text(
        text.replace("id: where-is-my-order", "id: where-is-my-parcel").replace("text message", "parcel notice"),
        "utf-8")
    settle(content)
    return "parcel notice"


def remove_file(content: Path, out: Path, _pkg: Path) -> str:
    (content / "faq/carrier-claims.yaml").unlink()
    return ""


def edit_kb_yaml(content: Path, out: Path, _pkg: Path) -> str:
    kb = content / "kb.yaml"
    kb.write_text(kb.read_text("utf-8").replace("name: ", "name: Renamed ", 1), "utf-8")
    settle(content)
    return "Renamed"


def add_theme_file(content: Path, out: Path, _pkg: Path) -> str:
    (content / "site_overrides/assets").mkdir(parents=True)
    (content / "site_overrides/assets/kb.css").write_text("body { color: #123456 }\n", "utf-8")
    settle(content)
    return ""


def edit_code(content: Path, out: Path, pkg: Path) -> str:
    template = pkg / "render/templates/internal/faq_category.md.j2"
    template.write_text(template.read_text("utf-8") + "\n", "utf-8")
    return ""


def touch_output(content: Path, out: Path, _pkg: Path) -> str:
    (out / "internal/.kb-build.json").unlink()  # as `mkdocs build` into the same folder does
    return ""


CHANGES = [edit_entry, edit_keeping_size_and_time, add_file, remove_file, edit_kb_yaml, add_theme_file,
           edit_code, touch_output]


def test_every_kind_of_input_changed_once_makes_a_rebuild(project, tmp_path, monkeypatch):
    content, out = project
    pkg = tmp_path / "package"  # a copy of the package whose code the key reads
    shutil.copytree(build_record.PACKAGE, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(build_record, "PACKAGE", pkg)
    assert not build(content, out).unchanged  # the copy's files have other times
    assert build(content, out).unchanged
    for change in CHANGES:
        shown = change(content, out, pkg)
        rebuilt = build(content, out)
        assert not rebuilt.unchanged, change.__name__
        if shown:
            assert shown in page(out, "index.html") + page(out), change.__name__
        assert build(content, out).unchanged, change.__name__  # and the new record holds


@pytest.mark.parametrize("options", [{"today": TODAY + dt.timedelta(days=1)}, {"audience": "all"},
                                     {"incremental": False}])
def test_another_option_makes_a_rebuild(project, options):
    content, out = project
    assert not build(content, out, **options).unchanged


def test_another_installed_distribution_makes_a_rebuild(project, tmp_path, monkeypatch):
    content, out = project
    site = tmp_path / "site-packages"  # as pip leaves it after installing a (Markdown extension) package
    (site / "kb_test_extension-1.0.0.dist-info").mkdir(parents=True)
    (site / "kb_test_extension-1.0.0.dist-info/METADATA").write_text(
        "Metadata-Version: 2.1\nName: kb-test-extension\nVersion: 1.0.0\n", "utf-8")
    monkeypatch.syspath_prepend(str(site))
    assert not build(content, out).unchanged


def test_cache_off_always_builds(project, monkeypatch):
    content, out = project
    monkeypatch.setenv("KB_CACHE", "off")
    assert not build(content, out).unchanged


def test_a_file_edited_as_the_last_build_began_makes_a_rebuild(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(MINI, content)
    (content / FAQ).write_text((content / FAQ).read_text("utf-8"), "utf-8")  # modified just now
    build(content, out)
    # same size and time as what that build read: its record cannot vouch for the file
    assert not build(content, out).unchanged


def test_a_damaged_record_is_ignored(project):
    content, out = project
    record = out / build_record.RECORD_FILE
    record.write_bytes(record.read_bytes()[:-3] + b"xyz")
    assert not build(content, out).unchanged
