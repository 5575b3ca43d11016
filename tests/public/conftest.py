"""The marker project built once through the real pipeline as public help centers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_project  # tests/conftest.py

from kb_builder.pipeline import build

from .markers import FILES


@pytest.fixture(scope="session")
def public_out(tmp_path_factory) -> Path:
    """OUT/public of the marker project, built through the real pipeline (`--audience public`)."""
    root = tmp_path_factory.mktemp("markers")
    content = write_project(root, FILES, base=False)
    build(content, root / "out", audience="public", progress=False)
    return root / "out" / "public"
