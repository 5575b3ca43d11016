"""A copy of the mini fixture project per test; cwd is its parent, so messages read `content/...`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Path:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    monkeypatch.chdir(tmp_path)
    return content


def snapshot(content: Path) -> dict[str, bytes]:
    """Every file of a content folder, by relative path."""
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
