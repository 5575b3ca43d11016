"""Safe YAML reading that keeps the line and column of every value.

PyYAML is used only to compose nodes; values are built here so that we can refuse duplicate
keys, custom tags and alias bombs, and use YAML 1.2-like scalars (`no` stays the text "no",
so Norway's market code is not read as false).
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kb_builder.errors import Mark, ProblemList
from kb_builder.loading.cache import note_parsed

_STR_TAG = "tag:yaml.org,2002:str"


def _resolving_by_first_character(base: type) -> type:
    """`base` with PyYAML's scalar tag resolution made cheap for text, without changing a tag.

    libyaml calls the Python resolver once per value (a million times on a large catalog); most
    values are text whose first character no implicit resolver (int, float, bool, null, merge,
    timestamp, value) starts with, and the base resolver still tries the empty list of those
    before it returns the default tag. Given no path resolvers and no resolver for every first
    character (None), which SafeLoader has, this returns what `base.resolve` returns: the same
    lists are tried in the same order. Anything else goes to `base.resolve`.
    """
    implicit = base.yaml_implicit_resolvers
    if base.yaml_path_resolvers or implicit.get(None) or base.DEFAULT_SCALAR_TAG != _STR_TAG:
        return base
    scalar_node = yaml.ScalarNode

    def resolve(self, kind, value, implicit_flags, _get=implicit.get, _base=base.resolve):
        if kind is scalar_node and implicit_flags[0]:
            resolvers = _get(value[0] if value else "")
            if not resolvers:
                return _STR_TAG
            for tag, regexp in resolvers:
                if regexp.match(value):
                    return tag
            return _STR_TAG
        return _base(self, kind, value, implicit_flags)

    return type(f"Fast{base.__name__}", (base,), {"resolve": resolve})


try:  # libyaml is several times faster; messages for broken files come from the Python parser.
    _FastLoader = _resolving_by_first_character(yaml.CSafeLoader)
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _FastLoader = yaml.SafeLoader

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_VALUES = 50_000
MAX_DEPTH = 50

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_STD_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")}


@dataclass(slots=True)
class Y:
    """A YAML value with where it was written: dict[str, Y], list[Y] or a scalar."""

    value: Any
    mark: Mark
    key_mark: Mark | None = None
    raw: str | None = None  # the scalar as written, for numbers that are meant as text

    def node_at(self, path) -> "Y | None":
        """The value at a path of keys and indexes, or None."""
        node = self
        for part in path:
            if isinstance(node.value, dict) and part in node.value:
                node = node.value[part]
            elif isinstance(node.value, list) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node

    def plain(self) -> Any:
        """The value without positions (for schema validation)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value

    def get(self, key: str) -> "Y | None":
        return self.value.get(key) if isinstance(self.value, dict) else None

    def locate(self, path) -> Mark:
        """The mark of the value at a path of keys and indexes, or of its nearest parent."""
        node = self
        for part in path:
            if isinstance(node.value, dict) and part in node.value:
                node = node.value[part]
            elif isinstance(node.value, list) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                break
        return node.mark

    def key_locate(self, path) -> Mark:
        """Like locate, but for a mapping entry return where its key was written."""
        node = self
        for part in path:
            if isinstance(node.value, dict) and part in node.value:
                node = node.value[part]
            elif isinstance(node.value, list) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                break
        return node.key_mark or node.mark


class YamlFileError(Exception):
    """Raised inside the builder; turned into a problem by read_yaml."""

    def __init__(self, message: str, hint: str, mark: Mark):
        super().__init__(message)
        self.message, self.hint, self.mark = message, hint, mark


def _too_large(size: int, shown: str, problems: ProblemList) -> None:
    problems.error("file-too-large", f"the file is {size // 1024} KiB, over the "
                   f"{MAX_FILE_BYTES // 1024 // 1024} MiB limit", "split it into several entries", Mark(shown, 1, 1))


def read_limited(path: Path, shown: str, problems: ProblemList) -> bytes | None:
    """The bytes of a regular file of at most MAX_FILE_BYTES, or None with the problem recorded.

    Opened without blocking and checked with fstat before anything is read, so a FIFO, a device
    (/dev/zero) or a huge file is refused at once instead of hanging or filling memory; the read
    itself stops at the limit, so a file that grows meanwhile cannot get past it either.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        problems.error("unreadable-file", f"cannot read the file: {exc.strerror}",
                       "check that it exists and that its permissions let you read it", Mark(shown))
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            not_regular(st.st_mode, shown, problems)
            return None
        if st.st_size > MAX_FILE_BYTES:
            _too_large(st.st_size, shown, problems)
            return None
        try:
            data = f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            problems.error("unreadable-file", f"cannot read the file: {exc.strerror}",
                           "check the file and the disk it is on", Mark(shown))
            return None
    if len(data) > MAX_FILE_BYTES:
        _too_large(len(data), shown, problems)
        return None
    note_parsed(path, data)
    return data


def not_regular(mode: int, shown: str, problems: ProblemList) -> None:
    """Record that the file at shown is a FIFO, device, socket or folder rather than a file."""
    problems.error("not-a-file", f"{shown} is {_KINDS.get(stat.S_IFMT(mode), 'not a regular file')}, "
                   "not a regular file", "only regular files are read; remove it from the content folder",
                   Mark(shown))


_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def read_yaml(path: Path, shown: str, problems: ProblemList) -> Y | None:
    """Read one YAML file; on any problem record it (with position) and return None."""
    data = read_limited(path, shown, problems)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error("not-utf8", "the file is not valid UTF-8", "save it with UTF-8 encoding",
                       Mark(shown, line, col))
        return None
    return parse_yaml(text, shown, problems)


def parse_yaml(text: str, shown: str, problems: ProblemList) -> Y | None:
    """Parse YAML text (see read_yaml)."""
    try:
        try:
            node = yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            try:  # the pure-Python parser gives the same verdict with fuller messages
                node = yaml.compose(text, Loader=yaml.SafeLoader)
            except yaml.YAMLError as exc:
                message, hint, mark = _explain(exc, shown, text)
                problems.error("yaml-syntax", message, hint, mark)
                return None
    except RecursionError:  # PyYAML composes recursively: 1,000 levels exhaust Python's stack
        problems.error("yaml-structure", f"the file nests deeper than {MAX_DEPTH} levels", "flatten the structure",
                       _too_deep(text, shown) or Mark(shown, 1, 1))
        return None
    if node is None:
        return Y({}, Mark(shown, 1, 1))
    try:
        return _Builder(shown).build(node)
    except YamlFileError as exc:
        problems.error("yaml-structure", exc.message, exc.hint, exc.mark)
        return None


_OPENERS = re.compile(r"[\[{]")
_INDENT = re.compile(r"^( *)(?:- +)*", re.M)


def _too_deep(text: str, shown: str) -> Mark | None:
    """Where a text that PyYAML could not compose first nests past MAX_DEPTH, counted roughly
    (brackets outside quotes, then block indentation steps); None when that count finds nothing."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        quote = ""
        line, col = 1, 0
        for ch in text:
            col += 1
            if ch == "\n":
                line, col = line + 1, 0
                quote = ""  # quoted flow scalars rarely span lines; a stray quote must not hide depth
            elif quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return Mark(shown, line, col)
            elif ch in "]}":
                depth = max(0, depth - 1)
    stack: list[int] = []
    for n, m in enumerate(_INDENT.finditer(text), start=1):
        width = len(m.group(0))
        if m.end() < len(text) and text[m.end():m.end() + 1] in ("\n", "#", ""):
            continue  # blank or comment line
        while stack and stack[-1] >= width:
            stack.pop()
        stack.append(width)
        if len(stack) > MAX_DEPTH + 1:
            return Mark(shown, text.count("\n", 0, m.start()) + 1, width + 1)
    return None


def _mark(shown: str, m) -> Mark:
    return Mark(shown, m.line + 1, m.column + 1) if m is not None else Mark(shown)


def _explain(exc: yaml.YAMLError, shown: str, text: str) -> tuple[str, str, Mark]:
    """Turn PyYAML's message into what went wrong and what to do."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return (f"the file contains a control character (code {exc.character:#x}) that YAML does not allow",
                "delete it; it is often invisible, pasted from another program", Mark(shown, line, col))
    problem = getattr(exc, "problem", "") or str(exc)
    context = getattr(exc, "context", "") or ""
    mark = _mark(shown, getattr(exc, "problem_mark", None))
    ctx_mark = _mark(shown, getattr(exc, "context_mark", None))
    if "'\\t'" in problem or "\\t" in problem:
        return ("a tab character is used for indentation", "indent with spaces only; YAML does not allow tabs", mark)
    if "quoted scalar" in context:
        return (f"the quote opened at line {ctx_mark.line}, column {ctx_mark.column} is never closed",
                "add the closing quote, or escape quotes inside the text", ctx_mark)
    if "flow mapping" in context or "flow sequence" in context:
        opener = "{" if "mapping" in context else "["
        return (f"text starting with '{opener}' at line {ctx_mark.line}, column {ctx_mark.column} "
                "is read as a YAML " + ("mapping" if opener == "{" else "list") + " and is not closed properly",
                "put the whole value in quotes, e.g. do: \"{market.x} days\"", ctx_mark)
    line_text = text.split("\n")[mark.line - 1] if 0 < mark.line <= text.count("\n") + 1 else ""
    opener = re.search(r"^\s*(?:-\s+)?[\w-]+:\s+(?=[{\[])", line_text)
    if opener and not re.search(r":\s+[{\[].*[}\]]\s*$", line_text):
        return ("a value that starts with '{' or '[' is read as a YAML mapping or list, not as text",
                "put the whole value in quotes, e.g. do: \"{market.x} days\"",
                Mark(shown, mark.line, opener.end() + 1))
    if "mapping values are not allowed" in problem:
        return ("a ': ' appears inside a value that is not quoted",
                "put the value in quotes, or fix the indentation of this line", mark)
    if "found undefined alias" in problem:
        return (f"{problem}: the alias refers to no anchor", "define the anchor (&name) before using *name", mark)
    if "found duplicate anchor" in problem:
        return ("an anchor name is defined twice", "give each anchor (&name) a different name", mark)
    if "expected a single document" in problem or "but found another document" in problem:
        return ("the file holds more than one YAML document", "keep one entry per file and remove the '---' separator", mark)
    if "could not find expected ':'" in problem or "did not find expected key" in problem \
            or "expected <block end>" in problem or "did not find expected '-'" in problem:
        return ("the structure is broken here (" + problem + ")",
                "check that this line is indented like the lines it belongs with, and that "
                "text containing ': ' or starting with a special character is quoted", mark)
    return (problem, "check the YAML syntax near this position", mark)


_new = object.__new__


def _nfc(text: str) -> str:
    """Text in Unicode NFC; ASCII text (most of it) is already."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _mark_of(shown: str, m) -> Mark:
    """`_mark(shown, m)`, built without the frozen dataclass's __init__ (a million times on a
    large catalog): the same fields in the same order, so equal, hashed and pickled alike."""
    if m is None:
        return Mark(shown)
    mark = _new(Mark)
    fields = mark.__dict__
    fields["path"] = shown
    fields["line"] = m.line + 1
    fields["column"] = m.column + 1
    return mark


_SCALAR_NODE, _SEQUENCE_NODE = yaml.ScalarNode, yaml.SequenceNode
_MERGE_TAG = _STD_TAG + "merge"
_NULL_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG = (_STD_TAG + t for t in ("null", "bool", "int", "float"))


class _Builder:
    """Builds Y values from composed nodes, enforcing the safety rules."""

    def __init__(self, shown: str):
        self.shown = shown
        self.count = 0
        self.active: set[int] = set()
        self.top_key: Mark | None = None  # the top-level key being built, where a bomb is reported

    def mark(self, node) -> Mark:
        return _mark_of(self.shown, node.start_mark)

    def build(self, node, depth: int = 0, key_mark: Mark | None = None) -> Y:
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlFileError(f"the file expands to more than {MAX_VALUES} values",
                                "remove the aliases (*name) that repeat large parts; an alias bomb is refused",
                                self.top_key or self.mark(node))
        if depth > MAX_DEPTH:
            raise YamlFileError(f"the file nests deeper than {MAX_DEPTH} levels", "flatten the structure",
                                self.mark(node))
        tag = node.tag or ""
        if tag not in _ALLOWED_TAGS:
            raise YamlFileError(f"the tag {tag} is not allowed", "remove the tag; content files use plain YAML only",
                                self.mark(node))
        if isinstance(node, _SCALAR_NODE):
            if node.style or tag == _STR_TAG:  # text: by far the most values
                return Y(_nfc(node.value), _mark_of(self.shown, node.start_mark), key_mark)
            value = self.scalar(node)
            raw = node.value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            return Y(value, _mark_of(self.shown, node.start_mark), key_mark, raw)
        if id(node) in self.active:
            raise YamlFileError("an alias refers to the node that contains it",
                                "remove the recursive alias", self.mark(node))
        self.active.add(id(node))
        try:
            if isinstance(node, _SEQUENCE_NODE):
                return Y([self.build(item, depth + 1) for item in node.value], self.mark(node), key_mark)
            return Y(self.mapping(node, depth), self.mark(node), key_mark)
        finally:
            self.active.discard(id(node))

    def mapping(self, node, depth: int) -> dict[str, Y]:
        out: dict[str, Y] = {}
        merged: dict[str, Y] = {}
        shown = self.shown
        build = self.build
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                for source in (value_node.value if isinstance(value_node, _SEQUENCE_NODE) else [value_node]):
                    built = build(source, depth + 1)
                    if not isinstance(built.value, dict):
                        raise YamlFileError("'<<' must merge a mapping", "merge an anchored mapping: <<: *name",
                                            self.mark(value_node))
                    for k, v in built.value.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, _SCALAR_NODE):
                raise YamlFileError("a key must be plain text", "write the key as a word, e.g. title:",
                                    self.mark(key_node))
            key = _nfc(key_node.value)
            km = _mark_of(shown, key_node.start_mark)
            if key in out:
                first = out[key].key_mark
                raise_at = f"line {first.line}" if first else "above"
                raise YamlFileError(f"duplicate key '{key}' (first written at {raise_at})",
                                    "remove one of them or merge their contents; YAML would silently keep only the last",
                                    km)
            if depth == 0:
                self.top_key = km
            out[key] = build(value_node, depth + 1, km)
        for k, v in merged.items():
            out.setdefault(k, v)
        return out

    def scalar(self, node) -> Any:
        """The value of a plain scalar that is not text by its tag (the tag is one of _ALLOWED_TAGS)."""
        value = node.value
        if node.style:  # quoted or block scalars are always text
            return _nfc(value)
        tag = node.tag
        if tag == _NULL_TAG and value in _NULL:
            return None
        if tag == _BOOL_TAG and value in _BOOL:
            return _BOOL[value]
        if tag == _INT_TAG and _INT.fullmatch(value):
            if len(value) > 4000:  # Python refuses to convert more than 4,300 digits
                raise YamlFileError(f"the number has {len(value)} digits, more than kb reads (4,000)",
                                    "write a smaller number, or quote it if it is text", self.mark(node))
            return int(value)
        if tag == _FLOAT_TAG and _FLOAT.fullmatch(value):
            return float(value)
        return _nfc(value)
