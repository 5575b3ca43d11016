"""Is the installation complete for what a command is about to do?

A stage never skips itself because a library is missing: the pipeline asks `require` first and a
missing or broken dependency stops the command with exit code 3 before anything is written.
"""

from __future__ import annotations

import importlib

from kb_builder.errors import InstallationError

# stage -> (module to import, distribution that provides it)
SITES = (("mkdocs", "mkdocs"), ("material", "mkdocs-material"), ("markdown", "Markdown"),
         ("pymdownx", "pymdown-extensions"), ("nh3", "nh3"), ("jinja2", "Jinja2"), ("jieba", "jieba"),
         ("babel", "babel"))  # babel: language names and text direction (CLDR) on every site
PUBLIC = SITES
SEARCH = (("whoosh", "whoosh-reloaded"),)
SERVE = (("waitress", "waitress"),)


def require(*groups: tuple[tuple[str, str], ...]) -> None:
    """Import every module the given stages need; raise InstallationError naming each one missing."""
    missing: list[str] = []
    seen: set[str] = set()
    for group in groups:
        for module, dist in group:
            if module in seen:
                continue
            seen.add(module)
            try:
                importlib.import_module(module)
            except ImportError as exc:
                missing.append(f"{dist} (import {module}: {exc})")
    if missing:
        raise InstallationError(
            "the installation is incomplete: " + "; ".join(missing)
            + ". Reinstall kb_builder with its dependencies (pip install --force-reinstall kb-builder, "
            "or 'bash scripts/setup.sh' in the repository)")
