"""Answer pages and search as a customer meets them: breadcrumbs, related answers, the help block,
search that starts without a key press, at phone width and right to left."""

from __future__ import annotations

import re

import pytest

from .conftest import NetworkGuard, new_context
from .helpers import open_page

# every bundled help center with a word its answers use
CENTERS = [("ae/ar", "الطلب"), ("ae/en", "refund"), ("de/de", "Rücksendung"), ("de/en", "refund"),
           ("fr/en", "refund"), ("fr/fr", "remboursement"), ("gb/en", "refund"), ("jp/en", "refund"),
           ("jp/ja", "返品"), ("sg/en", "refund"), ("sg/zh-CN", "退款"), ("us/en", "refund")]
RESULT_LINKS = ".md-search-result__item > a.md-search-result__link"


def open_search(page) -> None:
    """Open Material's search field (from the header button on a phone)."""
    opener = page.locator("label.md-header__button[for=__search]")
    if opener.is_visible():
        opener.click()
    else:
        page.locator("input.md-search__input").click()
    page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")


def result_links(page) -> list[str]:
    """The result links once Material has answered (it shows its placeholder until then)."""
    page.wait_for_selector(RESULT_LINKS, timeout=5000)
    return page.locator(RESULT_LINKS).evaluate_all("els => els.map(e => e.getAttribute('href'))")


@pytest.mark.parametrize("center, query", CENTERS, ids=[c for c, _ in CENTERS])
def test_search_starts_on_fill_without_a_key_press_and_links_answer_pages(page, base_url, center, query):
    """fill() sets the value and fires `input` only, as a paste or dictation does."""
    open_page(page, base_url + center + "/")
    open_search(page)
    page.locator("input.md-search__input").fill(query)
    links = result_links(page)
    assert links, f"no results for {query!r} in {center}"
    answer_page = re.compile(re.escape(base_url + center) + r"/[a-z-]+/[a-z0-9-]+/(\?h=[^#]*)?(#[\w-]+)?")
    assert all(answer_page.fullmatch(link) for link in links), links
    page.locator(RESULT_LINKS).first.click()
    page.wait_for_load_state("load")
    assert re.search(rf"/{center}/[a-z-]+/[a-z0-9-]+/", page.url)


def test_search_starts_when_an_input_method_finishes_a_word(page, base_url):
    """Japanese typed through an IME: Material sees no key-up for the finished word."""
    open_page(page, base_url + "jp/ja/")
    open_search(page)
    page.locator("input.md-search__input").evaluate("""el => {
        el.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));
        el.value = '返品';
        el.dispatchEvent(new InputEvent('input', {data: '返品', isComposing: true, inputType: 'insertCompositionText'}));
        el.dispatchEvent(new CompositionEvent('compositionend', {data: '返品'}));
    }""")
    assert result_links(page)


def test_pasted_query_on_a_phone_in_arabic(browser, base_url, guard):
    ctx = new_context(browser, guard, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                      locale="ar-AE")
    pg = ctx.new_page()
    open_page(pg, base_url + "ae/ar/")
    open_search(pg)
    pg.keyboard.insert_text("الطلب")  # input event only, like a paste
    assert result_links(pg)
    ctx.close()


def test_breadcrumbs_related_answers_and_help_block_work(page, base_url):
    open_page(page, base_url + "de/de/returns/return-window/")
    crumbs = page.get_by_role("navigation", name="Sie sind hier")
    assert crumbs.get_by_role("listitem").all_inner_texts() == [
        "Hilfe-Center", "Rückgabe & Erstattung", "Wie lange habe ich Zeit für eine Rücksendung?"]
    assert page.locator(".kb-pub-updated time").get_attribute("datetime") == "2026-10-15"
    nav = page.locator("nav.md-nav--primary").inner_text()
    assert "Rückgabe & Erstattung" in nav and "&amp;" not in nav  # escaped once, by the engine
    related = page.locator("section.kb-pub-related li a")
    assert 1 <= related.count() <= 5
    first = related.first.inner_text()
    related.first.click()
    page.wait_for_url(re.compile(r"/de/de/returns/[a-z-]+/$"))
    assert page.locator("article.md-content__inner h1").inner_text() == first
    help_block = page.locator("section.kb-pub-help")
    assert help_block.get_by_role("heading").inner_text() == "Brauchen Sie weitere Hilfe?"
    assert help_block.locator("a[href^='mailto:']").count() == 1
    assert "Wir antworten innerhalb von" in help_block.inner_text()
    crumbs.get_by_role("link", name="Rückgabe & Erstattung").click()
    page.wait_for_url(re.compile(r"/de/de/returns/$"))
    crumbs_home = page.locator("li#faq-return-window a")
    assert crumbs_home.is_visible()


def test_arabic_answer_page_on_a_phone_reads_right_to_left(browser, base_url, guard):
    ctx = new_context(browser, guard, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    open_page(pg, base_url + "ae/ar/returns/return-window/")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 391, "page scrolls sideways on a phone"
    items = pg.locator("nav.kb-pub-crumbs li")
    first, second = items.nth(0).bounding_box(), items.nth(1).bounding_box()
    assert first["x"] > second["x"], "breadcrumbs should run right to left"
    assert pg.locator("section.kb-pub-help h2").inner_text() == "هل ما زلت بحاجة إلى مساعدة؟"
    ctx.close()


def test_contact_links_open_each_channel(browser, base_url):
    """Clicking WhatsApp or the chat goes to that service (the guard stops it at the door)."""
    g = NetworkGuard()
    ctx = new_context(browser, g)
    pg = ctx.new_page()
    open_page(pg, base_url + "de/de/contact/")
    hrefs = pg.locator("ul.kb-pub-channels a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs == ["mailto:support-de@kestrelhome.example", "https://kestrelhome.example/de/chat",
                     "https://wa.me/493055501420"]
    assert pg.get_by_role("link", name="Live-Chat öffnen").is_visible()
    pg.get_by_role("link", name="+49 30 5550 1420").click()
    pg.wait_for_timeout(500)
    ctx.close()
    assert g.blocked == ["https://wa.me/493055501420"]
