"""A help center's pages kept between builds, each under a key made of what it read.

The public side of render/page_cache.py, with the same machinery (`render_recorded` collects what
a page reads while it renders, keys are digests of those reads as they are now): while a page of
a help center renders, every question it shows notes a read (`HelpCenterPages` in
render/public.py names what can be read and fingerprints it): the question's title
(`("title", id)`: a listing or a related-answers block), the whole answer (`("faq", id)`: its own
page, a topic page's excerpt), the answer's related ids, a topic's list of questions, the list of
topics. A page's key is a digest of
- what every page of the help center reads: the package's code, templates and theme and the
  installed distributions, the site's name, topics, languages, labels, site_url and feedback_url,
  and the market (its values, channels, hours, languages): `HelpCenterPages.common_print`;
- the page's path (which says what kind of page it is and which entry or topic it shows);
- what it read last time, as it is now.
When the key equals the stored one, the stored Markdown (and the answer page's front matter and
sitemap address) is the page; otherwise it is rendered again and its reads recorded afresh. So one
FAQ edit renders only that answer's page, its topic page and, when the question changed, the home
page and the answer pages that list it as related.

One data file per help center (`public-<tag>-<market>-<lang>.pickle`) under
loading.cache.cache_folder; `KB_CACHE=off` bypasses it. Pages that are gone are forgotten when it
is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kb_builder.loading.cache import cache_folder, enabled, ensure_folder, read_data, write_data
from kb_builder.render.page_cache import _digest, cache_tag

CACHE_PREFIX = "public-"


@dataclass
class StoredPage:
    """One rendered page of a help center, with what it read and the key that was made of it."""

    key: str
    reads: frozenset
    markdown: str
    meta: dict | None = None  # an answer page's front matter as data (HelpCenterSite.answers)
    canonical: str | None = None  # its address in the help center's sitemap, None when not listed


@dataclass
class CenterCache:
    """The stored pages of one help center, and the pages of this build."""

    path: Path | None
    stored: dict[str, StoredPage] = field(default_factory=dict)
    fresh: dict[str, StoredPage] = field(default_factory=dict)
    hits: int = 0
    # derived data of the whole help center (related answers, llms.txt files): name -> (digest, value)
    stored_memo: dict[str, tuple[str, Any]] = field(default_factory=dict)
    fresh_memo: dict[str, tuple[str, Any]] = field(default_factory=dict)

    @classmethod
    def open(cls, content_root: Path | str, market_slug: str, lang: str, use_stored: bool = True) -> "CenterCache":
        """The cache of one help center of a content folder (`use_stored=False`: render every page,
        store anew); a cache that stores nothing when KB_CACHE turns caching off."""
        if not enabled():
            return cls(None)
        path = center_cache_folder(content_root) / center_cache_name(content_root, market_slug, lang)
        cache = cls(path)
        stored = read_data(path) if use_stored else None
        if isinstance(stored, dict) and isinstance(stored.get("pages"), dict) \
                and isinstance(stored.get("memo"), dict) \
                and all(isinstance(v, StoredPage) for v in stored["pages"].values()):
            cache.stored, cache.stored_memo = stored["pages"], stored["memo"]
        return cache

    def memo(self, name: str, digest: str, make: Callable[[], Any]) -> Any:
        """`make()`, or the value stored under `name` when it was made from inputs of the same digest."""
        found = self.stored_memo.get(name)
        value = found[1] if found is not None and found[0] == digest else make()
        self.fresh_memo[name] = (digest, value)
        return value

    @staticmethod
    def key(common: str, rel: str, reads: frozenset, fingerprint: Callable[[str, str], str]) -> str:
        """The key of page `rel` that read `reads`: `common` and each read as it is now."""
        return _digest(common.encode(), rel.encode(),
                       *(f"{k}\0{i}\0{fingerprint(k, i)}".encode() for k, i in sorted(reads)))

    def lookup(self, common: str, rel: str, fingerprint: Callable[[str, str], str]) -> StoredPage | None:
        """The stored page when nothing it read has changed, else None."""
        stored = self.stored.get(rel)
        if stored is None or self.key(common, rel, stored.reads, fingerprint) != stored.key:
            return None
        self.fresh[rel] = stored
        self.hits += 1
        return stored

    def keep(self, common: str, rel: str, fingerprint: Callable[[str, str], str], page: StoredPage) -> None:
        """Remember a page just rendered (its key is made here)."""
        page.key = self.key(common, rel, page.reads, fingerprint)
        self.fresh[rel] = page

    def save(self) -> None:
        """Write the pages of this build (pages of earlier builds that are gone are dropped); never fails.
        Nothing is written when the build took every page and value from the stored file as it is."""
        if self.path is None or self.unchanged():
            return
        try:
            ensure_folder(self.path.parent)
            write_data(self.path, {"pages": self.fresh, "memo": self.fresh_memo})
        except OSError:
            pass

    def unchanged(self) -> bool:
        """True when this build's pages and values are exactly the stored ones (all taken from it)."""
        return bool(self.stored) and self.fresh.keys() == self.stored.keys() \
            and all(self.fresh[rel] is page for rel, page in self.stored.items()) \
            and self.fresh_memo.keys() == self.stored_memo.keys() \
            and all(self.fresh_memo[name][0] == digest for name, (digest, _) in self.stored_memo.items())


def center_cache_folder(content_root: Path | str) -> Path:
    """Where the help centers' caches of a content folder live."""
    return cache_folder(Path(content_root).resolve())


def center_cache_name(content_root: Path | str, market_slug: str, lang: str) -> str:
    """The file name of one help center's cache (the content folder and working directory in its tag,
    as for the internal pages)."""
    return f"{CACHE_PREFIX}{cache_tag(content_root)}-{market_slug}-{lang}.pickle"


def forget_other_centers(content_root: Path | str, centers: list[tuple[str, str]]) -> None:
    """Remove the caches of help centers that are no longer built (a market or language dropped)."""
    if not enabled():
        return
    keep = {center_cache_name(content_root, slug, lang) for slug, lang in centers}
    folder = center_cache_folder(content_root)
    for path in folder.glob(f"{CACHE_PREFIX}{cache_tag(content_root)}-*.pickle") if folder.is_dir() else ():
        if path.name not in keep:
            path.unlink(missing_ok=True)

