"""The content model: plain dataclasses built by the loader, read by checks, renderers and search.

Translatable text is kept flat, as a map from a field path to text, e.g. `title`,
`steps.decide.branches.0.then`, `authority.0.may`. One shape serves fingerprints,
translation lookups, placeholder checks and per-language views alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import ClassVar, Literal

from kb_builder.errors import Mark
from kb_builder.translation import fingerprint

Audience = Literal["internal", "public"]


@dataclass(frozen=True)
class MarketScope:
    """Which markets an entry or step applies to: all of them, or the listed codes."""

    codes: tuple[str, ...] = ()
    all: bool = True

    def includes(self, code: str) -> bool:
        """True when the market with this code is in scope."""
        return self.all or code.upper() in self.codes

    def label(self) -> str:
        """`all` or the codes joined by commas."""
        return "all" if self.all else ", ".join(self.codes)


@dataclass
class Channel:
    """A way customers reach support in a market, with the first-response promise in hours."""

    type: str
    address: str = ""  # as written, else the channel's `url` (what pages show as its address)
    first_response_hours: float | None = None
    mark: Mark | None = None
    number: str = ""  # phone or WhatsApp number (`tel:` and `https://wa.me/<digits>` links)
    url: str = ""  # a chat, messenger or LINE link
    max_chars: int | None = None  # the longest reply the composer accepts without a warning


@dataclass
class Market:
    """A country or region the store sells to: its languages, channels and policy values."""

    code: str
    name: str
    languages: list[str]
    currency: str
    timezone: str
    support_hours: str = ""
    channels: list[Channel] = field(default_factory=list)
    vars: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    file: str = ""
    marks: dict[str, Mark] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.code.lower()

    def variables(self) -> dict[str, str]:
        """Every `{market.NAME}` value: the built-ins, then the market's own `vars`."""
        values = {
            "code": self.code,
            "name": self.name,
            "currency": self.currency,
            "timezone": self.timezone,
            "support_hours": self.support_hours,
        }
        for ch in self.channels:
            if ch.first_response_hours is not None:
                values[f"response_hours_{ch.type.replace('-', '_')}"] = format_number(ch.first_response_hours)
        values.update(self.vars)
        return values


def format_number(value: float | int) -> str:
    """24.0 -> '24', 0.05 -> '0.05': numbers as an author would write them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Category:
    """An FAQ category with its name per language."""

    key: str
    names: dict[str, str]

    def name(self, lang: str, fallback: str) -> str:
        return self.names.get(lang) or self.names.get(fallback) or self.key


@dataclass
class Settings:
    """kb.yaml: site-wide settings."""

    name: str
    source_language: str
    languages: list[str]
    review_every_days: int = 180
    categories: dict[str, Category] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    export: dict[str, dict] = field(default_factory=dict)  # helpdesk target -> its `export:` settings
    site_url: str = ""  # where OUT/public is published (help centers' canonical links, sitemaps)
    feedback_url: str = ""  # where answer pages POST "Was this helpful?" votes ("" for no widget)
    semantic_search: bool = False  # the search index also holds sentence embeddings (kb-builder[semantic])
    file: str = "kb.yaml"
    marks: dict[str, Mark] = field(default_factory=dict)


@dataclass
class Translation:
    """One language's version of an entry's translatable fields."""

    lang: str
    fields: dict[str, str]
    source_fingerprint: str | None = None  # the `from:` value
    reviewed: dt.date | None = None
    review_every_days: int | None = None
    mark: Mark | None = None
    from_mark: Mark | None = None


@dataclass
class Entry:
    """What SOPs, FAQ entries and templates share: identity, scope, review data, translations."""

    kind: ClassVar[str] = "entry"

    id: str
    file: str
    audience: Audience
    markets: MarketScope
    source: dict[str, str]  # field path -> source-language text
    translations: dict[str, Translation] = field(default_factory=dict)
    reviewed: dt.date | None = None
    review_every_days: int | None = None
    owner: str = ""
    tags: list[str] = field(default_factory=list)
    mark: Mark | None = None
    marks: dict[str, Mark] = field(default_factory=dict)
    draft: bool = False  # `draft: true`: internal site and agent search only, marked as a draft

    @property
    def ref(self) -> str:
        """`kind:id`, the form used in references and reports."""
        return f"{self.kind}:{self.id}"

    @property
    def published(self) -> bool:
        """True when customers may see it: public and not a draft (help centers, public search)."""
        return self.audience == "public" and not self.draft

    def fingerprint(self) -> str:
        """Fingerprint of the current source text (what a translation's `from:` must equal)."""
        return _source_fingerprint(tuple(self.source.items()))

    def text(self, path: str, lang: str | None = None) -> str:
        """The text of a field in a language, falling back to the source when not translated."""
        if lang and lang in self.translations:
            value = self.translations[lang].fields.get(path)
            if value:
                return value
        return self.source.get(path, "")

    def has_translation(self, lang: str, source_language: str) -> bool:
        """True when `lang` is the source language or a translation for it exists."""
        return lang == source_language or lang in self.translations

    def is_stale(self, lang: str) -> bool:
        """True when the translation was made from other source text (or says nothing)."""
        tr = self.translations.get(lang)
        return tr is not None and tr.source_fingerprint != self.fingerprint()

    def mark_of(self, path: str) -> Mark | None:
        """Where a field was written, falling back to the entry itself."""
        return self.marks.get(path) or self.mark

    def display_title(self, lang: str | None = None) -> str:
        """The entry's human title in a language (the source text where it is not translated).

        The one title rule of the project: every page, report, search result and export asks here.
        Market variables are left as written; callers fill them for a market when they show one.
        """
        return self.text("title", lang) or self.id


@lru_cache(maxsize=65536)
def _source_fingerprint(items: tuple[tuple[str, str], ...]) -> str:
    # pages ask for it once per language and entry; the text decides, so it is cached by the text
    return fingerprint(list(items))


@dataclass
class Branch:
    """A decision inside a step: `if` the condition holds, `then` do this, maybe jump to `next`."""

    next: str | None = None
    mark: Mark | None = None


@dataclass
class Step:
    """One numbered step of an SOP; its texts live in the SOP's `source` under `steps.<id>.*`."""

    id: str
    markets: MarketScope = field(default_factory=MarketScope)
    templates: list[str] = field(default_factory=list)
    faq: list[str] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    mark: Mark | None = None


@dataclass
class Authority:
    """Who may decide what; `may` is translatable text at `authority.<i>.may`."""

    role: str
    mark: Mark | None = None


@dataclass
class Sop(Entry):
    """A standard operating procedure for one kind of case."""

    kind: ClassVar[str] = "sop"

    severity: str = "medium"
    first_response_hours: float | None = None
    steps: list[Step] = field(default_factory=list)
    authority: list[Authority] = field(default_factory=list)
    escalate_when_count: int = 0
    related: list[str] = field(default_factory=list)
    faq: list[str] = field(default_factory=list)

    def step(self, step_id: str) -> Step | None:
        for s in self.steps:
            if s.id == step_id:
                return s
        return None

    def steps_for(self, market_code: str | None) -> list[Step]:
        """The steps that apply in a market (all steps when no market is given)."""
        if market_code is None:
            return list(self.steps)
        return [s for s in self.steps if s.markets.includes(market_code)]

    def templates_used(self) -> list[str]:
        """Template ids linked from any step, in order of first use."""
        seen: dict[str, None] = {}
        for s in self.steps:
            for t in s.templates:
                seen.setdefault(t, None)
        return list(seen)


@dataclass
class Faq(Entry):
    """A question customers ask, with the answer; public by default."""

    kind: ClassVar[str] = "faq"

    category: str = ""
    internal_note: str = ""
    related: list[str] = field(default_factory=list)  # other FAQ ids

    def display_title(self, lang: str | None = None) -> str:
        """An FAQ entry's title is its question."""
        return self.text("question", lang) or self.id


@dataclass
class Template(Entry):
    """A reply template (canned response) with ticket placeholders."""

    kind: ClassVar[str] = "template"

    channel: str = "email"
    scenario: str | None = None
    tone: str = ""
    placeholders: list[str] = field(default_factory=list)

    def display_title(self, lang: str | None = None) -> str:
        """A template's `title`, else its subject, else the first line of its body (shortened)."""
        return (self.text("title", lang) or self.text("subject", lang)
                or first_line(self.text("body", lang)) or self.id)


TITLE_FROM_BODY_CHARS = 80


def first_line(text: str, limit: int = TITLE_FROM_BODY_CHARS) -> str:
    """The first non-blank line of a text, cut at a word boundary with an ellipsis past `limit`."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,.;:") + "…"


@dataclass
class QuizQuestion:
    question: str
    choices: list[str]
    answer: int
    mark: Mark | None = None


@dataclass
class Module:
    """A module of a learning path: what to read, an exercise, a quiz."""

    title: str
    read: list[str] = field(default_factory=list)  # "kind:id"
    exercise: str = ""
    quiz: list[QuizQuestion] = field(default_factory=list)
    mark: Mark | None = None
    read_marks: list[Mark] = field(default_factory=list)


@dataclass
class LearningPath:
    """An onboarding path for a role; not translated."""

    kind: ClassVar[str] = "path"

    id: str
    file: str
    title: str
    audience: Audience = "internal"
    for_roles: list[str] = field(default_factory=list)
    markets: MarketScope = field(default_factory=MarketScope)
    modules: list[Module] = field(default_factory=list)
    summary: str = ""
    mark: Mark | None = None
    marks: dict[str, Mark] = field(default_factory=dict)
    draft: bool = False

    @property
    def ref(self) -> str:
        return f"path:{self.id}"

    def display_title(self, lang: str | None = None) -> str:
        """A learning path's title (paths are not translated)."""
        return self.title or self.id


@dataclass
class Catalog:
    """Everything loaded from a content folder."""

    root: str
    settings: Settings
    markets: dict[str, Market] = field(default_factory=dict)  # by code (uppercase)
    sops: dict[str, Sop] = field(default_factory=dict)
    faqs: dict[str, Faq] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    paths: dict[str, LearningPath] = field(default_factory=dict)
    # language -> groups of words and phrases a search treats as the same (synonyms/<lang>.yaml)
    synonyms: dict[str, list[list[str]]] = field(default_factory=dict)

    def entries(self) -> list[Entry]:
        """SOPs, FAQ entries and templates, in a stable order."""
        return [*self.sops.values(), *self.faqs.values(), *self.templates.values()]

    def lookup(self, ref: str) -> Entry | LearningPath | None:
        """Find `kind:id`."""
        kind, _, ident = ref.partition(":")
        table = {"sop": self.sops, "faq": self.faqs, "template": self.templates, "path": self.paths}.get(kind)
        return table.get(ident) if table is not None else None

    def markets_of(self, scope: MarketScope) -> list[Market]:
        """The markets a scope covers, in code order."""
        return [m for code, m in sorted(self.markets.items()) if scope.includes(code)]

    def languages_needed(self, scope: MarketScope) -> list[str]:
        """Every language of every market in scope, in kb.yaml order."""
        wanted = {lang for m in self.markets_of(scope) for lang in m.languages}
        return [lang for lang in self.settings.languages if lang in wanted]
