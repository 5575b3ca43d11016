"""XLIFF 1.2 export and reading (standard library: ElementTree to write, expat to read with positions).

Element and attribute names follow the XLIFF 1.2 specification (OASIS, urn:oasis:names:tc:xliff:document:1.2):
one `<file>` per content file, one `<trans-unit>` per field, `{...}` tokens as `<ph>` inline codes,
`<target state="needs-translation|needs-review-translation|translated">`, the previous source of a
stale translation as `<alt-trans alttranstype="previous-version">`, context as `<note>`, the source
fingerprint as `<context context-type="x-kb-source-fingerprint">`, `maxwidth` + `size-unit="char"`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

from kb_builder.errors import Mark
from kb_builder.checks.gitdiff import word_diff
from kb_builder.translation_exchange.exchange import NotAnExchangeFile, ReadFile, ReadUnit
from kb_builder.translation_exchange.units import Unit
from kb_builder.variables import TOKEN

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
FINGERPRINT_CONTEXT = "x-kb-source-fingerprint"
STATE_OF = {"untranslated": "needs-translation", "stale": "needs-review-translation", "translated": "translated"}
# target states that mean "not done yet": such targets are not imported
UNREVIEWED_STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
                     "needs-review-adaptation", "needs-review-l10n"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _inline(parent: ET.Element, text: str) -> None:
    """Put text into an element with every `{market.NAME}` / `{name}` token as a `<ph>`."""
    last: ET.Element | None = None
    pos, n = 0, 0
    parent.text = ""
    for m in TOKEN.finditer(text):
        if not m.group(1):  # `{{` / `}}` stay text
            continue
        chunk = text[pos:m.start()]
        if last is None:
            parent.text += chunk
        else:
            last.tail = (last.tail or "") + chunk
        n += 1
        market = m.group(1).startswith("market.")
        last = ET.SubElement(parent, _q("ph"), {"id": str(n), "ctype": "x-kb-market-value" if market else "x-kb-ticket-value"})
        last.text = m.group(0)
        last.tail = ""
        pos = m.end()
    if last is None:
        parent.text += text[pos:]
    else:
        last.tail += text[pos:]


def export_xliff(units: list[Unit], source_language: str, lang: str) -> str:
    """An XLIFF 1.2 document with the units, one `<file>` per content file."""
    ET.register_namespace("", NS)
    root = ET.Element(_q("xliff"), {"version": "1.2"})
    files: dict[str, ET.Element] = {}
    for u in units:
        body = files.get(u.file)
        if body is None:
            f = ET.SubElement(root, _q("file"), {"original": u.file, "source-language": source_language,
                                                  "target-language": lang, "datatype": "plaintext",
                                                  "product-name": "kb_builder"})
            body = files[u.file] = ET.SubElement(f, _q("body"))
        attrs = {"id": u.id, "resname": u.path, f"{{{XML_NS}}}space": "preserve"}
        if u.state == "translated":
            attrs["approved"] = "yes"
        if u.max_chars:
            attrs.update({"maxwidth": str(u.max_chars), "size-unit": "char"})
        tu = ET.SubElement(body, _q("trans-unit"), attrs)
        _inline(ET.SubElement(tu, _q("source")), u.source)
        target = ET.SubElement(tu, _q("target"), {"state": STATE_OF[u.state]})
        _inline(target, u.target)
        if u.previous_source is not None:
            alt = ET.SubElement(tu, _q("alt-trans"), {"alttranstype": "previous-version"})
            _inline(ET.SubElement(alt, _q("source")), u.previous_source)
            _inline(ET.SubElement(alt, _q("target")), u.target)
            note = ET.SubElement(tu, _q("note"), {"from": "kb_builder", "annotates": "source"})
            note.text = "The translation was made from an older source. Changes: " + word_diff(u.previous_source, u.source)
        for text in u.notes:
            note = ET.SubElement(tu, _q("note"), {"from": "kb_builder", "annotates": "source"})
            note.text = text
        if u.max_chars:
            note = ET.SubElement(tu, _q("note"), {"from": "kb_builder", "annotates": "target", "priority": "1"})
            note.text = f"at most {u.max_chars} characters (one SMS)"
        group = ET.SubElement(tu, _q("context-group"), {"name": "kb_builder", "purpose": "information"})
        ctx = ET.SubElement(group, _q("context"), {"context-type": FINGERPRINT_CONTEXT})
        ctx.text = u.fingerprint
    _indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_TEXT_ELEMENTS = {_q("source"), _q("target"), _q("note"), _q("context")}


def _indent(el: ET.Element, level: int = 0) -> None:
    # like ET.indent, but never inside sources, targets and notes: their whitespace is content
    if el.tag in _TEXT_ELEMENTS or not len(el):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in el:
        _indent(child, level + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * level


# --- reading ----------------------------------------------------------------------------------

@dataclass
class _El:
    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list["_El | str"] = field(default_factory=list)

    def elements(self, name: str) -> list["_El"]:
        return [c for c in self.children if isinstance(c, _El) and c.tag == _q(name)]

    def first(self, name: str) -> "_El | None":
        found = self.elements(name)
        return found[0] if found else None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


def _parse(data: bytes, path: str) -> _El:
    parser = expat.ParserCreate(namespace_separator="}")
    stack: list[_El] = []
    root: list[_El] = []

    def start(name, attrs):
        tag = "{" + name if "}" in name else name
        el = _El(tag, {(("{" + k) if "}" in k else k): v for k, v in attrs.items()},
                 parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        (stack[-1].children if stack else root).append(el)
        stack.append(el)

    def end(name):
        stack.pop()

    def chars(data):
        if stack:
            kids = stack[-1].children
            if kids and isinstance(kids[-1], str):
                kids[-1] += data
            else:
                kids.append(data)

    def doctype(*args):
        raise NotAnExchangeFile(Mark(path, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1),
                                "the file declares a DOCTYPE, which XLIFF files do not need",
                                "remove the <!DOCTYPE ...> declaration")

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler, parser.StartDoctypeDeclHandler = chars, doctype
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise NotAnExchangeFile(Mark(path, exc.lineno, exc.offset + 1),
                                f"not an XLIFF file: the XML is malformed ({expat.ErrorString(exc.code)})",
                                "export the file again as XLIFF 1.2") from None
    return root[0]


def _unit_text(el: _El, codes: dict[str, str]) -> str:
    out = []
    for c in el.children:
        if isinstance(c, str):
            out.append(c)
        elif c.tag in (_q("ph"), _q("it"), _q("bpt"), _q("ept")):
            out.append(c.text() or codes.get(c.attrs.get("id", ""), ""))
        elif c.tag in (_q("x"), _q("bx"), _q("ex")):
            out.append(codes.get(c.attrs.get("id", ""), ""))
        else:  # <g>, <mrk>: their content
            out.append(_unit_text(c, codes))
    return "".join(out)


def _codes(el: _El | None) -> dict[str, str]:
    if el is None:
        return {}
    return {c.attrs.get("id", ""): c.text() for c in _iter(el) if c.tag == _q("ph")}


def _iter(el: _El):
    for c in el.children:
        if isinstance(c, _El):
            yield c
            yield from _iter(c)


def looks_like_xliff(data: bytes) -> bool:
    """True when the file starts like an XML document."""
    head = data.lstrip(b"\xef\xbb\xbf").lstrip()[:200]
    return head.startswith(b"<")


def read_xliff(data: bytes, path: str) -> ReadFile:
    """The units of an XLIFF 1.2 file, with their positions; NotAnExchangeFile when it is not one."""
    root = _parse(data, path)
    here = Mark(path, root.line, root.column)
    if root.tag != _q("xliff"):
        raise NotAnExchangeFile(here, f"not an XLIFF 1.2 file: the root element is <{root.tag.split('}')[-1]}>"
                                + ("" if root.tag.startswith("{" + NS) else f" outside the XLIFF 1.2 namespace {NS}"),
                                "import the XLIFF 1.2 or PO file exported by 'kb translations export'")
    if root.attrs.get("version") != "1.2":
        raise NotAnExchangeFile(here, f"not an XLIFF 1.2 file: version=\"{root.attrs.get('version', '')}\"",
                                "export XLIFF 1.2 from the translation tool")
    out = ReadFile(path)
    for f in root.elements("file"):
        file_lang = f.attrs.get("target-language", "")
        lang_mark = Mark(path, f.line, f.column)
        body = f.first("body")
        for tu in _iter(body) if body is not None else ():
            if tu.tag != _q("trans-unit"):
                continue
            target = tu.first("target")
            codes = _codes(tu.first("source"))
            text = _unit_text(target, codes) if target is not None else ""
            lang = (target.attrs.get(f"{{{XML_NS}}}lang") if target is not None else None) or file_lang
            fp = None
            for group in tu.elements("context-group"):
                for ctx in group.elements("context"):
                    if ctx.attrs.get("context-type") == FINGERPRINT_CONTEXT:
                        fp = ctx.text().strip()
            state = target.attrs.get("state", "") if target is not None else ""
            out.units.append(ReadUnit(
                id=tu.attrs.get("id", ""), lang=lang, target=text, fingerprint=fp,
                mark=Mark(path, tu.line, tu.column), lang_mark=lang_mark,
                reviewed=state not in UNREVIEWED_STATES))
    return out
