"""Copy buttons on the internal site: every button is clicked and the clipboard holds exactly
its own variant's text (language, market, subject or body), in German, Japanese and Arabic too."""

from __future__ import annotations

import pytest

from .agent_site import BODIES, FAQ_ANSWERS, RETURN_DAYS, SPEAKERS, SUBJECTS, agent_site, agent_url  # noqa: F401
from .conftest import new_context

# Clicks the tab labels that show an element (outermost first), so a button is clicked as an agent would.
SHOW = """el => { const fors = []; let n = el;
  while ((n = n.parentElement)) {
    if (n.classList.contains('tabbed-block')) {
      const set = n.parentElement.parentElement, i = [...n.parentElement.children].indexOf(n);
      fors.unshift(set.querySelector(':scope > .tabbed-labels').children[i].getAttribute('for'));
    }
  }
  return fors; }"""


@pytest.fixture
def agent_page(browser, guard):
    """A desktop page allowed to read and write the clipboard."""
    ctx = new_context(browser, guard)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def show(page, element) -> None:
    for label in element.evaluate(SHOW):
        page.locator(f'label[for="{label}"]').click()


def clipboard_after(page, button) -> str:
    page.evaluate("navigator.clipboard.writeText('(nothing copied)')")
    button.hover()
    button.click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()) !== '(nothing copied)'", timeout=3000)
    return page.evaluate("navigator.clipboard.readText()")


def expected_variants() -> dict[str, str]:
    """Copy-block id -> the exact text its button must copy."""
    out = {}
    for lang, markets in SPEAKERS.items():
        for m in markets:
            stem = f"__code_copy-apology-damaged-{lang}-{m}"
            out[f"{stem}-subject"] = SUBJECTS[lang]
            out[f"{stem}-body"] = BODIES[lang].replace("DAYS", RETURN_DAYS[m])
    return out


@pytest.mark.parametrize("path", ["templates/apology-damaged/", "sops/damaged-item/"])
def test_every_copy_button_copies_its_own_variant(agent_page, agent_url, path):
    page = agent_page
    page.goto(agent_url + path)
    page.wait_for_load_state("networkidle")
    want = expected_variants()
    blocks = page.locator("pre[id^='__code_copy-apology-damaged-']")
    ids = blocks.evaluate_all("els => els.map(e => e.id)")
    assert sorted(ids) == sorted(want)  # every variant once: ids are unique on the page
    got = {}
    for pid in ids:
        pre = page.locator(f"pre#{pid}")
        show(page, pre)
        assert pre.is_visible()
        got[pid] = clipboard_after(page, pre.locator("button[data-md-type=copy]"))
    assert got == want


def test_faq_answers_copy_as_plain_text_with_each_markets_values(agent_page, agent_url):
    page = agent_page
    page.goto(agent_url + "faq/shipping/")
    page.wait_for_load_state("networkidle")
    got = {}
    buttons = page.locator("#faq-where-is-my-order ~ div .kb-copy-answer")
    for i in range(buttons.count()):
        b = buttons.nth(i)
        show(page, b)
        lang = b.evaluate("el => el.closest('[lang]').getAttribute('lang')")
        got[(lang, b.inner_text())] = clipboard_after(page, b)
    want = {(lang, f"Copy answer ({m})"): FAQ_ANSWERS[lang].replace("DAYS", RETURN_DAYS[m])
            for lang, markets in SPEAKERS.items() for m in markets}
    assert got == want
    claims = page.locator("#faq-carrier-claims ~ div .kb-copy-answer").first
    assert clipboard_after(page, claims) == "Seven days from the delivery scan."
