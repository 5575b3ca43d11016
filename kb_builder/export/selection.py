"""What an export contains: reply variants (template x market x language, market values filled in)
and article variants (public FAQ entry x market x language), for the markets and languages asked for.

Articles are built from `public_content()` (the public help center's allow-list), so internal
notes, owners, review data, tags and internal entries cannot reach an article export.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from kb_builder.errors import UsageError
from kb_builder.model import Catalog, Market, Template
from kb_builder.render.public_content import PublicContent, PublicFaq, PublicMarket, public_content
from kb_builder.render.text import markdown_html, sanitize
from kb_builder.variables import TOKEN, substitute

from .placeholders import PlaceholderMap


@dataclass(frozen=True)
class ReplyVariant:
    """One reply template for one market in one language, ready for a helpdesk."""

    template: str
    market: str
    market_name: str
    lang: str
    channel: str
    scenario: str | None
    title: str  # display_title in this language, market values filled in
    subject: str  # '' when the template has none; placeholders in the target's syntax
    body_text: str
    body_html: str

    @property
    def key(self) -> str:
        """The stable key of this variant: re-exports update the same macro."""
        return f"kb-template-{self.template}-{self.market.lower()}-{self.lang.lower()}"

    @property
    def name(self) -> str:
        """`Title · DE · de`, the macro name agents search for."""
        return f"{self.title} · {self.market} · {self.lang}"


@dataclass(frozen=True)
class ArticleVariant:
    """One public FAQ answer for one market in one language."""

    faq: str
    market: str
    market_name: str
    lang: str
    category: str
    category_name: str
    title: str
    body_markdown: str  # the answer with market values filled in
    body_html: str


@dataclass
class ArticleGroup:
    """One FAQ entry's articles in one market: the main one (in the market's default language when
    it has one) and its translations."""

    faq: str
    main_lang: str
    variants: dict[str, ArticleVariant]

    @property
    def main(self) -> ArticleVariant:
        """The article the helpdesk stores first; the others are its translations."""
        return self.variants[self.main_lang]

    def translations(self) -> list[tuple[str, ArticleVariant]]:
        """The other languages' articles, in selection order."""
        return [(lang, v) for lang, v in self.variants.items() if lang != self.main_lang]


@dataclass
class MarketArticles:
    """A market's public articles, grouped per FAQ entry, with the language its containers
    (category, section, folder) are named in."""

    market: str
    market_name: str
    default: str
    groups: list[ArticleGroup]
    articles: list[ArticleVariant]

    def category_name(self, group: ArticleGroup) -> str:
        """The group's category named in the market's default language, else in its own."""
        main = group.main
        return next((a.category_name for a in self.articles if a.category == main.category and a.lang == self.default),
                    main.category_name)


def default_language(langs: list[str], source: str) -> str:
    """The source language when it is among `langs`, else the first of them."""
    return source if source in langs else langs[0]


def articles_by_market(articles: list[ArticleVariant], source_language: str) -> list[MarketArticles]:
    """The selected articles per market (in selection order), each grouped per FAQ entry."""
    by_market: dict[str, list[ArticleVariant]] = {}
    for a in articles:
        by_market.setdefault(a.market, []).append(a)
    out = []
    for market, arts in by_market.items():
        default = default_language(list(dict.fromkeys(a.lang for a in arts)), source_language)
        by_faq: dict[str, dict[str, ArticleVariant]] = {}
        for a in arts:
            by_faq.setdefault(a.faq, {})[a.lang] = a
        groups = [ArticleGroup(faq, default if default in variants else next(iter(variants)), variants)
                  for faq, variants in by_faq.items()]
        out.append(MarketArticles(market, arts[0].market_name, default, groups, arts))
    return out


@dataclass
class Selection:
    """Everything one export writes, and what was left out and why."""

    source_language: str
    name: str
    markets: list[Market]
    replies: list[ReplyVariant] = field(default_factory=list)
    articles: list[ArticleVariant] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def choose_markets(catalog: Catalog, codes: tuple[str, ...]) -> list[Market]:
    """The markets asked for (all when none), in code order; an unknown code is a usage error."""
    if not codes:
        return [m for _, m in sorted(catalog.markets.items())]
    out = []
    for code in codes:
        market = catalog.markets.get(code.upper())
        if market is None:
            raise UsageError(f"--market {code}: no such market (known: {', '.join(sorted(catalog.markets))})")
        if market not in out:
            out.append(market)
    return sorted(out, key=lambda m: m.code)


def check_languages(catalog: Catalog, langs: tuple[str, ...]) -> None:
    """Every --lang must be a language of the KB."""
    for lang in langs:
        if lang not in catalog.settings.languages:
            raise UsageError(f"--lang {lang}: not a language of this KB ({', '.join(catalog.settings.languages)})")


def is_draft(entry) -> bool:
    """Drafts (`draft: true`) are never exported."""
    return entry.draft


def text_html(text: str) -> str:
    """Plain reply text as HTML: paragraphs at blank lines, <br> at single line breaks, escaped, then
    sanitised like every other HTML the project writes."""
    paragraphs = [p for p in text.strip("\n").split("\n\n") if p.strip()]
    parts = ["<p>" + "<br>".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>"
             for p in paragraphs]
    return sanitize("".join(parts))


def select(catalog: Catalog, target: str, channels: tuple[str, ...] | None, mapping: PlaceholderMap,
           markets: tuple[str, ...] = (), langs: tuple[str, ...] = (), articles: bool = True) -> Selection:
    """Reply variants for every template that fits the target's channels, and article variants for
    every public FAQ entry, in the markets and languages asked for."""
    check_languages(catalog, langs)
    chosen = choose_markets(catalog, markets)
    sel = Selection(catalog.settings.source_language, catalog.settings.name, chosen)
    for t in catalog.templates.values():
        if is_draft(t):
            sel.skipped.append(f"{t.ref}: draft")
            continue
        if channels is not None and t.channel not in channels:
            sel.skipped.append(f"{t.ref}: {target} has no {t.channel} channel")
            continue
        for m in chosen:
            if not t.markets.includes(m.code):
                continue
            for lang in m.languages:
                if langs and lang not in langs:
                    continue
                if not t.has_translation(lang, sel.source_language):
                    sel.skipped.append(f"{t.ref} {m.code} {lang}: not translated")
                    continue
                sel.replies.append(_reply(t, m, lang, mapping))
    if articles:
        content = public_content(catalog)
        drafts = {f.id for f in catalog.faqs.values() if is_draft(f)}
        by_code = {pm.code: pm for pm in content.markets}
        for m in chosen:
            pm = by_code[m.code]
            for faq in content.faqs_for(pm):
                if faq.id in drafts:
                    continue
                for lang in pm.languages:
                    if langs and lang not in langs:
                        continue
                    if not (faq.question.get(lang) and faq.answer.get(lang)):
                        sel.skipped.append(f"faq:{faq.id} {m.code} {lang}: not translated")
                        continue
                    sel.articles.append(_article(content, pm, faq, lang))
    return sel


_ENGINE_OPENERS = re.compile(r"\{(?=[{%])")
ZWSP = "\u200b"


def fill_reply(text: str, values: dict[str, str], mapping: PlaceholderMap) -> str:
    """Market values filled in and placeholders in the target's syntax.

    The neutral json target keeps our own syntax (`{name}`, literal `{{` and `}}`). Helpdesks run
    macros through a template engine (Liquid); content is never a template, so a `{{` or `{%`
    made of content or market values (not of a mapping) gets a zero-width space after its first
    brace and shows as written instead of being evaluated."""
    if mapping.target == "json":
        def keep(m: re.Match) -> str:
            name = m.group(1)
            return values.get(name[7:], m.group(0)) if name and name.startswith("market.") else m.group(0)
        return TOKEN.sub(keep, text)
    runs: list[str] = [""]  # even indexes: content text; odd: a mapping's placeholder
    last = 0
    for m in TOKEN.finditer(text):
        runs[-1] += text[last:m.start()]
        tok, name = m.group(0), m.group(1)
        if tok in ("{{", "}}"):
            runs[-1] += tok[0]
        elif name.startswith("market."):
            runs[-1] += values.get(name[7:], tok)
        elif mapping.get(name):
            runs += [mapping.get(name), ""]
        else:
            runs[-1] += tok
        last = m.end()
    runs[-1] += text[last:]
    out = []
    for i, run in enumerate(runs):
        if i % 2 == 0:
            run = _ENGINE_OPENERS.sub("{" + ZWSP, run)
            if run.endswith("{") and i + 1 < len(runs):
                run += ZWSP
        out.append(run)
    return "".join(out)


def _reply(t: Template, m: Market, lang: str, mapping: PlaceholderMap) -> ReplyVariant:
    values = m.variables()

    def fill(text: str) -> str:
        return fill_reply(text, values, mapping)

    body = fill(t.text("body", lang)).strip("\n")
    return ReplyVariant(template=t.id, market=m.code, market_name=m.name, lang=lang, channel=t.channel,
                        scenario=t.scenario, title=substitute(t.display_title(lang), values),
                        subject=fill(t.text("subject", lang)).strip(), body_text=body, body_html=text_html(body))


def _article(content: PublicContent, m: PublicMarket, faq: PublicFaq, lang: str) -> ArticleVariant:
    answer = faq.answer[lang]
    return ArticleVariant(faq=faq.id, market=m.code, market_name=m.name, lang=lang, category=faq.category,
                          category_name=content.category_name(faq.category, lang),
                          title=substitute(faq.question[lang], m.values),
                          body_markdown=substitute(answer, m.values).strip("\n"),
                          body_html=str(markdown_html(answer, m.values)))
