"""kb.yaml site_url: canonical and hreflang links, descriptions, Open Graph, FAQPage data,
sitemaps, noindex on fallback pages; and without site_url none of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import write_project  # tests/conftest.py

from kb_builder.pipeline import build

from .markers import FILES, INTERNAL_MARKERS, output_texts, page

SITE = "https://help.example.com/"


@pytest.fixture(scope="module")
def seo_out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("seo")
    files = dict(FILES, **{"kb.yaml": FILES["kb.yaml"] + "site_url: https://help.example.com\n"})
    content = write_project(root, files, base=False)
    build(content, root / "out", audience="public", progress=False)
    return root / "out" / "public"


def head(html: str) -> str:
    return html[: html.index("</head>")]


def test_answer_page_names_its_canonical_address_and_its_other_languages(seo_out):
    h = head(page(seo_out, "de/de/shipping/where-is-my-order/index.html"))
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', h) == [f"{SITE}de/de/shipping/where-is-my-order/"]
    assert re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', h) == [
        ("de-DE", f"{SITE}de/de/shipping/where-is-my-order/"), ("en-DE", f"{SITE}de/en/shipping/where-is-my-order/"),
        ("x-default", SITE)]
    assert "noindex" not in h


def test_answer_page_has_a_description_open_graph_and_faq_data(seo_out):
    html = page(seo_out, "de/de/shipping/where-is-my-order/index.html")
    h = head(html)
    description = ("Verfolgen Sie sie über den Link in der Versand-E-Mail. "
                   "Rücksendungen nehmen wir innerhalb von 30 Tagen an.")
    assert f'<meta name="description" content="{description}">' in h
    assert '<meta property="og:title" content="Wo ist meine Bestellung?">' in h
    assert f'<meta property="og:description" content="{description}">' in h
    assert f'<meta property="og:url" content="{SITE}de/de/shipping/where-is-my-order/">' in h
    assert '<meta property="og:type" content="article">' in h and '<meta property="og:locale" content="de_DE">' in h
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
    assert data["@type"] == "FAQPage" and data["inLanguage"] == "de"
    assert data["mainEntity"] == [{"@type": "Question", "name": "Wo ist meine Bestellung?",
                                   "acceptedAnswer": {"@type": "Answer", "text": description}}]


def test_hostile_question_stays_text_in_the_head_and_the_faq_data(seo_out):
    html = page(seo_out, "de/en/returns/hostile/index.html")
    h = head(html)
    assert '<meta property="og:title" content="Is &lt;b&gt;this&lt;/b&gt; safe? {: onclick=alert(1) }">' in h
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and json.loads(script)["mainEntity"][0]["name"] == "Is <b>this</b> safe? {: onclick=alert(1) }"


def test_fallback_page_is_noindex_with_its_canonical_at_the_source_language_page(seo_out):
    h = head(page(seo_out, "de/de/returns/return-a-gift/index.html"))
    assert '<meta name="robots" content="noindex">' in h
    assert re.findall(r'<link rel="canonical" href="([^"]+)">', h) == [f"{SITE}de/en/returns/return-a-gift/"]
    assert 'hreflang=' not in h
    assert "application/ld+json" not in page(seo_out, "de/de/returns/return-a-gift/index.html")
    # Japan has no English help center: no canonical to point at
    jp = head(page(seo_out, "jp/ja/returns/return-a-gift/index.html"))
    assert '<meta name="robots" content="noindex">' in jp and 'rel="canonical"' not in jp


def test_sitemap_per_help_center_and_an_index(seo_out):
    de = page(seo_out, "de/de/sitemap.xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", de)
    assert f"{SITE}de/de/" in locs and f"{SITE}de/de/shipping/where-is-my-order/" in locs
    assert f"{SITE}de/de/contact/" in locs and f"{SITE}de/de/returns/" in locs
    assert f"{SITE}de/de/returns/return-a-gift/" not in locs  # fallback: noindex
    assert all(loc.startswith(f"{SITE}de/de/") for loc in locs)
    index = page(seo_out, "sitemap.xml")
    assert re.findall(r"<loc>([^<]+)</loc>", index) == [f"{SITE}{c}/sitemap.xml"
                                                        for c in ("ae/ar", "ae/en", "de/de", "de/en", "jp/ja")]
    assert page(seo_out, "robots.txt") == f"User-agent: *\nAllow: /\nSitemap: {SITE}sitemap.xml\n"


@pytest.mark.parametrize("field", sorted(INTERNAL_MARKERS))
def test_nothing_internal_in_any_file_with_site_url(seo_out, field):
    marker = INTERNAL_MARKERS[field]
    assert [str(p.relative_to(seo_out)) for p, text in output_texts(seo_out) if marker in text] == []


def test_without_site_url_pages_stay_relative_and_nothing_is_added(public_out):
    html = page(public_out, "de/de/shipping/where-is-my-order/index.html")
    assert 'rel="canonical"' not in html and "og:title" not in html and "application/ld+json" not in html
    assert not (public_out / "sitemap.xml").exists() and not (public_out / "robots.txt").exists()
