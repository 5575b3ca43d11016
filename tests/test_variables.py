"""Market variables are filled by a restricted formatter; placeholders and content stay inert."""

from kb_builder.render.text import markdown_html, reply_html
from kb_builder.variables import market_variables, placeholders, substitute


def test_market_variables_are_filled_and_placeholders_kept():
    text = "Hi {customer_name}, returns within {market.return_window_days} days."
    assert substitute(text, {"return_window_days": "30"}) == "Hi {customer_name}, returns within 30 days."


def test_literal_braces_and_unknown_variables():
    assert substitute("{{literal}} {market.missing}", {"x": "1"}) == "{literal} {market.missing}"
    assert substitute("{{market.x}}", {"x": "1"}) == "{market.x}"


def test_attribute_access_and_format_specs_are_not_evaluated():
    text = "{market.__class__} {market.x.__init__} {0} {market.x!r} {market.x:>10}"
    assert substitute(text, {"x": "1"}) == text


def test_names_found():
    text = "{market.a} {b} {{c}} {market.d} {e.f}"
    assert market_variables(text) == {"a", "d"}
    assert placeholders(text) == {"b"}


def test_content_is_never_a_template():
    html = str(markdown_html("{{ 7*7 }} {% for x in y %}x{% endfor %} {market.v}", {"v": "ok"}))
    assert "{ 7*7 }" in html and "{% for x in y %}x{% endfor %}" in html and "ok" in html and "49" not in html


def test_raw_html_is_sanitised():
    html = str(markdown_html('<script>alert(1)</script><img src=x onerror="alert(2)"> [a](javascript:alert(3)) '
                             '**kept**'))
    # the script goes with its text, the handler and the javascript: link target go; the rest stays
    assert html == '\n<p><img src="x"> <a rel="noopener noreferrer">a</a> <strong>kept</strong></p>'


def test_reply_text_highlights_placeholders_and_escapes():
    html = str(reply_html("Hi {customer_name} <b>{market.x}</b> {undeclared}", {"x": "30"}, {"customer_name"}))
    assert html == ('Hi <span class="kb-ph">{customer_name}</span> &lt;b&gt;30&lt;/b&gt; '
                    '<span class="kb-ph kb-ph-undeclared">{undeclared}</span>')
