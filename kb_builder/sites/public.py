"""Public help centers: one MkDocs + Material site per market and language, plus a chooser page.

OUT/public/<market>/<lang>/ holds each help center (its own pages, assets and search index, in
its own language); OUT/public/index.html lets a visitor pick a country and language. Help
centers are independent, so they are built in parallel worker processes.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kb_builder import theme
from kb_builder.model import Catalog
from kb_builder.render.common import language_name, text_hash
from kb_builder.render.env import render
from kb_builder.render.labels import labels_for
from kb_builder.render.localize import country_name, text_direction
from kb_builder.render.public import HelpCenterPages, HelpCenterSite, help_center_path
from kb_builder.render.public_cache import CenterCache, forget_other_centers
from kb_builder.render.public_content import PublicContent, public_content
from kb_builder.render.public_llms import answer_files, write_llms_files
from kb_builder.render.public_seo import Seo, replace_file, sitemap_index_xml, sitemap_xml
from kb_builder.runtime.parallel import job_count, map_forked
from kb_builder.sites.answer_shell import (AnswerShell, AnswersState, ShellCapture, ShellError,
                                           fillable, page_order, rewrite_search_index, shell_markdown,
                                           shell_page, write_page, remove_page)
from kb_builder.sites.engine import MkDocsSite, SiteBuild, build_site, lunr_language
from kb_builder.sites.incremental import page_output


@dataclass
class HelpCenterResult:
    """What building one help center produced."""

    market: str
    lang: str
    path: str  # relative to OUT/public, e.g. `de/de`
    pages: int
    faqs: int
    fallback_faqs: int  # shown in the source language (and kept out of the search index)
    seconds: float
    built: str = ""  # what the engine did, e.g. "2 of 9 pages rebuilt"
    rendered: int = 0  # pages rendered (the others were taken from the page cache)


@dataclass
class PublicBuild:
    """Every help center built, and the chooser page."""

    root: Path
    help_centers: list[HelpCenterResult] = field(default_factory=list)
    seconds: float = 0.0


def default_jobs() -> int:
    """Worker processes: KB_JOBS if set, else up to 2 (help centers are CPU-bound MkDocs builds)."""
    return job_count(2)


def build_public(catalog: Catalog, target_dir: Path, jobs: int | None = None,
                 progress: Callable[[str], None] | None = None, previous: Path | None = None,
                 build_date: int | None = None) -> PublicBuild:
    """Build every market's help center in each of its languages into target_dir, plus index.html.

    `progress`, when given, is called with one line per finished help center. `previous` is the
    last output (OUT/public): a help center whose pages did not change is taken from it, one whose
    pages changed gets only those pages built again, and with `previous` a page whose inputs did
    not change is not even rendered (render/public_cache.py). `build_date` dates every help center
    (seconds since 1970, see pipeline.build_date). Help centers are built on every core
    (runtime.parallel: forked workers share the public content and the answers' HTML already
    made for the internal site).
    """
    overrides = theme.project_dir(catalog.root)
    return build_centers(public_content(catalog), target_dir, catalog.root, jobs, progress, previous, build_date,
                         str(overrides) if overrides else None)


def build_centers(content: PublicContent, target_dir: Path, cache_root: Path | None, jobs: int | None = None,
                  progress: Callable[[str], None] | None = None, previous: Path | None = None,
                  build_date: int | None = None, theme_overrides: str | None = None) -> PublicBuild:
    """`build_public` of public content: every help center and the chooser, pages kept in the
    page cache of the content folder `cache_root` (None: no cache)."""
    previous_dir = Path(previous).resolve() if previous is not None and Path(previous).is_dir() else None
    t0 = time.perf_counter()
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    centers = [(m.code, lang) for m in content.markets for lang in m.languages]
    jobs = min(jobs or default_jobs(), len(centers)) if centers else 1
    result = PublicBuild(root=target_dir)
    from kb_builder.runtime.build_record import PACKAGE, package_digest

    code = package_digest(PACKAGE)  # once, before the workers fork
    if cache_root is not None:
        forget_other_centers(cache_root, [(code_.lower(), lang) for code_, lang in centers])

    def build_batch(batch: list[tuple[str, str]]) -> list[HelpCenterResult]:
        return [build_help_center(content, code_, lang, target_dir, previous_dir, build_date, theme_overrides,
                                  cache_root=cache_root, code=code)
                for code_, lang in batch]

    for done in map_forked(build_batch, batches(centers, jobs), jobs):
        result.help_centers.extend(done)
    order = {f"{code_.lower()}/{lang}": i for i, (code_, lang) in enumerate(centers)}
    result.help_centers.sort(key=lambda r: order[r.path])
    for res in result.help_centers:
        _report(res, progress)
    write_chooser(content, target_dir)
    write_sitemap_index(content, target_dir, centers)
    result.seconds = time.perf_counter() - t0
    return result


def batches(centers: list[tuple[str, str]], jobs: int) -> list[list[tuple[str, str]]]:
    """Help centers grouped into work items, largest first: centers of one language stay together
    (a worker renders each answer text once and fills in each market's values), and big language
    groups are split so the workers finish at about the same time."""
    size = max(1, -(-len(centers) // (jobs * 3)))
    by_lang: dict[str, list[tuple[str, str]]] = {}
    for code, lang in centers:
        by_lang.setdefault(lang, []).append((code, lang))
    out = [group[i:i + size] for group in by_lang.values() for i in range(0, len(group), size)]
    return sorted(out, key=len, reverse=True)


def _report(res: HelpCenterResult, progress: Callable[[str], None] | None) -> HelpCenterResult:
    if progress:
        progress(f"help center {res.path}: {res.faqs} questions"
                 f"{f' ({res.fallback_faqs} untranslated)' if res.fallback_faqs else ''}, {res.built}, {res.seconds:.1f} s")
    return res


def build_help_center(content: PublicContent, market_code: str, lang: str, target_dir: Path,
                      previous_dir: Path | None = None, build_date: int | None = None,
                      theme_overrides: str | None = None, reference: bool = False,
                      cache_root: Path | None = None, code: str = "") -> HelpCenterResult:
    """Render and build one help center into target_dir/<market>/<lang>/, rebuilding only its
    changed pages when previous_dir holds its last output.

    With `cache_root` (the content folder) pages are kept in its help-center page cache
    (render/public_cache.py, keyed with `code`, the package's digest): with previous_dir, a page
    whose reads did not change is taken from it, not rendered; without, every page is rendered
    and stored for the next build.

    MkDocs builds the listing pages and answer pages are filled into its shell
    (sites/answer_shell.py); `reference` builds every page with MkDocs instead, as the fast path
    does by itself when the shell or its canary check fails."""
    t0 = time.perf_counter()
    market = next(m for m in content.markets if m.code == market_code)
    cache = None
    if cache_root is not None:
        cache = CenterCache.open(cache_root, market.slug, lang, use_stored=previous_dir is not None)
    site = HelpCenterPages(content, market, lang).build(cache, code)
    out = Path(target_dir) / help_center_path(market, lang)
    before = Path(previous_dir) / help_center_path(market, lang) if previous_dir else None
    before = before if before is not None and before.is_dir() else None
    how, filled = None, ""
    hashes = {} if reference else {rel: text_hash(site.pages[rel]) for rel in sorted(site.answers)}
    if not reference and _fillable(site, cache, code, hashes):
        try:
            how, filled = _build_with_shell(site, lang, out, before, build_date, theme_overrides, hashes)
        except ShellError as exc:
            shutil.rmtree(out, ignore_errors=True)
            filled = f"every page by MkDocs: {exc}"
    if how is None:
        how = build_site(_plan(site, lang, site.pages, build_date, theme_overrides), out, before)
    if site.site_url:  # our own sitemap: indexable pages only (fallback answers are noindex)
        write_sitemap(out, site.sitemap)
    elif how.how != "unchanged":
        drop_sitemap_dates(out)
    if how.how != "unchanged":
        add_query_terms_patch(out)
    answers = None
    if cache is not None:  # what answer_files reads
        seen = [(f.id, f.category, f.question.get(lang), f.answer.get(lang)) for f in content.faqs_for(market)]
        answers = cache.memo("llms", text_hash(repr((code, lang, sorted(market.values.items()), seen))),
                             lambda: answer_files(content, market, lang))
    write_llms_files(content, market, lang, out, answers)
    if cache is not None:
        cache.save()
    faqs = len(content.faqs_for(market))
    rendered = len(site.pages) - (cache.hits if cache else 0)
    return HelpCenterResult(market=market.slug, lang=lang, path=help_center_path(market, lang),
                            pages=len(site.pages), faqs=faqs, fallback_faqs=site.search_excluded,
                            seconds=time.perf_counter() - t0, rendered=rendered,
                            built=how.summary() + (f", {filled}" if filled else "")
                            + (f", {rendered} of {len(site.pages)} pages rendered"
                               if cache is not None and cache.path is not None else ""))


def _fillable(site: HelpCenterSite, cache: CenterCache | None, code: str, hashes: dict[str, str]) -> bool:
    """answer_shell.fillable of the help center's pages, kept in the page cache under a digest of
    what it reads (every answer page's path and Markdown hash from `hashes`, its title's type, the
    code): an unchanged help center does not split its 600 answer pages again to learn the same answer."""
    if cache is None:
        return fillable(site.pages, site.answers)
    seen = repr((code, sorted((rel, hashes[rel], type(meta.get("title")).__name__)
                              for rel, meta in site.answers.items())))
    return cache.memo("fillable", text_hash(seen), lambda: fillable(site.pages, site.answers))


def _plan(site: HelpCenterSite, lang: str, pages: dict[str, str], build_date: int | None,
          theme_overrides: str | None, **more) -> MkDocsSite:
    return MkDocsSite(name=site.name, language=lang, pages=pages, nav=site.nav, search_languages=[lang],
                      site_url=site.site_url, audience="public", extra={"public": True, "lang": lang},
                      alternate=site.alternate, search_options=search_options(lang), markdown_extensions=[],
                      search_unicode=True, build_date=build_date, theme_overrides=theme_overrides,
                      extra_css=["assets/kb-public.css"], extra_javascript=["assets/kb-public.js"],
                      link_all=True, **more)


def _build_with_shell(site: HelpCenterSite, lang: str, out: Path, before: Path | None, build_date: int | None,
                      theme_overrides: str | None, hashes: dict[str, str]) -> tuple[SiteBuild, str]:
    """MkDocs builds the listing pages, each topic's first answer page (its canary) and shell;
    every other answer page whose page or shell changed is filled into its topic's shell.
    `hashes`: each answer page's text_hash, taken once per help center (build_help_center).
    ShellError when a shell is not of the known shape or a canary differs from its filled twin."""
    answers = sorted(site.answers)
    canaries: dict[str, str] = {}  # shell page -> its topic's canary
    for rel in answers:
        canaries.setdefault(shell_page(rel), rel)
    if set(canaries) & set(site.pages):
        raise ShellError("an answer page has the shell's name")
    pages = {rel: text for rel, text in site.pages.items() if rel not in site.answers or rel in canaries.values()}
    seo = site.answers[answers[0]].get("kb_seo")
    for shell_rel in canaries:
        pages[shell_rel] = shell_markdown(seo)
    capture = ShellCapture(set(canaries))
    plan = _plan(site, lang, pages, build_date, theme_overrides, scratch=frozenset(canaries),
                 plugins={"kb-answer-shell": capture})
    old = AnswersState.read(before)
    how = build_site(plan, out, before, run=old is None or old.pages != hashes)
    if how.how == "unchanged":  # no page and no shell input changed: every answer page is kept
        return how, ""
    chinese = lunr_language(lang) == "zh"  # the help center searches in Chinese (search_config)
    shells = {}
    for shell_rel, canary in canaries.items():
        shell = shells[shell_rel] = AnswerShell.of(capture, shell_rel, seo is not None, chinese)
        twin = shell.page(canary, site.pages[canary], site.answers[canary])
        if twin.encode("utf-8", "xmlcharrefreplace") != (out / page_output(canary)).read_bytes():
            raise ShellError(f"the canary answer page {canary} differs from its filled twin")
    digest = text_hash(" ".join(f"{rel}:{shell.digest}" for rel, shell in sorted(shells.items())))
    keep = how.how == "incremental" and old is not None and old.shell == digest
    fresh: dict[str, list[dict]] = {}
    for rel in answers:
        if rel in canaries.values() or (keep and old.pages.get(rel) == hashes[rel]):
            continue  # built by MkDocs, or linked from the previous output with its index entries
        text, meta = site.pages[rel], site.answers[rel]
        shell = shells[shell_page(rel)]
        write_page(out, rel, shell.page(rel, text, meta))
        fresh[rel] = shell.entries(rel, text, meta)
    if old is not None and how.how == "incremental":
        for rel in set(old.pages) - set(hashes):
            remove_page(out, rel)
    rewrite_search_index(out, page_order(list(site.pages)), fresh, unicode=True)
    AnswersState(digest, hashes).write(out)
    return how, f"{len(fresh)} of {len(answers) - len(canaries)} answer pages filled into a shell"


# Languages whose lunr stemmer Material ships (Snowball, and Arabic's): their help centers stem
# words, so "Rücksendungen" finds "Rücksendung" and "طلبك" finds "طلبي". Material's own default
# keeps only stop words, because its prefix search skips stemming (search-query-terms.js fixes that).
_STEMMED = {"ar", "en", "da", "de", "du", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv", "tr"}


def search_options(lang: str) -> dict:
    """Search settings for a help center in one language, on top of the engine's defaults."""
    if lunr_language(lang) in _STEMMED:
        return {"pipeline": ["stemmer", "stopWordFilter", "trimmer"]}
    return {}


QUERY_TERMS_JS = Path(__file__).with_name("assets") / "search-query-terms.js"


def add_query_terms_patch(site_dir: Path) -> bool:
    """Append the query-terms patch (stemmed prefixes, Japanese words) to Material's search worker.

    Returns False, leaving plain prefix search, when this Material version has no such worker.
    """
    workers = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        return False
    patch = QUERY_TERMS_JS.read_text(encoding="utf-8")
    text = workers[0].read_text(encoding="utf-8")
    if text.endswith(patch):  # kept from the previous build
        return True
    replace_file(workers[0], text + patch)  # replaced, not appended to: it may be a link to the previous output
    return True


def write_sitemap(site_dir: Path, urls: list[str]) -> None:
    """A help center's sitemap.xml (+ .gz, reproducible) listing the given absolute URLs."""
    xml = sitemap_xml(urls)
    replace_file(site_dir / "sitemap.xml", xml)
    tmp = site_dir / ".sitemap.xml.gz.tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(xml.encode("utf-8"))
    os.replace(tmp, site_dir / "sitemap.xml.gz")


def write_sitemap_index(content: PublicContent, target_dir: Path, centers: list[tuple[str, str]]) -> None:
    """With kb.yaml site_url: OUT/public/sitemap.xml indexing every help center's sitemap, and a
    robots.txt naming it. Without: neither file (a stale pair from an earlier build is removed)."""
    target_dir = Path(target_dir)
    seo = Seo.of(content.site_url)
    if seo is None:
        for name in ("sitemap.xml", "robots.txt"):
            (target_dir / name).unlink(missing_ok=True)
        return
    maps = [seo.center(code.lower(), lang) + "sitemap.xml" for code, lang in centers]
    replace_file(target_dir / "sitemap.xml", sitemap_index_xml(maps))
    replace_file(target_dir / "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {seo.site_url}sitemap.xml\n")


def drop_sitemap_dates(site_dir: Path) -> None:
    """Remove `<lastmod>` from the sitemap (MkDocs fills it with the build date, which the pipeline
    derives from review dates: review data stays internal), and rewrite the .gz reproducibly."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return
    xml = re.sub(r"\s*<lastmod>[^<]*</lastmod>", "", sitemap.read_text(encoding="utf-8"))
    sitemap.write_text(xml, encoding="utf-8")
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                                      filename="") as gz:
        gz.write(xml.encode("utf-8"))


@dataclass
class _CenterLink:
    lang: str
    label: str
    href: str


@dataclass
class _MarketCard:
    slug: str
    name: str
    local_name: str
    lang: str
    dir: str
    centers: list[_CenterLink]


def write_chooser(content: PublicContent, target_dir: Path) -> Path:
    """OUT/public/index.html: every help center by country and language, with a redirect by the
    browser's preferred language (skipped with `?choose`)."""
    src = content.source_language
    labels = labels_for(src, content.labels)
    cards, centers = [], []
    for m in content.markets:
        primary = m.languages[0] if m.languages else src
        links = [_CenterLink(lang, language_name(lang), f"{help_center_path(m, lang)}/") for lang in m.languages]
        cards.append(_MarketCard(m.slug, country_name(m.code, m.name, src), country_name(m.code, m.name, primary),
                                 primary, text_direction(primary), links))
        centers += [{"market": m.slug, "lang": lang.lower(), "base": lang.split("-")[0].lower(),
                     "href": f"{help_center_path(m, lang)}/"} for lang in m.languages]
    title = labels.get("choose_title")
    others, seen = [], {title}
    for lang in content.languages:
        text = labels_for(lang, content.labels).get("choose_title")
        if text not in seen:
            seen.add(text)
            others.append({"lang": lang, "dir": text_direction(lang), "text": text})
    html = render("public/chooser.html.j2", lang=src, dir=text_direction(src), name=content.name,
                  title=title, others=others, markets=cards, centers=centers)
    path = Path(target_dir) / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
