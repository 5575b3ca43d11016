"""Byte-preserving edits of a YAML file: set some values, add missing keys, keep every other byte.

The same approach as `fingerprints.py` (which rewrites only `from:` lines), generalised: the file is
composed with PyYAML to find each node's exact character range, and only the ranges of the
values that change are replaced; new keys are inserted after the last value of their mapping,
indented like their siblings. Comments, key order, quoting and every other value stay as written.

`desired` is a tree of dicts, lists given as {index: value} dicts, and strings (the new texts).
A key that is not in `desired` is never touched; nothing is ever removed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# keys whose values are written plain as they are (12 hex digits; the loader keeps digits as text)
_PLAIN_KEYS = {"from"}


class ListHole(Exception):
    """A list item would be written after an item that has no value."""

    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def apply(text: str, path: list[str], desired: dict) -> str:
    """Set `desired` (a tree, see the module doc) under the mapping at `path` (keys from the root).

    Missing mappings along `path` are created. Returns the new text (the same text when nothing
    differs).
    """
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[_Edit] = []
    tree: dict = desired
    for key in reversed(path):
        tree = {key: tree}
    if not isinstance(root, MappingNode):
        raise ValueError("the file is not a YAML mapping")
    _walk_mapping(text, root, tree, 0, edits)
    out = text
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        out = out[:e.start] + e.text.replace("\n", newline) + out[e.end:]
    return out


# --- scalars ------------------------------------------------------------------------------------

def _plain_ok(value: str, flow: bool) -> bool:
    if not value or value != value.strip() or "\n" in value or "\t" in value:
        return False
    try:
        loaded = yaml.safe_load(f"[{value}]" if flow else f"k: {value}")
    except yaml.YAMLError:
        return False
    return loaded == ([value] if flow else {"k": value})


# what YAML may hold unescaped (YAML 1.1 "printable", as PyYAML's reader checks it)
# (NEL, LS and PS are YAML line breaks: raw inside quotes they would be folded, so they are escaped too)
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def _double(value: str) -> str:
    # JSON strings are YAML double-quoted scalars, but JSON leaves DEL, C1 controls and U+FFFE raw
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, ensure_ascii=False))


def _literal_ok(value: str) -> bool:
    core = value.rstrip("\n")
    return (bool(core) and not core.startswith((" ", "\t")) and "\r" not in value
            and all(ch == "\n" or ch == "\t" or ch.isprintable() for ch in value)
            and not value.endswith("\n\n"))


def _literal(value: str, indent: int) -> str:
    chomp = "" if value.endswith("\n") else "-"
    lines = value.rstrip("\n").split("\n")
    return f"|{chomp}\n" + "\n".join((" " * indent + line) if line else "" for line in lines)


def _scalar(value: str, indent: int, flow: bool, style: str | None = None, key: str | None = None) -> str:
    """A scalar as YAML text; `indent` is the column of a block scalar's lines."""
    if key in _PLAIN_KEYS and style in (None, ""):
        return value
    if _NOT_PRINTABLE.search(value):
        return _double(value)  # control characters are only allowed escaped
    multiline = "\n" in value
    if multiline:
        return _literal(value, indent) if not flow and _literal_ok(value) else _double(value)
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return _double(value)
    return value if _plain_ok(value, flow) else _double(value)


# --- new subtrees (block style, two spaces per level) ---------------------------------------------

def _as_list(value: dict, start: int = 0) -> list:
    # a missing mapping item (an SOP branch nobody translated yet) is written as {}; a missing
    # text has no such placeholder, so it is refused
    items = []
    maps = all(isinstance(v, dict) for v in value.values())
    for i in range(start, max(value) + 1 if value else 0):
        if i not in value and not maps:
            raise ListHole(i)
        items.append(value.get(i, {}))
    return items


def _is_list(value) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(k, int) for k in value)


def _emit_value(value, col: int) -> str:
    """What follows `key:` for a new value of a key written at column `col`."""
    if isinstance(value, str):
        return " " + _scalar(value, col + 2, False)
    if _is_list(value):
        return "".join("\n" + " " * (col + 2) + "-" + _emit_item(item, col + 2) for item in _as_list(value))
    if not value:
        return " {}"
    return "".join("\n" + " " * (col + 2) + f"{k}:" + _emit_value(v, col + 2) for k, v in value.items())


def _emit_item(item, dash: int) -> str:
    """What follows `-` for a new list item whose dash is at column `dash`."""
    if isinstance(item, str):
        return " " + _scalar(item, dash + 2, False)
    if _is_list(item):
        raise ValueError("nested lists are not written")
    if not item:
        return " {}"
    parts = []
    for i, (k, v) in enumerate(item.items()):
        parts.append((" " if i == 0 else "\n" + " " * (dash + 2)) + f"{k}:" + _emit_value(v, dash + 2))
    return "".join(parts)


def _flow_value(value) -> str:
    data = _as_list(value) if _is_list(value) else value
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(data, ensure_ascii=False))


# --- walking the existing nodes ---------------------------------------------------------------------

def _content_end(text: str, node: Node) -> int:
    """Where the node's own text ends: after its last character, before trailing blank lines."""
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        return _content_end(text, node.value[-1][1])
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        return _content_end(text, node.value[-1])
    end = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _walk(text: str, node: Node, value, col: int, edits: list[_Edit], key: str | None, flow: bool,
          value_start: int, item: bool = False) -> None:
    """Make `node` hold `value`. `col` is the column of its key, or of its dash when `item`;
    `value_start` is where a new value would start (after `key:`, or after `-`)."""
    indent = col + 2
    if isinstance(value, str):
        if isinstance(node, MappingNode) and not node.flow_style and key is not None:
            # a step written as a mapping, given only its `do` text
            _walk_mapping(text, node, {"do": value}, col + 2, edits)
            return
        if isinstance(node, ScalarNode) and node.value == value:
            return
        style = node.style if isinstance(node, ScalarNode) else None
        edits.append(_Edit(node.start_mark.index, _content_end(text, node), _scalar(value, indent, flow, style, key)))
        return
    if _is_list(value) and isinstance(node, SequenceNode):
        _walk_sequence(text, node, value, col, edits)
        return
    if not _is_list(value) and isinstance(node, MappingNode):
        _walk_mapping(text, node, value, col + 2, edits)
        return
    if isinstance(node, ScalarNode) and not _is_list(value) and node.value and "do" not in value:
        value = {"do": node.value, **value}  # a step given as a text gets branches: it becomes a mapping
    # the shape differs: write the value anew in place of the old one
    if flow:
        edits.append(_Edit(node.start_mark.index, _content_end(text, node), _flow_value(value)))
    elif item:
        edits.append(_Edit(value_start, _content_end(text, node), _emit_item(value, col)))
    else:
        edits.append(_Edit(value_start, _content_end(text, node), _emit_value(value, col)))


def _walk_mapping(text: str, node: MappingNode, desired: dict, col: int, edits: list[_Edit]) -> None:
    existing = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
    flow = bool(node.flow_style)
    if node.value and not flow:
        col = node.value[0][0].start_mark.column
    new = []
    for key, value in desired.items():
        if key in existing:
            k, v = existing[key]
            _walk(text, v, value, col, edits, key, flow, text.index(":", k.end_mark.index) + 1)
        else:
            new.append((key, value))
    if not new:
        return
    if flow:
        pos = _content_end(text, node.value[-1][1]) if node.value else node.start_mark.index + 1
        sep = ", " if node.value else ""
        edits.append(_Edit(pos, pos, "".join(f"{sep if i == 0 else ', '}{k}: {_flow_value(v) if not isinstance(v, str) else _scalar(v, 0, True)}"
                                             for i, (k, v) in enumerate(new))))
        return
    pos = _content_end(text, node) if node.value else node.start_mark.index
    lead = "\n" if node.value else ""
    body = "".join(("\n" if i or lead else "") + " " * col + f"{k}:" + _emit_value(v, col) for i, (k, v) in enumerate(new))
    edits.append(_Edit(pos, pos, body))


def _walk_sequence(text: str, node: SequenceNode, desired: dict, col: int, edits: list[_Edit]) -> None:
    flow = bool(node.flow_style)
    items = node.value
    dash = col + 2
    if items and not flow:
        i = items[0].start_mark.index - 1
        while i > 0 and text[i] != "-":
            i -= 1
        dash = i - (text.rfind("\n", 0, i) + 1)
    for index in sorted(desired):
        if index < len(items):
            item = items[index]
            value = desired[index]
            if isinstance(value, str) and isinstance(item, MappingNode):
                value = {"may": value}  # an authority item written as {may: ...}
            _walk(text, item, value, dash, edits, None, flow, text.rfind("-", 0, item.start_mark.index) + 1, item=True)
    extra = {i: v for i, v in desired.items() if i >= len(items)}
    if not extra:
        return
    values = _as_list(extra, len(items))
    if flow:
        pos = _content_end(text, items[-1]) if items else node.start_mark.index + 1
        sep = ", " if items else ""
        edits.append(_Edit(pos, pos, sep + ", ".join(_flow_value(v) if not isinstance(v, str) else _scalar(v, 0, True) for v in values)))
        return
    pos = _content_end(text, node)
    edits.append(_Edit(pos, pos, "".join("\n" + " " * dash + "-" + _emit_item(v, dash) for v in values)))
