#!/usr/bin/env bash
# Fresh machine -> the bundled knowledge base built into site/ (internal, public, search index).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/kb check --content content || true
.venv/bin/kb build --content content --out site "$@"
# kb build has just said how to browse the site (cli.view_hint)
echo "Or run: .venv/bin/kb serve   # live preview of the internal site with the search API"
