"""What the public help centers show: values filled in, fallbacks, contact page, RTL, chooser."""

from __future__ import annotations

import json
import re
from html import unescape as html_unescape

from .markers import page


def test_home_lists_translated_categories_and_links_each_answer_page(public_out):
    home = page(public_out, "de/de/index.html")
    assert "Wie können wir helfen?" in home
    assert '<a href="shipping/">Versand</a>' in home
    assert '<a href="returns/">Rücksendungen</a>' in home
    assert 'href="shipping/where-is-my-order/"' in home


def test_each_answer_has_its_own_page_with_breadcrumbs_market_values_and_date(public_out):
    de = page(public_out, "de/de/shipping/where-is-my-order/index.html")
    crumbs = de[de.index('<nav class="kb-pub-crumbs"'):]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', crumbs) == [("../../", "Hilfe-Center"),
                                                                            ("../", "Versand")]
    assert '<span aria-current="page">Wo ist meine Bestellung?</span>' in crumbs
    assert "<h1>Wo ist meine Bestellung?</h1>" in de
    assert "<title>Wo ist meine Bestellung? - " in de
    assert "innerhalb von 30 Tagen" in de
    jp = page(public_out, "jp/ja/shipping/where-is-my-order/index.html")
    assert "返品は14日以内に受け付けます" in jp
    assert '<time datetime="2031-07-13">最終更新日: 2031年7月13日</time>' in jp
    assert "{market." not in de + jp


def test_answer_page_offers_related_answers_of_the_same_help_center_and_the_markets_channels(public_out):
    de = page(public_out, "de/de/returns/hostile/index.html")
    related = de[de.index('class="kb-pub-related"'):]
    related = related[: related.index("</section>")]
    # same category first (no tags in the marker project); the JP-only answer is not in DE
    assert re.findall(r'<a href="([^"]+)"', related) == ["../return-a-gift/"]
    help_block = de[de.index('class="kb-pub-help"'):]
    help_block = help_block[: help_block.index("</section>")]
    assert "Brauchen Sie weitere Hilfe?" in help_block
    assert '<a href="mailto:hilfe@example.de">E-Mail</a> <span class="kb-pub-promise">Wir antworten innerhalb von 24 Stunden.</span>' in help_block
    assert 'href="../../contact/"' in help_block
    assert "okinawa" not in page(public_out, "jp/ja/shipping/okinawa/index.html").split('class="kb-pub-related"')[1].split("</section>")[0]


def test_category_page_lists_questions_with_an_excerpt_and_keeps_old_anchors(public_out):
    de = page(public_out, "de/de/shipping/index.html")
    assert '<li id="faq-where-is-my-order" class="kb-pub-question">' in de
    assert '<h2><a href="where-is-my-order/">Wo ist meine Bestellung?</a></h2>' in de
    assert re.search(r'<p class="kb-pub-excerpt">Verfolgen Sie sie über den Link in der Versand-E-Mail\. '
                     r'Rücksendungen nehmen wir innerhalb von 30 Tagen an\.</p>', de)
    assert "kb-pub-answer" not in de  # the answers live on their own pages
    redirects = json.loads(html_unescape(re.search(r'data-kb-redirects="([^"]+)"', de).group(1)))
    assert redirects == {"faq-where-is-my-order": "where-is-my-order/"}


def test_missing_translation_falls_back_to_source_with_a_notice_in_the_visitors_language(public_out):
    de = page(public_out, "de/de/returns/return-a-gift/index.html")
    assert "Diese Antwort gibt es noch nicht auf Deutsch. Sie sehen sie auf Englisch." in de
    assert "Yes, gifts can be returned within 30 days." in de
    assert re.search(r'<div class="kb-pub-answer" lang="en" dir="ltr">\s*<p>Yes, gifts', de)
    ar = page(public_out, "ae/ar/returns/return-a-gift/index.html")
    assert "هذه الإجابة غير متوفرة بعد باللغة العربية" in ar
    # The source-language help center needs no notice.
    assert "kb-pub-notice" not in page(public_out, "de/en/returns/return-a-gift/index.html")


def test_fallback_text_is_kept_out_of_that_languages_search_index(public_out):
    de_index = (public_out / "de/de/search/search_index.json").read_text("utf-8")
    assert "gifts can be returned" not in de_index
    assert "Wo ist meine Bestellung?" in de_index
    en_index = (public_out / "de/en/search/search_index.json").read_text("utf-8")
    assert "gifts can be returned" in en_index


def test_each_search_index_holds_only_its_own_language(public_out):
    docs = json.loads((public_out / "jp/ja/search/search_index.json").read_text("utf-8"))
    assert docs["config"]["lang"] == ["ja"]
    text = " ".join(d["title"] + d["text"] for d in docs["docs"])
    assert "注文した商品はどこですか" in text
    assert "Where is my order" not in text
    de = json.loads((public_out / "de/de/search/search_index.json").read_text("utf-8"))
    assert de["config"]["lang"] == ["de"] and "stemmer" in de["config"]["pipeline"]


def test_content_html_is_sanitised(public_out):
    html = page(public_out, "de/en/returns/hostile/index.html")
    article = html[html.index('id="faq-hostile"'):]
    article = article[: article.index("</article>")]
    answer = article[article.index('class="kb-pub-answer"'):]
    assert "<script" not in answer and "alert(" not in answer
    assert not re.search(r"<[^>]*\son\w+\s*=", html), "an event handler attribute survived"
    assert "javascript:" not in answer
    assert "<iframe" not in answer and "evil.example" not in answer
    # A question is text: its markup and attribute-list syntax are shown, not applied.
    assert "Is &lt;b&gt;this&lt;/b&gt; safe? {: onclick=alert(1) }" in article


def test_template_like_text_is_shown_not_run(public_out):
    html = page(public_out, "de/en/returns/hostile/index.html")
    assert "{% y %}" in html
    # `{{` and `}}` are the content format's literal braces (content-format.md), never Jinja.
    assert "{ x }" in html and "{ 7*7 }" in html
    assert ">49<" not in html and " 49 " not in html
    assert "{% raw %} bleibt { stehen }" in page(public_out, "de/de/returns/hostile/index.html")


def test_contact_page_lists_channels_hours_with_time_zone_and_response_promises(public_out):
    de = page(public_out, "de/de/contact/index.html")
    assert "<h1>Kontaktieren Sie uns</h1>" in de  # kb.yaml labels override the built-in word
    assert "Mo.–Fr. 08:00–18:00" in de and "Mitteleuropäische Zeit" in de and "Europe/Berlin" in de
    assert 'href="mailto:hilfe@example.de"' in de
    assert "Wir antworten innerhalb von 24 Stunden." in de
    assert "Wir antworten innerhalb von 3 Minuten." in de
    assert "Live-Chat" in de
    jp = page(public_out, "jp/ja/contact/index.html")
    assert "平日 9:00-18:00" in jp and "日本時間" in jp and "12 時間以内にご返信いたします" in jp
    ar = page(public_out, "ae/ar/contact/index.html")
    assert "واتساب" in ar and "نرد خلال 4 ساعات." in ar
    assert '<a href="https://wa.me/97145550142" dir="ltr">+971 4 555 0142</a>' in ar


def test_answer_pages_link_every_channel_that_has_a_link(public_out):
    ar = page(public_out, "ae/ar/shipping/where-is-my-order/index.html")
    block = ar[ar.index('class="kb-pub-help"'):]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', block[: block.index("</ul>")]) == [
        ("mailto:support-ae@example.com", "البريد الإلكتروني"), ("https://wa.me/97145550142", "واتساب")]


def test_arabic_help_center_is_right_to_left_with_arabic_chrome(public_out):
    ar = page(public_out, "ae/ar/index.html")
    assert '<html lang="ar"' in ar and re.search(r'<body dir="rtl"', ar)
    assert 'placeholder="بحث"' in ar
    assert '<body dir="ltr"' in page(public_out, "de/de/index.html")


def test_language_switcher_keeps_the_page(public_out):
    html = page(public_out, "de/de/returns/index.html")
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)"[^>]*class="md-select__link kb-alt-link"', html)
    assert links == [("../../de/returns/", "de"), ("../../en/returns/", "en")]
    assert "md-select__list" not in page(public_out, "jp/ja/index.html")  # one language: no switcher


def test_chooser_lists_every_help_center_and_redirects_by_browser_language(public_out):
    html = page(public_out, "index.html")
    for rel in ("ae/ar/", "ae/en/", "de/de/", "de/en/", "jp/ja/"):
        assert f'href="{rel}"' in html
    assert "Deutschland" in html and "日本" in html
    assert "navigator.languages" in html and "location.replace" in html
    assert "Choose your country and language" in html and "Land und Sprache wählen" in html


def test_help_centers_link_back_to_the_chooser_without_redirect(public_out):
    assert 'href="../../../?choose"' in page(public_out, "de/de/contact/index.html")
    assert 'href="../../?choose"' in page(public_out, "de/de/index.html")


def test_no_reference_to_another_host(public_out):
    """Offline: no CDN, web font or other host in any page or stylesheet (links to mail and the
    sitemaps namespace aside)."""
    allowed = ("http://www.sitemaps.org/", "http://www.w3.org/",
               "https://wa.me/97145550142")  # a link the customer may follow: the AE WhatsApp channel
    for path in public_out.rglob("*.html"):
        for url in re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', path.read_text("utf-8")):
            assert url.startswith(allowed), f"{path}: {url}"
    css = (public_out / "de/de/assets/kb.css").read_text("utf-8")
    assert "fonts.googleapis" not in css and "@import" not in css


def test_build_is_deterministic(tmp_path):
    from kb_builder.pipeline import build
    from conftest import write_project
    from .markers import FILES

    content = write_project(tmp_path, FILES, base=False)
    outs = []
    for n in (1, 2):
        build(content, tmp_path / f"out{n}", audience="public", progress=False)
        root = tmp_path / f"out{n}" / "public"
        outs.append({str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()})
    assert outs[0].keys() == outs[1].keys()
    assert [k for k in outs[0] if outs[0][k] != outs[1][k]] == []
