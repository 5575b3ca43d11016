#!/usr/bin/env bash
# Fresh machine -> the bundled knowledge base built into site/ (internal, public, search index).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/kb check --content content || true
.venv/bin/kb build --content content --out site "$@"
echo "Browse it: python3 -m http.server --directory site 8000, then open http://127.0.0.1:8000/internal/"
echo "(agents) and http://127.0.0.1:8000/public/ (customers); opened from the disk, the pages' folder"
echo "links show file listings. Or run: .venv/bin/kb serve   # live preview of the internal site with the search API"
