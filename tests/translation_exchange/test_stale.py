"""Stale translations: the export carries the source they were made from (git history); an import
made from an export older than the source leaves the translation stale."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import polib

from kb_builder.cli import main
from kb_builder.loading.loader import load
from tests.translation_exchange.platform import NS, fill_xliff

X = f"{{{NS}}}"


def _git(root, *args):
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=root, check=True,
                   capture_output=True)


def _history(mini):
    """A repository where the de FAQ translation was current, then the English answer changed."""
    root = mini.parent
    _git(root, "init", "-q")
    assert main(["translations", "mark-current", "--content", str(mini), "--all"]) == 0
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "translations current")
    path = mini / "faq/where-is-my-order.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Track it with the link", "Track it any time with the link"), encoding="utf-8")
    _git(root, "commit", "-qam", "answer: any time")
    return "Track it with the link in your shipping email.\nReturns are accepted within {market.return_window_days} days.\n"


def test_stale_export_carries_the_previous_source_from_git(mini):
    old_answer = _history(mini)
    out = mini.parent / "de.xlf"
    assert main(["translations", "export", "--content", str(mini), "--lang", "de", "--out", str(out)]) == 0
    units = {tu.get("id"): tu for tu in ET.parse(out).getroot().iter(X + "trans-unit")}
    # the question did not change since the translation was made: it is not exported as stale
    assert "faq:where-is-my-order#question" not in units
    tu = units["faq:where-is-my-order#answer"]
    assert tu.find(X + "target").get("state") == "needs-review-translation"
    alt = tu.find(X + "alt-trans")
    assert alt.get("alttranstype") == "previous-version"
    assert "".join(alt.find(X + "source").itertext()) == old_answer
    assert "".join(alt.find(X + "target").itertext()) == "".join(tu.find(X + "target").itertext())
    assert tu.find(X + "note").text == ("The translation was made from an older source. Changes: "
                                        "Track it{+ any time+} with the link in your shipping email.\n"
                                        "Returns are accepted within {market.return_window_days} days.\n")

    po_out = mini.parent / "de.po"
    assert main(["translations", "export", "--content", str(mini), "--lang", "de", "--format", "po",
                 "--out", str(po_out)]) == 0
    entry = {e.msgctxt: e for e in polib.pofile(str(po_out))}["faq:where-is-my-order#answer"]
    assert entry.previous_msgid == old_answer
    assert entry.flags == ["fuzzy", "python-brace-format"]
    assert entry.msgid.startswith("Track it any time")


def test_without_git_every_field_of_a_stale_entry_needs_review(mini):
    out = mini.parent / "de.xlf"
    assert main(["translations", "export", "--content", str(mini), "--lang", "de", "--kind", "faq",
                 "--out", str(out)]) == 0
    units = {tu.get("id"): tu for tu in ET.parse(out).getroot().iter(X + "trans-unit")}
    assert units["faq:where-is-my-order#question"].find(X + "target").get("state") == "needs-review-translation"
    assert units["faq:where-is-my-order#question"].find(X + "alt-trans") is None


def test_import_after_a_source_change_leaves_the_translation_stale(mini):
    out = mini.parent / "ja.xlf"
    assert main(["translations", "export", "--content", str(mini), "--lang", "ja", "--kind", "faq",
                 "--out", str(out)]) == 0
    exported_fp = load(mini).catalog.faqs["where-is-my-order"].fingerprint()
    path = mini / "faq/where-is-my-order.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Where is my order?", "Where is my parcel?"),
                    encoding="utf-8")
    done = mini.parent / "done.xlf"
    done.write_text(fill_xliff(out.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["translations", "import", "--content", str(mini), "done.xlf"]) == 0
    faq = load(mini).catalog.faqs["where-is-my-order"]
    assert faq.translations["ja"].source_fingerprint == exported_fp != faq.fingerprint()
    assert faq.is_stale("ja")
