"""MkDocs plugin `kb`: lets `mkdocs build` / `mkdocs serve` on a plain mkdocs.yml generate the
internal site from content/ (pages are added as generated files; nothing is written to docs/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from kb_builder.errors import ContentError
from kb_builder.sites.engine import MARKDOWN_EXTENSIONS


class KbConfig(Config):
    content = c.Type(str, default="content")
    """The content folder (holds kb.yaml), relative to mkdocs.yml."""
    today = c.Optional(c.Type(str))
    """Pin 'today' (YYYY-MM-DD) for overdue markers."""


class KbPlugin(BasePlugin[KbConfig]):
    """Generates the internal knowledge-base pages and navigation on every (re)build."""

    def on_config(self, config):
        from kb_builder.pipeline import internal_site, load_and_check

        base = Path(config.config_file_path or ".").parent
        content = (base / self.config.content).resolve()
        today = dt.date.fromisoformat(self.config.today) if self.config.today else dt.date.today()
        try:
            catalog, problems = load_and_check(content, today)
        except ContentError as exc:
            raise PluginError("content has errors:\n" + "\n".join(p.format() for p in exc.problems)) from None
        self.site = internal_site(catalog, problems, today)
        if not config.nav:
            config.nav = self.site.nav
        for ext in MARKDOWN_EXTENSIONS:
            name, options = (ext, {}) if isinstance(ext, str) else next(iter(ext.items()))
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                if options:
                    config.mdx_configs[name] = options
        for key, asset in (("extra_css", "assets/kb.css"), ("extra_javascript", "assets/kb.js")):
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

    def on_files(self, files: Files, config) -> Files:
        for path, markdown in self.site.pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, path, content=markdown))
        return files
