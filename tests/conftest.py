"""Shared fixtures: `make_project` writes a small content folder from a dict of files."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

# A build hands the previous output to a background remover (runtime/staging.py); the suite lists
# and hashes output folders right after builds, so it removes them before each build returns
# (tests/runtime/test_staging.py turns background removal back on where it tests it).
os.environ["KB_BACKGROUND_REMOVAL"] = "off"

try:  # hypothesis keeps examples, constants and Unicode tables in ./.hypothesis otherwise
    import tempfile

    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(tempfile.mkdtemp(prefix="kb-test-hypothesis-"))
except ImportError:
    pass

KB_YAML = """\
name: Test Support
source_language: en
languages: [en, de, ja]
review_every_days: 180
categories:
  shipping: {en: Shipping, de: Versand, ja: 配送}
  returns: {en: Returns, de: Rücksendungen, ja: 返品}
"""

MARKET_DE = """\
code: DE
name: Germany
languages: [de, en]
currency: EUR
timezone: Europe/Berlin
support_hours: "Mon-Fri 08:00-18:00"
channels:
  - {type: email, address: hilfe@example.de, first_response_hours: 24}
  - {type: chat, first_response_hours: 0.05}
vars:
  return_window_days: 30
  withdrawal_days: 14
  agent_refund_limit: "50 EUR"
notes: Internal note about Germany.
"""

MARKET_JP = """\
code: JP
name: Japan
languages: [ja]
currency: JPY
timezone: Asia/Tokyo
support_hours: "平日 9:00-18:00"
channels:
  - {type: email, address: support@example.jp, first_response_hours: 12}
vars:
  return_window_days: 14
  agent_refund_limit: "7000 JPY"
"""

FAQ_WHERE = """\
category: shipping
reviewed: 2026-10-01
source:
  question: Where is my order?
  answer: |
    Track it with the link in your shipping email.
    Returns are accepted within {market.return_window_days} days.
"""

BASE_FILES = {
    "kb.yaml": KB_YAML,
    "markets/de.yaml": MARKET_DE,
    "markets/jp.yaml": MARKET_JP,
    "faq/where-is-my-order.yaml": FAQ_WHERE,
}


def write_project(root: Path, files: dict[str, str | bytes | None], base: bool = True) -> Path:
    """Write a content folder under root/content: BASE_FILES (unless base=False) updated by files.

    A value of None removes a base file. Text is dedented, so tests can indent YAML inline.
    """
    content = root / "content"
    merged: dict[str, str | bytes | None] = dict(BASE_FILES) if base else {}
    merged.update(files)
    for rel, body in merged.items():
        if body is None:
            continue
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(textwrap.dedent(body), encoding="utf-8")
    return content


@pytest.fixture
def make_project(tmp_path, monkeypatch):
    """Factory: make_project({"sops/x.yaml": "..."}) -> content folder; cwd is the project root,
    so paths in messages read like `content/sops/x.yaml`."""
    monkeypatch.chdir(tmp_path)

    def factory(files: dict[str, str | bytes | None] | None = None, base: bool = True) -> Path:
        return write_project(tmp_path, files or {}, base=base)

    return factory


REPO = Path(__file__).resolve().parents[1]


def _untracked(repo: Path) -> set[str] | None:
    """Files git does not track in the checkout (ignored ones too), or None outside a git checkout."""
    import subprocess

    try:
        done = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all", "-z"],
                              cwd=repo, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    names = {item[3:] for item in done.stdout.split("\0") if item[:2] in ("??", "!!")}
    # the virtualenv, pip's build leftovers and Python's bytecode are the tools', not the tests'
    return {n for n in names if not n.startswith((".venv/", "build/")) and "__pycache__" not in n
            and ".egg-info/" not in n and not n.endswith(".pyc")}


@pytest.fixture(scope="session", autouse=True)
def caches_outside_the_source_tree(tmp_path_factory):
    """Every cache a test run makes goes to a temporary folder (KB_CACHE_DIR), and the run fails
    if it left any new file in the checkout: tests must not write into the source tree."""
    import os

    before = _untracked(REPO)
    os.environ["KB_CACHE_DIR"] = str(tmp_path_factory.mktemp("kb-cache"))
    yield
    os.environ.pop("KB_CACHE_DIR", None)
    after = _untracked(REPO)
    if before is not None and after is not None:
        new = sorted(after - before)
        assert not new, f"the test run wrote into the source tree: {new[:10]}"
