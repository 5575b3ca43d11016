"""PO export and import: round trip, fuzzy + previous msgid, python-brace-format, refusals with lines."""

from __future__ import annotations

import polib

from kb_builder.cli import main
from kb_builder.loading.loader import load
from kb_builder.pipeline import check as check_content
from tests.translation_exchange.conftest import snapshot
from tests.translation_exchange.platform import fill_po


def _export(content, lang, *args) -> str:
    out = content.parent / f"{lang}.po"
    assert main(["translations", "export", "--content", str(content), "--lang", lang, "--format", "po",
                 "--out", str(out), *args]) == 0
    return out.read_text(encoding="utf-8")


def _import(content, text, *args, name="done.po") -> int:
    (content.parent / name).write_text(text, encoding="utf-8")
    return main(["translations", "import", "--content", str(content), name, *args])


def test_po_export_has_contexts_flags_and_fingerprints(mini):
    po = polib.pofile(_export(mini, "de"))
    catalog = load(mini).catalog
    assert po.metadata["Language"] == "de"
    by_id = {e.msgctxt: e for e in po}
    e = by_id["faq:where-is-my-order#answer"]
    assert e.msgid == catalog.faqs["where-is-my-order"].source["answer"]
    assert e.msgstr.startswith("Verfolgen Sie sie")
    assert e.flags == ["fuzzy", "python-brace-format"]
    assert e.occurrences == [("faq/where-is-my-order.yaml", "")]
    assert e.comment.splitlines() == [
        'faq "Where is my order?"; used in DE',
        "{market.return_window_days} = 30 in DE (keep it as written: it is filled per market)",
        f"kb-source-fingerprint: {catalog.faqs['where-is-my-order'].fingerprint()}"]
    assert by_id["faq:carrier-claims#question"].flags == []
    assert by_id["faq:carrier-claims#question"].msgstr == ""


def test_po_round_trip_completes_the_language(mini, capsys):
    before = snapshot(mini)
    exported = _export(mini, "ja")
    assert _import(mini, fill_po(exported)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "20 translation(s) imported into 4 file(s); 0 unchanged, 0 empty target(s) skipped, "
        "0 still marked as needing translation or review skipped")
    after = snapshot(mini)
    for entry in load(mini).catalog.entries():
        rel = entry.file.removeprefix("content/")
        assert after[rel].startswith(before[rel].rstrip(b"\n")), rel
        assert entry.translations["ja"].source_fingerprint == entry.fingerprint()
        assert entry.translations["ja"].fields == {p: "[ja] " + s for p, s in entry.source.items()}
    assert [p.message for p in check_content(mini).problems if p.lang == "ja"] == []
    assert _import(mini, fill_po(exported)) == 0
    assert snapshot(mini) == after


def test_fuzzy_entries_are_not_imported(mini, capsys):
    before = snapshot(mini)
    exported = _export(mini, "de", "--kind", "faq")  # stale (fuzzy) and untranslated entries
    capsys.readouterr()
    assert _import(mini, exported) == 0
    assert snapshot(mini) == before
    assert capsys.readouterr().out.splitlines() == [
        "0 translation(s) imported into 0 file(s); 0 unchanged, 2 empty target(s) skipped, "
        "2 still marked as needing translation or review skipped"]


def test_po_refusals_name_the_line(mini, capsys):
    exported = fill_po(_export(mini, "ja", "--kind", "faq"))
    lines = exported.splitlines()
    ctx_line = lines.index('msgctxt "faq:where-is-my-order#question"') + 1
    entry_line = {e.msgctxt: e.linenum for e in polib.pofile(exported)}["faq:where-is-my-order#question"]
    before = snapshot(mini)

    bad = exported.replace('msgctxt "faq:where-is-my-order#question"', 'msgctxt "faq:where-is-my-ordr#question"')
    capsys.readouterr()
    assert _import(mini, bad, name="bad.po") == 1
    assert capsys.readouterr().err == (
        f"bad.po:{entry_line}:1: error: unknown unit id 'faq:where-is-my-ordr#question': this KB has no such entry "
        "or translatable field (export again with 'kb translations export' and translate that file)\n"
        "1 error(s), 0 warning(s)\n")
    assert entry_line <= ctx_line

    bad = exported.replace('"Language: ja\\n"', '"Language: xx\\n"')
    assert _import(mini, bad, name="bad.po") == 1
    language_line = exported.splitlines().index('"Language: ja\\n"') + 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"bad.po:{language_line}:1: error: unknown language 'xx' (the KB's languages are en, de, ja) "
        "(set the file's target language to one of them)")

    bad = exported.replace('"[ja] Track it', '"[ja] {market.refund_days} Track it')
    assert bad != exported
    assert _import(mini, bad, name="bad.po") == 1
    assert "adds the placeholder(s) {market.refund_days}, which the source does not have" in capsys.readouterr().err

    assert _import(mini, 'msgid "a"\nmsgstr "b"\nfoo bar\n', name="bad.po") == 1
    assert capsys.readouterr().err == ("bad.po:3:1: error: not a PO file: Syntax error in po file (line 3) "
                                       "(export the file again as PO)\n1 error(s), 0 warning(s)\n")
    assert _import(mini, 'msgid ""\nmsgstr ""\n\nmsgctxt "faq:carrier-claims#question"\nmsgid "a"\nmsgstr "b"\n',
                   name="bad.po") == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "bad.po:1:1: error: the file does not name its target language "
        "(PO: add a Language header; XLIFF: a target-language on each <file>)")
    assert snapshot(mini) == before
