"""A damaged search index is found and rebuilt by `kb index`, `kb build` and `kb search`, instead
of each reporting success while searching keeps failing (issue 18, item 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb_builder.cli import main

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"


def _truncate_segment(search: Path) -> None:
    seg = next((search / "en").glob("*.seg"))
    seg.write_bytes(seg.read_bytes()[:100])


def _remove_toc(search: Path) -> None:
    next((search / "en").glob("*.toc")).unlink()


def _garbage_toc(search: Path) -> None:
    next((search / "en").glob("*.toc")).write_bytes(b"garbage\n")


def _remove_segment(search: Path) -> None:
    next((search / "en").glob("*.seg")).unlink()


def _remove_language(search: Path) -> None:
    shutil.rmtree(search / "de")


DAMAGE = {"truncated segment": _truncate_segment, "missing toc": _remove_toc, "overwritten toc": _garbage_toc,
          "missing segment": _remove_segment, "missing language folder": _remove_language}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path


def _search_finds_the_sop(capsys) -> None:
    capsys.readouterr()
    assert main(["search", "damaged", "--content", "content", "--out", "out", "--json"]) == 0
    assert "damaged-item" in capsys.readouterr().out


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_kb_index_rebuilds_a_damaged_index(project, capsys, damage):
    assert main(["index", "--content", "content", "--out", "out"]) == 0
    DAMAGE[damage](project / "out" / "search")
    capsys.readouterr()
    assert main(["index", "--content", "content", "--out", "out"]) == 0
    said = capsys.readouterr()
    assert "search index in out/search is damaged" in said.out + said.err
    assert "search index built: 9 documents in 2 languages" in said.out + said.err
    _search_finds_the_sop(capsys)


def test_kb_search_rebuilds_a_damaged_index_before_searching(project, capsys):
    assert main(["index", "--content", "content", "--out", "out"]) == 0
    _garbage_toc(project / "out" / "search")
    _search_finds_the_sop(capsys)


@pytest.mark.parametrize("clean", [False, True])
def test_kb_build_rebuilds_a_damaged_index(project, capsys, clean):
    args = ["build", "--content", "content", "--out", "out", "--audience", "internal", "--today", "2026-11-23", "-q"]
    assert main(args) == 0
    _truncate_segment(project / "out" / "search")
    assert main(args + (["--clean"] if clean else [])) == 0
    _search_finds_the_sop(capsys)


def test_a_damaged_index_without_content_is_a_message_not_a_traceback(project, capsys):
    assert main(["index", "--content", "content", "--out", "out"]) == 0
    _garbage_toc(project / "out" / "search")
    capsys.readouterr()
    assert main(["search", "damaged", "--content", "nowhere", "--out", "out"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the search index in out/search is damaged and no content folder 'nowhere' "
                          "to build one from;")
    assert "Traceback" not in err


def test_searching_a_damaged_index_directly_says_so(project):
    from kb_builder.search import SearchIndex
    from kb_builder.search.query import IndexMissing

    assert main(["index", "--content", "content", "--out", "out"]) == 0
    _garbage_toc(project / "out" / "search")
    with pytest.raises(IndexMissing, match=r"out/search is damaged; run 'kb index' to rebuild it"):
        SearchIndex(Path("out/search")).search("damaged")
