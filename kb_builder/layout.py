"""The content folder's layout: which file kind lives where. The one place that knows it."""

from __future__ import annotations

from pathlib import Path

from kb_builder.errors import UsageError

KB_FILE = "kb.yaml"
MARKETS_FOLDER = "markets"
SYNONYMS_FOLDER = "synonyms"  # synonyms/<lang>.yaml: search synonyms per language
# entry kind -> its folder under the content folder
KIND_FOLDERS = {"sop": "sops", "faq": "faq", "template": "templates", "path": "paths"}
# every folder that holds content files, in loading order (markets first: entries refer to them)
CONTENT_FOLDERS = (MARKETS_FOLDER, *KIND_FOLDERS.values(), SYNONYMS_FOLDER)
YAML_SUFFIXES = (".yaml", ".yml")


def folder_of(kind: str) -> str:
    """The folder of a file kind (`sop` -> `sops`, `market` -> `markets`)."""
    return MARKETS_FOLDER if kind == "market" else KIND_FOLDERS[kind]


def entry_file(content: Path, kind: str, ident: str) -> Path:
    """Where the file of an entry (or market) with this id is written: `content/sops/<id>.yaml`."""
    return Path(content) / folder_of(kind) / f"{ident}.yaml"


def require_content(content: Path, need_kb_yaml: bool = True) -> Path:
    """The content folder, or a UsageError saying what is missing and what to pass or run."""
    content = Path(content)
    if not content.is_dir():
        raise UsageError(f"content folder '{content}' does not exist; pass --content DIR "
                         "(the folder that holds kb.yaml), or start one with 'kb init DIR'")
    if need_kb_yaml and not (content / KB_FILE).is_file():
        raise UsageError(f"no {KB_FILE} in '{content}'; pass --content DIR (the folder that holds kb.yaml), "
                         "or start one with 'kb init DIR'")
    return content
