"""The peers of kb_builder's internal-site build, measured on the same pages in the same run.

The text of every page kb_builder built (each page's article: headings, paragraphs, list items,
table rows) is written again as plain Markdown, then built by
- plain MkDocs + Material (default settings, search on), as a team would without kb_builder;
- Hugo, when `hugo` is installed, with a one-file layout and no search index (the fastest static
  generator; Debian's package `hugo`).
Each is a whole process, timed from outside. kb_builder's own figure is the full build's
"render internal" + "mkdocs internal" stages (the same pages, from YAML).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
_BLOCK = re.compile(r"<(h[1-6]|p|li|tr|dt|dd|pre|figcaption|summary)\b[^>]*>(.*?)</\1>", re.S)
_INLINE = re.compile(r"</?(?:a|abbr|b|bdi|code|em|i|kbd|mark|small|span|strong|sub|sup|u|var)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_SKIP = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S)


@dataclass
class Peer:
    """One engine's build of the plain pages."""

    name: str
    status: str  # ok, failed, not installed
    seconds: float | None = None
    pages: int = 0
    note: str = ""


def plain_markdown(page_html: str) -> str:
    """A built page's text as plain Markdown: a heading per heading, a paragraph per block."""
    found = _ARTICLE.search(page_html)
    body = _SKIP.sub(" ", found.group(1) if found else page_html)
    lines = []
    for tag, inner in _BLOCK.findall(body):
        text = " ".join(html.unescape(_TAG.sub(" ", _INLINE.sub("", inner))).split()).replace("¶", "").strip()
        if not text:
            continue
        if tag.startswith("h"):
            lines.append("#" * int(tag[1]) + " " + text)
        elif tag == "li":
            lines.append("- " + text)
        else:
            lines.append(text)
        lines.append("")
    return "\n".join(lines) + "\n"


def write_pages(site: Path, docs: Path) -> int:
    """Every page of a built site (`x/index.html`) as `docs/x.md`; returns how many."""
    if docs.exists():
        shutil.rmtree(docs)
    count = 0
    for page in sorted(site.rglob("index.html")):
        rel = page.parent.relative_to(site)
        if rel.parts and rel.parts[0] in ("search", "assets"):
            continue
        target = docs / ("index.md" if not rel.parts else f"{rel.as_posix()}.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(plain_markdown(page.read_text(encoding="utf-8")), encoding="utf-8")
        count += 1
    return count


def _timed(cmd: list[str], cwd: Path, timeout: float) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - t0, done


def mkdocs_material(docs: Path, work: Path, timeout: float) -> Peer:
    """Plain MkDocs + Material on the pages: default settings, search plugin on."""
    project = work / "mkdocs-material"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copytree(docs, project / "docs")
    # default settings, except that MkDocs would hide the templates/ pages (a folder name it reserves)
    (project / "mkdocs.yml").write_text("site_name: Peer\ntheme:\n  name: material\nplugins:\n  - search\n"
                                        "exclude_docs: |\n  !/templates/\n", encoding="utf-8")
    seconds, done = _timed([sys.executable, "-m", "mkdocs", "build", "-q"], project, timeout)
    pages = sum(1 for _ in (project / "site").rglob("index.html")) if done.returncode == 0 else 0
    return Peer("MkDocs + Material (plain Markdown)", "ok" if done.returncode == 0 else "failed",
                round(seconds, 2), pages, done.stderr.strip()[-300:] if done.returncode else "")


_HUGO_LAYOUT = "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n"


def hugo(docs: Path, work: Path, timeout: float) -> Peer:
    """Hugo on the same Markdown, with a one-file layout (no theme, no search index)."""
    exe = shutil.which("hugo")
    if exe is None:
        return Peer("Hugo", "not installed", note="install Debian's 'hugo' to include it")
    project = work / "hugo"
    shutil.rmtree(project, ignore_errors=True)
    (project / "layouts" / "_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (project / "layouts" / "_default" / name).write_text(_HUGO_LAYOUT, encoding="utf-8")
    (project / "layouts" / "index.html").write_text(_HUGO_LAYOUT, encoding="utf-8")
    content = project / "content"
    for md in docs.rglob("*.md"):
        rel = md.relative_to(docs)
        target = content / ("_index.md" if rel.as_posix() == "index.md" else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = md.read_text(encoding="utf-8")
        title = next((l.lstrip("# ").strip() for l in text.splitlines() if l.startswith("#")), rel.stem)
        target.write_text(f"---\ntitle: {title!r}\n---\n\n{text}", encoding="utf-8")
    (project / "hugo.toml").write_text('baseURL = "http://localhost/"\ntitle = "Peer"\n'
                                       'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    seconds, done = _timed([exe, "--quiet", "--destination", "public"], project, timeout)
    pages = sum(1 for _ in (project / "public").rglob("*.html")) if done.returncode == 0 else 0
    return Peer("Hugo (plain Markdown, minimal layout)", "ok" if done.returncode == 0 else "failed",
                round(seconds, 2), pages, done.stderr.strip()[-300:] if done.returncode else "")


def measure(site: Path, work: Path, kb_seconds: float | None, timeout: float = 3600) -> dict:
    """Write the pages once, build them with each peer, and give kb_builder's ratio to each."""
    docs = work / "peer-docs"
    pages = write_pages(site, docs)
    peers = [mkdocs_material(docs, work, timeout), hugo(docs, work, timeout)]
    out = {"pages": pages, "words": sum(len(p.read_text(encoding="utf-8").split()) for p in docs.rglob("*.md")),
           "kb_render_and_mkdocs_s": kb_seconds, "peers": [asdict(p) for p in peers]}
    for peer in out["peers"]:
        peer["kb_ratio"] = round(kb_seconds / peer["seconds"], 2) if kb_seconds and peer["seconds"] else None
    return out


def table(result: dict) -> str:
    """The peers as a Markdown table."""
    rows = [f"Peers on the internal site's pages ({result['pages']} pages, {result['words']:,} words as plain Markdown):",
            "", "| engine | status | seconds | kb_builder render + MkDocs / this |", "|---|---|---|---|",
            f"| kb_builder (render internal + mkdocs internal) | ok | {result['kb_render_and_mkdocs_s']} | 1.0 |"]
    for p in result["peers"]:
        rows.append(f"| {p['name']} | {p['status']} | {p['seconds'] if p['seconds'] is not None else '-'} | "
                    f"{p['kb_ratio'] if p['kb_ratio'] is not None else '-'} |")
    return "\n".join(rows)
