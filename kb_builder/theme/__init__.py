"""The theme layers of every site: the Material overrides shipped inside this package
(`kb_builder/theme/overrides/`: kb.css, kb.js, favicon, partials) and, over them, a content
project's own `site_overrides/` folder next to its kb.yaml (logo, colours, extra CSS, Material
partials). Like Material's `custom_dir`, a file of the project's layer replaces the shipped file
at the same path; anything else falls through to the shipped layer, then to Material itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kb_builder.errors import InstallationError, UsageError

SHIPPED = Path(__file__).resolve().with_name("overrides")
PROJECT_FOLDER = "site_overrides"  # next to kb.yaml, inside the content folder
# what a build reads from the shipped layer; missing means a broken installation, not bad content
REQUIRED = ("assets/kb.css", "assets/kb.js", "assets/favicon.svg", "partials/alternate.html")


def shipped_dir() -> Path:
    """The shipped layer, or InstallationError (exit 3) when the installation lacks its files."""
    missing = [rel for rel in REQUIRED if not (SHIPPED / rel).is_file()]
    if missing:
        raise InstallationError(
            f"kb_builder's theme files are missing from {SHIPPED} ({', '.join(missing)}): the installation is "
            "incomplete; reinstall kb-builder (pip install --force-reinstall kb-builder)")
    return SHIPPED


def project_dir(content: Path | str | None) -> Path | None:
    """The content project's own layer (`site_overrides/` beside kb.yaml), None when it has none.

    Symbolic links in it are refused: the layer is copied into public sites, so a link could
    publish a file from outside the content folder.
    """
    if content is None:
        return None
    folder = Path(content) / PROJECT_FOLDER
    if not folder.is_dir():
        return None
    if folder.is_symlink():
        raise UsageError(f"{folder} is a symbolic link; make it a real folder inside the content folder")
    for path in folder.rglob("*"):
        if path.is_symlink():
            raise UsageError(f"{path} is a symbolic link; copy the file into {folder} instead")
    return folder.resolve()


def layers(project: Path | None) -> list[Path]:
    """Theme folders in precedence order (first wins): the project's layer, then the shipped one."""
    return ([project] if project is not None else []) + [shipped_dir()]


def digest(project: Path | None) -> str:
    """A hash of every file of every layer (relative path and bytes), for incremental builds:
    a changed theme file makes every page stale."""
    h = hashlib.sha256()
    for i, root in enumerate(layers(project)):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(f"{i}:{path.relative_to(root).as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]
