"""What a customer may see, copied out of the catalog field by field.

`public_content()` is the only code of the public help center that reads the Catalog. It copies
a short allow-list of fields (public FAQ question, answer, last review date, tags and related
ids, category names, UI labels, and
each market's name, languages, contact channels, support hours, time zone and `{market.X}`
values) into small frozen dataclasses. The page builders only ever see these, so internal
notes, market notes, owners, review intervals, SOPs, templates and internal FAQ cannot reach a
public page by accident: they are simply not there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kb_builder.model import Catalog, Faq, Market, MarketScope

@dataclass(frozen=True)
class PublicChannel:
    """A contact channel as customers see it: its type, address and first-response promise."""

    type: str
    address: str = ""
    first_response_hours: float | None = None
    number: str = ""
    url: str = ""


@dataclass(frozen=True)
class PublicMarket:
    """The customer-facing facts of a market."""

    code: str
    name: str
    languages: tuple[str, ...]
    timezone: str
    support_hours: str
    channels: tuple[PublicChannel, ...]
    values: dict[str, str] = field(hash=False)  # `{market.NAME}` values used in answers

    @property
    def slug(self) -> str:
        """The market's folder in OUT/public (lowercase code)."""
        return self.code.lower()


@dataclass(frozen=True)
class PublicFaq:
    """A public FAQ entry: question and answer per language (the source language included)."""

    id: str
    category: str
    markets: MarketScope
    question: dict[str, str] = field(hash=False)
    answer: dict[str, str] = field(hash=False)
    # Shown on the answer page as "last updated": the review date of the text shown (the
    # translation's own, else the entry's). A date customers see on every hosted help center.
    updated: dict[str, dt.date] = field(default_factory=dict, hash=False)
    tags: tuple[str, ...] = ()  # only to rank related answers; never printed
    related: tuple[str, ...] = ()  # FAQ ids the author linked; shown first among related answers


@dataclass
class PublicContent:
    """Everything the public help centers are built from, and nothing else."""

    name: str
    source_language: str
    languages: list[str]
    categories: dict[str, dict[str, str]]  # key -> name per language, in kb.yaml order
    labels: dict[str, dict[str, str]]
    markets: list[PublicMarket]
    faqs: list[PublicFaq]
    site_url: str = ""  # kb.yaml site_url: where OUT/public is published ("" for none)
    feedback_url: str = ""  # kb.yaml feedback_url: where answer pages send votes ("" for no widget)

    def faqs_for(self, market: PublicMarket) -> list[PublicFaq]:
        """The public FAQ entries that apply in a market, in catalog order."""
        return [f for f in self.faqs if f.markets.includes(market.code)]

    def category_name(self, key: str, lang: str) -> str:
        """A category's name in a language, else in the source language, else its key."""
        names = self.categories.get(key, {})
        return names.get(lang) or names.get(self.source_language) or key


def public_content(catalog: Catalog) -> PublicContent:
    """Copy the customer-visible fields of a catalog; see the module docstring for the list."""
    s = catalog.settings
    return PublicContent(
        name=s.name,
        source_language=s.source_language,
        languages=list(s.languages),
        categories={key: dict(cat.names) for key, cat in s.categories.items()},
        labels={lang: dict(words) for lang, words in s.labels.items()},
        markets=[_market(m) for _, m in sorted(catalog.markets.items())],
        faqs=[_faq(f, s.source_language) for f in catalog.faqs.values() if f.published],
        site_url=s.site_url,
        feedback_url=s.feedback_url,
    )


def _market(m: Market) -> PublicMarket:
    return PublicMarket(
        code=m.code, name=m.name, languages=tuple(m.languages), timezone=m.timezone,
        support_hours=m.support_hours,
        channels=tuple(PublicChannel(c.type, c.address, c.first_response_hours, c.number, c.url) for c in m.channels),
        values=m.variables(),
    )


def _faq(f: Faq, source_language: str) -> PublicFaq:
    question = {source_language: f.source.get("question", "")}
    answer = {source_language: f.source.get("answer", "")}
    for lang, tr in f.translations.items():
        if tr.fields.get("question"):
            question[lang] = tr.fields["question"]
        if tr.fields.get("answer"):
            answer[lang] = tr.fields["answer"]
    updated = {source_language: f.reviewed} if f.reviewed else {}
    for lang, tr in f.translations.items():
        if tr.reviewed or f.reviewed:
            updated[lang] = tr.reviewed or f.reviewed
    return PublicFaq(id=f.id, category=f.category, markets=f.markets, question=question, answer=answer,
                     updated=updated, tags=tuple(f.tags), related=tuple(f.related))
