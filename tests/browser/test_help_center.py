"""The public help centers in a real browser: navigation, language switch, search, fallback,
accessibility, phone layout, and no request leaving localhost."""

from __future__ import annotations

import re

import pytest

from .conftest import NetworkGuard, new_context
from .helpers import axe_violations, describe, open_page, search

SEARCHES = [
    # help center, query, text the opened result must contain
    ("de/de", "Rücksendung", "Rücksendung"),
    ("de/de", "Rücksendungen", "Rücksend"),  # stemmed: the plural finds the singular
    ("fr/fr", "remboursements", "rembours"),
    ("sg/zh-CN", "退款", "退款"),
    ("jp/ja", "返品", "返品"),
    ("jp/ja", "お問い合わせ", "問い合わせ"),  # mixed kana and kanji, cut into words
    ("ae/ar", "الطلب", "الطلب"),
    ("us/en", "refunds", "refund"),
]


def test_home_lists_topics_and_opens_a_question(page, base_url):
    open_page(page, base_url + "de/de/")
    assert page.locator("article.md-content__inner h1").inner_text() == "Wie können wir helfen?"
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_role("link", name="Rückgabe & Erstattung").first.click()
    page.wait_for_url(re.compile(r"/de/de/returns/$"))
    item = page.locator("li#faq-return-window")
    assert "30 Tage" in item.locator(".kb-pub-excerpt").inner_text()
    item.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/de/de/returns/return-window/$"))
    assert "30 Tage" in page.locator(".kb-pub-answer").inner_text()


def test_old_question_anchor_leads_to_the_answer_page(page, base_url):
    open_page(page, base_url + "jp/ja/returns/#faq-return-window")
    page.wait_for_url(re.compile(r"/jp/ja/returns/return-window/$"))
    assert page.locator("article.md-content__inner h1").inner_text().startswith("返品期限はいつまでですか")


def test_language_switcher_keeps_the_visitor_on_the_same_page(page, base_url):
    open_page(page, base_url + "de/de/returns/return-window/")
    page.locator(".md-header__option .md-select button").hover()
    page.locator("a.md-select__link[hreflang=en]").click()
    page.wait_for_url(re.compile(r"/de/en/returns/return-window/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("article.md-content__inner h1").inner_text().startswith("How long do I have to return an item?")
    # and back, with Material's chrome in German again
    page.locator(".md-header__option .md-select button").hover()
    page.locator("a.md-select__link[hreflang=de]").click()
    page.wait_for_url(re.compile(r"/de/de/returns/return-window/$"))
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Suche"


@pytest.mark.parametrize("center, query, expected", SEARCHES, ids=[f"{c}-{q}" for c, q, _ in SEARCHES])
def test_search_works_in_the_help_center_language(page, base_url, center, query, expected):
    open_page(page, base_url + center + "/")
    titles = search(page, query)
    assert titles, f"no results for {query!r} in {center}"
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("load")
    assert f"/{center}/" in page.url
    assert expected in page.locator("article.md-content__inner").inner_text()


def test_fallback_notice_in_the_visitors_language(page, base_url):
    open_page(page, base_url + "jp/ja/orders/gift-wrapping/")
    article = page.locator("article.kb-pub-faq#faq-gift-wrapping")
    notice = article.locator(".kb-pub-notice")
    assert notice.is_visible()
    assert notice.inner_text() == "この回答はまだ日本語で用意されていないため、英語で表示しています。"
    answer = article.locator(".kb-pub-answer")
    assert answer.get_attribute("lang") == "en"
    assert "within 14 days" in answer.inner_text()
    # Fallback text is not in the Japanese search index.
    assert search(page, "wrapping") == []


def test_arabic_help_center_is_right_to_left(page, base_url):
    open_page(page, base_url + "ae/ar/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    nav = page.locator(".md-sidebar--primary").bounding_box()
    content = page.locator(".md-content").bounding_box()
    assert nav["x"] > content["x"], "the navigation should sit on the right in RTL"


def test_contact_page_shows_channels_hours_and_promises(page, base_url):
    open_page(page, base_url + "gb/en/contact/")
    text = page.locator("article.md-content__inner").inner_text()
    assert "Support hours" in text and "Mon–Fri" in text
    assert re.search(r"We reply within \d+ hours?\.", text)
    assert page.locator("a[href^='mailto:']").count() >= 1


def test_chooser_lists_help_centers_and_redirects_by_browser_language(browser, base_url, guard):
    ctx = new_context(browser, guard, locale="de-DE")
    pg = ctx.new_page()
    pg.goto(base_url)
    pg.wait_for_url(re.compile(r"/de/de/$"))
    ctx.close()
    ctx = new_context(browser, guard, locale="ja-JP")
    pg = ctx.new_page()
    pg.goto(base_url)
    pg.wait_for_url(re.compile(r"/jp/ja/$"))
    pg.goto(base_url + "?choose")  # asked to choose: stays
    pg.wait_for_load_state("load")
    assert pg.url.endswith("/?choose")
    links = pg.locator("ul.kb-markets a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len(links) == 12 and "ae/ar/" in links and "sg/zh-CN/" in links
    ctx.close()


@pytest.mark.parametrize("path", ["", "de/de/", "de/de/returns/", "de/de/returns/return-window/", "de/de/contact/",
                                  "jp/ja/", "jp/ja/shipping/", "jp/ja/orders/gift-wrapping/", "ae/ar/",
                                  "ae/ar/returns/return-window/", "ae/ar/contact/", "sg/zh-CN/payments/"])
def test_no_serious_accessibility_violations(page, base_url, path):
    open_page(page, base_url + path + ("?choose" if not path else ""))
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", ["de/de/", "jp/ja/returns/", "ae/ar/contact/", "de/de/returns/return-window/",
                                  "ae/ar/returns/return-window/"])
def test_readable_on_a_phone(browser, base_url, guard, path):
    ctx = new_context(browser, guard, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    open_page(pg, base_url + path)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 391, "page scrolls sideways on a phone"
    size = pg.evaluate("parseFloat(getComputedStyle(document.querySelector('article p, article li')).fontSize)")
    assert size >= 14
    assert search(pg, "返品" if "ja" in path else "الطلب" if "ar" in path else "Versand")
    ctx.close()


def test_guard_blocks_requests_to_other_hosts(browser, base_url):
    """The guard itself works: a page asking for another host is recorded and aborted."""
    g = NetworkGuard()
    ctx = new_context(browser, g)
    pg = ctx.new_page()
    pg.goto(base_url + "de/de/")
    pg.evaluate("fetch('https://fonts.googleapis.com/css?family=Roboto').catch(() => null)")
    pg.wait_for_timeout(300)
    ctx.close()
    assert g.blocked == ["https://fonts.googleapis.com/css?family=Roboto"]
