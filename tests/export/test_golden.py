"""Export files of the mini fixture project per target, compared with golden files.

After an intended change, refresh them with:  KB_UPDATE_GOLDEN=1 .venv/bin/pytest tests/export/test_golden.py
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kb_builder.export.run import run_export

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "projects" / "mini"
GOLDEN = ROOT / "golden" / "export"
TARGETS = ("zendesk", "gorgias", "freshdesk", "json")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """OUT of `kb export TARGET` for every target, from a copy of the mini project."""
    root = tmp_path_factory.mktemp("export")
    content = root / "mini"
    shutil.copytree(MINI, content)
    for target in TARGETS:
        run_export(content, target, root / "out")
    return root / "out"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("target", TARGETS)
def test_export_matches_golden_files(exported, target):
    got = _files(exported / target)
    if os.environ.get("KB_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN / target, ignore_errors=True)
        for rel, data in got.items():
            (GOLDEN / target / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / target / rel).write_bytes(data)
        pytest.skip("golden files refreshed")
    expected = _files(GOLDEN / target)
    assert sorted(got) == sorted(expected)
    for rel, data in got.items():
        assert data == expected[rel], f"{target}/{rel} differs from tests/golden/export/{target}/{rel}"


def test_a_second_export_writes_the_same_bytes_and_drops_stale_files(exported, tmp_path):
    content = tmp_path / "mini"
    shutil.copytree(MINI, content)
    (exported / "gorgias" / "macros" / "stale.json").write_text("{}")
    run_export(content, "gorgias", exported)
    assert _files(exported / "gorgias") == _files(GOLDEN / "gorgias")


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_gorgias_german_macro_has_market_values_and_gorgias_placeholders(exported):
    macro = _json(exported / "gorgias" / "macros" / "kb-template-apology-damaged-de-de.json")
    assert macro["name"] == "Ihre Bestellung {order_id}: Es tut uns leid · DE · de"
    assert (macro["language"], macro["external_id"], macro["intent"]) == (
        "de", "kb-template-apology-damaged-de-de", "order/damaged")
    actions = {a["name"]: a["arguments"] for a in macro["actions"]}
    assert actions["setSubject"] == {
        "subject": "Ihre Bestellung {{ticket.customer.integrations.shopify.orders[0].name}}: Es tut uns leid"}
    assert actions["setResponseText"]["body_text"] == (
        "Hallo {{ticket.customer.firstname}},\nes tut uns leid. Rücksendung innerhalb von 30 Tagen.\n"
        "Klammern bleiben: {so}.")
    assert actions["setResponseText"]["body_html"] == (
        "<p>Hallo {{ticket.customer.firstname}},<br>es tut uns leid. Rücksendung innerhalb von 30 Tagen.<br>"
        "Klammern bleiben: {so}.</p>")
    assert actions["addTags"] == {"tags": "kb, apology-damaged"}


def test_zendesk_macro_per_market_with_a_german_dynamic_content_variant(exported):
    macro = _json(exported / "zendesk" / "macros" / "kb-template-apology-damaged-de.json")["macro"]
    assert macro["title"] == "Your order {order_id}: we're sorry · DE"
    assert macro["actions"] == [{"field": "subject", "value": "{{dc.kb_apology_damaged_de_subject}}"},
                                {"field": "comment_value", "value": "{{dc.kb_apology_damaged_de_body}}"}]
    item = _json(exported / "zendesk" / "dynamic_content" / "kb_apology_damaged_de_body.json")["item"]
    de = next(v for v in item["variants"] if v["locale_id"] == 8)
    assert de == {"active": True, "default": False, "locale_id": 8,
                  "content": "Hallo {{ticket.requester.first_name}},\nes tut uns leid. Rücksendung innerhalb von "
                             "30 Tagen.\nKlammern bleiben: {so}."}
    subject = _json(exported / "zendesk" / "dynamic_content" / "kb_apology_damaged_de_subject.json")["item"]
    assert [v["content"] for v in subject["variants"] if v["locale_id"] == 8] == [
        "Ihre Bestellung {{ticket.ticket_field_360012345678}}: Es tut uns leid"]
    csv_text = (exported / "zendesk" / "dynamic_content.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == '"Title","Default language","Default text","German text","Variant status"'


def test_freshdesk_german_canned_response_in_its_market_folder(exported):
    canned = _json(exported / "freshdesk" / "canned_responses" / "kb-template-apology-damaged-de-de.json")
    assert canned == {
        "title": "Ihre Bestellung {order_id}: Es tut uns leid · DE · de", "folder_id": None, "visibility": 0,
        "content_html": "<p>Hallo {{ticket.requester.firstname}},<br>es tut uns leid. Rücksendung innerhalb "
                        "von 30 Tagen.<br>Klammern bleiben: {so}.</p>"}
    manifest = _json(exported / "freshdesk" / "manifest.json")
    entry = next(r for r in manifest["resources"] if r["key"] == "kb-template-apology-damaged-de-de")
    assert entry["refs"] == {"folder_id": "kb-canned-folder-de-de"}
    assert _json(exported / "freshdesk" / "canned_response_folders" / "kb-canned-folder-de-de.json") == {
        "name": "KB · DE · de"}


def test_articles_are_public_faq_only_with_translations(exported):
    zendesk = {p.name for p in (exported / "zendesk" / "help_center").rglob("*.json")}
    assert zendesk == {"kb-hc-category-de.json", "kb-hc-category-jp.json", "kb-hc-section-de-shipping.json",
                       "kb-hc-section-jp-shipping.json", "kb-faq-where-is-my-order-de.json",
                       "kb-faq-where-is-my-order-jp.json", "kb-faq-where-is-my-order-de-de.json"}
    translation = _json(exported / "zendesk" / "help_center" / "translations" / "kb-faq-where-is-my-order-de-de.json")
    assert translation == {"translation": {
        "locale": "de", "title": "Wo ist meine Bestellung?",
        "body": "<p>Verfolgen Sie sie über den Link in Ihrer Versand-E-Mail.\n"
                "Rücksendungen nehmen wir innerhalb von 30 Tagen an.</p>"}}
    everything = b"".join(p.read_bytes() for p in exported.rglob("*") if p.is_file())
    assert b"carrier claim" not in everything  # the internal FAQ entry
    assert b"carrier portal" not in everything  # where-is-my-order's internal_note
