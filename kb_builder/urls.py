"""Where each entry lives in the built sites. One place, so pages, search and reports agree."""

from __future__ import annotations

from kb_builder.model import Entry, Faq, LearningPath, Market


def internal_page(entry: Entry | LearningPath | Market) -> str:
    """Source path (Markdown) of the internal page that shows an entry, e.g. `sops/damaged-item.md`."""
    if isinstance(entry, Market):
        return f"markets/{entry.slug}.md"
    if isinstance(entry, Faq):
        return f"faq/{entry.category}.md"
    folder = {"sop": "sops", "template": "templates", "path": "paths"}[entry.kind]
    return f"{folder}/{entry.id}.md"


def internal_url(entry: Entry | LearningPath | Market) -> str:
    """URL of an entry relative to the internal site root, e.g. `sops/damaged-item/` or
    `faq/shipping/#faq-where-is-my-order` (FAQ entries share a page per category)."""
    page = internal_page(entry)[:-3] + "/"
    if isinstance(entry, Faq):
        return f"{page}#{anchor(entry)}"
    return page


def anchor(entry: Entry) -> str:
    """HTML id of an entry on a shared page (FAQ category pages, market pages, help-center
    topics, the health page): `faq-where-is-my-order`."""
    return ref_anchor(entry.ref)


def ref_anchor(ref: str) -> str:
    """The same id from an entry reference: `sop:damaged-item` -> `sop-damaged-item`."""
    return ref.replace(":", "-", 1)
