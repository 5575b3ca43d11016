"""`kb --version` names the package version and the engine versions that shape every page."""

from __future__ import annotations

import platform
import tomllib
from importlib.metadata import version
from pathlib import Path

from kb_builder.cli import main

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))


def test_version_names_kb_mkdocs_material_and_python(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out == (f"kb {PYPROJECT['project']['version']} (MkDocs {version('mkdocs')}, "
                   f"Material for MkDocs {version('mkdocs-material')}, Python {platform.python_version()})\n")


def test_package_metadata_is_complete():
    project = PYPROJECT["project"]
    for key in ("description", "readme", "license", "classifiers", "requires-python", "keywords"):
        assert project.get(key), key
    # no invented addresses: URLs come when the repository is published (see pyproject.toml)
    assert "urls" not in project
    assert "License :: OSI Approved :: MIT License" not in project["classifiers"]  # PEP 639: the license key says it
