"""MkDocs plugin `kb`: lets `mkdocs build` / `mkdocs serve` on a plain mkdocs.yml generate the
internal site from content/ (pages are added as generated files; nothing is written to docs/).

The site is the one `kb build` makes: the plugin applies kb's own settings (site name from
kb.yaml, theme, search languages, Markdown extensions, the theme layers) over mkdocs.yml's, and
leaves out every file of `docs_dir`, so developer notes there never reach the agents' site or its
search. A `kb build` state file in the output is removed: `kb build` would otherwise trust
pages that this configuration wrote and rebuild only some of them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from kb_builder.errors import ContentError
from kb_builder.sites.engine import MARKDOWN_EXTENSIONS, MkDocsSite, content_text, escaped_nav
from kb_builder.sites.incremental import STATE_FILE
from kb_builder.sites.raw_html import RawHtmlPlugin, extract
from kb_builder.sites.search_sections import INTERNAL_TEXT_BUDGET, SearchSectionsPlugin


class KbConfig(Config):
    content = c.Type(str, default="content")
    """The content folder (holds kb.yaml), relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Pin 'today' (YYYY-MM-DD) for overdue markers."""


class KbPlugin(BasePlugin[KbConfig]):
    """Generates the internal knowledge-base pages and navigation on every (re)build."""

    def __init__(self):
        super().__init__()
        self.blocks: dict[str, list[str]] = {}  # finished HTML per page (sites/raw_html.py)

    @event_priority(50)  # before Material's search plugin reads its languages (default priority 0)
    def on_config(self, config):
        from kb_builder.pipeline import build_date, internal_site, load_and_check

        base = Path(config.config_file_path or ".").parent
        content = (base / self.config.content).resolve()
        today = dt.date.fromisoformat(self.config.today) if self.config.today else dt.date.today()
        try:
            catalog, problems = load_and_check(content, today)
        except ContentError as exc:
            raise PluginError("content has errors:\n" + "\n".join(p.format() for p in exc.problems)) from None
        self.site = internal_site(catalog, problems, today)
        if not config.nav:
            config.nav = escaped_nav(self.site.nav)
        self._apply_kb_settings(config, catalog, build_date)
        for ext in MARKDOWN_EXTENSIONS:
            name, options = (ext, {}) if isinstance(ext, str) else next(iter(ext.items()))
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
            if options:  # also for MkDocs's own defaults (toc): kb build's options win
                config.mdx_configs[name] = {**config.mdx_configs.get(name, {}), **options}
        for key, asset in (("extra_css", "assets/kb.css"), ("extra_javascript", "assets/kb.js"),
                           ("extra_javascript", "assets/kb-composer.js")):
            if asset not in [str(a) for a in config[key]]:
                config[key].append(asset)
        # the theme layers (see kb_builder/theme): the project's own, then the shipped one, then
        # Material's, so mkdocs.yml needs no custom_dir and works from an installed package
        from kb_builder.theme import layers, project_dir

        for layer in reversed(layers(project_dir(content))):
            if str(layer) not in config.theme.dirs:
                config.theme.dirs.insert(0, str(layer))
        config.watch.append(str(content))
        return config

    def _apply_kb_settings(self, config, catalog, build_date) -> None:
        """What `kb build` sets for the internal site (engine.MkDocsSite), over mkdocs.yml's values."""
        s = catalog.settings
        plan = MkDocsSite(name=s.name, language=s.source_language, pages=self.site.pages, nav=self.site.nav,
                        search_languages=s.languages, audience="internal",
                        prune_navigation=len(self.site.pages) > 400)
        kb = plan.mkdocs_config(Path(config.docs_dir), Path(config.site_dir))
        config.site_name = content_text(s.name)
        config.not_in_nav = c.PathSpec().run_validation(kb["not_in_nav"])
        config.exclude_docs = c.PathSpec().run_validation(kb["exclude_docs"])
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(build_date(catalog)))  # dates the sitemap as kb build does
        for key, value in kb["theme"].items():
            if key not in ("name", "custom_dir"):
                config.theme[key] = value
        config.extra.update(kb["extra"])
        config.plugins["kb-raw-html"] = RawHtmlPlugin(self.blocks)  # finished HTML past Markdown, as in kb build
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None:
            for key, value in kb["plugins"][0]["search"].items():
                search.config[key] = value
            # kb build's search entries (sites/search_sections.py): after Material's search and the
            # finished HTML's return, as engine.build_site registers them
            config.plugins["kb-search-sections"] = SearchSectionsPlugin(
                chinese="zh" in search.config.lang, unicode=True, text_budget=INTERNAL_TEXT_BUDGET)

    def on_pre_build(self, config) -> None:
        state = Path(config.site_dir) / STATE_FILE
        if state.is_file():
            state.unlink()

    def on_files(self, files: Files, config) -> Files:
        docs = Path(config.docs_dir).resolve()
        for f in list(files):  # the docs_dir's own files: developer notes, not knowledge-base pages
            if f.generated_by is None and f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs):
                files.remove(f)
        self.blocks.clear()
        for path in sorted(self.site.pages, key=_walk_order):  # kb build's order: its search index's order too
            markdown = self.site.pages[path]
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            markdown, self.blocks[path] = extract(markdown)
            files.append(File.generated(config, path, content=markdown))
        return files


def _walk_order(path: str) -> tuple:
    """Where MkDocs's walk of a docs folder finds a page: a folder's files (index first), then its
    subfolders in name order, each the same way down."""
    *folders, name = path.split("/")
    stem = name.rsplit(".", 1)[0]
    return (*((1, f) for f in folders), (0, (stem not in ("index", "README"), name)))
