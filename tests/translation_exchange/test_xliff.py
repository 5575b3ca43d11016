"""XLIFF 1.2 export and import: round trip, states, byte-preserving write-back, every refusal."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kb_builder.pipeline import check as check_content
from kb_builder.cli import main
from kb_builder.loading.loader import load
from tests.translation_exchange.conftest import snapshot
from tests.translation_exchange.platform import NS, fill_xliff

X = f"{{{NS}}}"


def _export(content, lang, *args) -> str:
    out = content.parent / f"{lang}.xlf"
    assert main(["translations", "export", "--content", str(content), "--lang", lang, "--out", str(out), *args]) == 0
    return out.read_text(encoding="utf-8")


def _import(content, text, *args, name="done.xlf") -> int:
    (content.parent / name).write_text(text, encoding="utf-8")
    return main(["translations", "import", "--content", str(content), name, *args])  # cwd is content.parent


def _units(text):
    return {tu.get("id"): tu for tu in ET.fromstring(text).iter(X + "trans-unit")}


def test_export_has_one_unit_per_translatable_field_with_states_and_context(mini):
    text = _export(mini, "ja", "--only", "all")
    units = _units(text)
    catalog = load(mini).catalog
    expected = {f"{e.ref}#{p}" for e in catalog.entries() for p in e.source}
    assert set(units) == expected
    assert "sop:damaged-item#steps.decide.branches.0.then" in units
    assert not any(re.search(r"#(id|owner|severity|reviewed|channel|first_response_hours)", u) for u in units)
    tu = units["faq:where-is-my-order#answer"]
    assert tu.find(X + "target").get("state") == "needs-translation"
    source = tu.find(X + "source")
    assert source.text == "Track it with the link in your shipping email.\nReturns are accepted within "
    ph = source.find(X + "ph")
    assert (ph.get("id"), ph.get("ctype"), ph.text, ph.tail) == ("1", "x-kb-market-value",
                                                                 "{market.return_window_days}", " days.\n")
    notes = [n.text for n in tu.findall(X + "note")]
    assert notes == ['faq "Where is my order?"; used in JP',
                     "{market.return_window_days} = 14 in JP (keep it as written: it is filled per market)"]
    fp = catalog.faqs["where-is-my-order"].fingerprint()
    assert tu.find(f"{X}context-group/{X}context[@context-type='x-kb-source-fingerprint']").text == fp
    subject = units["template:apology-damaged#subject"].find(X + "source")
    assert [p.get("ctype") for p in subject.iter(X + "ph")] == ["x-kb-ticket-value"]


def test_export_only_untranslated_and_stale_by_default(mini):
    de = _units(_export(mini, "de"))
    # the de SOP is stale (from: 000000000000), the de FAQ and template have no from: (stale);
    # carrier-claims has no de translation
    states = {uid: tu.find(X + "target").get("state") for uid, tu in de.items()}
    assert {uid for uid, s in states.items() if s == "needs-translation"} == {
        "faq:carrier-claims#question", "faq:carrier-claims#answer"}
    assert set(states.values()) == {"needs-translation", "needs-review-translation"}
    assert de["faq:where-is-my-order#question"].find(X + "target").text == "Wo ist meine Bestellung?"
    assert main(["translations", "mark-current", "--content", str(mini), "--all"]) == 0
    assert set(_units(_export(mini, "de"))) == {"faq:carrier-claims#question", "faq:carrier-claims#answer"}
    translated = _units(_export(mini, "de", "--only", "translated"))
    assert translated and all(tu.get("approved") == "yes" for tu in translated.values())


def test_xliff_round_trip_completes_the_language_and_keeps_other_bytes(mini, capsys):
    before = snapshot(mini)
    exported = _export(mini, "ja")
    assert _import(mini, fill_xliff(exported)) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == ("20 translation(s) imported into 4 file(s); 0 unchanged, 0 empty target(s) "
                                    "skipped, 0 still marked as needing translation or review skipped")
    after = snapshot(mini)
    catalog = load(mini).catalog
    for entry in catalog.entries():
        rel = entry.file.removeprefix("content/")
        # the ja block is appended after the last translation: every earlier byte is unchanged
        assert after[rel].startswith(before[rel].rstrip(b"\n")), rel
        tr = entry.translations["ja"]
        assert tr.source_fingerprint == entry.fingerprint()
        assert tr.fields == {p: "[ja] " + s for p, s in entry.source.items()}
    assert {k for k in after if after[k] != before[k]} == {
        "faq/where-is-my-order.yaml", "faq/carrier-claims.yaml", "sops/damaged-item.yaml",
        "templates/apology-damaged.yaml"}
    report = check_content(mini, None)
    assert [p.message for p in report.problems if p.lang == "ja"] == []
    # a second import of the same file changes nothing
    assert _import(mini, fill_xliff(exported)) == 0
    assert snapshot(mini) == after
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 translation(s) imported into 0 file(s); 20 unchanged")


FAQ = """\
# a comment that must survive
category: shipping
review_every_days: 90
tags: [tracking, "yes", 12]
source:
  question: Where?   # trailing comment
  answer: |
    Here, within {market.return_window_days} days.
translations:
  de:
    # translator: Anna
    from: 000000000000
    reviewed: 2026-10-02
    question: 'Wo?'   # kept
    answer: |
      Hier.
  ja: {question: どこ？}
"""


def test_import_rewrites_only_the_changed_values(mini):
    (mini / "faq/a.yaml").write_text(FAQ, encoding="utf-8")
    fp = load(mini).catalog.faqs["a"].fingerprint()
    text = _export(mini, "de", "--kind", "faq")
    units = _units(text)
    target = units["faq:a#answer"].find(X + "target")
    target.text, target.attrib["state"] = "Hier, innerhalb von ", "translated"
    ph = ET.SubElement(target, X + "ph", {"id": "1"})
    ph.text, ph.tail = "{market.return_window_days}", " Tagen."
    root = ET.fromstring(text)
    for tu in root.iter(X + "trans-unit"):
        if tu.get("id") == "faq:a#answer":
            tu.remove(tu.find(X + "target"))
            tu.insert(1, target)
        elif tu.get("id") == "faq:a#question":
            tu.find(X + "target").set("state", "translated")  # reviewed, unchanged
    ET.register_namespace("", NS)
    assert _import(mini, ET.tostring(root, encoding="unicode")) == 0
    assert (mini / "faq/a.yaml").read_text(encoding="utf-8") == FAQ.replace(
        "from: 000000000000", f"from: {fp}").replace("      Hier.\n", "      Hier, innerhalb von {market.return_window_days} Tagen.\n")


def test_ja_flow_block_gets_the_missing_field_in_flow_style(mini):
    (mini / "faq/a.yaml").write_text(FAQ, encoding="utf-8")
    fp = load(mini).catalog.faqs["a"].fingerprint()
    assert _import(mini, fill_xliff(_export(mini, "ja", "--kind", "faq"), "", only={"faq:a#answer"})) == 0
    text = (mini / "faq/a.yaml").read_text(encoding="utf-8")
    assert text == FAQ.replace("  ja: {question: どこ？}",
                               f'  ja: {{question: どこ？, from: {fp}, answer: "Here, within {{market.return_window_days}} days.\\n"}}')
    assert load(mini).catalog.faqs["a"].translations["ja"].fields["answer"] == "Here, within {market.return_window_days} days.\n"


def test_check_writes_nothing_and_says_what_would_change(mini, capsys):
    before = snapshot(mini)
    filled = fill_xliff(_export(mini, "ja", "--kind", "faq"))
    capsys.readouterr()
    assert _import(mini, filled, "--check") == 0
    assert snapshot(mini) == before
    assert capsys.readouterr().out.splitlines() == [
        "would update content/faq/carrier-claims.yaml (ja: faq:carrier-claims#question, faq:carrier-claims#answer)",
        "would update content/faq/where-is-my-order.yaml (ja: faq:where-is-my-order#question, faq:where-is-my-order#answer)",
        "4 translation(s) to import into 2 file(s); 0 unchanged, 0 empty target(s) skipped, "
        "0 still marked as needing translation or review skipped"]


def test_empty_and_unreviewed_targets_are_skipped_and_counted(mini, capsys):
    before = snapshot(mini)
    exported = _export(mini, "ja", "--kind", "faq")
    capsys.readouterr()
    # the platform translated one unit; one it left empty, others it filled but still marks as to review
    filled = fill_xliff(exported, only={"faq:where-is-my-order#question"})
    filled = filled.replace('<target state="needs-translation" />', '<target state="needs-translation">draft</target>', 1)
    assert _import(mini, filled) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 translation(s) imported into 1 file(s); 0 unchanged, 2 empty target(s) skipped, "
        "1 still marked as needing translation or review skipped")
    after = snapshot(mini)
    assert [k for k in after if after[k] != before[k]] == ["faq/where-is-my-order.yaml"]
    tr = load(mini).catalog.faqs["where-is-my-order"].translations["ja"]
    assert tr.fields == {"question": "[ja] Where is my order?"}  # never the source text in the empty field


def _refused(mini, capsys, text, name="bad.xlf") -> str:
    before = snapshot(mini)
    capsys.readouterr()
    assert _import(mini, text, name=name) == 1
    assert snapshot(mini) == before
    return capsys.readouterr().err


def test_refusals_name_the_position_and_write_nothing(mini, capsys):
    filled = fill_xliff(_export(mini, "ja", "--kind", "faq"))
    lines = filled.splitlines()
    line_of = {m.group(1): i + 1 for i, l in enumerate(lines) if (m := re.search(r'<trans-unit id="([^"]+)"', l))}
    col = lines[line_of["faq:where-is-my-order#answer"] - 1].index("<trans-unit") + 1

    bad = filled.replace('id="faq:where-is-my-order#answer"', 'id="faq:where-is-my-order#answr"')
    assert _refused(mini, capsys, bad) == (
        f"bad.xlf:{line_of['faq:where-is-my-order#answer']}:{col}: error: unknown unit id "
        "'faq:where-is-my-order#answr': this KB has no such entry or translatable field "
        "(export again with 'kb translations export' and translate that file)\n1 error(s), 0 warning(s)\n")

    bad = filled.replace('target-language="ja"', 'target-language="ko"')
    err = _refused(mini, capsys, bad)
    assert err.splitlines()[0] == ("bad.xlf:3:3: error: unknown language 'ko' (the KB's languages are en, de, ja) "
                                   "(set the file's target language to one of them)")

    bad = filled.replace("[ja] Track it with the link in your shipping email.\nReturns are accepted within <ph id=\"1\" "
                         "ctype=\"x-kb-market-value\">{market.return_window_days}</ph> days.",
                         "[ja] Track it. {order_id} {market.return_window_days}")
    assert bad != filled
    assert _refused(mini, capsys, bad) == (
        f"bad.xlf:{line_of['faq:where-is-my-order#answer']}:{col}: error: the translation of faq:where-is-my-order#answer "
        "adds the placeholder(s) {order_id}, which the source does not have (keep every {...} of the source "
        "exactly as written; only the text around them is translated)\n1 error(s), 0 warning(s)\n")

    bad = re.sub(r"(\[ja\] Track it.*?)<ph [^>]*>\{market.return_window_days\}</ph>", r"\1N", filled, flags=re.S)
    assert bad != filled
    assert "lacks the placeholder(s) {market.return_window_days} (keep every" in _refused(mini, capsys, bad)


def test_files_that_are_not_xliff_or_po_are_refused(mini, capsys):
    assert _refused(mini, capsys, "just some text\n", name="notes.txt") == (
        "notes.txt:1:1: error: not an XLIFF 1.2 or PO file (import the .xlf or .po file exported by "
        "'kb translations export')\n1 error(s), 0 warning(s)\n")
    assert _refused(mini, capsys, '<?xml version="1.0"?>\n<xliff version="1.2">\n  <file>\n</xliff>\n') == (
        "bad.xlf:4:3: error: not an XLIFF file: the XML is malformed (mismatched tag) "
        "(export the file again as XLIFF 1.2)\n1 error(s), 0 warning(s)\n")
    assert _refused(mini, capsys, '<?xml version="1.0"?>\n<html><body/></html>\n').startswith(
        "bad.xlf:2:1: error: not an XLIFF 1.2 file: the root element is <html> outside the XLIFF 1.2 namespace")
    assert _refused(mini, capsys, '<!DOCTYPE x [<!ENTITY a "b">]>\n<x/>').startswith(
        "bad.xlf:1:13: error: the file declares a DOCTYPE")


def test_export_usage_errors(mini, capsys):
    for args, message in [
        (["--lang", "xx"], "error: --lang xx: not a language of this KB (en, de, ja)"),
        (["--lang", "en"], "error: --lang en is the source language; export one of the languages it is translated into"),
        (["--lang", "ja", "--only", "done"], "error: --only done: use 'all' or a comma-separated list of "
                                            "untranslated, stale, translated"),
        (["--lang", "ja", "--market", "FR"], "error: --market FR: no such market (DE, JP)"),
    ]:
        assert main(["translations", "export", "--content", str(mini), *args]) == 2
        assert capsys.readouterr().err.strip() == message


def test_export_filters_by_market_and_kind(mini):
    units = _units(_export(mini, "de", "--only", "all", "--market", "DE", "--kind", "template"))
    assert set(units) == {"template:apology-damaged#subject", "template:apology-damaged#body"}
