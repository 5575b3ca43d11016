"""Markdown links inside content text, and the link syntax for pointing at other entries.

Cross-entry links name the target by reference, never by file or URL, so they survive page
moves and work on every site: `[see the SOP](sop:damaged-item)`, `[step](sop:damaged-item#evidence)`
(a step of an SOP), `faq:where-is-my-order`, `template:apology-damaged`, `path:new-agent-week-one`
and `market:DE`. Other allowed targets are `#anchor`, `http(s)://`, `mailto:` and `tel:`.
A relative file path points to nothing in the built sites and is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from kb_builder.checks.references import KIND_WORDS, suggestion
from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Mark, Problem
from kb_builder.model import Catalog, Sop

ENTRY_SCHEMES = ("sop", "faq", "template", "path", "market")
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")

_FENCE = re.compile(r"^ {0,3}(```|~~~).*?(?:^ {0,3}\1[^\n]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.S)
_INLINE = re.compile(r"!?\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)")
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(.*)", re.S)


@dataclass(frozen=True)
class LinkTarget:
    """A parsed link target: `scheme` is '' for a relative path; `ref` is kind:id for entry links."""

    raw: str
    scheme: str
    rest: str
    fragment: str = ""

    @property
    def ref(self) -> str | None:
        """`kind:id` for a link to an entry (market codes uppercased), else None."""
        if self.scheme not in ENTRY_SCHEMES:
            return None
        ident = self.rest.upper() if self.scheme == "market" else self.rest
        return f"{self.scheme}:{ident}"


def parse_link(target: str) -> LinkTarget:
    """Split a Markdown link target into scheme, the rest and the fragment."""
    body, _, fragment = target.partition("#")
    m = _SCHEME.fullmatch(body)
    if m and not target.startswith("//"):
        return LinkTarget(target, m.group(1).lower(), m.group(2), fragment)
    return LinkTarget(target, "", body, fragment)


def link_targets(text: str) -> list[str]:
    """Targets of the inline links, images and link definitions in Markdown text (code excluded)."""
    if "](" not in text and "]:" not in text:
        return []
    text = _CODE_SPAN.sub(" ", _FENCE.sub("", text))
    found = [m.group(1) for m in _INLINE.finditer(text)] + [m.group(1) for m in _DEFINITION.finditer(text)]
    return [t[1:-1].strip() if t.startswith("<") else t for t in found]


def resolve(catalog: Catalog, link: LinkTarget):
    """The entry, step or market a link points to, or None."""
    ref = link.ref
    if ref is None:
        return None
    if link.scheme == "market":
        return catalog.markets.get(ref.partition(":")[2])
    target = catalog.lookup(ref)
    if link.fragment and isinstance(target, Sop):
        return target.step(link.fragment)
    return target


@dataclass(frozen=True)
class _Text:
    owner: str | None
    public: bool
    lang: str | None
    text: str
    mark: Mark | None
    market: str | None = None


def _all_texts(ctx: CheckContext) -> Iterator[_Text]:
    catalog = ctx.catalog
    for item in ctx.texts.links:
        yield _Text(item.entry.ref, item.entry.published, item.lang, item.text, item.mark)
    for faq in catalog.faqs.values():
        if faq.internal_note:
            yield _Text(faq.ref, False, None, faq.internal_note, faq.mark)
    for path in catalog.paths.values():
        if path.summary:
            yield _Text(path.ref, False, None, path.summary, path.marks.get("summary") or path.mark)
        for module in path.modules:
            if module.exercise:
                yield _Text(path.ref, False, None, module.exercise, module.mark)
    for market in catalog.markets.values():
        if market.notes:
            yield _Text(None, False, None, market.notes, market.marks.get("notes"), market.code)


def _problem(catalog: Catalog, link: LinkTarget) -> tuple[str, str] | None:
    if link.scheme in EXTERNAL_SCHEMES or (not link.scheme and not link.rest):
        return None
    if link.scheme == "" and link.raw.startswith("//"):
        return None
    if link.scheme in ENTRY_SCHEMES:
        if resolve(catalog, link) is not None:
            return None
        if link.fragment and catalog.lookup(link.ref) is not None:
            sop = catalog.lookup(link.ref)
            steps = ", ".join(s.id for s in getattr(sop, "steps", []))
            return (f"the link {link.raw} names the step '{link.fragment}', which {link.ref} does not have",
                    f"use one of its step ids: {steps}")
        if link.scheme == "market":
            known = ", ".join(sorted(catalog.markets))
            return f"the link {link.raw} names a market that does not exist", f"known markets: {known}"
        return (f"the link {link.raw} names the {KIND_WORDS[link.scheme]} '{link.rest}', which does not exist",
                suggestion(catalog, link.ref))
    if link.scheme:
        return (f"the link {link.raw} uses '{link.scheme}:', which the sites do not follow",
                "use https://, mailto:, tel: or an entry reference such as sop:ID")
    return (f"the relative link {link.raw} points to nothing in the built sites",
            "link to entries as sop:ID, faq:ID, template:ID or path:ID; other pages need a full https:// address")


def _on_help_center(catalog: Catalog, link: LinkTarget) -> bool:
    target = catalog.lookup(link.ref) if link.scheme == "faq" else None
    return target is not None and target.published


@check("links")
def content_links(ctx: CheckContext) -> Iterator[Problem]:
    """Links in content that point to nothing, and links from public text to internal pages."""
    catalog = ctx.catalog
    for item in _all_texts(ctx):
        for raw in link_targets(item.text):
            link = parse_link(raw)
            if link.ref is not None and ctx.unloaded(link.ref):
                continue
            wrong = _problem(catalog, link)
            if wrong:
                where = item.owner or f"the notes of market {item.market}"
                yield finding("broken-link", f"{wrong[0]} (in {where})", wrong[1],
                              item.mark, entry=item.owner, lang=item.lang,
                              markets=(item.market,) if item.market else ())
                continue
            if item.public and link.ref is not None and not _on_help_center(catalog, link):
                yield finding("internal-reference",
                              f"public {item.owner} links to {link.raw}, which the help center does not have; "
                              "customers see the link text without a link",
                              "link to a public FAQ entry instead, or remove the link",
                              item.mark, entry=item.owner, lang=item.lang)
