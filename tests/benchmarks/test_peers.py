"""benchmarks/peers.py: the internal pages as plain Markdown, built by the peers."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks import peers
from kb_builder import pipeline

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"


def test_a_built_page_becomes_plain_markdown_with_its_text():
    page = ('<html><body><nav>menu</nav><article class="md-content__inner md-typeset">'
            '<h1 id="x">Item <em>arrived</em> damaged<a class="headerlink" href="#x">¶</a></h1>'
            '<p>Apologise &amp; ask for <b>photos</b>.</p><svg><text>box</text></svg>'
            '<ul><li>one</li><li>two</li></ul><table><tr><td>DE</td><td>30</td></tr></table>'
            '</article></body></html>')
    assert peers.plain_markdown(page) == "# Item arrived damaged\n\nApologise & ask for photos.\n\n- one\n\n- two\n\nDE 30\n\n"


def test_the_peers_build_the_same_pages(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    pipeline.build(content, tmp_path / "out", audience="internal", progress=False)
    result = peers.measure(tmp_path / "out" / "internal", tmp_path / "work", kb_seconds=1.0)
    built = sum(1 for p in (tmp_path / "out" / "internal").rglob("index.html") if "search" not in p.parts)
    assert result["pages"] == built and result["words"] > 300
    material = result["peers"][0]
    assert material["status"] == "ok" and material["pages"] >= built
    assert material["kb_ratio"] == round(1.0 / material["seconds"], 2)
    hugo = result["peers"][1]
    assert hugo["status"] in ("ok", "not installed")
    assert "| kb_builder (render internal + mkdocs internal) | ok | 1.0 | 1.0 |" in peers.table(result)
