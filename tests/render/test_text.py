"""text.markdown_html renders each text once and fills values per market: it must equal the
reference path (fill, then render and sanitise) in every mode the internal site uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_builder.loading.loader import load
from kb_builder.render.text import markdown_html, reference_html

TRICKY = ["{{ x }} and {% y %} {market.a} `{{code}}` [l](https://x.example/{market.a})",
          "**{market.a} days** {market.missing} {placeholder}", "<script>{market.a}</script> ok {market.a}",
          "- {market.a}\n- {market.b}", "{market.a}{market.a}", "plain {market.b} text", "",
          "Call {market.a}.\n\nThen *wait* for {market.b} [x]({market.a})"]
VALUES = [None, {}, {"a": "5 & <6>", "b": "*bold*"}, {"a": "30", "b": "- item"}, {"a": "x\u00a0y", "b": ""},
          {"a": "50 EUR", "b": "14"}]


@pytest.mark.parametrize("chips", [False, True])
def test_render_once_equals_reference_on_tricky_texts(chips):
    for text in TRICKY:
        for values in VALUES:
            assert str(markdown_html(text, values, chips)) == reference_html(text, values, chips), (text, values)


def test_render_once_equals_reference_on_bundled_sop_steps():
    catalog = load(Path(__file__).resolve().parents[2] / "content").catalog
    texts = [t for s in catalog.sops.values() for t in s.source.values()]
    assert len(texts) > 100
    markets = [m.variables() for m in catalog.markets.values()] + [None]
    for text in texts:
        for values in markets:
            for chips in (False, True):
                assert str(markdown_html(text, values, chips)) == reference_html(text, values, chips)


def test_chips_name_the_variable_and_values_are_escaped():
    assert str(markdown_html("Within {market.return_window_days} days", None, chips=True)) == (
        '<p>Within <span class="kb-var" title="market value: differs per market">return_window_days</span>'
        ' days</p>')
    assert str(markdown_html("Up to {market.limit}", {"limit": "<50 EUR>"})) == "<p>Up to &lt;50 EUR&gt;</p>"
