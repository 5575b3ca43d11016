""""Was this helpful?" as a customer uses it: the help centers are served by one web server, and
`kb serve`'s WSGI app (built by its own rebuild, with waitress, on another port) takes the votes
cross-origin. Each test clicks or types, then reads the row from the SQLite file. Without
kb.yaml feedback_url the widget is absent and the page sends nothing."""

from __future__ import annotations

import functools
import http.server
import shutil
import sqlite3
import threading

import pytest

from kb_builder.feedback.store import DB_NAME

from .conftest import REPO, NetworkGuard, _QuietHandler, new_context
from .helpers import axe_violations, describe, open_page


@pytest.fixture(scope="session")
def feedback_sites(tmp_path_factory):
    """(help-center base URL, the Preview) with feedback_url pointing at the Preview's waitress."""
    import waitress

    from kb_builder.pipeline import build
    from kb_builder.serve import Preview

    root = tmp_path_factory.mktemp("feedback")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    static = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        _QuietHandler, directory=str(root / "out" / "public")))
    site_origin = f"http://127.0.0.1:{static.server_address[1]}"

    def build_public(content, out, audience, today, progress):  # kb serve's rebuild, help centers included
        return build(content, out, audience="public", today=today, progress=progress)

    preview = Preview(content, root / "out", build=build_public, say=lambda msg: None,
                      allowed_origins=(site_origin,))
    api = waitress.create_server(preview, host="127.0.0.1", port=0, threads=4)
    with open(content / "kb.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"feedback_url: http://127.0.0.1:{api.effective_port}/api/feedback\n")
    assert preview.rebuild()
    threads = [threading.Thread(target=static.serve_forever, daemon=True), threading.Thread(target=api.run, daemon=True)]
    for t in threads:
        t.start()
    yield site_origin + "/", preview
    static.shutdown()
    static.server_close()
    api.close()
    preview.close()


def votes(preview) -> list[tuple]:
    path = preview.out / DB_NAME
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return db.execute("SELECT market, lang, entry, helpful, reason FROM feedback ORDER BY id").fetchall()


def wait_for_votes(page, preview, n: int) -> list[tuple]:
    for _ in range(50):
        rows = votes(preview)
        if len(rows) >= n:
            return rows
        page.wait_for_timeout(100)
    return votes(preview)


def test_no_with_a_reason_is_stored_in_german(page, feedback_sites):
    base, preview = feedback_sites
    before = len(votes(preview))
    open_page(page, base + "de/de/returns/return-window/")
    widget = page.get_by_role("region", name="War diese Antwort hilfreich?")
    assert widget.is_visible()
    widget.get_by_role("button", name="Nein").click()
    assert widget.get_by_role("button", name="Nein").get_attribute("aria-expanded") == "true"
    widget.get_by_role("radio", name="Schwer verständlich").check()
    widget.get_by_role("textbox", name="Erzählen Sie uns mehr (optional)").fill("Gilt das auch <für> Sale-Artikel?")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    widget.get_by_role("button", name="Senden").click()
    status = widget.get_by_role("status")
    status.filter(has_text="Vielen Dank für Ihr Feedback.").wait_for()
    assert not widget.get_by_role("button", name="Nein").is_visible()
    rows = wait_for_votes(page, preview, before + 1)
    assert rows[before:] == [("DE", "de", "return-window", 0, "unclear: Gilt das auch <für> Sale-Artikel?")]


def test_yes_is_sent_at_once(page, feedback_sites):
    base, preview = feedback_sites
    before = len(votes(preview))
    open_page(page, base + "de/en/returns/return-window/")
    page.get_by_role("button", name="Yes").click()
    page.get_by_role("status").filter(has_text="Thank you for your feedback.").wait_for()
    assert wait_for_votes(page, preview, before + 1)[before:] == [("DE", "en", "return-window", 1, "")]


def test_arabic_on_a_phone_with_the_keyboard_only(browser, feedback_sites, guard):
    base, preview = feedback_sites
    before = len(votes(preview))
    ctx = new_context(browser, guard, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                      locale="ar-AE")
    pg = ctx.new_page()
    open_page(pg, base + "ae/ar/returns/return-window/")
    widget = pg.get_by_role("region", name="هل كانت هذه الإجابة مفيدة؟")
    yes, no = widget.get_by_role("button", name="نعم"), widget.get_by_role("button", name="لا", exact=True)
    assert pg.evaluate("getComputedStyle(document.querySelector('.kb-pub-feedback')).direction") == "rtl"
    assert yes.bounding_box()["x"] > no.bounding_box()["x"], "Yes should come first, on the right"
    no.focus()
    pg.keyboard.press("Enter")
    focused = pg.evaluate("document.activeElement.getAttribute('value')")
    assert focused == "unclear"  # the first reason has the focus
    pg.keyboard.press("ArrowDown")  # radio buttons move with the arrows (and are checked)
    pg.keyboard.press("Tab")
    pg.keyboard.type("لم أجد موعد الاسترداد")
    pg.keyboard.press("Tab")
    pg.keyboard.press("Enter")
    widget.get_by_role("status").filter(has_text="شكرًا لك على ملاحظاتك.").wait_for()
    assert pg.evaluate("document.documentElement.scrollWidth") <= 391, "the widget makes the page scroll sideways"
    violations = axe_violations(pg)
    assert violations == [], describe(violations)
    ctx.close()
    rows = wait_for_votes(pg, preview, before + 1)
    assert rows[before:] == [("AE", "ar", "return-window", 0, "incomplete: لم أجد موعد الاسترداد")]


def test_a_no_left_without_send_is_kept_when_the_page_is_left(page, feedback_sites):
    base, preview = feedback_sites
    before = len(votes(preview))
    open_page(page, base + "jp/ja/returns/return-window/")
    page.get_by_role("button", name="いいえ").click()
    page.get_by_role("radio", name="内容が誤っている・古い").check()
    page.goto(base + "jp/ja/")  # leaves without pressing 送信
    assert wait_for_votes(page, preview, before + 1)[before:] == [("JP", "ja", "return-window", 0, "wrong")]


def test_without_feedback_url_there_is_no_widget_and_no_request(browser, base_url):
    """The bundled content names no feedback_url: the page asks nothing of any other address and
    posts nothing, even when the visitor clicks around the answer."""
    g = NetworkGuard()
    ctx = new_context(browser, g)
    pg = ctx.new_page()
    requests: list[tuple[str, str]] = []
    pg.on("request", lambda r: requests.append((r.method, r.url)))
    open_page(pg, base_url + "de/de/returns/return-window/")
    assert pg.locator(".kb-pub-feedback").count() == 0
    assert pg.get_by_text("War diese Antwort hilfreich?").count() == 0
    pg.locator("article h1").click()
    pg.wait_for_timeout(300)
    ctx.close()
    assert g.blocked == []
    assert [m for m, _ in requests if m != "GET"] == []
    assert all(url.startswith(base_url) for _, url in requests), requests
