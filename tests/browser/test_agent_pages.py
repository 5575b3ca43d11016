"""Every internal page of the agent fixture: ids unique on each page, no variable name shown as
text (titles made from a template's first line included), and a market's flowchart drawn with its
own arrowheads."""

from __future__ import annotations

import collections
import re

from .agent_site import agent_site, agent_url  # noqa: F401 (fixtures)
from .helpers import open_page

NAMES = ("return_window_days", "withdrawal_days", "agent_refund_limit", "no_return_refund_limit",
         "response_hours_email", "{market.")


def test_pages_have_unique_ids_and_show_no_variable_names(agent_site):
    problems = {}
    for path in sorted(agent_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        page = path.relative_to(agent_site).as_posix()
        dup = sorted(i for i, n in collections.Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1)
        article = html.split("<article", 1)[-1].split("</article>", 1)[0]
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|svg)\b.*?</\1>", "", article, flags=re.S))
        # the content-health page is for authors: it names the texts it reports as written
        shown = [n for n in NAMES if n in text] if page != "health/index.html" else []
        if dup or shown:
            problems[page] = (dup, shown)
    assert problems == {}


def test_a_chosen_markets_flowchart_has_arrowheads(page, agent_url):
    open_page(page, agent_url + "sops/damaged-item/")
    for market in ("DE", "JP", ""):
        page.select_option("#kb-market-pick", market)
        # every arrow's marker is found inside the chart shown (one in a hidden chart draws nothing)
        assert page.evaluate("""() => {
            const shown = [...document.querySelectorAll('.kb-flowchart')].filter(f => !f.hidden);
            if (shown.length !== 1) return 'charts shown: ' + shown.length;
            const ends = [...shown[0].querySelectorAll('[marker-end]')];
            const bad = ends.filter(e => { const id = e.getAttribute('marker-end').slice(5, -1);
                                           return document.getElementById(id).closest('.kb-flowchart') !== shown[0]; });
            return ends.length > 0 && bad.length === 0 ? 'ok' : ends.length + ' arrows, ' + bad.length + ' headless';
        }""") == "ok", market


def test_the_health_pages_coverage_table_fits_a_laptop_screen(page, agent_url):
    # the health page hides the left navigation (it lists only the page itself), so the coverage
    # grid of a KB with a few languages is read without scrolling sideways at 1280 px
    page.set_viewport_size({"width": 1280, "height": 900})
    open_page(page, agent_url + "health/")
    assert not page.locator(".md-sidebar--primary").is_visible()
    overflow = page.evaluate("""() => [...document.querySelectorAll('.kb-health-coverage table')]
        .map(t => t.scrollWidth - t.clientWidth)""")
    assert overflow and max(overflow) <= 0, overflow
