"""Pages of the internal knowledge base (agents and trainers)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import partial

from markupsafe import Markup, escape

from kb_builder.errors import Problem
from kb_builder.model import Catalog, Entry, Faq, LearningPath, Market, Sop, Template, format_number
from kb_builder.render import text as T
from kb_builder.render.common import SiteContent, Tab, TabCounter, language_name, raw, relative, tabs
from kb_builder.render.env import render
from kb_builder.render.flowchart import FlowStep, flowchart_svg
from kb_builder.render.page_cache import PageCache, caching, fragment, projection, recording, scan
from kb_builder.render.parallel import render_pages
from kb_builder.render.plaintext import html_to_text
from kb_builder.render.composer import composer_html, script_json
from kb_builder.urls import anchor, internal_page, internal_url
from kb_builder.variables import TOKEN, market_variables, placeholders

MARKET_PAGE_LIMIT = 150  # entries of one kind shown in full on a market page
NAV_LIMIT = 150  # entries of one kind listed in the navigation
STATUS_CODES = ("untranslated", "stale-translation", "review-overdue")
CHANNEL_LABELS = {"email": "Email", "chat": "Live chat", "whatsapp": "WhatsApp", "line": "LINE", "phone": "Phone",
                  "sms": "SMS", "social": "Social media", "review-reply": "Review reply", "messenger": "Messenger",
                  "marketplace": "Marketplace messages"}


def humanize_hours(hours: float | None) -> str:
    """0.05 -> 'about 3 minutes', 24 -> '24 hours': a response promise as people say it."""
    if hours is None:
        return "not promised"
    if hours < 1:
        minutes = max(1, round(hours * 60))
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    return f"{format_number(hours)} hour{'s' if hours != 1 else ''}"


@dataclass
class Status:
    """Health findings for one entry, shown as a banner on its page."""

    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> list[str]:
        by_code: dict[str, list[str]] = {}
        for p in self.problems:
            by_code.setdefault(p.code, []).append(p.lang or "")
        words = {"untranslated": "untranslated", "stale-translation": "stale translation",
                 "review-overdue": "review overdue"}
        out = []
        for code, langs in by_code.items():
            langs = sorted({l for l in langs if l})
            out.append(words.get(code, code) + (f" ({', '.join(langs)})" if langs else ""))
        return out


class InternalSite:
    """Builds every page of the internal site from a catalog and the checker's findings."""

    def __init__(self, catalog: Catalog, problems: list[Problem], today: dt.date):
        self.catalog = catalog
        self.settings = catalog.settings
        self.problems = problems
        self.today = today
        self.status: dict[str, Status] = {}
        self._chips: dict[str, str] = {}  # variable -> its chip (label_vars; markets and labels are fixed)
        for p in problems:
            if p.entry and p.code in STATUS_CODES:
                self.status.setdefault(p.entry, Status()).problems.append(p)

    # -- shared pieces --------------------------------------------------------------------
    def link(self, from_page: str, target) -> str:
        return relative(from_page, internal_url(target))

    def title_of(self, entry, lang: str | None = None) -> str:
        """The entry's title (the model's one rule) as plain text; a market variable in it (a
        template titled by its first line) reads as its label, as everywhere without a market."""
        title = entry.display_title(lang)
        if "{market." in title:
            title = TOKEN.sub(lambda m: self.var_label(m.group(1)[7:]) if (m.group(1) or "").startswith("market.")
                              else m.group(0), title)
        return T.plain(title)

    def languages_of(self, entry: Entry) -> list[str]:
        """Languages this entry exists in: the source, then translations in kb.yaml order."""
        src = self.settings.source_language
        return [src] + [l for l in self.settings.languages if l != src and l in entry.translations]

    def overdue(self, entry: Entry) -> bool:
        """True when the checker found the entry's own review overdue (its translations aside)."""
        st = self.status.get(entry.ref)
        return st is not None and any(p.code == "review-overdue" and p.lang is None for p in st.problems)

    def anchor(self, entry: Entry) -> str:
        """The entry's HTML id on a shared page (urls.anchor)."""
        return anchor(entry)

    def banner(self, entry: Entry | LearningPath, page: str) -> Markup:
        """The banners above an entry: Draft (for `draft: true`), then its health findings."""
        out = Markup("")
        if getattr(entry, "draft", False):
            where = ("It is not on any public help center and not in public search"
                     if entry.audience == "public" else "It is for agents only in any case")
            out += Markup('<div class="admonition note kb-draft"><p class="admonition-title">Draft</p>'
                          f'<p>Work in progress (<code>draft: true</code>). {where}; remove '
                          '<code>draft: true</code> from its file when it is ready.</p></div>\n')
        st = self.status.get(entry.ref)
        if not st:
            return out
        health = relative(page, f"health/#{anchor(entry)}")
        items = "; ".join(st.summary())
        return out + Markup(f'<div class="admonition warning kb-status"><p class="admonition-title">Needs attention</p>'
                            f'<p>{escape(items)}. <a href="{health}">See Content health</a>.</p></div>')

    def reply_block(self, t: Template, page: str, counter: TabCounter, only_market: Market | None = None) -> Markup:
        """A template's text: a tab per language, and inside it a tab per market speaking that
        language when the text uses market values, each with the values filled and a copy button."""
        used = set()
        for lang in self.languages_of(t):
            for key in ("subject", "body"):
                used |= market_variables(t.text(key, lang))
        declared = set(t.placeholders)
        markets = [only_market] if only_market else self.catalog.markets_of(t.markets)
        lang_tabs = []
        for lang in self.languages_of(t):
            if only_market and lang not in only_market.languages:
                continue
            speakers = [m for m in markets if lang in m.languages]
            if used and speakers:
                inner = [Tab(f"{m.code}", self._reply_text(t, lang, m.variables(), declared, m.code), lang=lang)
                         for m in speakers]
                body = inner[0].body if len(inner) == 1 else tabs(inner, counter)
                if len(inner) == 1:
                    body = Markup(f'<p class="kb-market-note">Values for {escape(speakers[0].name)}</p>') + body
            else:
                body = self._reply_text(t, lang, None if used else {}, declared, None)
            stale = " (stale)" if t.is_stale(lang) else ""
            lang_tabs.append(Tab(language_name(lang) + stale, body, lang=lang))
        missing = [l for l in self.catalog.languages_needed(t.markets) if l not in self.languages_of(t)]
        note = ""
        if missing and not only_market:
            note = f'<p class="kb-missing">Not translated yet: {escape(", ".join(map(language_name, missing)))}</p>'
        # on a market page the template's <details> holds its anchor: one id per page
        ident = "" if only_market else f' id="{anchor(t)}"'
        return Markup(f'<div class="kb-reply"{ident}>') + tabs(lang_tabs, counter) + Markup(note + "</div>")

    def _reply_text(self, t: Template, lang: str, values, declared: set[str], market: str | None) -> Markup:
        """Subject and body of one variant, each a `pre` with an id of its own: Material's copy
        button copies the `pre` found by the id of the nearest element that has one, so without
        these every button of a template copied its first block (see `copy_id`)."""
        parts = []
        subject = t.text("subject", lang)
        if subject:
            parts.append(Markup(f'<p class="kb-subject-label">Subject</p><pre class="kb-subject" '
                                f'id="{copy_id(t, lang, market, "subject")}"><code>')
                         + T.reply_html(subject, values, declared) + Markup("</code></pre>"))
        parts.append(Markup(f'<pre class="kb-body" id="{copy_id(t, lang, market, "body")}"><code>')
                     + T.reply_html(t.text("body", lang), values, declared) + Markup("</code></pre>"))
        return Markup("").join(parts)

    def composer(self, t: Template) -> Markup:
        """The reply composer of a template (see composer.py and kb-composer.js)."""
        return composer_html(self.catalog, t, self.languages_of(t))

    def faq_copy(self, f: Faq, lang: str, only_market: Market | None = None) -> Markup:
        """Copy buttons for an FAQ answer as plain text: one per market speaking the language when
        the answer uses market values (each with that market's values), else one."""
        text = f.text("answer", lang)
        markets = [only_market] if only_market else [m for m in self.catalog.markets_of(f.markets)
                                                     if lang in m.languages]
        if not market_variables(text) or not markets:
            variants = [("Copy answer", None if market_variables(text) else {})]
        else:
            variants = [(f"Copy answer ({m.code})", m.variables()) for m in markets]
        buttons = []
        for label, values in variants:
            plain = html_to_text(str(T.markdown_html(text, values)))
            buttons.append(f'<button type="button" class="md-button kb-copy-answer" '
                           f'data-clipboard-text="{escape(plain)}">{escape(label)}</button>')
        return Markup('<p class="kb-copy-row">' + " ".join(buttons) + "</p>")

    def steps_html(self, sop: Sop, page: str, market: Market | None, lang: str | None = None) -> Markup:
        values = market.variables() if market else None
        chips = market is None
        steps = sop.steps_for(market.code if market else None)
        number = {s.id: i for i, s in enumerate(steps, 1)}
        out = ['<ol class="kb-steps">']
        for s in steps:
            sid = s.id if market is None else f"{market.slug}-{sop.id}-{s.id}"
            only = "" if s.markets.all or market else f' data-markets="{escape(" ".join(m.code for m in self.catalog.markets_of(s.markets)))}"'
            out.append(f'<li id="step-{escape(sid)}" class="kb-step"{only}>')
            out.append(str(T.markdown_html(sop.text(f"steps.{s.id}.do", lang), values, chips)))
            if not s.markets.all and market is None:
                out.append(f'<p class="kb-badge">Only in {escape(s.markets.label())}</p>')
            if s.branches:
                out.append('<div class="kb-branches"><table><thead><tr><th>If</th><th>Then</th><th>Next</th></tr></thead><tbody>')
                for i, b in enumerate(s.branches):
                    cond = T.inline_html(sop.text(f"steps.{s.id}.branches.{i}.if", lang), values, chips)
                    then = T.inline_html(sop.text(f"steps.{s.id}.branches.{i}.then", lang), values, chips)
                    if b.next and b.next in number:
                        target = b.next if market is None else f"{market.slug}-{sop.id}-{b.next}"
                        nxt = f'<a href="#step-{escape(target)}">Step {number[b.next]}</a>'
                    elif b.next:
                        nxt = "(step not in this market)"
                    else:
                        nxt = "Continue"
                    out.append(f"<tr><td>{cond}</td><td>{then}</td><td>{nxt}</td></tr>")
                out.append("</tbody></table></div>")
            refs = []
            for tid in s.templates:
                t = self.catalog.templates.get(tid)
                if t:
                    href = f"#{anchor(t)}" if market is None else self.link(page, t)
                    refs.append(f'<a class="kb-chip-link" href="{href}">✉ {escape(self.title_of(t))}</a>')
            for fid in s.faq:
                f = self.catalog.faqs.get(fid)
                if f:
                    refs.append(f'<a class="kb-chip-link" href="{self.link(page, f)}">? {escape(self.title_of(f))}</a>')
            if refs:
                out.append('<p class="kb-step-refs">' + " ".join(refs) + "</p>")
            out.append("</li>")
        out.append("</ol>")
        return Markup("\n".join(out))

    def flowchart(self, sop: Sop, market: Market | None = None) -> Markup:
        """The flowchart for all markets (variables as their labels) or for one market (its steps,
        its values); `sop_page` shows one and the market picker swaps them."""
        values = market.variables() if market else None

        def fill(text: str) -> str:
            if values is not None:
                return T.plain(text, values)
            return _MARKET_VAR.sub(lambda m: self.var_label(m.group(1)), text).replace("{{", "{").replace("}}", "}")

        steps = sop.steps_for(market.code if market else None)
        flow = [FlowStep(id=s.id, number=i,
                         label=fill(sop.text(f"steps.{s.id}.do")),
                         branches=[(fill(sop.text(f"steps.{s.id}.branches.{j}.if")), b.next)
                                   for j, b in enumerate(s.branches)],
                         markets="" if s.markets.all or market else s.markets.label())
                for i, s in enumerate(steps, 1)]
        where = f" in {market.name}" if market else ""
        attrs = f' data-market="{escape(market.code)}" hidden' if market else ' data-market="all"'
        return Markup(f'<figure class="kb-flowchart"{attrs}>') \
            + Markup(flowchart_svg(flow, f"Flowchart of {self.title_of(sop)}{where}", market.slug if market else "all")) \
            + Markup("</figure>")

    def flowcharts(self, sop: Sop) -> Markup:
        """The all-markets flowchart, plus one per market when markets differ (values or steps)."""
        out = self.flowchart(sop)
        names, markets, _ = self.values_table(sop)
        if names or any(not s.markets.all for s in sop.steps):
            for m in markets:
                out += self.flowchart(sop, m)
        return out

    def var_label(self, name: str) -> str:
        """A market variable as agents read it: `kb.yaml: labels.<source>.var_<name>`, else the name in words."""
        src = self.settings.source_language
        return self.settings.labels.get(src, {}).get(f"var_{name}") or var_words(name)

    def label_vars(self, html: str) -> str:
        """Every variable chip of a page (`text.py` names the variable) shows its label instead, with
        each market's value on hover, tap or focus, and `data-var` for the market picker."""
        chips = self._chips

        def chip(m: re.Match) -> str:
            name = m.group(1)
            done = chips.get(name)
            if done is None:
                done = chips[name] = make_chip(name)
            return done

        def make_chip(name: str) -> str:
            per_market = " · ".join(f"{c}: {mk.variables()[name]}" for c, mk in sorted(self.catalog.markets.items())
                                    if name in mk.variables())
            label = escape(self.var_label(name))
            return (f'<span class="kb-var" data-var="{name}" data-label="{label}" tabindex="0" '
                    f'title="{escape(per_market or "no market defines it")}">{label}</span>')
        return _CHIP.sub(chip, html)

    def picker(self, sop: Sop) -> Markup:
        """The SOP page's market picker: 'All markets' or one; kb-composer.js fills values in."""
        names, markets, table = self.values_table(sop)
        if len(markets) < 2 and not names:
            return Markup("")
        data = {m.code: {n: table[n][m.code] for n in names} for m in markets}
        options = "".join(f'<option value="{escape(m.code)}">{escape(m.code)} · {escape(m.name)}</option>' for m in markets)
        return Markup(f'<div class="kb-market-picker" data-kb-market-picker><label for="kb-market-pick">Customer\'s market'
                      f'</label> <select id="kb-market-pick"><option value="">All markets</option>{options}</select>'
                      f'<script type="application/json">{script_json(data)}</script></div>')

    def values_table(self, entry: Entry) -> tuple[list[str], list[Market], dict]:
        """Variables an entry uses and their value in each market it applies to."""
        names: set[str] = set()
        for lang in self.languages_of(entry):
            for key in entry.source:
                names |= market_variables(entry.text(key, lang))
        markets = self.catalog.markets_of(entry.markets)
        table = {n: {m.code: m.variables().get(n, "—") for m in markets} for n in sorted(names)}
        return sorted(names), markets, table

    # -- pages ----------------------------------------------------------------------------
    def build(self, health_markdown: str | None, cache: bool | None = None) -> SiteContent:
        """Every page, plus the navigation (pages are rendered on every core, see parallel.py).

        `cache=True` takes unchanged pages from the page cache and stores the others there;
        `False` renders every page and stores them; None leaves the cache alone (page_cache.py).
        """
        if cache is None:
            return self._build(health_markdown, None)
        pages = PageCache.open(self.catalog, self.status, self.today, use_stored=cache)
        with recording(self.catalog), caching(pages):
            site = self._build(health_markdown, pages)
        pages.save()
        site.cached = pages.hits
        return site

    def _build(self, health_markdown: str | None, cache: PageCache | None) -> SiteContent:
        c = self.catalog
        tasks: list = [("index.md", self.home),
                       ("sops/index.md", partial(render, "internal/sops_index.md.j2", kb=self, page="sops/index.md",
                                                 sops=sorted(c.sops.values(), key=lambda s: self.title_of(s))))]
        tasks += [(internal_page(sop), partial(self.sop_page, sop)) for sop in sorted(c.sops.values(), key=lambda s: s.id)]
        tasks.append(("templates/index.md", self.templates_index))
        tasks += [(internal_page(t), partial(self.template_page, t))
                  for t in sorted(c.templates.values(), key=lambda t: t.id)]
        tasks.append(("faq/index.md", self.faq_index))
        for key in self.settings.categories:
            faqs = sorted((f for f in c.faqs.values() if f.category == key), key=lambda f: self.title_of(f))
            if faqs:
                tasks.append((f"faq/{key}.md", partial(self.faq_category, key, faqs)))
        tasks.append(("markets/index.md", partial(render, "internal/markets_index.md.j2", kb=self,
                                                  page="markets/index.md",
                                                  markets=[c.markets[k] for k in sorted(c.markets)],
                                                  hours=humanize_hours, channel_label=channel_label,
                                                  language_name=language_name)))
        tasks += [(internal_page(c.markets[code]), partial(self.market_page, c.markets[code])) for code in sorted(c.markets)]
        if c.paths:
            tasks.append(("paths/index.md", partial(render, "internal/paths_index.md.j2", kb=self, page="paths/index.md",
                                                    paths=sorted(c.paths.values(), key=lambda p: p.title))))
            tasks += [(internal_page(p), partial(self.path_page, p)) for p in sorted(c.paths.values(), key=lambda p: p.id)]
        tasks.append(("changes.md", partial(render, "internal/changes.md.j2", kb=self, page="changes.md",
                                            entries=self.recent(limit=None))))
        if health_markdown is not None:
            tasks.append(("health.md", lambda: health_markdown))
        site = SiteContent(pages=render_pages(tasks, cache))
        site.nav = self.nav()
        return site

    def in_nav(self, kind: str) -> bool:
        """Whether entries of this kind are listed in the navigation (see `nav`); pages of a kind
        that is not get a link back to their section's index instead."""
        count = len(self.catalog.sops) if kind == "sop" else len(self.catalog.templates)
        return count <= NAV_LIMIT

    def nav(self) -> list:
        """The navigation, every page with its title (the engine rebuilds pages incrementally only
        when no title has to be read from a page). Past NAV_LIMIT entries of a kind, the section
        holds only its index page, which lists them all: the theme renders the active section's
        navigation into every page, so 1,000 templates in it cost a million items per build."""
        c = self.catalog

        def section(title: str, index: tuple[str, str], items: list[tuple[str, str]]) -> dict:
            shown = items if len(items) <= NAV_LIMIT else []  # the same rule as in_nav
            return {title: [{index[0]: index[1]}] + [{t: page} for t, page in shown]}

        nav: list = [{"Home": "index.md"}]
        nav.append(section("SOPs", ("Standard operating procedures", "sops/index.md"),
                           [(self.title_of(s), internal_page(s)) for s in sorted(c.sops.values(), key=self.title_of)]))
        nav.append(section("Templates", ("Reply templates", "templates/index.md"),
                           [(self.title_of(t), internal_page(t))
                            for t in sorted(c.templates.values(), key=self.title_of)]))
        cats = [k for k in self.settings.categories if any(f.category == k for f in c.faqs.values())]
        nav.append(section("FAQ", ("FAQ", "faq/index.md"), [(self.category_name(k), f"faq/{k}.md") for k in cats]))
        nav.append(section("Markets", ("Markets", "markets/index.md"),
                           [(f"{c.markets[k].name} ({k})", internal_page(c.markets[k])) for k in sorted(c.markets)]))
        if c.paths:
            nav.append(section("Onboarding", ("Onboarding", "paths/index.md"),
                               [(p.title, internal_page(p)) for p in sorted(c.paths.values(), key=lambda p: p.title)]))
        nav.append({"Changes": "changes.md"})
        nav.append({"Content health": "health.md"})
        return nav

    def category_name(self, key: str, lang: str | None = None) -> str:
        cat = self.settings.categories.get(key)
        src = self.settings.source_language
        return cat.name(lang or src, src) if cat else key

    def recent(self, limit: int | None = 12) -> list[Entry]:
        entries = [e for e in self.catalog.entries() if e.reviewed]
        entries.sort(key=lambda e: (e.reviewed, e.ref), reverse=True)
        return entries[:limit] if limit else entries

    def home(self) -> str:
        c = self.catalog
        sev = {"critical": 0, "high": 1, "medium": 2, "low": 3}
        sops = sorted(c.sops.values(), key=lambda s: (sev.get(s.severity, 9), self.title_of(s)))
        return render("internal/home.md.j2", kb=self, page="index.md", sops=sops, recent=self.recent(),
                      counts={"SOPs": len(c.sops), "FAQ entries": len(c.faqs), "Templates": len(c.templates),
                              "Markets": len(c.markets), "Languages": len(self.settings.languages)})

    def sop_page(self, sop: Sop) -> str:
        page = internal_page(sop)
        counter = TabCounter()
        templates = [self.catalog.templates[t] for t in sop.templates_used() if t in self.catalog.templates]
        names, markets, table = self.values_table(sop)
        return self.label_vars(render("internal/sop.md.j2", kb=self, page=page, sop=sop, counter=counter, templates=templates,
                      var_names=names, var_markets=markets, var_table=table, hours=humanize_hours,
                      faqs=[self.catalog.faqs[f] for f in sop.faq if f in self.catalog.faqs],
                      related=[self.catalog.sops[r] for r in sop.related if r in self.catalog.sops],
                      language_name=language_name))

    def template_page(self, t: Template) -> str:
        page = internal_page(t)
        used_by = [self.catalog.sops[i] for i, uses in scan(self.catalog.sops, templates_of) if t.id in uses]
        return render("internal/template.md.j2", kb=self, page=page, t=t, counter=TabCounter(),
                      scenario=self.catalog.sops.get(t.scenario or ""), used_by=used_by,
                      placeholders=sorted(t.placeholders), language_name=language_name,
                      channel_label=channel_label)

    def templates_index(self) -> str:
        by_scenario: dict[str, list[Template]] = {}
        by_channel: dict[str, list[Template]] = {}
        for t in sorted(self.catalog.templates.values(), key=self.title_of):
            by_scenario.setdefault(t.scenario or "", []).append(t)
            by_channel.setdefault(t.channel, []).append(t)
        return render("internal/templates_index.md.j2", kb=self, page="templates/index.md",
                      by_scenario=sorted(by_scenario.items(), key=lambda kv: (kv[0] == "", kv[0])),
                      by_channel=sorted(by_channel.items()), channel_label=channel_label)

    def faq_index(self) -> str:
        cats = []
        for key in self.settings.categories:
            faqs = sorted((f for f in self.catalog.faqs.values() if f.category == key), key=self.title_of)
            if faqs:
                cats.append((key, faqs))
        return render("internal/faq_index.md.j2", kb=self, page="faq/index.md", cats=cats)

    def faq_entry(self, f: Faq, page: str, counter: TabCounter) -> Markup:
        """One answer of a FAQ category page: its heading, banners, note and a tab per language,
        kept in the page cache (page_cache.fragment): an edit of one answer renders only its block."""
        return Markup(fragment(partial(self._faq_entry, f, page), page, counter))

    def _faq_entry(self, f: Faq, page: str, counter: TabCounter) -> str:
        # labelled here (as the whole page is after, which finds no chip left in it), so that the
        # block is the page's text as it is and the cache stores it as a span of the page
        return self.label_vars(render("internal/faq_entry.md.j2", kb=self, page=page, f=f, counter=counter,
                                      language_name=language_name))

    def market_sop(self, sop: Sop, page: str, m: Market) -> Markup:
        """One SOP of a market page (its steps for that market, with its values), as a raw block,
        kept in the page cache (page_cache.fragment)."""
        return Markup(fragment(partial(self._market_sop, sop, page, m), page))

    def _market_sop(self, sop: Sop, page: str, m: Market) -> str:
        return str(raw(render("internal/market_sop.html.j2", kb=self, page=page, s=sop, m=m, values=m.variables())))

    def faq_category(self, key: str, faqs: list[Faq]) -> str:
        page = f"faq/{key}.md"
        return self.label_vars(render("internal/faq_category.md.j2", kb=self, page=page, key=key, faqs=faqs,
                                      counter=TabCounter(), language_name=language_name))

    def market_page(self, m: Market) -> str:
        page = internal_page(m)
        c = self.catalog
        applies = lambda e: e.markets.includes(m.code)  # noqa: E731
        coverage = []
        entries = [e for e in c.entries() if applies(e)]
        for lang in m.languages:
            done = sum(1 for e in entries if e.has_translation(lang, self.settings.source_language))
            stale = sum(1 for e in entries if e.is_stale(lang))
            coverage.append((lang, done, stale, len(entries)))
        sops = sorted(filter(applies, c.sops.values()), key=self.title_of)
        templates = sorted(filter(applies, c.templates.values()), key=self.title_of)
        faqs = sorted(filter(applies, c.faqs.values()), key=lambda f: (f.category, self.title_of(f)))
        # A market page shows every entry with its values filled in while that stays readable; past
        # MARKET_PAGE_LIMIT entries of a kind it lists them instead (5,000 answers on one page would
        # be megabytes that nobody scrolls, and the engine's cost grows with page size).
        embed = {"sops": len(sops) <= MARKET_PAGE_LIMIT, "templates": len(templates) <= MARKET_PAGE_LIMIT,
                 "faqs": len(faqs) <= MARKET_PAGE_LIMIT}
        return render("internal/market.md.j2", kb=self, page=page, m=m, counter=TabCounter(),
                      values=m.variables(), hours=humanize_hours, channel_label=channel_label,
                      sops=sops, templates=templates, faqs=faqs, embed=embed,
                      coverage=coverage, language_name=language_name)

    def path_page(self, p: LearningPath) -> str:
        page = internal_page(p)
        modules = []
        for mod in p.modules:
            reads = []
            for ref in mod.read:
                target = self.catalog.lookup(ref)
                if target is not None:
                    reads.append((ref.split(":")[0], self.title_of(target), self.link(page, target)))
            modules.append((mod, reads))
        return render("internal/path.md.j2", kb=self, page=page, p=p, modules=modules)


_MARKET_VAR = re.compile(r"\{market\.([A-Za-z0-9_]+)\}")
# text.py's chip for a variable in a view for no particular market (it names the variable)
_CHIP = re.compile(re.escape(T._CHIP_HTML).replace(re.escape("\\1"), "([A-Za-z0-9_]+)"))


@projection
def templates_of(sop: Sop) -> tuple[str, ...]:
    """The templates an SOP uses: all that a template page reads of the SOPs that do not use it."""
    return tuple(sop.templates_used())


def var_words(name: str) -> str:
    """`no_return_refund_limit` -> `no-return refund limit`: a leading `no_` joins its word."""
    if name.startswith("response_hours_"):
        return f"{name[len('response_hours_'):].replace('_', ' ')} reply hours"
    words = name.split("_")
    if len(words) > 2 and words[0] == "no":
        words = [f"no-{words[1]}"] + words[2:]
    return " ".join(words)


def copy_id(t: Template, lang: str, market: str | None, part: str) -> str:
    """A page-unique, CSS-safe id for one copyable block of a template (a template is shown once
    per page); Material makes `__code_<id>` of it and copies `#__code_<id> > code`."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", f"copy-{t.id}-{lang}-{market or 'all'}-{part}")


def channel_label(kind: str) -> str:
    return CHANNEL_LABELS.get(kind, kind.replace("-", " ").capitalize())
