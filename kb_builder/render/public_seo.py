"""Search-engine and sharing data of the help centers, made only when kb.yaml names `site_url`.

`site_url` is the address OUT/public is published at (the country chooser); a help center lives
at `<site_url><market>/<lang>/`. With it every page says where it canonically lives, which pages
are the same page in the market's other languages (absolute `hreflang` links, `x-default` to the
chooser), a description and Open Graph data for link previews, and each answer page carries its
question and answer as schema.org `FAQPage` data. A fallback page (an answer shown in the source
language) asks not to be indexed and names the source-language page as canonical. Each help
center gets a sitemap of its indexable pages, OUT/public a sitemap index and a robots.txt naming
it. Without `site_url` none of this is made: pages link relatively and work from any address.

Everything here is data for `theme/overrides/main.html` (front matter `kb_seo`) or whole files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class Seo:
    """The public address and what a help center needs to know to make absolute links."""

    site_url: str  # ends with "/"

    @classmethod
    def of(cls, site_url: str) -> Seo | None:
        """None when there is no site_url (nothing is made then)."""
        site_url = (site_url or "").strip()
        if not site_url:
            return None
        return cls(site_url.rstrip("/") + "/")

    def center(self, market_slug: str, lang: str) -> str:
        """A help center's absolute address."""
        return f"{self.site_url}{market_slug}/{lang}/"


def hreflang(lang: str, market_code: str) -> str:
    """The hreflang of a help center: language and the market's region (`de-DE`, `en-AE`), as
    every market has its own help centers; a language that names its own region keeps it."""
    if "-" in lang or len(market_code) != 2:
        return lang
    return f"{lang}-{market_code.upper()}"


def page_seo(seo: Seo, market_code: str, market_slug: str, lang: str, languages: tuple[str, ...], url: str,
             title: str, description: str, site_name: str, kind: str, fallback_to: str | None = None) -> dict:
    """Front-matter data for one page (`url` is the page's URL inside the help center).

    `fallback_to`: for a fallback page, the language whose help center holds the original (its
    canonical), or "" when the market has no help center in that language (no canonical then).
    """
    alternates = [{"hreflang": hreflang(other, market_code), "href": seo.center(market_slug, other) + url}
                  for other in languages] if len(languages) > 1 else []
    if alternates:
        alternates.append({"hreflang": "x-default", "href": seo.site_url})
    own = seo.center(market_slug, lang) + url
    data = {"canonical": own, "alternates": alternates, "noindex": False, "title": title,
            "description": description, "url": own, "type": kind, "site_name": site_name,
            "locale": hreflang(lang, market_code).replace("-", "_")}
    if fallback_to is not None:
        data["noindex"] = True
        data["alternates"] = []  # hreflang links would point search engines back at this page
        data["canonical"] = seo.center(market_slug, fallback_to) + url if fallback_to else ""
    return data


def faq_jsonld(question: str, answer_text: str, lang: str, url: str) -> Markup:
    """schema.org FAQPage data of one answer page, as a script element safe inside HTML."""
    data = {"@context": "https://schema.org", "@type": "FAQPage", "inLanguage": lang, "url": url,
            "mainEntity": [{"@type": "Question", "name": question,
                            "acceptedAnswer": {"@type": "Answer", "text": answer_text}}]}
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    # no "<", ">" or "&" inside the script: "</script>" in an answer cannot end it early
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def sitemap_xml(urls: list[str]) -> str:
    """A sitemaps.org urlset of absolute URLs (no dates: see sites.public.drop_sitemap_dates)."""
    body = "".join(f"  <url><loc>{xml_escape(u)}</loc></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{body}</urlset>\n'


def sitemap_index_xml(sitemaps: list[str]) -> str:
    """A sitemaps.org sitemap index listing each help center's sitemap."""
    body = "".join(f"  <sitemap><loc>{xml_escape(u)}</loc></sitemap>\n" for u in sitemaps)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n{body}</sitemapindex>\n'


def replace_file(path: Path, text: str) -> None:
    """Write a file by replacing it: the folder may hold hard links to the previous output."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
