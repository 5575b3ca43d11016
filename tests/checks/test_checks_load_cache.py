"""The loader's per-file cache: unchanged files are not parsed again; any change is noticed."""

from __future__ import annotations

import os

import pytest

from kb_builder.loading import loader
from kb_builder.loading.loader import load

LATE = "category: nowhere\nreviewed: 2026-10-01\nsource: {question: Late?, answer: Sorry.}\n"


@pytest.fixture(autouse=True)
def cache_beside_the_content(monkeypatch):
    """These tests look at `.kb-cache/` beside the content: the default place, not the test run's."""
    monkeypatch.delenv("KB_CACHE_DIR", raising=False)


def _summary(result):
    return ([p.format() for p in result.problems],
            {ref: e.fingerprint() for ref, e in ((e.ref, e) for e in result.catalog.entries())})


def _no_parsing(monkeypatch):
    def fail(*args):
        raise AssertionError("parsed a file that the cache holds")
    for name in ("_faq", "_sop", "_template", "_path"):
        monkeypatch.setattr(loader, name, fail)


def test_second_load_comes_from_the_cache(make_project, monkeypatch, tmp_path):
    content = make_project({"faq/late.yaml": LATE})
    first = load(content)
    assert (tmp_path / ".kb-cache" / ".gitignore").read_text() == "*\n"
    _no_parsing(monkeypatch)
    second = load(content)
    assert _summary(second) == _summary(first)
    assert any(p.code == "unknown-category" for p in second.problems)


def test_a_change_of_the_same_size_at_once_is_noticed(make_project):
    content = make_project({"faq/late.yaml": LATE})
    load(content)
    path = content / "faq/late.yaml"
    st = path.stat()
    path.write_text(LATE.replace("Sorry.", "Oops!!"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert load(content).catalog.faqs["late"].source["answer"] == "Oops!!"


def test_kb_yaml_and_markets_are_part_of_the_key(make_project):
    content = make_project({"faq/late.yaml": LATE.replace("nowhere", "returns") + "markets: [FR]\n"})
    assert [p.code for p in load(content).problems] == ["unknown-market"]
    (content / "markets/fr.yaml").write_text(
        "code: FR\nname: France\nlanguages: [en]\ncurrency: EUR\ntimezone: Europe/Paris\n", encoding="utf-8")
    assert load(content).problems == []
    kb = content / "kb.yaml"
    kb.write_text(kb.read_text(encoding="utf-8").replace("  returns:", "  refunds:"), encoding="utf-8")
    assert [p.code for p in load(content).problems] == ["unknown-category"]


def test_deleted_files_leave_the_catalog(make_project):
    content = make_project({"faq/late.yaml": LATE})
    load(content)
    (content / "faq/late.yaml").unlink()
    assert "late" not in load(content).catalog.faqs


def _count_parsing(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = loader._faq

    def counting(*args, **kwargs):
        parsed.append("faq")
        return real(*args, **kwargs)
    monkeypatch.setattr(loader, "_faq", counting)
    return parsed


@pytest.mark.parametrize("value", ["off", "0"])
def test_cache_can_be_turned_off(make_project, monkeypatch, tmp_path, value):
    monkeypatch.setenv("KB_CACHE", value)
    content = make_project({"faq/late.yaml": LATE})
    parsed = _count_parsing(monkeypatch)
    first = load(content)
    second = load(content)
    assert not (tmp_path / ".kb-cache").exists()
    faqs = len(first.catalog.faqs)
    assert faqs >= 2 and len(parsed) == 2 * faqs  # every file parsed on both loads, nothing kept
    assert _summary(second) == _summary(first)


def test_unreadable_cache_is_ignored(make_project, tmp_path, monkeypatch):
    content = make_project({"faq/late.yaml": LATE})
    load(content)
    damaged = sorted((tmp_path / ".kb-cache").glob("load-*"))
    assert damaged, "the first load wrote its cache"
    for f in damaged:
        f.write_bytes(b"not a pickle")
    parsed = _count_parsing(monkeypatch)
    assert "late" in load(content).catalog.faqs
    assert parsed  # the damaged cache was not used: the files were parsed again


def test_kb_cache_dir_moves_every_cache_out_of_the_project(make_project, tmp_path, monkeypatch):
    from kb_builder.cli import main
    from kb_builder.runtime.detached import wait_for_writer

    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("KB_CACHE_DIR", str(elsewhere))
    content = make_project({"faq/late.yaml": LATE.replace("nowhere", "returns")})
    assert main(["check", "--content", str(content), "--today", "2026-11-23"]) in (0, 1)
    assert not (tmp_path / ".kb-cache").exists()
    (folder,) = elsewhere.iterdir()
    assert folder.name.startswith("content-")
    wait_for_writer(folder)  # kb check writes its caches after it has answered
    assert any(f.name.startswith("load-") for f in folder.iterdir())
    assert any(f.name.startswith("report-") for f in folder.iterdir())
