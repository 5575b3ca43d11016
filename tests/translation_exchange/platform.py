"""What a translation platform does to an exported file: fill targets, mark them translated."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import polib

NS = "urn:oasis:names:tc:xliff:document:1.2"


def _translate_inline(el: ET.Element, prefix: str) -> None:
    el.text = prefix + (el.text or "")


def fill_xliff(data: str, prefix: str = "[ja] ", only=None) -> str:
    """Each target becomes prefix + the source (inline <ph> codes copied), state="translated"."""
    ET.register_namespace("", NS)
    root = ET.fromstring(data)
    for tu in root.iter(f"{{{NS}}}trans-unit"):
        if only is not None and tu.get("id") not in only:
            continue
        source = tu.find(f"{{{NS}}}source")
        target = tu.find(f"{{{NS}}}target")
        new = copy.deepcopy(source)
        new.tag = f"{{{NS}}}target"
        _translate_inline(new, prefix)
        new.set("state", "translated")
        index = list(tu).index(target)
        tu.remove(target)
        tu.insert(index, new)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def fill_po(data: str, prefix: str = "[ja] ") -> str:
    """Each msgstr becomes prefix + msgid; fuzzy flags and previous msgids are dropped."""
    catalog = polib.pofile(data)
    for e in catalog:
        e.msgstr = prefix + e.msgid
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        e.previous_msgid = None
    return str(catalog)
