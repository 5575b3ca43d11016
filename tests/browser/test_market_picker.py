"""The SOP page in the customer's market: the picker fills values into steps, branches, authority
and the flowchart and hides other markets' steps; with no market, values read as labels."""

from __future__ import annotations

import pytest

from .agent_site import agent_site, agent_url  # noqa: F401
from .conftest import new_context

RAW_NAMES = ("no_return_refund_limit", "agent_refund_limit", "withdrawal_days", "response_hours_email", "{market.")


@pytest.fixture
def sop(browser, guard, agent_url):
    ctx = new_context(browser, guard)
    pg = ctx.new_page()
    pg.set_default_timeout(8000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(agent_url + "sops/damaged-item/")
    pg.wait_for_load_state("networkidle")
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def visible_chart(page):
    charts = page.locator("figure.kb-flowchart:visible")
    assert charts.count() == 1
    return charts.first


def svg_text(chart) -> str:
    return " ".join(chart.locator("text").evaluate_all("els => els.map(e => e.textContent)"))


def test_without_a_market_values_read_as_labels_with_every_markets_value(sop):
    article = sop.locator("article").inner_text()
    for raw in RAW_NAMES:
        assert raw not in article
    chip = sop.locator("#step-decide .kb-var[data-var=no_return_refund_limit]")
    assert chip.inner_text() == "no-return refund limit"
    assert chip.get_attribute("title") == "AE: 60 AED · DE: 15 EUR · JP: 2500 JPY"
    chip.click()  # a tap shows the values too
    assert chip.get_attribute("data-open") == ""
    chart = visible_chart(sop)
    assert chart.get_attribute("data-market") == "all"
    assert "…" not in svg_text(chart)
    texts = svg_text(chart)
    assert "no-return refund limit" in texts and "no_return" not in texts


def test_choosing_a_market_fills_values_and_hides_other_markets_steps(sop):
    sop.locator("#kb-market-pick").select_option("DE")
    assert "Order value is below 15 EUR" in sop.locator("#step-decide").inner_text()
    assert sop.locator("#step-eu-withdrawal").is_visible()
    assert "Remind the customer of the 14-day withdrawal right." in sop.locator("#step-eu-withdrawal").inner_text()
    assert "Refund up to 50 EUR without approval." in sop.locator(".kb-authority").inner_text()
    chart = visible_chart(sop)
    assert chart.get_attribute("data-market") == "DE"
    texts = svg_text(chart)
    assert "Order value is below 15 EUR" in texts and "14-day withdrawal" in texts
    sop.locator("#kb-market-pick").select_option("JP")
    assert not sop.locator("#step-eu-withdrawal").is_visible()
    assert "Order value is below 2500 JPY" in sop.locator("#step-decide").inner_text()
    texts = svg_text(visible_chart(sop))
    assert "2500 JPY" in texts and "withdrawal" not in texts
    # remembered, and the page's composer follows
    sop.reload()
    sop.wait_for_load_state("networkidle")
    assert sop.locator("#kb-market-pick").input_value() == "JP"
    assert "Order value is below 2500 JPY" in sop.locator("#step-decide").inner_text()
    assert sop.locator("[data-kb-composer=apology-damaged] select.kb-composer-market").input_value() == "JP"
    sop.locator("#kb-market-pick").select_option("")
    assert sop.locator("#step-eu-withdrawal").is_visible()
    assert visible_chart(sop).get_attribute("data-market") == "all"


def test_phone_flowchart_text_is_readable(browser, guard, agent_url):
    ctx = new_context(browser, guard, viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(agent_url + "sops/damaged-item/")
    pg.wait_for_load_state("networkidle")
    sizes = pg.locator("figure.kb-flowchart:visible text.kb-flow-text").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)")
    ctx.close()
    assert sizes and min(sizes) >= 11  # rendered glyph box height in CSS pixels (was about 6)
