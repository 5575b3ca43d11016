"""Unit tests of the public page builders and their helpers."""

from __future__ import annotations

import pytest

from kb_builder.render.labels import labels_for
from kb_builder.render.localize import duration, support_hours, text_direction
from kb_builder.render.answers import answer_html, public_html
from kb_builder.render.public import channel_link, excerpt, related_answers, title_text
from kb_builder.render.public_content import PublicChannel, PublicFaq, public_content


def test_markdown_javascript_links_and_foreign_images_are_removed():
    html = str(public_html("[x](javascript:alert(1)) ![a](https://cdn.example/p.png) ![b](local.png)", {}))
    assert "javascript:" not in html and "cdn.example" not in html
    assert 'src="local.png"' in html


def test_title_text_cannot_open_tags_or_leave_attributes():
    assert title_text('A & B <script>x</script> "q"') == "A &amp; B scriptx/script q"


def test_labels_fall_back_to_english_and_accept_overrides():
    assert labels_for("de").get("contact") == "Kontakt"
    assert labels_for("xx").get("contact") == "Contact us"
    assert labels_for("de", {"de": {"contact": "Schreiben Sie uns"}}).get("contact") == "Schreiben Sie uns"
    assert labels_for("pt-BR").get("contact") == "Fale conosco"
    assert labels_for("en").get("see_all", n=3) == "All questions (3)"
    assert labels_for("en", {"en": {"see_all": "{n} {unknown} {n.__class__}"}}).get("see_all", n=3) == \
        "3 {unknown} {n.__class__}"


def test_durations_use_plural_rules():
    assert duration(24, "de", labels_for("de")) == "24 Stunden"
    assert duration(1, "de", labels_for("de")) == "1 Stunde"
    assert duration(0.05, "en", labels_for("en")) == "3 minutes"
    assert duration(4, "ar", labels_for("ar")) == "4 ساعات"
    assert duration(24, "ja", labels_for("ja")) == "24 時間"
    assert duration(2, "xx", labels_for("xx")) == "2 hours"


def test_support_hours_are_localised_only_when_understood():
    assert support_hours("Mon-Fri 08:00-18:00", "de") == "Mo.–Fr. 08:00–18:00"
    assert support_hours("Mon-Fri 09:00-18:00, Sat 10:00-14:00", "fr") == "lun.–ven. 09:00–18:00, sam. 10:00–14:00"
    assert support_hours("weekdays, 9 to 5", "de") == "weekdays, 9 to 5"


def test_text_direction():
    assert [text_direction(x) for x in ("ar", "he", "fa", "en", "ja")] == ["rtl", "rtl", "rtl", "ltr", "ltr"]


def test_public_content_copies_only_public_fields(make_project):
    from kb_builder.loading.loader import load

    content = make_project({"faq/secret.yaml": """\
        category: shipping
        audience: internal
        source: {question: Secret?, answer: Yes.}
        """})
    catalog = load(content).catalog
    pub = public_content(catalog)
    assert [f.id for f in pub.faqs] == ["where-is-my-order"]
    market = pub.markets[0]
    assert not hasattr(market, "notes") and not hasattr(pub.faqs[0], "internal_note")
    assert set(vars(pub.faqs[0])) == {"id", "category", "markets", "question", "answer", "updated", "tags", "related"}


def test_cached_answers_equal_the_reference_rendering():
    """answer_html (rendered once, filled per market) gives exactly public_html's output: on the
    bundled content in every market, and on texts built to trip it up."""
    from pathlib import Path

    from kb_builder.loading.loader import load

    catalog = load(Path(__file__).resolve().parents[2] / "content").catalog
    cases = [(t, m.variables()) for f in catalog.faqs.values()
             for t in [f.source["answer"], *(tr.fields.get("answer", "") for tr in f.translations.values())]
             for m in catalog.markets.values()]
    tricky = ["{{ x }} and {% y %} {market.a} `{{code}}` [l](https://x.example/{market.a})",
              "**{market.a} days** {market.missing} {placeholder}", "<script>{market.a}</script> ok {market.a}",
              "- {market.a}\n- {market.b}", "{market.a}{market.a}"]
    for values in ({"a": "5 & <6>", "b": "*bold*"}, {"a": "30", "b": "- item"}, {"a": "x\u00a0y", "b": ""}):
        cases += [(t, values) for t in tricky]
    assert len(cases) > 1000
    for text, values in cases:
        assert str(answer_html(text, values)) == str(public_html(text, values)), (text, values)


@pytest.mark.parametrize("channel, link", [
    (PublicChannel("email", "help@example.de"), "mailto:help@example.de"),
    (PublicChannel("email", "not an address"), ""),
    (PublicChannel("phone", "+1 (212) 555-0147"), "tel:+12125550147"),
    (PublicChannel("phone", number="+1 212 555 0147"), "tel:+12125550147"),
    (PublicChannel("sms", number="+44 7700 900123"), "sms:+447700900123"),
    (PublicChannel("whatsapp", number="+971 4 555 0142"), "https://wa.me/97145550142"),
    (PublicChannel("whatsapp", url="https://wa.me/6565550199"), "https://wa.me/6565550199"),
    (PublicChannel("whatsapp"), ""),
    (PublicChannel("chat", "https://example.de/chat", url="https://example.de/chat"), "https://example.de/chat"),
    (PublicChannel("line", "@shop", url="https://line.me/R/ti/p/@shop"), "https://line.me/R/ti/p/@shop"),
    (PublicChannel("line", "@shop"), ""),
    (PublicChannel("chat", url="javascript:alert(1)"), ""),
    (PublicChannel("chat", url='https://x.example/" onclick="alert(1)'), ""),
    (PublicChannel("messenger", url="https://m.me/shop"), "https://m.me/shop"),
])
def test_every_channel_gets_the_link_that_opens_it(channel, link):
    assert channel_link(channel) == link


def test_excerpt_is_one_line_cut_at_a_word():
    assert excerpt("<p>Track it &amp; see.</p>\n<ul><li>Then wait.</li></ul>") == "Track it & see. Then wait."
    assert excerpt("<p>" + "word " * 50 + "</p>", limit=22) == "word word word word…"
    assert excerpt("<p>" + "返品" * 100 + "</p>", limit=10) == "返品返品返品返品返品…"


def test_related_answers_prefer_linked_then_shared_tags_then_category():
    from kb_builder.model import MarketScope

    def faq(i, cat, tags=(), related=()):
        return PublicFaq(i, cat, MarketScope(), {}, {}, tags=tuple(tags), related=tuple(related))

    faqs = [faq("a", "x", ["t1", "t2"], related=["f", "missing", "a"]), faq("b", "x"), faq("c", "y", ["t1"]),
            faq("d", "y", ["t1", "t2"]), faq("e", "x"), faq("f", "z"), faq("g", "x"), faq("h", "x")]
    got = related_answers(faqs)
    assert got["a"] == ["f", "d", "c", "b", "e"]  # linked, 2 shared tags, 1 shared tag, then category order
    assert got["b"] == ["a", "e", "g", "h"]
    assert got["f"] == []  # alone in its category and without tags
