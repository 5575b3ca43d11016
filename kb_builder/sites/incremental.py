"""Incremental site builds: rebuild only the pages whose Markdown changed since the last build.

A site's previous output carries a small state file (`.kb-build.json`: a signature of everything
that shapes every page, and a hash per page). When the next build of the same site has the same
signature and the same set of pages, only the changed pages need the engine; the rest of the
previous output is linked into the new folder. Anything else (another theme, a changed title, a
page added or removed, a missing or unreadable state) means a full build: the state is a cache,
never a source of truth.

The previous output must stay untouched until the new one is swapped in, so the new folder gets
hard links only for page files that nobody writes to again; every file the engine or a
post-processing step rewrites is a fresh file (see `stage_previous`).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.render.common import page_url, text_hash

STATE_FILE = ".kb-build.json"
STATE_VERSION = 1
SEARCH_INDEX = Path("search") / "search_index.json"
# Written by every build, also an incremental one: never hard-linked to the previous output.
REWRITTEN = (str(SEARCH_INDEX),)
# MkDocs's theme pages: they show only what the signature holds (configuration, navigation with
# its titles, theme, build date) and the set of pages, which an incremental build shares with the
# previous one, so it keeps the previous ones (copied) instead of rendering them again.
THEME_PAGES = ("404.html", "sitemap.xml")
THEME_FILES = (*THEME_PAGES, "sitemap.xml.gz")


@dataclass
class SiteState:
    """What a site's output was built from: the shared signature and a hash per page."""

    signature: str
    pages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, signature: str, pages: dict[str, str]) -> "SiteState":
        """The state of a plan's pages (docs-relative path -> Markdown)."""
        return cls(signature, {rel: text_hash(text) for rel, text in sorted(pages.items())})

    @classmethod
    def read(cls, site_dir: Path) -> "SiteState | None":
        """The state left by the build of site_dir, or None when there is none usable."""
        try:
            data = json.loads((Path(site_dir) / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return None
        pages = data.get("pages")
        if not isinstance(data.get("signature"), str) or not isinstance(pages, dict):
            return None
        return cls(data["signature"], {str(k): str(v) for k, v in pages.items()})

    def write(self, site_dir: Path) -> None:
        """Record this state in site_dir, for the next build."""
        data = {"version": STATE_VERSION, "signature": self.signature, "pages": self.pages}
        (Path(site_dir) / STATE_FILE).write_text(json.dumps(data, sort_keys=True, indent=0), encoding="utf-8")

    def changed_pages(self, previous: "SiteState | None") -> list[str] | None:
        """Pages to rebuild on top of `previous`; None when only a full build is right."""
        if previous is None or previous.signature != self.signature or previous.pages.keys() != self.pages.keys():
            return None
        return [rel for rel, digest in self.pages.items() if previous.pages[rel] != digest]


def page_output(rel: str) -> str:
    """The HTML file a docs page becomes with directory URLs: `faq/x.md` -> `faq/x/index.html`."""
    return page_url(rel) + "index.html"


def stage_previous(previous: Path, target: Path, rebuild: list[str], link_all: bool = False,
                   keep_theme_pages: bool = False) -> None:
    """Fill target with the previous output: page HTML that stays as it is by hard link (copied
    where links are not possible), every other file by copy (keeping times, so the engine sees
    theme assets as up to date), and nothing for the files that will be written again. When no
    page is rebuilt the engine does not run at all, so every file but the state is linked.
    `link_all` links the other files too, for a site whose post-processing replaces files rather
    than writing into them (the help centers: sites/public.py). `keep_theme_pages`: the engine
    will not render THEME_PAGES, so the previous ones are copied too."""
    rewritten = set(REWRITTEN) | (set() if keep_theme_pages else set(THEME_FILES))
    skip = {page_output(rel) for rel in rebuild} | (rewritten if rebuild else set()) | {STATE_FILE}
    copy_others = bool(rebuild) and not link_all  # with nothing to rebuild, nothing is written
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)

    # A large help center is ~3,800 folders and ~7,600 files: plain strings and scandir, as the
    # system calls themselves are most of what is left (pathlib and os.walk doubled it).
    def fill(src_dir: str, dst_dir: str, prefix: str) -> None:
        with os.scandir(src_dir) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir():
                if entry.is_symlink():  # as os.walk: a linked folder is not followed
                    continue
                sub = os.path.join(dst_dir, entry.name)
                try:
                    os.mkdir(sub)
                except FileExistsError:
                    pass
                fill(entry.path, sub, rel + "/")
            elif rel not in skip:
                dst = os.path.join(dst_dir, entry.name)
                if not copy_others or entry.name == "index.html":
                    try:
                        os.link(entry.path, dst)
                        continue
                    except OSError:
                        pass
                shutil.copy2(entry.path, dst)

    fill(os.fspath(previous), os.fspath(target), "")


def merge_search_docs(previous: Path, fresh_docs: list[dict], rebuilt: list[str]) -> list[dict]:
    """The engine's search entries of the rebuilt pages completed with the previous entries of
    every other page, in the previous order, so an incremental build gives the same index as a full one."""
    old = json.loads((previous / SEARCH_INDEX).read_text(encoding="utf-8"))
    fresh: dict[str, list] = {}
    for doc in fresh_docs:
        fresh.setdefault(doc.get("location", "").split("#", 1)[0], []).append(doc)
    urls = {page_url(rel) for rel in rebuilt}
    docs, placed = [], set()
    for doc in old.get("docs", []):
        page = doc.get("location", "").split("#", 1)[0]
        if page not in urls:
            docs.append(doc)
        elif page not in placed:
            docs.extend(fresh.get(page, []))
            placed.add(page)
    for page in sorted(urls - placed):
        docs.extend(fresh.get(page, []))
    return docs
