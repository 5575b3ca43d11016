#!/usr/bin/env bash
# Refresh every golden file (generated Markdown and built HTML of tests/projects/mini) after an
# intended change; review the diff with `git diff tests/golden` before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
KB_UPDATE_GOLDEN=1 NO_MKDOCS_2_WARNING=1 .venv/bin/python -m pytest -q -p no:cacheprovider \
  tests/render/test_golden.py tests/sites/test_html_golden.py tests/export/test_golden.py "$@" || true
git status --short tests/golden
