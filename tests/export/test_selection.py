"""What goes into an export: channels per target, markets and languages, drafts, nothing internal
in articles, sanitised HTML and plain text with its line breaks."""

from __future__ import annotations

import json

import pytest
from conftest import FAQ_WHERE, write_project  # tests/conftest.py

from kb_builder.export.run import build_export, run_export
from kb_builder.pipeline import load_and_check

from public.markers import FILES, INTERNAL_MARKERS

TEMPLATE_MARKERS = {"template subject", "template body", "template translation"}


def _template(channel: str) -> str:
    return f"channel: {channel}\nplaceholders: [customer_name]\nsource:\n  body: Hi {{customer_name}}, {channel} reply.\n"


@pytest.fixture
def channels_project(make_project):
    return make_project({f"templates/{c}.yaml": _template(c) for c in ("email", "chat", "social", "sms", "review-reply")})


@pytest.mark.parametrize("target, kept", [
    ("zendesk", ["chat", "email", "sms", "social"]),
    ("gorgias", ["chat", "email", "sms", "social"]),
    ("freshdesk", ["email", "social"]),
    ("json", ["chat", "email", "review-reply", "sms", "social"]),
])
def test_a_template_goes_only_where_the_target_has_its_channel(channels_project, target, kept):
    catalog, _ = load_and_check(channels_project)
    export = build_export(catalog, target)
    if target == "json":
        got = sorted({r["template"] for r in export.resources[0].payload["replies"]})
    else:
        got = sorted({t for t in catalog.templates if any(r.key.startswith(f"kb-template-{t}-")
                                                          for r in export.resources)})
    assert got == kept
    assert sorted(s for s in export.skipped if "channel" in s) == sorted(
        f"template:{c}: {target} has no {c} channel" for c in catalog.templates if c not in kept)


def test_markets_and_languages_asked_for(make_project, tmp_path):
    content = make_project({"templates/email.yaml": _template("email") + "translations:\n  de: {body: \"Hallo {customer_name}.\"}\n"})
    catalog, _ = load_and_check(content)
    keys = [r.key for r in build_export(catalog, "gorgias").resources]
    assert keys == ["kb-template-email-de-de", "kb-template-email-de-en"]  # JP speaks ja: not translated
    assert "template:email JP ja: not translated" in build_export(catalog, "gorgias").skipped
    assert [r.key for r in build_export(catalog, "gorgias", ("de",), ("de",)).resources] == ["kb-template-email-de-de"]


def test_drafts_are_never_exported(make_project):
    content = make_project({"templates/email.yaml": "draft: true\n" + _template("email"),
                            "faq/where-is-my-order.yaml": "draft: true\n" + FAQ_WHERE})
    catalog, _ = load_and_check(content)
    for target in ("zendesk", "gorgias", "freshdesk", "json"):
        export = build_export(catalog, target)
        assert [r.kind for r in export.resources] == ([] if target != "json" else ["export"])
        assert "template:email: draft" in export.skipped
    assert build_export(catalog, "json").resources[0].payload["articles"] == []


def test_html_is_sanitised_and_plain_text_keeps_line_breaks(make_project):
    body = "  body: |\n    Hi {customer_name},\n    <script>alert(1)</script> & <b>bold</b>\n\n    Bye\n"
    content = make_project({
        "templates/email.yaml": "channel: email\nplaceholders: [customer_name]\nsource:\n" + body,
        "faq/hostile.yaml": "category: shipping\nsource:\n  question: Safe?\n  answer: |\n"
                            "    Before <script>alert('x')</script> <img src=x onerror=alert(2)> "
                            "<a href=\"javascript:alert(3)\">bad</a> after.\n"})
    catalog, _ = load_and_check(content)
    export = build_export(catalog, "gorgias", ("de",), ("en",))
    args = export.resources[0].payload["actions"][0]["arguments"]
    assert args["body_text"] == "Hi {{ticket.customer.firstname}},\n<script>alert(1)</script> & <b>bold</b>\n\nBye"
    assert args["body_html"] == ("<p>Hi {{ticket.customer.firstname}},<br>&lt;script&gt;alert(1)&lt;/script&gt; "
                                 "&amp; &lt;b&gt;bold&lt;/b&gt;</p><p>Bye</p>")
    article = next(r for r in build_export(catalog, "freshdesk", ("de",), ("en",)).resources
                   if r.key == "kb-faq-hostile-de")
    html = article.payload["description"]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert html.startswith("<p>Before") and html.endswith("after.</p>")


def test_nothing_internal_reaches_any_article_export(tmp_path):
    content = write_project(tmp_path, FILES, base=False)
    for target in ("zendesk", "gorgias", "freshdesk", "json"):
        run_export(content, target, tmp_path / "out")
    articles = []
    for path in sorted((tmp_path / "out").rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if "help_center" in path.parts or "solutions" in path.parts:
            articles.append((path, text))
        elif path.name == "kb-export.json":
            articles.append((path, json.dumps(json.loads(text)["articles"], ensure_ascii=False)))
        for field, marker in INTERNAL_MARKERS.items():  # macros carry templates, nothing else internal
            if field not in TEMPLATE_MARKERS and field not in ("review date", "translation review date"):
                assert marker not in text, f"{field} in {path}"
        assert "2031-07-13" not in text and "2031-08-14" not in text, path
    assert len(articles) > 10
    for path, text in articles:
        for field, marker in INTERNAL_MARKERS.items():
            assert marker not in text, f"{field} in {path}"
    assert "Where is my order?" in "".join(t for _, t in articles)
