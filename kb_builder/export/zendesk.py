"""`kb export zendesk`: macros with dynamic content, the dynamic content CSV, and Help Center articles.

Layout: Zendesk picks a dynamic content variant by the requester's language, so a template is one
macro per market ("Title · DE"), whose subject and comment are dynamic content placeholders
(`{{dc.kb_apology_damaged_de_body}}`) with one variant per language of the market, that market's
values filled in. The default variant is the KB's source language where the market speaks it,
else the market's first language. `dynamic_content.csv` holds the same items in the columns of
Zendesk's dynamic content import ("Title", "Default language", "Default text", "<Language> text",
"Variant status"). Public FAQ answers become Help Center articles: a category per market, a
section per FAQ category, an article per entry in its default language and a translation per
other language.
"""

from __future__ import annotations

import csv
import io

from babel import Locale

from .resources import Export, Resource, slug
from .selection import ReplyVariant, Selection, articles_by_market, default_language

CHANNELS = ("email", "chat", "social", "sms")

# Zendesk's ids of its default locales; an account may differ (GET /api/v2/locales lists them), so
# kb.yaml's `export: zendesk: locale_ids:` overrides these.
LOCALE_IDS = {"en": 1, "es": 2, "de": 8, "zh-CN": 10, "fr": 16, "ar": 66, "ja": 67}


def locale_code(lang: str) -> str:
    """Zendesk's locale code for a language: lowercase (`zh-cn`)."""
    return lang.lower()


def english_name(lang: str) -> str:
    """A language's English name, as Zendesk's CSV headers write it (German, Japanese)."""
    try:
        return Locale.parse(lang.replace("-", "_")).get_display_name("en") or lang
    except (ValueError, TypeError):
        return lang


def build(sel: Selection, locale_ids: dict[str, int] | None = None, permission_group: int | None = None) -> Export:
    """Macros and dynamic content per template and market, articles per public FAQ entry and market."""
    ids = {**LOCALE_IDS, **(locale_ids or {})}
    export = Export("zendesk", skipped=list(sel.skipped))
    groups: dict[tuple[str, str], list[ReplyVariant]] = {}
    for r in sel.replies:
        groups.setdefault((r.template, r.market), []).append(r)
    rows = []
    for (template, market), variants in groups.items():
        langs = [v.lang for v in variants]
        default = default_language(langs, sel.source_language)
        first = next(v for v in variants if v.lang == default)
        base = f"kb_{slug(template)}_{market.lower()}"
        actions = []
        for part in ("subject", "body"):
            texts = {v.lang: (v.subject if part == "subject" else v.body_text) for v in variants}
            if not texts[default]:
                continue
            item = f"{base}_{part}"
            export.resources.append(Resource(
                "dynamic_content_item", item, f"dynamic_content/{item}.json", item,
                {"item": {"name": item, "default_locale_id": ids.get(default),
                          "variants": [{"locale_id": ids.get(lang), "default": lang == default, "active": True,
                                        "content": texts[lang]} for lang in langs if texts[lang]]}}))
            rows.append((item, default, texts))
            actions.append({"field": "subject" if part == "subject" else "comment_value",
                            "value": "{{dc.%s}}" % item})
        key = f"kb-template-{template}-{market.lower()}"
        title = f"{first.title} · {market}"
        export.resources.append(Resource(
            "macro", key, f"macros/{key}.json", title,
            {"macro": {"title": title, "active": True, "restriction": None, "actions": actions,
                       "description": f"{first.market_name}: reply template {template} "
                                      f"({', '.join(langs)}). kb key: {key}"}}))
    export.extra["dynamic_content.csv"] = _csv(rows, sel)
    _articles(sel, export, permission_group)
    return export


def _csv(rows, sel: Selection) -> str:
    langs = [l for l in _all_langs(rows, sel)]
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(["Title", "Default language", "Default text", *[f"{english_name(l)} text" for l in langs],
                "Variant status"])
    for item, default, texts in rows:
        w.writerow([item, english_name(default), texts[default],
                    *[texts.get(l, "") if l != default else "" for l in langs], "Current"])
    return buf.getvalue()


def _all_langs(rows, sel: Selection) -> list[str]:
    """Languages that are some item's variant besides its default (the default is "Default text")."""
    used = {l for _, default, texts in rows for l, t in texts.items() if t and l != default}
    return sorted(used, key=lambda l: (l != sel.source_language, l))


def _articles(sel: Selection, export: Export, permission_group: int | None) -> None:
    for market in articles_by_market(sel.articles, sel.source_language):
        m = market.market.lower()
        locale = locale_code(market.default)
        cat_key = f"kb-hc-category-{m}"
        export.resources.append(Resource("hc_category", cat_key, f"help_center/categories/{cat_key}.json",
                                         market.market_name,
                                         {"category": {"name": market.market_name, "locale": locale,
                                                       "description": f"kb key: {cat_key}"}}))
        sections: dict[str, str] = {}
        for group in market.groups:
            main = group.main
            sec_key = sections.get(main.category)
            if sec_key is None:
                sec_key = sections[main.category] = f"kb-hc-section-{m}-{main.category}"
                name = market.category_name(group)
                export.resources.append(Resource(
                    "hc_section", sec_key, f"help_center/sections/{sec_key}.json", name,
                    {"section": {"name": name, "locale": locale, "description": f"kb key: {sec_key}"}},
                    refs={"category_id": cat_key}))
            key = f"kb-faq-{group.faq}-{m}"
            export.resources.append(Resource(
                "hc_article", key, f"help_center/articles/{key}.json", main.title,
                {"article": {"title": main.title, "body": main.body_html, "locale": locale_code(group.main_lang),
                             "user_segment_id": None, "label_names": [key],
                             **({"permission_group_id": permission_group} if permission_group else {})}},
                refs={"section_id": sec_key}))
            for lang, v in group.translations():
                tkey = f"{key}-{lang.lower()}"
                export.resources.append(Resource(
                    "hc_translation", tkey, f"help_center/translations/{tkey}.json", v.title,
                    {"translation": {"locale": locale_code(lang), "title": v.title, "body": v.body_html}},
                    parent=key))
