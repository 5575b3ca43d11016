"""Small Playwright helpers shared by the browser tests."""

from __future__ import annotations

import json
from pathlib import Path

AXE = Path(__file__).with_name("vendor") / "axe.min.js"


def open_page(page, url: str) -> None:
    """Go to url and wait until the page and its search index have loaded."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


def search(page, query: str, attempts: int = 4) -> list[str]:
    """Type a query into Material's search box and return the result titles (empty if none)."""
    box = page.locator("input.md-search__input")
    opener = page.locator("label.md-header__button[for=__search]")
    if opener.is_visible():  # phone layout: the search field opens from a header button
        opener.click()
        page.wait_for_function("document.activeElement && document.activeElement.matches('.md-search__input')")
    else:
        box.click()
    box.fill(query)
    # Material's result line shows its placeholder until a query has been answered, then "no
    # results" or a count (all translated; the texts come from the page's own configuration).
    waiting = page.evaluate("""() => { const t = JSON.parse(document.getElementById('__config').textContent).translations;
        return [t['search.result.placeholder'], t['search.result.initializer']]; }""")
    for _ in range(attempts):
        box.press("End")  # Material searches on key events; fill() alone may not trigger it
        try:
            page.wait_for_function("""waiting => { const m = document.querySelector('.md-search-result__meta');
                return m && m.textContent.trim() && !waiting.includes(m.textContent.trim()); }""", arg=waiting, timeout=2500)
            break
        except Exception:
            continue
    return page.locator(".md-search-result__item .md-search-result__article h1, "
                        ".md-search-result__item .md-search-result__article h2").all_inner_texts()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2 A/AA rules) on the page; return violations of the given impacts."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || ''))}));
    }""")
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """Violations as readable text for an assertion message."""
    return json.dumps(violations, ensure_ascii=False, indent=1)
