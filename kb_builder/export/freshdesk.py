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
from .selection import Selection, articles_by_market

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
    for market in articles_by_market(sel.articles, sel.source_language):
        m = market.market.lower()
        cat_key = f"kb-solution-category-{m}"
        export.resources.append(Resource("solution_category", cat_key, f"solutions/categories/{cat_key}.json",
                                         market.market_name, {"name": market.market_name}))
        folders: dict[str, str] = {}
        for group in market.groups:
            main = group.main
            folder = folders.get(main.category)
            if folder is None:
                folder = folders[main.category] = f"kb-solution-folder-{m}-{main.category}"
                name = market.category_name(group)
                export.resources.append(Resource(
                    "solution_folder", folder, f"solutions/folders/{folder}.json", name,
                    {"name": name, "visibility": ALL_USERS}, refs={"category_id": cat_key}))
            key = f"kb-faq-{group.faq}-{m}"
            export.resources.append(Resource(
                "solution_article", key, f"solutions/articles/{key}.json", main.title,
                {"title": main.title, "description": main.body_html, "status": PUBLISHED, "tags": [key]},
                refs={"folder_id": folder}))
            for lang, v in group.translations():
                tkey = f"{key}-{lang.lower()}"
                export.resources.append(Resource(
                    "solution_translation", tkey, f"solutions/translations/{tkey}.json", v.title,
                    {"title": v.title, "description": v.body_html, "status": PUBLISHED},
                    parent=key, lang=language(lang)))
