"""Search entries made from page HTML without Material's parser."""

from __future__ import annotations

from kb_builder.sites.search_sections import Sections

PAGE = """<h1 id="shipping">Shipping &amp; delivery<a class="headerlink" href="#shipping">¶</a></h1>
<p>All about <strong>parcels</strong>.</p>
<h2 id="faq-where">Where is my order?<a class="headerlink" href="#faq-where">¶</a></h2>
<div class="tabbed-set"><label>Deutsch</label><div><p>Wo ist meine Bestellung?</p>
<ul><li>Track it</li></ul><script>var secret = 1;</script>
<svg><text>flowchart label</text></svg><div data-search-exclude><div><p>fallback</p></div><p>text</p></div></div></div>
<h3>No id here</h3><p>still in the section</p>
<h2 id="faq-zh">退货</h2><p>我想退货退款</p>
<h2 id="faq-fallback" data-search-exclude>Shown in English</h2><p>untranslated answer</p>"""


def test_sections_follow_headings_with_ids():
    docs = Sections(chinese=False).entries(PAGE, "faq/shipping/", "Shipping")
    assert [d["location"] for d in docs] == ["faq/shipping/", "faq/shipping/#faq-where", "faq/shipping/#faq-zh"]
    assert [d["title"] for d in docs] == ["Shipping &amp; delivery", "Where is my order?", "退货"]
    assert docs[0]["text"] == "<p>All about parcels.</p>"
    where = docs[1]["text"]
    assert "<p>Wo ist meine Bestellung?</p>" in where and "<li>Track it</li>" in where
    assert "still in the section" in where and "No id here" in where
    for hidden in ("secret", "flowchart label", "fallback", "¶"):
        assert hidden not in where
    assert "text" not in where.replace("Track it", "")  # the rest of the excluded element went too
    assert all("untranslated answer" not in d["text"] and "Shown in English" not in d["title"] for d in docs)


def test_chinese_is_segmented_with_zero_width_spaces():
    docs = Sections(chinese=True).entries(PAGE, "faq/shipping/", "Shipping")
    assert "\u200b" in docs[2]["text"] and docs[2]["text"].replace("\u200b", "") == "<p>我想退货退款</p>"


def test_a_page_without_headings_is_one_entry():
    assert Sections(chinese=False).entries("<p>Only text</p>", "x/", "X") == [
        {"location": "x/", "title": "X", "text": "<p>Only text</p>"}]
