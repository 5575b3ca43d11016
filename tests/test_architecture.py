"""The layering the README's design notes promise, checked on the imports themselves."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kb_builder"
ENTRY_POINTS = {"kb_builder.cli", "kb_builder.serve", "kb_builder.mkdocs_plugin", "kb_builder.__main__"}
ABOVE_THE_STAGES = ENTRY_POINTS | {"kb_builder.pipeline"}
STAGES = ("checks", "loading", "render", "search", "sites", "runtime", "feedback")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_no_stage_calls_up_into_the_pipeline_or_an_entry_point():
    offenders = []
    for stage in STAGES:
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            bad = sorted(n for n in _imports(path) if n in ABOVE_THE_STAGES or n == "kb_builder.pipeline")
            if bad:
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {', '.join(bad)}")
    assert offenders == []


def test_only_the_pipeline_and_its_helpers_load_content():
    """Loading content is the first stage: entry points go through the pipeline for it."""
    loaders = sorted(str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py")
                     if "kb_builder.loading.loader.load" in _imports(p))
    allowed = {"kb_builder/pipeline.py", "kb_builder/checks/gitdiff.py", "kb_builder/checks/status.py",
               "kb_builder/serve.py"}
    assert set(loaders) <= allowed, set(loaders) - allowed
