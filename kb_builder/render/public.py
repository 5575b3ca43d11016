"""Pages of one public help center (a market in one of its languages).

Built from `PublicContent` only (see public_content.py), never from the Catalog. Every page is a
single block of HTML written by a Jinja template (autoescaped) around answers rendered and
sanitised by `text.markdown_html`; MkDocs passes such a block through untouched, so no content
text is ever read as Markdown or attribute syntax by MkDocs itself.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from babel.dates import format_date
from markupsafe import Markup, escape

from kb_builder.render import text as T
from kb_builder.render.answers import answer_html
from kb_builder.render.common import language_name, page_url, raw, relative
from kb_builder.render.env import render
from kb_builder.render.labels import REASONS, Labels, labels_for
from kb_builder.render.localize import (babel_locale, country_name, duration, language_in, list_separator,
                                         support_hours, text_direction, timezone_name)
from kb_builder.urls import ref_anchor
from kb_builder.render.public_content import PublicChannel, PublicContent, PublicFaq, PublicMarket
from kb_builder.render.public_seo import Seo, faq_jsonld, page_seo
from kb_builder.render.page_cache import _data, _digest, _note, render_recorded
from kb_builder.render.public_cache import CenterCache, StoredPage

HOME_PAGE = "index.md"
TOP_QUESTIONS = 4  # questions shown under each topic on the home page
RELATED_LIMIT = 5  # related answers on an answer page
FEEDBACK_DETAILS_CHARS = 480  # the free text after No; with the reason's word it stays under the endpoint's 500
EXCERPT_CHARS = 160  # the one-line excerpt under a question on its topic page (and its meta description)
_SAFE_HREF = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)


@dataclass
class FaqView:
    """One question as shown in a help center; `fallback` when shown in the source language."""

    id: str
    question: str
    answer: Markup
    question_lang: str
    answer_lang: str
    lang: str  # the help center's language
    category: str = ""
    url: str = ""  # site-relative URL of the answer page, `<category>/<entry-id>/`
    excerpt: str = ""
    updated: dt.date | None = None

    @property
    def page(self) -> str:
        """The answer page's Markdown path (MkDocs makes `<category>/<entry-id>/index.html` of it)."""
        return f"{self.category}/{self.id}.md"

    @property
    def anchor(self) -> str:
        """The answer's HTML id on its topic page: the entry's one anchor (urls.ref_anchor)."""
        return ref_anchor(f"faq:{self.id}")

    @property
    def fallback(self) -> bool:
        """True when the question or the answer is not in the help center's language."""
        return self.question_lang != self.lang or self.answer_lang != self.lang


# what a listing reads of a question (a read of its title); anything else reads the whole answer
_TITLE_FIELDS = frozenset({"question", "question_lang", "lang"})


class Question:
    """A question as a page sees it: the FaqView's fields, made when first read. Where it is (id,
    topic, URL) is the help center's structure; reading its title notes `("title", id)`, reading
    anything else `("faq", id)` (render/public_cache.py keys each page by what it read)."""

    __slots__ = ("_pages", "id", "category")

    def __init__(self, pages: "HelpCenterPages", faq_id: str, category: str):
        self._pages, self.id, self.category = pages, faq_id, category

    @property
    def url(self) -> str:
        """Site-relative URL of the answer page."""
        return f"{self.category}/{self.id}/"

    @property
    def page(self) -> str:
        """The answer page's Markdown path."""
        return f"{self.category}/{self.id}.md"

    @property
    def anchor(self) -> str:
        """The answer's HTML id on its topic page."""
        return ref_anchor(f"faq:{self.id}")

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        _note("title" if name in _TITLE_FIELDS else "faq", self.id)
        return getattr(self._pages.view(self.id), name)


@dataclass
class CategoryView:
    """A topic page: its key (also its URL), translated name and questions."""

    key: str
    name: str
    faqs: list[Question] = field(default_factory=list)

    @property
    def page(self) -> str:
        return f"{self.key}.md"


@dataclass
class ChannelView:
    """A contact channel with its name, link and response promise in the visitor's language."""

    name: str
    address: str  # what is shown: the address or number as written ("" for a link-only channel)
    href: str  # mailto:, tel:, sms:, https://wa.me/<digits>, or the channel's https URL; "" when none
    promise: str
    action: str = ""  # link text when there is no address to show ("Open Live chat")


@dataclass
class HelpCenterSite:
    """The pages, navigation and language links of one help center, ready for the site engine."""

    market: str
    lang: str
    name: str
    pages: dict[str, str]
    nav: list
    alternate: list[dict]
    search_excluded: int = 0  # fallback answers kept out of the search index
    site_url: str = ""  # the help center's absolute address (kb.yaml site_url), "" without one
    sitemap: list[str] = field(default_factory=list)  # absolute URLs of its indexable pages
    # The answer pages (one block of HTML each) and the front matter of each, as data: the site
    # engine can fill them into a shell instead of building each one (sites/answer_shell.py).
    answers: dict[str, dict] = field(default_factory=dict)


def _digits(number: str) -> str:
    """A phone number as the digits (and leading +) that `tel:` and wa.me expect."""
    return re.sub(r"[^\d+]", "", number)


def channel_link(ch: PublicChannel) -> str:
    """The link that opens a channel: mail for email, a call or text for phone and SMS, a WhatsApp
    chat from its number (wa.me takes digits without the +), else the channel's own `url` (or an
    address that is a link). Only https, mailto and tel links are made; anything else shows as text."""
    number = ch.number or (ch.address if re.fullmatch(r"\+?[\d ()./-]{3,}", ch.address or "") else "")
    if ch.type == "email" and "@" in ch.address and ":" not in ch.address and " " not in ch.address:
        return f"mailto:{ch.address}"
    if ch.type == "phone" and number:
        return f"tel:{_digits(number)}"
    if ch.type == "sms" and number:
        return f"sms:{_digits(number)}"
    if ch.type == "whatsapp" and number:
        return f"https://wa.me/{_digits(number).lstrip('+')}"
    for candidate in (ch.url, ch.address):
        if candidate and _SAFE_HREF.match(candidate) and not re.search(r"[\s\"'<>]", candidate):
            return candidate
    if number:
        return f"tel:{_digits(number)}"
    return ""


def excerpt(answer: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of an answer's text as one line (tags dropped, entities resolved), cut at a word
    boundary with an ellipsis past `limit` characters; text without spaces (CJK) is cut at `limit`."""
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", answer))).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:、，。") + "…"


def related_answers(faqs: list[PublicFaq], limit: int = RELATED_LIMIT) -> dict[str, list[str]]:
    """Up to `limit` related answers per entry, among the given entries (one help center): the ids
    its author linked, then those sharing most tags, then the rest of its category, each group
    in catalog order."""
    order = {f.id: i for i, f in enumerate(faqs)}
    by_tag: dict[str, list[str]] = {}
    by_cat: dict[str, list[str]] = {}
    for f in faqs:
        for tag in set(f.tags):
            by_tag.setdefault(tag, []).append(f.id)
        by_cat.setdefault(f.category, []).append(f.id)
    out: dict[str, list[str]] = {}
    for f in faqs:
        picked = [r for r in dict.fromkeys(f.related) if r in order and r != f.id][:limit]
        if len(picked) < limit:
            shared = Counter(other for tag in set(f.tags) for other in by_tag[tag] if other != f.id)
            for other, _ in sorted(shared.items(), key=lambda kv: (-kv[1], order[kv[0]])):
                if len(picked) >= limit:
                    break
                if other not in picked:
                    picked.append(other)
        for other in by_cat[f.category]:
            if len(picked) >= limit:
                break
            if other != f.id and other not in picked:
                picked.append(other)
        out[f.id] = picked
    return out


def date_text(day: dt.date, lang: str) -> str:
    """A date as written in the visitor's language (CLDR long format), ISO when CLDR has no locale."""
    loc = babel_locale(lang)
    return format_date(day, format="long", locale=loc) if loc is not None else day.isoformat()


def front_matter(data: dict) -> str:
    """YAML front matter lines, each value as JSON (a subset of YAML: any text is safe in it).

    JSON writes a character beyond U+FFFF as two surrogate escapes, which libyaml (MkDocs's
    loader) refuses, and MkDocs then drops the whole front matter and shows it as text on the
    page: such a character is written as YAML's own eight-digit escape instead."""
    return "\n".join(f"{key}: {_SURROGATES.sub(_long_escape, json.dumps(value))}" for key, value in data.items())


# a JSON surrogate pair, not itself escaped (preceded by an even run of backslashes)
_SURROGATES = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _long_escape(m: re.Match) -> str:
    high, low = int(m.group(2), 16), int(m.group(3), 16)
    return f"{m.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


def with_front_matter(page: str, data: dict) -> str:
    """A page with more front-matter keys (added to its front matter, or as a new one)."""
    lines = front_matter(data)
    if page.startswith("---\n"):
        return f"---\n{lines}\n{page[4:]}"
    return f"---\n{lines}\n---\n{page}"


def title_text(text: str) -> str:
    """Text for places MkDocs and Material print without escaping (site name, navigation, <title>).

    Angle brackets and quotes are dropped and `&` is escaped, so a name can neither open a tag
    nor leave an attribute, even after Material's `striptags` unescapes it.
    """
    return str(escape(re.sub(r"[<>\"]", "", text)))


def help_center_path(market: PublicMarket, lang: str) -> str:
    """The help center's folder under OUT/public: `<market code lowercase>/<lang>`."""
    return f"{market.slug}/{lang}"


class HelpCenterPages:
    """Builds the home, topic and contact pages of one help center."""

    def __init__(self, content: PublicContent, market: PublicMarket, lang: str):
        self.content = content
        self.market = market
        self.lang = lang
        self.source = content.source_language
        self.labels: Labels = labels_for(lang, content.labels)
        self.country = country_name(market.code, market.name, lang)
        self.values = market.values
        self.contact_page = self._contact_slug()
        self.seo = Seo.of(content.site_url)
        self._faqs = {f.id: f for f in content.faqs_for(market)}
        self._views: dict[str, FaqView] = {}
        self._prints: dict[tuple[str, str], str] = {}
        self._topics: list[CategoryView] | None = None
        self._related: dict[str, list[str]] | None = None
        self._topic: dict[str, CategoryView] | None = None
        self._questions: dict[str, Question] | None = None

    # -- views ----------------------------------------------------------------------------
    def faq_view(self, faq: PublicFaq) -> FaqView:
        """A question and answer in this help center's language, or in the source language."""
        q_lang, a_lang = self._langs(faq)
        answer = answer_html(faq.answer.get(a_lang, ""), self.values)
        return FaqView(id=faq.id, question=T.plain(faq.question.get(q_lang, ""), self.values), answer=answer,
                       question_lang=q_lang, answer_lang=a_lang, lang=self.lang, category=faq.category,
                       url=f"{faq.category}/{faq.id}/", excerpt=excerpt(str(answer)),
                       updated=faq.updated.get(a_lang))

    def _langs(self, faq: PublicFaq) -> tuple[str, str]:
        """The languages its question and its answer are shown in here."""
        return (self.lang if faq.question.get(self.lang) else self.source,
                self.lang if faq.answer.get(self.lang) else self.source)

    def view(self, faq_id: str) -> FaqView:
        """The question `faq_id` of this market in this help center (made once)."""
        found = self._views.get(faq_id)
        if found is None:
            found = self._views[faq_id] = self.faq_view(self._faqs[faq_id])
        return found

    def categories(self) -> list[CategoryView]:
        """Topics with at least one question in this market, in kb.yaml order (nothing rendered yet:
        each question is made when a page first reads it)."""
        if self._topics is None:
            by_key: dict[str, CategoryView] = {}
            order = list(self.content.categories)
            for faq in self._faqs.values():
                view = by_key.get(faq.category)
                if view is None:
                    view = by_key[faq.category] = CategoryView(faq.category,
                                                               self.content.category_name(faq.category, self.lang))
                view.faqs.append(Question(self, faq.id, faq.category))
            self._topics = sorted(by_key.values(),
                                  key=lambda c: (order.index(c.key) if c.key in order else len(order), c.key))
        return self._topics

    def question(self, faq_id: str) -> Question:
        """The question `faq_id` as the topics hold it (the map is made once per help center)."""
        if self._questions is None:
            self._questions = {q.id: q for c in self.categories() for q in c.faqs}
        return self._questions[faq_id]

    def related(self) -> dict[str, list[str]]:
        """The related answers of every question of this market (see `related_answers`)."""
        if self._related is None:
            self._related = related_answers(list(self._faqs.values()))
        return self._related

    # -- what pages read, as it is now (render/public_cache.py) ------------------------------------
    def common_print(self, code: str) -> str:
        """A digest of what every page of this help center may read: `code` (the package's digest),
        the site's settings that help centers show, the labels of this language and the market."""
        c = self.content
        return _digest(code.encode(), self.lang.encode(),
                       _data((c.name, c.source_language, list(c.languages), sorted(c.categories.items()),
                              self.labels.lang, sorted(self.labels.words.items()), sorted(self.labels.overridden),
                              c.site_url, c.feedback_url)),
                       _data(self.market))

    def read_print(self, kind: str, key: str) -> str:
        """A fingerprint of one thing a page read (a kind and key noted while it rendered)."""
        found = self._prints.get((kind, key))
        if found is None:
            found = self._prints[(kind, key)] = self._print(kind, key)
        return found

    def _print(self, kind: str, key: str) -> str:
        if kind in ("title", "faq"):
            faq = self._faqs.get(key)
            if faq is None:
                return "absent"
            q_lang, a_lang = self._langs(faq)
            seen = (faq.category, q_lang, faq.question.get(q_lang, ""))
            if kind == "faq":
                seen += (a_lang, faq.answer.get(a_lang, ""), faq.updated.get(a_lang))
            return _digest(_data(seen))
        if kind == "related":
            return "absent" if key not in self._faqs else "\0".join(self.related()[key])
        if kind == "cat":
            if self._topic is None:
                self._topic = {c.key: c for c in self.categories()}
            topic = self._topic.get(key)
            return "absent" if topic is None else "\0".join(f.id for f in topic.faqs)
        if kind == "cats":
            return "\0".join(f"{c.key}:{','.join(f.id for f in c.faqs)}" for c in self.categories())
        return "unknown"

    def channels(self) -> list[ChannelView]:
        """The market's contact channels, named and promised in the visitor's language, each with
        the link that opens it (see `channel_link`)."""
        out = []
        for ch in self.market.channels:
            name = self.labels.channel(ch.type)
            href = channel_link(ch)
            shown = ch.address if ch.address and ch.address != ch.url else ch.number
            promise = ""
            if ch.first_response_hours is not None:
                promise = self.labels.get("response_within",
                                          time=duration(ch.first_response_hours, self.lang, self.labels))
            out.append(ChannelView(name, shown, href, promise,
                                   action=self.labels.get("open_channel", channel=name) if href else ""))
        return out

    # -- pages ----------------------------------------------------------------------------
    def build(self, cache: CenterCache | None = None, code: str = "") -> HelpCenterSite:
        """Every page of the help center, its navigation and the links to its other languages.

        With `cache`, a page whose reads have not changed since it was stored is taken from it
        instead of being rendered (`code`: the package's digest, part of every key)."""
        cats = self.categories()
        if cache is not None and self._related is None:  # what related_answers reads, in order
            seen = _data([(f.id, f.category, f.tags, f.related) for f in self._faqs.values()])
            self._related = cache.memo("related", _digest(code.encode(), seen), lambda: related_answers(list(self._faqs.values())))
        related = self.related()
        channels = self.channels()
        common = self.common_print(code) if cache is not None else ""
        pages: dict[str, str] = {}
        answers: dict[str, dict] = {}
        canonical: dict[str, str] = {}

        def put(rel: str, make) -> None:
            got = cache.lookup(common, rel, self.read_print) if cache is not None else None
            if got is None:
                (markdown, meta, url), reads = render_recorded(make)
                got = StoredPage("", reads, markdown, meta, url)
                if cache is not None:
                    cache.keep(common, rel, self.read_print, got)
            pages[rel] = got.markdown
            if got.meta is not None:
                answers[rel] = got.meta
            if got.canonical is not None:
                canonical[rel] = got.canonical

        contact = f"{self.contact_page}.md"
        put(HOME_PAGE, self._home_page)
        for cat in cats:
            put(cat.page, lambda cat=cat: self._category_page(cat))
            for f in cat.faqs:
                put(f.page, lambda f=f, cat=cat: self._answer_page(f, cat, related, channels))
        put(contact, self._contact_page)
        # plain text: the engine escapes navigation titles and the site name (sites/engine.content_text)
        nav = [{self.labels.get("help_center"): HOME_PAGE}]
        nav += [{c.name: c.page} for c in cats]
        nav.append({self.labels.get("contact"): contact})
        alternate = []
        if len(self.market.languages) > 1:
            alternate = [{"name": language_name(lang), "link": f"../{lang}/", "lang": lang}
                         for lang in self.market.languages]
        excluded = sum(1 for faq in self._faqs.values() if self._langs(faq) != (self.lang, self.lang))
        site = HelpCenterSite(market=self.market.slug, lang=self.lang, name=self.site_name(),
                              pages=pages, nav=nav, alternate=alternate, search_excluded=excluded, answers=answers)
        if self.seo is not None:
            site.site_url = self.seo.center(self.market.slug, self.lang)
            order = [HOME_PAGE, contact] + [p for c in cats for p in (c.page, *(f.page for f in c.faqs))]
            site.sitemap = [canonical[p] for p in order if p in canonical]
        return site

    # each page as (Markdown, an answer page's front matter or None, its sitemap address or None)
    def _home_page(self) -> tuple[str, None, str | None]:
        _note("cats", "*")
        text = self.home(self.categories())
        return self._with_seo(HOME_PAGE, text, None, self.labels.get("home_title"),
                              self.labels.get("home_intro", country=self.country), "website", None)

    def _category_page(self, cat: CategoryView) -> tuple[str, None, str | None]:
        _note("cat", cat.key)
        text = self.category(cat)
        return self._with_seo(cat.page, text, None, cat.name, excerpt(" · ".join(f.question for f in cat.faqs)),
                              "website", None)

    def _answer_page(self, f: Question, cat: CategoryView, related: dict[str, list[str]],
                     channels: list[ChannelView]) -> tuple[str, dict, str | None]:
        _note("related", f.id)
        text, front = self.answer(f, cat, [self.question(r) for r in related[f.id]], channels)
        back = None
        if self.seo is not None and f.fallback:
            back = self.source if self.source in self.market.languages else ""
        return self._with_seo(f.page, text, front, f.question, f.excerpt, "article", back)

    def _contact_page(self) -> tuple[str, None, str | None]:
        rel = f"{self.contact_page}.md"
        return self._with_seo(rel, self.contact(), None, self.labels.get("contact"),
                              self.labels.get("contact_intro", country=self.country), "website", None)

    def _with_seo(self, page: str, text: str, front: dict | None, title: str, description: str, kind: str,
                  back: str | None) -> tuple[str, dict | None, str | None]:
        """A page with its canonical, alternates, description and Open Graph data (front matter for
        the theme's main.html) and its sitemap address (none for fallback pages), when kb.yaml
        names a site_url; the page as it is without one."""
        if self.seo is None:
            return text, front, None
        data = page_seo(self.seo, self.market.code, self.market.slug, self.lang, tuple(self.market.languages),
                        page_url(page), title, description, self.site_name(), kind, back)
        text = with_front_matter(text, {"kb_seo": data})
        if front is not None:
            front = {"kb_seo": data, **front}
        return text, front, data["canonical"] if back is None else None

    def home(self, cats: list[CategoryView]) -> str:
        """Home: a greeting, every topic with its first questions, and the way to contact support."""
        page = HOME_PAGE
        return render("public/home.md.j2", L=self.labels, dir_of=text_direction, country=self.country, page=page,
                      cats=cats, top=TOP_QUESTIONS, link=lambda url: relative(page, url),
                      contact_url=relative(page, f"{self.contact_page}/"), chooser=self.chooser_link(page),
                      channels=self.channels())

    def category(self, cat: CategoryView) -> str:
        """A topic page: every question with a one-line excerpt, linking to its answer page. The
        list item keeps the old `faq-<id>` anchor, and a link to it is sent on to the answer page."""
        page = cat.page
        return render("public/category.md.j2", L=self.labels, dir_of=text_direction, cat=cat, raw=raw,
                      link=lambda url: relative(page, url), contact_url=relative(page, f"{self.contact_page}/"),
                      redirects=json.dumps({f.anchor: relative(page, f.url) for f in cat.faqs}))

    def answer(self, f: FaqView, cat: CategoryView, related: list[FaqView],
               channels: list[ChannelView]) -> tuple[str, dict]:
        """An answer's own page: breadcrumbs, the answer with the market's values, its last update,
        related answers and the market's ways to reach support; and its front matter as data."""
        page = f.page
        notice = self.labels.get("fallback_notice", language=language_in(self.lang, self.lang),
                                 source=language_in(self.source, self.lang)) if f.fallback else ""
        front = {"title": title_text(f.question)}
        if f.fallback:  # its text is in the source language's help center (and search index)
            front["search"] = {"exclude": True}
        jsonld = ""
        if self.seo is not None and not f.fallback:
            jsonld = faq_jsonld(f.question, excerpt(str(f.answer), limit=1_000_000), self.lang,
                                self.seo.center(self.market.slug, self.lang) + f.url)
        text = render("public/answer.md.j2", L=self.labels, dir_of=text_direction, f=f, cat=cat, raw=raw,
                      front=front_matter(front), notice=notice, jsonld=jsonld, feedback=self.feedback(f),
                      updated=date_text(f.updated, self.lang) if f.updated else "",
                      related=related, channels=channels, link=lambda url: relative(page, url),
                      home_url=relative(page, "./"), contact_url=relative(page, f"{self.contact_page}/"))
        return text, front

    def feedback(self, f: FaqView) -> dict | None:
        """What the "Was this helpful?" widget sends and where (kb.yaml feedback_url), or None:
        without a feedback_url the widget is not on the page and the page sends nothing."""
        if not self.content.feedback_url:
            return None
        return {"url": self.content.feedback_url, "market": self.market.code, "lang": self.lang, "entry": f.id,
                "reasons": REASONS, "max_details": FEEDBACK_DETAILS_CHARS}

    def contact(self) -> str:
        """Contact page: support hours with time zone, and each channel with its response promise."""
        page = f"{self.contact_page}.md"
        hours = support_hours(self.market.support_hours, self.lang)
        return render("public/contact.md.j2", L=self.labels, country=self.country, hours=hours,
                      timezone=timezone_name(self.market.timezone, self.lang), tz_id=self.market.timezone,
                      comma=list_separator(self.lang),
                      channels=self.channels(), chooser=self.chooser_link(page))

    # -- helpers --------------------------------------------------------------------------
    def site_name(self) -> str:
        """`Name · Country`; country first in right-to-left languages, so a phone's narrow header,
        which cuts the end of the line, still shows the country in the visitor's script."""
        if text_direction(self.lang) == "rtl":
            return f"{self.country} · {self.content.name}"
        return f"{self.content.name} · {self.country}"

    def chooser_link(self, page: str) -> str:
        """Link from a page to OUT/public/index.html, asking it not to redirect by browser language."""
        depth = len([p for p in page_url(page).split("/") if p])
        return "../" * (depth + 2) + "?choose"

    def _contact_slug(self) -> str:
        slug = "contact"
        while slug in self.content.categories:
            slug += "-us"
        return slug
