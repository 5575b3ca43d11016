"""Built HTML of the mini fixture project, compared with golden files (beside the Markdown goldens
of tests/render/test_golden.py).

Only what kb_builder decides is kept: each page's article (Material's frame, asset names and
scripts around it come from the theme's version), and the chooser page whole.

After an intended change, refresh every golden file with:  bash scripts/refresh-goldens.sh
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from kb_builder.cli import main

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "projects" / "mini"
GOLDEN = ROOT / "golden" / "html"
INTERNAL_PAGES = ("index.html", "sops/damaged-item/index.html", "templates/apology-damaged/index.html",
                  "markets/de/index.html", "faq/shipping/index.html", "paths/new-agent/index.html")
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)  # greedy: answers are articles too


def _article(html: str) -> str:
    found = _ARTICLE.search(html)
    assert found, "no article in the page"
    return found.group(1).strip() + "\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("html-golden")
    content = root / "content"
    shutil.copytree(MINI, content)
    out = root / "out"
    assert main(["build", "--content", str(content), "--out", str(out), "--today", "2026-11-23", "-q"]) == 0
    pages = {f"internal/{rel}": _article((out / "internal" / rel).read_text(encoding="utf-8"))
             for rel in INTERNAL_PAGES}
    public = out / "public"
    pages["public/index.html"] = (public / "index.html").read_text(encoding="utf-8")
    for path in sorted(public.glob("*/*/**/index.html")):
        rel = path.relative_to(public).as_posix()
        if "/search/" not in rel:
            pages[f"public/{rel}"] = _article(path.read_text(encoding="utf-8"))
    return pages


def test_built_pages_match_golden_files(built):
    if os.environ.get("KB_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
        pytest.skip("HTML golden files refreshed")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in GOLDEN.rglob("*.html")}
    assert sorted(built) == sorted(expected)
    for rel, text in built.items():
        assert text == expected[rel], f"{rel} differs from tests/golden/html/{rel} (see this file's docstring)"


def test_every_help_center_has_its_pages_in_the_goldens(built):
    centers = {"/".join(rel.split("/")[1:3]) for rel in built if rel.startswith("public/") and rel.count("/") >= 3}
    assert centers == {"de/de", "de/en", "jp/en", "jp/ja"}  # DE speaks de and en; JP ja, plus the source language
    for center in centers:
        assert {f"public/{center}/index.html", f"public/{center}/contact/index.html",
                f"public/{center}/shipping/index.html"} <= set(built)
