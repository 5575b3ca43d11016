#!/usr/bin/env bash
# Fresh machine -> the bundled knowledge base built into site/ (internal, public, search index).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/kb check --content content || true
.venv/bin/kb build --content content --out site "$@"
echo "Open site/internal/index.html (agents) and site/public/index.html (customers),"
echo "or run: .venv/bin/kb serve   # live preview with search API on http://127.0.0.1:8000"
