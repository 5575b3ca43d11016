"""MkDocs + Material as the site engine: an MkDocsSite (pages, navigation, language) built into HTML.

The MkDocs configuration, the plugins kb_builder adds to it and incremental builds live here
(plus ../mkdocs_plugin.py for `mkdocs build`). What goes in is already MkDocs's dialect: Markdown
for Python-Markdown with pymdownx, Material's tab and admonition markup from render/, navigation in
mkdocs.yml's form. The README's design notes say why this is named for the engine rather than
presented as an engine-neutral model.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup
from mkdocs.plugins import BasePlugin

from kb_builder import theme
from kb_builder.errors import BuildError
from kb_builder.render.common import text_hash
from kb_builder.render.localize import text_direction
from kb_builder.sites.raw_html import RawHtmlPlugin, extract
from kb_builder.sites.search_sections import SearchSectionsPlugin
from kb_builder.sites.incremental import THEME_PAGES, SiteState, merge_search_docs, page_output, stage_previous

# Languages whose lunr support ships with Material (offline); others fall back to English rules.
_LUNR = {"ar", "da", "de", "du", "el", "es", "fi", "fr", "he", "hi", "hu", "hy", "it", "ja", "kn", "ko", "nl", "no",
         "pt", "ro", "ru", "sa", "sv", "ta", "te", "th", "tr", "vi", "zh"}


def lunr_language(lang: str) -> str | None:
    """Material's search language for a KB language code (zh-CN -> zh), or None if unsupported."""
    base = lang.split("-")[0].lower()
    if base == "en":
        return "en"
    return base if base in _LUNR else None


def theme_language(lang: str) -> str:
    """Material's UI language code for a KB language (zh-CN -> zh, pt-BR -> pt-BR)."""
    known_regional = {"pt-BR", "zh-TW", "zh-Hant"}
    return lang if lang in known_regional else lang.split("-")[0].lower()


def is_rtl(lang: str) -> bool:
    """True for right-to-left languages, by the one rule every page uses (render.localize, CLDR)."""
    return text_direction(lang) == "rtl"


@dataclass
class MkDocsSite:
    """One MkDocs site to build: its pages (docs-relative path -> Markdown in MkDocs's dialect),
    navigation (mkdocs.yml's `nav` form), language and Material settings."""

    name: str
    language: str
    pages: dict[str, str]
    nav: list
    search_languages: list[str] = field(default_factory=lambda: ["en"])
    audience: str = "internal"
    site_url: str = ""
    extra: dict = field(default_factory=dict)
    prune_navigation: bool = False
    alternate: list[dict] = field(default_factory=list)  # Material's language switcher: {name, link, lang}
    search_options: dict = field(default_factory=dict)  # merged over search_config(), e.g. {"pipeline": [...]}
    markdown_extensions: list | None = None  # None: MARKDOWN_EXTENSIONS; pages of plain HTML need none
    search_unicode: bool = False  # search index as UTF-8, Chinese cuts only in Chinese (help centers)
    search_text_budget: int | None = None  # characters of text per search entry (None: all; search_sections.py)
    build_date: int | None = None  # seconds since 1970 (UTC) that dates the pages; None: MkDocs's own rule
    theme_overrides: str | None = None  # the content project's own theme layer (theme.project_dir)
    extra_css: list[str] = field(default_factory=list)  # after assets/kb.css (help centers: kb-public.css)
    extra_javascript: list[str] = field(default_factory=list)  # after assets/kb.js
    # Pages built on every engine run, also an incremental one, and never kept in the output: the
    # caller's plugins read them while they are built (sites/answer_shell.py: the answer pages' shell).
    scratch: frozenset[str] = frozenset()
    plugins: dict = field(default_factory=dict)  # more MkDocs plugins for this build, by name
    # An incremental build links every unchanged file of the previous output, not only pages:
    # for a site whose own post-processing replaces files instead of writing into them.
    link_all: bool = False
    # The caller needs the pages no more: each is dropped from `pages` (emptied) once it is in
    # MkDocs's docs folder. The internal site's pages are a third of a big build's memory, and
    # MkDocs then holds every page's HTML on top of them until it writes the pages.
    hand_over_pages: bool = False

    def mkdocs_config(self, docs_dir: Path, site_dir: Path) -> dict:
        """The MkDocs configuration for this plan (shared by `kb build` and the MkDocs plugin)."""
        return {
            "site_name": str(content_text(self.name)),  # build_site puts the Markup back after YAML
            "site_url": self.site_url or None,
            "docs_dir": str(docs_dir),
            "site_dir": str(site_dir),
            "use_directory_urls": True,
            "exclude_docs": "!/templates/\n",  # MkDocs hides a docs/templates/ folder by default
            "theme": theme_config(self.language, self.audience, self.prune_navigation),
            "plugins": [{"search": {**search_config(self.search_languages), **self.search_options}}],
            "markdown_extensions": MARKDOWN_EXTENSIONS if self.markdown_extensions is None else self.markdown_extensions,
            "extra_css": ["assets/kb.css", *self.extra_css],
            "extra_javascript": ["assets/kb.js", "assets/kb-composer.js", *self.extra_javascript],
            "extra": {"kb": self.extra, "generator": False, **({"alternate": self.alternate} if self.alternate else {})},
            "nav": escaped_nav(self.nav, marked=False),
            "strict": False,
            "not_in_nav": "/*",  # big sections list their pages on an index page instead (render.internal)
        }


def content_text(text: str) -> Markup:
    """A text from content as MkDocs and Material expect titles and the site name: HTML. Escaped
    here, and marked safe so that Material's own `| e` in attributes does not escape it twice."""
    return text if isinstance(text, Markup) else Markup.escape(text)


def escaped_nav(nav, marked: bool = True):
    """The navigation (mkdocs.yml's form) with every title from content escaped (content_text);
    `marked=False` gives plain strings (for YAML, which cannot write Markup)."""
    if isinstance(nav, list):
        return [escaped_nav(item, marked) for item in nav]
    if isinstance(nav, dict):
        return {(content_text(t) if marked else str(content_text(t))): escaped_nav(v, marked) for t, v in nav.items()}
    return nav  # a page path


MARKDOWN_EXTENSIONS: list = [
    "admonition", "attr_list", "md_in_html", "tables", "def_list",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    "pymdownx.superfences",
    {"pymdownx.tabbed": {"alternate_style": True}},
]


def theme_config(lang: str, audience: str, prune: bool) -> dict:
    """Material settings: no web fonts (offline), copy buttons, tabs, search features."""
    features = ["navigation.top", "navigation.indexes", "navigation.footer", "content.code.copy",
                "content.tabs.link", "search.highlight", "search.suggest", "toc.follow"]
    if prune:
        features.append("navigation.prune")
    if audience == "internal":
        features.append("navigation.tabs")
    return {
        "name": "material",
        "custom_dir": str(theme.shipped_dir()),
        "language": theme_language(lang),
        "direction": "rtl" if is_rtl(lang) else "ltr",
        "font": False,
        "features": features,
        "icon": {"logo": "material/lifebuoy"},
        "favicon": "assets/favicon.svg",
        "palette": [
            {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "teal", "accent": "deep orange",
             "toggle": {"icon": "material/weather-night", "name": "Dark mode"}},
            {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "teal", "accent": "deep orange",
             "toggle": {"icon": "material/weather-sunny", "name": "Light mode"}},
        ],
    }


def search_config(languages: list[str]) -> dict:
    """Material search for the given KB languages; Chinese is segmented by jieba at build time."""
    langs = []
    for lang in languages:
        code = lunr_language(lang)
        if code and code not in langs:
            langs.append(code)
    cfg: dict = {"lang": langs or ["en"]}
    if "zh" in langs or "ja" in langs:
        cfg["separator"] = r'[\s\u200b\-_,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'
    return cfg


@dataclass
class SiteBuild:
    """How a site was built: `how` is "full", "incremental" or "unchanged"; `built` counts the
    pages the engine built (all of them in a full build)."""

    how: str
    pages: int
    built: int

    def summary(self) -> str:
        """One line for progress output."""
        if self.how == "full":
            return f"{self.pages} pages built"
        return f"{self.built} of {self.pages} pages rebuilt" if self.built else "no page changed"


def build_site(plan: MkDocsSite, site_dir: Path, previous: Path | None = None, run: bool = False) -> SiteBuild:
    """Build the plan into site_dir with MkDocs and say how (see SiteBuild).

    With `previous` (the last output of the same site), only pages whose Markdown changed are
    built again when nothing else changed (see incremental.py); previous is never modified.
    The plan's scratch pages are built whenever the engine runs; `run` makes it run for them
    even when no page changed.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site_dir = Path(site_dir).resolve()  # relative to the cwd, not to the scratch config file
    state = SiteState.of(_signature(plan), plan.pages)
    rebuild = None
    keep_theme_pages = False
    if previous is not None and _titled(plan.nav):
        rebuild = state.changed_pages(SiteState.read(previous))
    if rebuild is not None:
        changed = len(rebuild)
        if rebuild or run:
            rebuild = sorted(set(rebuild) | set(plan.scratch))
        # the help centers write into their sitemap after the engine (sites/public.py): a copy of
        # theirs would be a hard link there, so they get the engine's
        keep_theme_pages = not plan.link_all
        stage_previous(previous, site_dir, rebuild, link_all=plan.link_all, keep_theme_pages=keep_theme_pages)
        if not rebuild:
            state.write(site_dir)
            return SiteBuild("unchanged", len(plan.pages), 0)
    with tempfile.TemporaryDirectory(prefix="kb-docs-") as tmp:
        docs = Path(tmp) / "docs"
        blocks: dict[str, list[str]] = {}
        todo = set(plan.pages) if rebuild is None else set(rebuild)
        count = len(plan.pages)
        for rel in list(plan.pages):
            text = plan.pages.pop(rel) if plan.hand_over_pages else plan.pages[rel]
            path = docs / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if rel in todo:
                text, blocks[rel] = extract(text)
                path.write_text(text, encoding="utf-8")
            else:  # MkDocs's dirty mode skips a page older than its output without reading it
                path.write_text("", encoding="utf-8")
                os.utime(path, ns=(0, 0))
        cfg_text = yaml.safe_dump(plan.mkdocs_config(docs, site_dir), allow_unicode=True, sort_keys=False)
        stream = io.StringIO(cfg_text)
        stream.name = str(Path(tmp) / "mkdocs.yml")
        _quiet_mkdocs()
        try:
            config = load_config(config_file=stream)
            config.site_name, config.nav = content_text(plan.name), escaped_nav(plan.nav)
            if plan.theme_overrides:  # the project's layer goes first: its files win (see theme.py)
                config.theme.dirs.insert(0, str(plan.theme_overrides))
            if rebuild is not None and keep_theme_pages:  # kept from the previous output (incremental.py)
                config.theme.static_templates.difference_update(THEME_PAGES)
            config.plugins["kb-raw-html"] = RawHtmlPlugin(blocks)
            config.plugins["kb-template-cache"] = TemplateCachePlugin(_theme_key(plan))
            for name, plugin in plan.plugins.items():
                config.plugins[name] = plugin
            complete = None if rebuild is None else (lambda docs: merge_search_docs(previous, docs, rebuild))
            config.plugins["kb-search-sections"] = SearchSectionsPlugin(
                chinese="zh" in config.plugins["material/search"].config.lang, complete=complete,
                unicode=plan.search_unicode, text_budget=plan.search_text_budget)
            with build_date_set(plan.build_date):
                build(config, dirty=rebuild is not None)
        except MkDocsException as exc:
            raise BuildError(f"MkDocs could not build the site: {exc}") from exc
        except SystemExit as exc:  # MkDocs aborts this way on some plugin errors
            raise BuildError(f"MkDocs stopped the build (exit {exc.code})") from exc
    for rel in plan.scratch:  # read by the plugins during the build; not a page of the site
        page = site_dir / page_output(rel)
        page.unlink(missing_ok=True)
        for folder in page.parents:  # its folders too, when nothing else is in them
            if folder == site_dir or any(folder.iterdir()):
                break
            folder.rmdir()
    state.write(site_dir)
    if rebuild is None:
        return SiteBuild("full", count, count)
    return SiteBuild("incremental", count, changed)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Theme templates compiled once per process: every MkDocs build makes a new Jinja
    environment, and compiling Material's templates again was a second of each help center's
    build. Jinja keys the code by template name and file and drops it when the source changed."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # noqa: D102 (Jinja's interface)
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # noqa: D102 (Jinja's interface)
        self.code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()


_LISTINGS: dict[tuple, list[str]] = {}


class TemplateCachePlugin(BasePlugin):
    """Gives the build's Jinja environment the process's compiled templates (see
    _CompiledTemplates) and its theme folders' file listing: MkDocs lists every file of every
    theme folder (Material's thousands of icons) to find the assets to copy, half a second of
    each help center. `theme_key` names the theme files' contents (engine._theme_key); with the
    same folders and key the listing is the same."""

    def __init__(self, theme_key: str = ""):
        super().__init__()
        self.theme_key = theme_key

    def on_config(self, config):  # noqa: D102 (an MkDocs event)
        # MkDocs lists the theme's files (Files.add_files_from_theme) right after it makes the
        # environment and before any event that gets it (on_env comes later): the listing is put
        # in where the environment is made.
        make, theme_ = config.theme.get_env, config.theme
        config.theme.get_env = lambda: self.prepared(make(), theme_)
        return config

    def prepared(self, env: jinja2.Environment, theme_=None) -> jinja2.Environment:
        """The environment with the process's compiled templates and its theme folders' listing;
        with the build's `theme_`, also the listing of the theme's static files that MkDocs copies."""
        env.bytecode_cache = _TEMPLATES
        loader = env.loader
        if self.theme_key and isinstance(loader, jinja2.FileSystemLoader):
            key = (tuple(str(p) for p in loader.searchpath), self.theme_key)
            listing = _LISTINGS.get(key)
            if listing is None:
                listing = _LISTINGS[key] = loader.list_templates()
            loader.list_templates = lambda: list(listing)
            if theme_ is not None:
                env.list_templates = _static_listing(env.list_templates, key, theme_)
        return env

    def on_env(self, env, config, files):  # noqa: D102 (an MkDocs event)
        return self.prepared(env)


def _static_listing(list_templates, key: tuple, theme_):
    """`env.list_templates` remembering what MkDocs's static-file filter keeps of the listing:
    that filter (Files.add_files_from_theme, fnmatch over every name: 0.1 s a build) reads only the
    names, MkDocs's Markdown extensions and the theme's static_templates, so with the same listing,
    the same MkDocs version (in the theme key) and the same static_templates it keeps the same names."""

    def listed(extensions=None, filter_func=None):
        if extensions is not None or filter_func is None \
                or not filter_func.__qualname__.endswith("add_files_from_theme.<locals>.filter"):
            return list_templates(extensions, filter_func)
        static_key = (key, version("mkdocs"), filter_func.__code__, tuple(sorted(theme_.static_templates)))
        kept = _STATIC.get(static_key)
        if kept is None:
            kept = _STATIC[static_key] = list_templates(extensions, filter_func)
        return list(kept)

    return listed


_STATIC: dict[tuple, list[str]] = {}


def _theme_key(plan: MkDocsSite) -> str:
    """Names the files of every theme folder of the plan: Material's by its version, the
    shipped and project layers by their contents (theme.digest)."""
    from importlib.metadata import version

    return f"{version('mkdocs-material')}:{theme.digest(Path(plan.theme_overrides) if plan.theme_overrides else None)}"


@contextlib.contextmanager
def build_date_set(epoch: int | None):
    """MkDocs reads the build date only from SOURCE_DATE_EPOCH: set it for one build and put the
    caller's value back afterwards, so a later build in the same process (kb serve) gets its own."""
    if epoch is None:
        yield
        return
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _titled(nav) -> bool:
    """True when every navigation entry names its title: in a dirty build MkDocs does not read the
    pages it skips, so a title it would take from a page's heading would be missing."""
    if isinstance(nav, str):
        return False
    if isinstance(nav, list):
        return all(_titled(item) for item in nav)
    if isinstance(nav, dict):
        return all(isinstance(v, str) or _titled(v) for v in nav.values())
    return True


def _signature(plan: MkDocsSite) -> str:
    """Everything besides a page's own Markdown that shapes pages: the configuration (with the
    navigation and its titles), the engine and theme versions, both theme layers, the code of
    this package (sites/) and the build date. Scratch paths are left out: they differ on every
    run and never reach the output."""
    from importlib.metadata import version

    cfg = plan.mkdocs_config(Path("docs"), Path("site"))
    cfg["theme"].pop("custom_dir")  # where the package is installed does not shape pages; its files do
    parts = [json.dumps(cfg, sort_keys=True, default=str), version("mkdocs"), version("mkdocs-material"),
             str(plan.build_date or ""),
             theme.digest(Path(plan.theme_overrides) if plan.theme_overrides else None)]
    engine = Path(__file__).resolve().parent  # this engine's code decides the HTML of every page too
    for root in (engine,):
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix != ".pyc":
                parts.append(f"{path.relative_to(root)}:{text_hash(path.read_bytes().decode('utf-8', 'replace'))}")
    return text_hash("\n".join(parts))


def _quiet_mkdocs() -> None:
    for name in ("mkdocs", "mkdocs.commands.build", "mkdocs.structure.pages", "mkdocs.plugins",
                 "material", "mkdocs.config"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # jieba announces its dictionary on every process start. A filter, not jieba.setLogLevel: importing
    # jieba (through pkg_resources) is 0.09 s that a build which segments no Chinese does not need,
    # and jieba's import sets its logger's level back to DEBUG but leaves a filter in place.
    jieba_log = logging.getLogger("jieba")
    if _below_warning not in jieba_log.filters:
        jieba_log.addFilter(_below_warning)


def _below_warning(record: logging.LogRecord) -> bool:
    """Keep a record only when it is a warning or worse (jieba's logger filter)."""
    return record.levelno >= logging.WARNING
