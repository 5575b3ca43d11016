"""Nothing internal reaches the public help centers: every output byte is scanned for markers."""

from __future__ import annotations

import pytest

from .markers import INTERNAL_MARKERS, REVIEW_DATE, TRANSLATION_REVIEW_DATE, output_texts


def test_every_market_language_has_a_help_center(public_out):
    built = sorted(str(p.parent.relative_to(public_out)) for p in public_out.glob("*/*/index.html"))
    assert built == ["ae/ar", "ae/en", "de/de", "de/en", "jp/ja"]


def test_output_holds_html_search_index_sitemap_404_and_assets(public_out):
    """The scan below covers every kind of file a help center has."""
    site = public_out / "de" / "de"
    for rel in ("index.html", "404.html", "search/search_index.json", "sitemap.xml", "sitemap.xml.gz",
                "assets/kb.css", "assets/kb.js"):
        assert (site / rel).is_file(), rel


@pytest.mark.parametrize("field", sorted(INTERNAL_MARKERS))
def test_no_internal_marker_in_any_public_file(public_out, field):
    marker = INTERNAL_MARKERS[field]
    hits = [str(path.relative_to(public_out)) for path, text in output_texts(public_out) if marker in text]
    assert hits == [], f"{field} ({marker}) leaked into {hits}"


def test_markers_are_really_in_the_content(public_out):
    """Guard against a vacuous scan: the internal site would show the markers."""
    from .markers import FILES
    everything = "".join(FILES.values())
    for field, marker in INTERNAL_MARKERS.items():
        assert marker in everything, field


def test_an_faq_scoped_to_another_market_stays_there(public_out):
    marker = "ZQX-JPONLY-0c0c"
    in_de = [p for p, text in output_texts(public_out / "de") if "沖縄" in text or marker in text]
    assert in_de == []
    assert "沖縄に配送できますか" in (public_out / "jp" / "ja" / "shipping" / "index.html").read_text("utf-8")


def test_review_dates_appear_only_as_an_answer_pages_last_update(public_out):
    """The entry's review date dates the answer where its source text (or an undated translation)
    is shown; a translation's own review date dates that translation; no other file has them."""
    where = "shipping/where-is-my-order/index.html"
    hits = {date: sorted(str(path.relative_to(public_out)) for path, text in output_texts(public_out) if date in text)
            for date in (REVIEW_DATE, TRANSLATION_REVIEW_DATE)}
    assert hits == {REVIEW_DATE: [f"ae/ar/{where}", f"ae/en/{where}", f"de/en/{where}", f"jp/ja/{where}"],
                    TRANSLATION_REVIEW_DATE: [f"de/de/{where}"]}
    de = (public_out / "de/de" / where).read_text("utf-8")
    assert '<time datetime="2031-08-14">Zuletzt aktualisiert am 14. August 2031</time>' in de
