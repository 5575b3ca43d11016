#!/usr/bin/env bash
# Fresh machine -> every test: installs kb_builder with test tools, the browser the browser
# tests drive (Debian's chromium; Playwright's own browser download does not work offline),
# then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "[test]"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-core >/dev/null
  else
    echo "chromium is missing: install it (e.g. 'sudo apt-get install chromium fonts-noto-cjk') and re-run" >&2
    exit 1
  fi
fi
export NO_MKDOCS_2_WARNING=1
.venv/bin/python -m pytest -q "$@"
