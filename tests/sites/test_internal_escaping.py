"""Issue 18 item 2: every text from content is escaped on the internal site too. SOP and path
titles, market names, category names and kb.yaml's name reach Material's navigation, header,
<title> and aria-label; a payload there must stay text on every built page."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kb_builder.cli import main

MINI = Path(__file__).resolve().parents[1] / "projects" / "mini"
PAYLOAD = "\"'><img src=x onerror=kbxss(1)><script>kbxss(2)</script><kbxss>"


class _Scan(HTMLParser):
    """Elements a payload would add: an on* handler or a script calling kbxss, a <kbxss> tag, a
    javascript: link (kb_builder's own handlers, like the print button, do not name kbxss)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False
        self._json = False

    def handle_starttag(self, tag, attrs):
        if tag == "kbxss":
            self.found.append("<kbxss> element")
        for name, value in attrs:
            if (name.startswith("on") and "kbxss" in (value or "")) or (name in ("src", "href") and (value or "").lower().startswith("javascript:")):
                self.found.append(f"<{tag} {name}={value!r}>")
        self._script = tag == "script"
        # JSON data blocks (the reply composer's texts) never run; they must stay one data block
        self._json = self._script and dict(attrs).get("type") == "application/json"

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script and self._json:
            if "<" in data:
                self.found.append(f"'<' in a JSON data block: {data[:60]!r}")
        elif self._script and "kbxss" in data:
            self.found.append(f"script: {data[:60]!r}")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    content = root / "content"
    shutil.copytree(MINI, content)
    quoted = json.dumps(PAYLOAD)[1:-1]  # a YAML double-quoted string reads JSON escapes
    _edit(content / "kb.yaml", "name: Mini Support", f'name: "KB {quoted}"')
    _edit(content / "kb.yaml", "{en: Shipping,", f'{{en: "Ship {quoted}",')
    _edit(content / "sops" / "damaged-item.yaml", "title: Item arrived damaged", f'title: "Damaged {quoted}"')
    _edit(content / "paths" / "new-agent.yaml", "title: New agent - week one", f'title: "Path {quoted}"')
    _edit(content / "paths" / "new-agent.yaml", "title: How we answer", f'title: "Module {quoted}"')
    _edit(content / "markets" / "de.yaml", "name: Germany", f'name: "Germany {quoted}"')
    _edit(content / "templates" / "apology-damaged.yaml", "subject: \"Your order {order_id}: we're sorry\"",
          f'subject: "Sorry {quoted}"')
    _edit(content / "faq" / "where-is-my-order.yaml", "question: Where is my order?", f'question: "Where {quoted}"')
    out = root / "out"
    assert main(["build", "--content", str(content), "--out", str(out), "--today", "2026-11-23", "-q"]) in (0, 1)
    return out


def test_no_content_payload_runs_on_any_built_page(built):
    pages = sorted((built / "internal").rglob("*.html")) + sorted((built / "public").rglob("*.html"))
    assert len(pages) > 20
    hits = {}
    for page in pages:
        scan = _Scan()
        scan.feed(page.read_text(encoding="utf-8"))
        if scan.found:
            hits[page.relative_to(built).as_posix()] = scan.found[:3]
    assert not hits, f"{len(hits)} pages run content: {dict(list(hits.items())[:5])}"


def test_the_payload_is_shown_as_text(built):
    page = (built / "internal" / "sops" / "damaged-item" / "index.html").read_text(encoding="utf-8")
    assert "Damaged &#34;&#39;&gt;&lt;img" in page or "Damaged &quot;&#x27;&gt;&lt;img" in page or \
        "Damaged &quot;&#39;&gt;&lt;img" in page


def test_titles_are_escaped_once(built):
    """Material escapes some titles itself (`| e` in attributes): a title must not come out as
    `&amp;lt;`, which a reader would see as code."""
    twice = {}
    for page in sorted((built / "internal").rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for marker in ("&amp;lt;", "&amp;#", "&amp;quot;", "&amp;gt;"):
            if marker in text:
                at = text.index(marker)
                twice[page.relative_to(built).as_posix()] = text[max(0, at - 80):at + 20]
    assert not twice, twice
    title = re.search(r"<title>(.*?)</title>", (built / "internal" / "sops" / "damaged-item" / "index.html")
                      .read_text(encoding="utf-8"), re.S).group(1).strip()
    assert title == ("Damaged &#34;&#39;&gt;&lt;img src=x onerror=kbxss(1)&gt;&lt;script&gt;kbxss(2)&lt;/script&gt;"
                     "&lt;kbxss&gt; - KB &#34;&#39;&gt;&lt;img src=x onerror=kbxss(1)&gt;&lt;script&gt;kbxss(2)"
                     "&lt;/script&gt;&lt;kbxss&gt;")
