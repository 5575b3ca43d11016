"""`kb export freshdesk`: canned responses in folders, and solution articles with translations.

Layout: a canned response has no language, so like Gorgias there is one per template, market and
language ("Title · DE · de"), kept in a folder per market and language ("KB · DE · de") so agents
pick their market's folder. Public FAQ answers become solution articles: a solution category per
market, a folder per FAQ category, an article in the market's default language (the KB's source
language where the market speaks it) and a translation per other language (multilingual
knowledge base). Freshdesk has no email/chat split for canned responses; chat and sms templates
are left out (chat is Freshchat, a separate product).
"""

from __future__ import annotations

from .resources import Export, Resource
from .selection import ArticleVariant, Selection

CHANNELS = ("email", "social")
PUBLISHED = 2  # solution article status: 1 draft, 2 published
ALL_AGENTS = 0  # canned response visibility
ALL_USERS = 1  # solution folder visibility


def language(lang: str) -> str:
    """Freshdesk's language code: `zh-CN` stays, others lowercase (`de`)."""
    return lang if "-" in lang else lang.lower()


def build(sel: Selection) -> Export:
    """Folders and canned responses per reply variant; solution articles per public FAQ entry."""
    export = Export("freshdesk", skipped=list(sel.skipped))
    folders: set[str] = set()
    for r in sel.replies:
        folder = f"kb-canned-folder-{r.market.lower()}-{r.lang.lower()}"
        if folder not in folders:
            folders.add(folder)
            name = f"KB · {r.market} · {r.lang}"
            export.resources.append(Resource("canned_response_folder", folder,
                                             f"canned_response_folders/{folder}.json", name, {"name": name}))
        export.resources.append(Resource(
            "canned_response", r.key, f"canned_responses/{r.key}.json", r.name,
            {"title": r.name, "content_html": r.body_html, "folder_id": None, "visibility": ALL_AGENTS},
            refs={"folder_id": folder}))
    _articles(sel, export)
    return export


def _articles(sel: Selection, export: Export) -> None:
    by_market: dict[str, list[ArticleVariant]] = {}
    for a in sel.articles:
        by_market.setdefault(a.market, []).append(a)
    for market, arts in by_market.items():
        m = market.lower()
        langs = list(dict.fromkeys(a.lang for a in arts))
        default = sel.source_language if sel.source_language in langs else langs[0]
        cat_key = f"kb-solution-category-{m}"
        export.resources.append(Resource("solution_category", cat_key, f"solutions/categories/{cat_key}.json",
                                         arts[0].market_name, {"name": arts[0].market_name}))
        by_faq: dict[str, dict[str, ArticleVariant]] = {}
        for a in arts:
            by_faq.setdefault(a.faq, {})[a.lang] = a
        folders: dict[str, str] = {}
        for faq, variants in by_faq.items():
            main_lang = default if default in variants else next(iter(variants))
            main = variants[main_lang]
            folder = folders.get(main.category)
            if folder is None:
                folder = folders[main.category] = f"kb-solution-folder-{m}-{main.category}"
                name = next((a.category_name for a in arts if a.category == main.category and a.lang == default),
                            main.category_name)
                export.resources.append(Resource(
                    "solution_folder", folder, f"solutions/folders/{folder}.json", name,
                    {"name": name, "visibility": ALL_USERS}, refs={"category_id": cat_key}))
            key = f"kb-faq-{faq}-{m}"
            export.resources.append(Resource(
                "solution_article", key, f"solutions/articles/{key}.json", main.title,
                {"title": main.title, "description": main.body_html, "status": PUBLISHED, "tags": [key]},
                refs={"folder_id": folder}))
            for lang, v in variants.items():
                if lang == main_lang:
                    continue
                tkey = f"{key}-{lang.lower()}"
                export.resources.append(Resource(
                    "solution_translation", tkey, f"solutions/translations/{tkey}.json", v.title,
                    {"title": v.title, "description": v.body_html, "status": PUBLISHED},
                    parent=key, lang=language(lang)))
