"""Answer pages filled into a shell that MkDocs + Material built: the help centers' fast path.

A help center has a few listing pages (home, topics, contact) and one page per answer. Every
answer page is one block of finished HTML (render/public.py) at the same depth
(`<category>/<entry>/`), outside the navigation, with no table of contents: what Material puts
around it is the same on every answer page but for the page's title, its URL (the language
switcher's links), its `<title>` and, with kb.yaml `site_url`, its search-engine block. So MkDocs
builds the listing pages and one scratch page per topic folder, the *shell* (the navigation's
relative links depend on the folder), whose title, URL and content are tokens; `ShellCapture`
keeps each shell's HTML, Jinja context and environment while it is built.
Each answer page is then the shell with its tokens replaced: the `htmltitle` and `site_meta`
blocks rendered by the theme's own templates with the page in the context, the title and URL as
Material prints them (raw), and the content as MkDocs makes it of a page that is a single block.
Its search entries come from the same `search_sections.Sections` the engine's plugin uses.

The reference path (MkDocs for every page) stays: `tests/public/test_answer_shell.py` proves on
hostile input that both write the same bytes, and every build checks one real answer page
per topic (the canary, built by MkDocs) against its filled twin, falling back to the reference path when
they differ (a project's theme layer may print the title in another way).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from mkdocs.plugins import BasePlugin, event_priority

from kb_builder.render.common import page_url, raw, text_hash
from kb_builder.render.public import front_matter
from kb_builder.sites.incremental import SEARCH_INDEX, page_output
from kb_builder.sites.raw_html import extract
from kb_builder.sites.search_sections import Sections, tidy_entries

SHELL_NAME = "kbanswershell"  # the shell page's name in each topic folder
TITLE = "kbanswershelltitle"
CONTENT = "<h1>kbanswershellcontent</h1>"  # with "<h1": Material's content.html adds no heading then
_TOKEN = "kbanswershell"
ANSWERS_STATE = ".kb-answers.json"
_SLOT_BODY = "<!--kb-raw:0-->"


class ShellError(Exception):
    """The shell does not have the expected shape: build every page with MkDocs instead."""


def shell_page(rel: str) -> str:
    """The shell page for an answer page: in the same folder."""
    return f"{rel.rsplit('/', 1)[0]}/{SHELL_NAME}.md"


def shell_markdown(seo: dict | None) -> str:
    """The shell page: a title and content that are tokens, and a sample search-engine block
    (`seo`, any answer's) when the help center has one."""
    front: dict = {"title": TITLE, "search": {"exclude": True}}
    if seo is not None:
        front["kb_seo"] = seo
    return f"---\n{front_matter(front)}\n---\n{raw(CONTENT)}"


def single_block(markdown: str) -> str | None:
    """The one HTML block of a page that is front matter plus that block, else None."""
    body, blocks = extract(markdown)
    if body.startswith("---\n"):
        end = body.find("\n---\n", 4)
        if end < 0:
            return None
        body = body[end + 5:]
    return blocks[0] if len(blocks) == 1 and body.strip() == _SLOT_BODY else None


def fillable(pages: dict[str, str], answers: dict[str, dict]) -> bool:
    """True when every answer page can be filled into the shell: at the shell's depth, with a
    title, made of one HTML block."""
    return bool(answers) and all(
        rel.count("/") == 1 and not rel.endswith(("/index.md", f"/{SHELL_NAME}.md"))
        and isinstance(meta.get("title"), str) and single_block(pages[rel]) is not None
        for rel, meta in answers.items())


class ShellCapture(BasePlugin):
    """Keeps what each shell page is built from and into: Jinja environment, context, HTML."""

    def __init__(self, shells: set[str]):
        super().__init__()
        self.shells = shells
        self.env = None
        self.context: dict[str, dict] = {}
        self.content: dict[str, str] = {}
        self.html: dict[str, str] = {}

    @event_priority(-100)
    def on_env(self, env, config, files):  # noqa: D102 (an MkDocs event)
        self.env = env
        return env

    @event_priority(-100)  # last: the context as the template gets it
    def on_page_context(self, context, page, config, nav):  # noqa: D102 (an MkDocs event)
        if page.file.src_uri in self.shells:
            self.context[page.file.src_uri], self.content[page.file.src_uri] = dict(context), page.content
        return context

    @event_priority(-100)
    def on_post_page(self, output, page, config):  # noqa: D102 (an MkDocs event)
        if page.file.src_uri in self.shells:
            self.html[page.file.src_uri] = output
        return output


class _Page:
    """The shell's page object as another answer page: its own meta, URL and title."""

    def __init__(self, base, meta: dict, url: str):
        self._base, self.meta, self.url, self.title = base, meta, url, meta.get("title")

    def __getattr__(self, name):
        return getattr(self._base, name)


@dataclass
class AnswerShell:
    """The shell's HTML cut at its slots (`pieces[i]`, slot `kinds[i]`, ..., last piece)."""

    pieces: list[str]
    kinds: list[str]
    around: tuple[str, str]  # MkDocs's page content is around[0] + block + around[1]
    template: object
    context: dict
    digest: str  # of the shell's HTML: answers filled into an equal shell are equal
    chinese: bool = False
    sections: Sections | None = field(default=None, repr=False)

    @classmethod
    def of(cls, capture: ShellCapture, rel: str, seo: bool, chinese: bool) -> "AnswerShell":
        """The shell page `rel` of a build that ran `capture`; ShellError when it is not of the
        known shape."""
        if rel not in capture.html or rel not in capture.context or capture.env is None:
            raise ShellError(f"the shell page {rel} was not built")
        html, context, content = capture.html[rel], capture.context[rel], capture.content[rel]
        template = capture.env.get_template("main.html")
        needles = []
        for name, wanted in (("site_meta", seo), ("htmltitle", True)):
            if wanted:
                if name not in template.blocks:
                    raise ShellError(f"the theme's main.html has no {name} block")
                try:
                    needles.append((_block(template, name, context), name))
                except jinja2.TemplateError as exc:
                    raise ShellError(f"the theme's {name} block cannot be rendered alone: {exc}") from exc
        if content.count(CONTENT) != 1:
            raise ShellError("the shell's content is not where it was put")
        before, _, after = content.partition(CONTENT)
        needles += [(content, "content"), (TITLE, "title"), (page_url(rel), "url")]
        pieces, kinds = [html], []
        for needle, kind in needles:
            new_pieces, new_kinds = [], []
            for i, piece in enumerate(pieces):
                parts = piece.split(needle)
                for j, part in enumerate(parts):
                    new_pieces.append(part)
                    if j < len(parts) - 1:
                        new_kinds.append(kind)
                if i < len(kinds):
                    new_kinds.append(kinds[i])
            pieces, kinds = new_pieces, new_kinds
            if kind in ("site_meta", "htmltitle", "content") and kinds.count(kind) != 1:
                raise ShellError(f"the shell's {kind} is not found once")
        if any(_TOKEN in piece.lower() for piece in pieces):
            raise ShellError("a token of the shell is printed in a way the filler does not know")
        return cls(pieces, kinds, (before, after), template, context, text_hash(html), chinese, Sections(chinese))

    def content(self, markdown: str) -> str:
        """The page content MkDocs makes of an answer page (its one block, restored)."""
        return self.around[0] + single_block(markdown) + self.around[1]

    def page(self, rel: str, markdown: str, meta: dict) -> str:
        """The HTML MkDocs + Material would write for the answer page `rel`."""
        page = _Page(self.context["page"], meta, page_url(rel))
        context = {**self.context, "page": page}
        values = {"title": str(meta["title"]), "url": page.url, "content": self.content(markdown)}
        out = [self.pieces[0]]
        for kind, piece in zip(self.kinds, self.pieces[1:]):
            out.append(values[kind] if kind in values else _block(self.template, kind, context))
            out.append(piece)
        return "".join(out)

    def entries(self, rel: str, markdown: str, meta: dict) -> list[dict]:
        """The page's search entries as the engine's plugin makes them (none when excluded)."""
        if (meta.get("search") or {}).get("exclude"):
            return []
        docs = self.sections.entries(self.content(markdown), page_url(rel), str(meta["title"]))
        tidy_entries(docs, self.chinese)
        return docs


def _block(template, name: str, context: dict) -> str:
    return "".join(template.blocks[name](template.new_context(context)))


def write_page(site_dir: Path, rel: str, html: str) -> None:
    """Write a page as MkDocs does, by replacing the file (site_dir may hold hard links to the
    previous output, which must stay as it was)."""
    path = Path(site_dir) / page_output(rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(html.encode("utf-8", errors="xmlcharrefreplace"))
    os.replace(tmp, path)


def remove_page(site_dir: Path, rel: str) -> None:
    """Remove an answer page that is gone, and its folder when it is empty."""
    path = Path(site_dir) / page_output(rel)
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == Path(site_dir) or not folder.is_dir() or any(folder.iterdir()):
            break
        folder.rmdir()


@dataclass
class AnswersState:
    """What a help center's answer pages were filled from: the shell's digest, a hash per page."""

    shell: str
    pages: dict[str, str]

    @classmethod
    def read(cls, site_dir: Path | None) -> "AnswersState | None":
        """The state a previous build left in site_dir, or None."""
        if site_dir is None:
            return None
        try:
            data = json.loads((Path(site_dir) / ANSWERS_STATE).read_text(encoding="utf-8"))
            return cls(str(data["shell"]), {str(k): str(v) for k, v in dict(data["pages"]).items()})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, site_dir: Path) -> None:
        """Record the state (by replacing the file: it may be a link to the previous output's)."""
        path = Path(site_dir) / ANSWERS_STATE
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps({"shell": self.shell, "pages": self.pages}, sort_keys=True, indent=0),
                       encoding="utf-8")
        os.replace(tmp, path)


def page_order(rels: list[str]) -> list[str]:
    """Pages in the order MkDocs builds them (and lists them in the search index): a folder's
    files before its subfolders, `index` first, then by name (mkdocs.structure.files.get_files)."""
    tree: dict = {}
    for rel in rels:
        node = tree
        *folders, name = rel.split("/")
        for folder in folders:
            node = node.setdefault(folder + "/", {})
        node[name] = rel

    def walk(node: dict) -> list[str]:
        files = sorted((k for k in node if not k.endswith("/")),
                       key=lambda f: (os.path.splitext(f)[0] not in ("index", "README"), f))
        out = [node[f] for f in files]
        for folder in sorted((k for k in node if k.endswith("/")), key=lambda k: k[:-1]):
            out += walk(node[folder])
        return out

    return walk(tree)


def rewrite_search_index(site_dir: Path, order: list[str], fresh: dict[str, list[dict]], unicode: bool) -> None:
    """The engine's search index with the answer pages' entries put in: `fresh` holds the entries
    of pages filled in this build, every other page keeps the entries the index has for it; all
    in MkDocs's page order, so the index equals the one a build of every page writes."""
    path = Path(site_dir) / SEARCH_INDEX
    data = json.loads(path.read_text(encoding="utf-8"))
    kept: dict[str, list[dict]] = {}
    for doc in data.get("docs", []):
        kept.setdefault(doc.get("location", "").split("#", 1)[0], []).append(doc)
    docs: list[dict] = []
    for rel in order:
        url = page_url(rel)
        docs += fresh[rel] if rel in fresh else kept.get(url, [])
    data["docs"] = docs
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":"), default=str, ensure_ascii=not unicode), encoding="utf-8")
    os.replace(tmp, path)
