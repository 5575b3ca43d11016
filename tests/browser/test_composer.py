"""The reply composer, driven as an agent does: from an SOP page to a filled reply on the
clipboard in the customer's language and market, in German, Japanese and Arabic."""

from __future__ import annotations

import json

import pytest

from .agent_site import BODIES, RETURN_DAYS, SUBJECTS, agent_site, agent_url  # noqa: F401
from .conftest import REPO, new_context

CASES = json.loads((REPO / "tests" / "reply_length_cases.json").read_text(encoding="utf-8"))


@pytest.fixture
def agent_page(browser, guard):
    """A desktop page allowed to use the clipboard, with nothing remembered yet."""
    ctx = new_context(browser, guard)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    pg = ctx.new_page()
    pg.set_default_timeout(8000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def open_(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang, market, name", [("de", "DE", "Frau Müller"), ("ja", "JP", "山田"),
                                                ("ar", "AE", "ليلى")])
def test_from_sop_page_to_filled_reply_on_the_clipboard_in_under_five_clicks(agent_page, agent_url, lang, market, name):
    page = agent_page
    open_(page, agent_url + "sops/damaged-item/")
    composer = page.locator("[data-kb-composer=apology-damaged]")
    clicks = 0
    composer.locator("select.kb-composer-lang").select_option(lang)
    clicks += 1
    composer.locator("select.kb-composer-market").select_option(market)
    clicks += 1
    composer.locator("input[data-ph=order_id]").fill("A-1001")
    composer.locator("input[data-ph=customer_name]").fill(name)
    composer.get_by_role("button", name="Copy body").click()
    clicks += 1
    body = BODIES[lang].replace("DAYS", RETURN_DAYS[market]).replace("{customer_name}", name)
    page.wait_for_function("want => navigator.clipboard.readText().then(t => t === want)", arg=body, timeout=3000)
    assert clipboard(page) == body
    composer.get_by_role("button", name="Copy subject").click()
    clicks += 1
    assert clipboard(page) == SUBJECTS[lang].replace("{order_id}", "A-1001")
    assert clicks < 5
    out = composer.locator(".kb-composer-out")
    assert out.get_attribute("lang") == lang
    assert out.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert composer.locator(".kb-composer-body").inner_text() == body
    assert composer.locator("mark.kb-ph-empty").count() == 0
    assert composer.locator(".kb-composer-status").inner_text() == "Subject copied"


def test_a_link_fills_the_composer_and_unfilled_placeholders_stay_highlighted(agent_page, agent_url):
    page = agent_page
    open_(page, agent_url + "templates/apology-damaged/?lang=de&market=DE&order_id=123")
    c = page.locator("[data-kb-composer=apology-damaged]")
    assert c.locator("select.kb-composer-lang").input_value() == "de"
    assert c.locator("select.kb-composer-market").input_value() == "DE"
    assert c.locator("input[data-ph=order_id]").input_value() == "123"
    assert c.locator(".kb-composer-subject").inner_text() == "Ihre Bestellung 123: Es tut uns leid"
    assert c.locator("mark.kb-ph-empty").all_inner_texts() == ["{customer_name}"]
    assert "kb-empty" in c.locator("input[data-ph=customer_name]").get_attribute("class")
    # field labels come from kb.yaml labels in the reply's language
    assert c.locator("label[for$=-ph-order_id]").inner_text() == "Bestellnummer"
    assert c.locator(".kb-composer-count").inner_text().endswith("1 field still to fill in")


def test_language_and_market_are_remembered_between_pages(agent_page, agent_url):
    page = agent_page
    open_(page, agent_url + "templates/apology-damaged/")
    c = page.locator("[data-kb-composer=apology-damaged]")
    c.locator("select.kb-composer-lang").select_option("en")
    c.locator("select.kb-composer-market").select_option("JP")
    open_(page, agent_url + "sops/damaged-item/")
    c = page.locator("[data-kb-composer=apology-damaged]")
    assert c.locator("select.kb-composer-market").input_value() == "JP"
    assert "within 14 days" in c.locator(".kb-composer-body").inner_text()


def test_keyboard_only(agent_page, agent_url):
    page = agent_page
    open_(page, agent_url + "templates/apology-damaged/?lang=ja&market=JP")
    c = page.locator("[data-kb-composer=apology-damaged]")
    c.locator("select.kb-composer-market").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.ph") in ("customer_name", "order_id")
    page.keyboard.type("42")
    while page.evaluate("document.activeElement.dataset.part") != "body":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert "日以内" in clipboard(page)


def test_sms_count_uses_the_same_rule_as_python(agent_page, agent_url):
    page = agent_page
    open_(page, agent_url + "templates/sms-return/")
    for case in CASES:
        text = case["repeat"][0] * case["repeat"][1] if "repeat" in case else case["text"]
        got = page.evaluate("t => window.kbReplyLength.sms(t)", text)
        assert (got["encoding"], got["units"], got["segments"]) == (case["encoding"], case["units"], case["segments"]), case


def test_sms_composer_counts_segments_in_arabic(agent_page, agent_url):
    page = agent_page
    open_(page, agent_url + "templates/sms-return/?lang=ar&market=AE&order_id=123")
    c = page.locator("[data-kb-composer=sms-return]")
    assert c.locator(".kb-composer-body").inner_text() == "الطلب 123: الإرجاع خلال 7 أيام."
    assert c.locator(".kb-composer-count").inner_text() == "31 / 70 (UCS-2) · 1 SMS part"
    c.locator("input[data-ph=order_id]").fill("1" * 45)
    assert c.locator(".kb-composer-count").inner_text() == "73 / 67 (UCS-2) · 2 SMS parts · over the channel's limit"
    assert c.get_by_role("button", name="Copy message").is_visible()
