"""Drafts (`draft: true`) and `kb new` skeletons: listed by kb check, bannered on the internal site,
marked in agent search, never public; skeleton text outside a draft is an error with file and line."""

from __future__ import annotations

import json
import re

import pytest

from kb_builder.cli import main
from kb_builder.loading.loader import load
from kb_builder.skeletons import SKELETON_MARKER

OTHER_KB = """\
name: Other Shop
source_language: fr
languages: [fr, es]
categories:
  livraison: {fr: Livraison, es: Envío}
"""

MARKET_ES = """\
code: ES
name: España
languages: [es, fr]
currency: EUR
timezone: Europe/Madrid
channels:
  - {type: chat, first_response_hours: 0.1}
vars:
  plazo_devolucion: 30
"""

FAQ_USES_VAR = """\
category: livraison
reviewed: 2026-10-01
source:
  question: Quel délai ?
  answer: Vous avez {market.plazo_devolucion} jours.
"""


def _report(content, capsys, *extra) -> dict:
    capsys.readouterr()
    main(["check", "--content", str(content), "--format", "json", "--today", "2026-11-23", *extra])
    return json.loads(capsys.readouterr().out)


def _findings(report: dict, code: str) -> list[dict]:
    return [f for f in report["findings"] if f["code"] == code]


def test_kb_new_skeletons_are_valid_drafts_in_a_kb_with_other_categories_languages_and_markets(make_project, capsys):
    content = make_project({"kb.yaml": OTHER_KB, "markets/es.yaml": MARKET_ES, "faq/delai.yaml": FAQ_USES_VAR,
                            "markets/de.yaml": None, "markets/jp.yaml": None, "faq/where-is-my-order.yaml": None})
    for kind, ident in (("sop", "new-case"), ("faq", "new-question"), ("template", "new-reply"),
                        ("path", "new-path")):
        assert main(["new", "--content", str(content), kind, ident]) == 0
    assert "category: livraison" in (content / "faq/new-question.yaml").read_text(encoding="utf-8")
    report = _report(content, capsys)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors == []
    assert sorted(f["entry"] for f in _findings(report, "draft")) == [
        "faq:new-question", "path:new-path", "sop:new-case", "template:new-reply"]
    catalog = load(content).catalog
    assert all(e.draft for e in [catalog.sops["new-case"], catalog.faqs["new-question"],
                                 catalog.templates["new-reply"], catalog.paths["new-path"]])


def test_kb_new_market_defines_every_variable_other_markets_have_and_is_refused_until_filled(make_project, capsys):
    content = make_project({"kb.yaml": OTHER_KB, "markets/es.yaml": MARKET_ES, "faq/delai.yaml": FAQ_USES_VAR,
                            "markets/de.yaml": None, "markets/jp.yaml": None, "faq/where-is-my-order.yaml": None})
    assert main(["new", "--content", str(content), "market", "be"]) == 0
    text = (content / "markets/be.yaml").read_text(encoding="utf-8")
    assert "languages: [fr]" in text and "timezone: Europe/Madrid" in text
    report = _report(content, capsys)
    codes = {f["code"] for f in report["findings"] if f["severity"] == "error"}
    assert codes == {"skeleton-text"}  # no undefined-market-variable: plazo_devolucion is there
    lines = sorted(f["line"] for f in _findings(report, "skeleton-text"))
    assert lines == [3, 7, 9, 11, 12]  # name, support_hours, the email channel, vars.plazo_devolucion, notes


def test_kb_new_faq_without_categories_says_what_to_add(make_project, capsys):
    content = make_project({"kb.yaml": "name: X\nsource_language: en\nlanguages: [en]\n"})
    assert main(["new", "--content", str(content), "faq", "first"]) == 2
    assert "defines no FAQ categories; add one first" in capsys.readouterr().err


def test_skeleton_text_without_draft_is_an_error_naming_file_and_line(make_project, capsys):
    content = make_project()
    assert main(["new", "--content", str(content), "faq", "publish-me"]) == 0
    path = content / "faq/publish-me.yaml"
    path.write_text(re.sub(r"^draft: true.*\n", "", path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--content", str(content), "--today", "2026-11-23"]) == 1
    out = capsys.readouterr().out
    assert ("content/faq/publish-me.yaml:8:13: error: question of faq:publish-me still holds the text 'kb new' "
            f"wrote (replace the text marked {SKELETON_MARKER}, or keep 'draft: true' until it is written)") in out
    assert "content/faq/publish-me.yaml:9:11: error: answer of faq:publish-me" in out
    assert main(["build", "--content", str(content), "--out", "out", "-q"]) == 1  # nothing is published


def test_skeleton_text_in_a_translation_and_in_a_path(make_project, capsys):
    content = make_project({
        "faq/x.yaml": f"""\
            category: shipping
            source: {{question: Real question?, answer: Real answer.}}
            translations:
              de:
                from: 000000000000
                question: Echte Frage?
                answer: "{SKELETON_MARKER}: übersetzen"
            """,
        "paths/p.yaml": f"""\
            title: Onboarding
            modules:
              - title: Basics
                exercise: "{SKELETON_MARKER}: practise"
            """,
    })
    found = {(f["entry"], f["lang"], f["line"]) for f in _findings(_report(content, capsys), "skeleton-text")}
    assert found == {("faq:x", "de", 7), ("path:p", None, 3)}


def test_a_draft_may_hold_skeleton_text_and_is_listed_once(make_project, capsys):
    content = make_project({"faq/wip.yaml": f"draft: true\ncategory: shipping\n"
                                            f"source: {{question: '{SKELETON_MARKER}: q?', answer: a}}\n"})
    report = _report(content, capsys)
    assert _findings(report, "skeleton-text") == []
    [draft] = _findings(report, "draft")
    assert (draft["entry"], draft["severity"], draft["line"]) == ("faq:wip", "warning", 1)
    assert main(["check", "--content", str(content), "--today", "2026-11-23", "--strict"]) == 1


def test_public_faq_listing_a_draft_in_related_is_an_internal_reference(make_project, capsys):
    content = make_project({
        "faq/wip.yaml": "draft: true\ncategory: shipping\nsource: {question: Soon?, answer: Soon.}\n",
        "faq/done.yaml": "category: shipping\nrelated: [wip]\nsource:\n  question: Done?\n  answer: See [soon](faq:wip).\n",
    })
    report = _report(content, capsys)
    messages = sorted(f["message"] for f in _findings(report, "internal-reference"))
    assert messages[0] == ("public faq:done links to faq:wip, which the help center does not have; "
                           "customers see the link text without a link")
    assert messages[1] == "public faq:done lists draft faq:wip in related; the help center will not show that link"


@pytest.fixture
def built_with_drafts(make_project):
    content = make_project({
        "faq/wip.yaml": """\
            draft: true
            category: shipping
            reviewed: 2026-10-01
            source: {question: ZQX-DRAFTQ-1a1a unfinished refund question?, answer: ZQX-DRAFTA-2b2b refund answer.}
            translations:
              de: {from: 000000000000, question: ZQX-DRAFTDE-3c3c Frage?, answer: ZQX-DRAFTDE-3c3c Antwort.}
            """,
        "sops/wip-sop.yaml": """\
            draft: true
            title: Refund draft procedure
            steps: [{id: one, do: Refund it.}]
            """,
    })
    assert main(["build", "--content", str(content), "--out", "out", "--today", "2026-11-23", "-q"]) == 0
    return content, content.parent / "out"


def test_drafts_are_bannered_on_the_internal_site(built_with_drafts):
    _, out = built_with_drafts
    faq_page = (out / "internal/faq/shipping/index.html").read_text(encoding="utf-8")
    assert "ZQX-DRAFTQ-1a1a" in faq_page
    section = faq_page.split('id="faq-wip"', 1)[1].split('<h2', 1)[0]
    assert '<p class="admonition-title">Draft</p>' in section
    assert "It is not on any public help center and not in public search" in section
    other = faq_page.split('id="faq-where-is-my-order"', 1)[1].split('<h2', 1)[0]
    assert "kb-draft" not in other
    sop = (out / "internal/sops/wip-sop/index.html").read_text(encoding="utf-8")
    assert '<div class="admonition note kb-draft"><p class="admonition-title">Draft</p>' in sop


def test_drafts_are_marked_in_agent_search_and_absent_from_public_search(built_with_drafts, capsys):
    content, out = built_with_drafts
    capsys.readouterr()
    assert main(["search", "refund", "--content", str(content), "--out", str(out), "--json"]) == 0
    hits = {h["id"]: h for h in json.loads(capsys.readouterr().out)["hits"]}
    assert hits["wip"]["draft"] is True and hits["wip-sop"]["draft"] is True
    assert main(["search", "refund", "--content", str(content), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert re.search(r"faq:wip · en · all markets · DRAFT", re.sub(r"\x1b\[[0-9;]*m", "", text))
    assert main(["search", "refund", "--public", "--content", str(content), "--out", str(out), "--json"]) == 0
    assert "wip" not in {h["id"] for h in json.loads(capsys.readouterr().out)["hits"]}


def test_drafts_are_in_no_public_byte(built_with_drafts):
    from tests.public.markers import output_texts

    _, out = built_with_drafts
    public = out / "public"
    assert (public / "de/de/index.html").is_file()
    for marker in ("ZQX-DRAFTQ-1a1a", "ZQX-DRAFTA-2b2b", "ZQX-DRAFTDE-3c3c", "faq-wip", "/wip/"):
        assert [str(p) for p, text in output_texts(public) if marker in text] == [], marker
