"""The YAML reader's fast path (first-character tag resolution, inlined text values, marks built
without the frozen dataclass's __init__) gives exactly what the plain path gave: the same values,
marks, raw digits and errors. The reference below is the reader as it was before, on
CSafeLoader's own resolver."""

from __future__ import annotations

import pickle
import random
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from kb_builder.errors import Mark, ProblemList
from kb_builder.loading import yamlfile
from kb_builder.loading.yamlfile import (_ALLOWED_TAGS, _BOOL, _FLOAT, _INT, _NULL, _STD_TAG, MAX_DEPTH, MAX_VALUES,
                                         Y, YamlFileError, parse_yaml)

ROOT = Path(__file__).resolve().parents[2]


def _mark(shown, m):
    return Mark(shown, m.line + 1, m.column + 1) if m is not None else Mark(shown)


class _Reference:
    """The builder before the fast path, unchanged."""

    def __init__(self, shown):
        self.shown, self.count, self.active, self.top_key = shown, 0, set(), None

    def mark(self, node):
        return _mark(self.shown, node.start_mark)

    def build(self, node, depth=0, key_mark=None):
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
        if isinstance(node, yaml.ScalarNode):
            value = self.scalar(node)
            raw = node.value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            return Y(value, self.mark(node), key_mark, raw)
        if id(node) in self.active:
            raise YamlFileError("an alias refers to the node that contains it", "remove the recursive alias",
                                self.mark(node))
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return Y([self.build(item, depth + 1) for item in node.value], self.mark(node), key_mark)
            return Y(self.mapping(node, depth), self.mark(node), key_mark)
        finally:
            self.active.discard(id(node))

    def mapping(self, node, depth):
        out, merged = {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == _STD_TAG + "merge":
                for source in (value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]):
                    built = self.build(source, depth + 1)
                    if not isinstance(built.value, dict):
                        raise YamlFileError("'<<' must merge a mapping", "merge an anchored mapping: <<: *name",
                                            self.mark(value_node))
                    for k, v in built.value.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlFileError("a key must be plain text", "write the key as a word, e.g. title:",
                                    self.mark(key_node))
            key = unicodedata.normalize("NFC", key_node.value)
            km = self.mark(key_node)
            if key in out:
                first = out[key].key_mark
                raise_at = f"line {first.line}" if first else "above"
                raise YamlFileError(f"duplicate key '{key}' (first written at {raise_at})",
                                    "remove one of them or merge their contents; YAML would silently keep only the last",
                                    km)
            if depth == 0:
                self.top_key = km
            out[key] = self.build(value_node, depth + 1, km)
        for k, v in merged.items():
            out.setdefault(k, v)
        return out

    def scalar(self, node) -> Any:
        value = node.value
        if node.style:
            return unicodedata.normalize("NFC", value)
        tag = node.tag
        if tag.endswith(":null") and value in _NULL:
            return None
        if tag.endswith(":bool") and value in _BOOL:
            return _BOOL[value]
        if tag.endswith(":int") and _INT.fullmatch(value):
            if len(value) > 4000:
                raise YamlFileError(f"the number has {len(value)} digits, more than kb reads (4,000)",
                                    "write a smaller number, or quote it if it is text", self.mark(node))
            return int(value)
        if tag.endswith(":float") and _FLOAT.fullmatch(value):
            return float(value)
        return unicodedata.normalize("NFC", value)


def _reference(text: str, shown: str = "f.yaml"):
    """(Y or None, problems) the way parse_yaml read a text before the fast path."""
    problems = ProblemList()
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return "syntax"
    except RecursionError:
        return "recursion"
    if node is None:
        return Y({}, Mark(shown, 1, 1)), []
    try:
        return _Reference(shown).build(node), []
    except YamlFileError as exc:
        problems.error("yaml-structure", exc.message, exc.hint, exc.mark)
        return None, problems.items


def _fast(text: str, shown: str = "f.yaml"):
    try:
        yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return "syntax"
    except RecursionError:
        return "recursion"
    problems = ProblemList()
    return parse_yaml(text, shown, problems), problems.items


def _nodes_and_tags(node):
    if node is None:
        return [None]
    if isinstance(node, yaml.ScalarNode):
        return [(node.tag, node.value, node.style)]
    if isinstance(node, yaml.SequenceNode):
        return [node.tag] + [t for item in node.value for t in _nodes_and_tags(item)]
    return [node.tag] + [t for k, v in node.value for t in _nodes_and_tags(k) + _nodes_and_tags(v)]


SCALARS = ["", "~", "null", "Null", "NULL", "nULL", "yes", "no", "No", "NO", "on", "off", "y", "n", "true", "True",
           "TRUE", "tRUE", "false", "0", "-0", "+0", "007", "09", "0o17", "0x1F", "0b101", "1_000", "1:20", "190:20:30",
           "-1:20", "3.14", "-.5", "+.5", "1e5", "1.0e+5", "1.e5", ".inf", "-.Inf", ".NaN", ".nan", "=", "<<", "-",
           "+", ".", "2026-11-23", "2026-1-3", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
           "9" * 4001, "-" + "9" * 4001, "1" * 30, "e\u0301t\u00e9", "Ａ１", "٣", "１２", "ß", "ＮＵＬＬ", "tilde~",
           "@at", "`tick", "%pct", "!bang", "*star", "&amp", "?q", "|bar", ">gt", "#hash", "{market.x} days",
           "Über", "\u212b", "ｙｅｓ", "true ", "0.", "._", "1__0", "0_", "+1_0.0_1", "6.8523015e+5", "685.230_15e+03",
           "685_230.15", "190:20:30.15", "-.inf", "+.inf", ".Inf", ".INF"]


def _quoted(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize("value", SCALARS)
def test_every_kind_of_scalar_resolves_and_builds_as_before(value):
    for text in (f"k: {value}\n", f"- {value}\n", f"k: {_quoted(value)}\n", f"{value or 'x'}: 1\n",
                 f"k: [{value}]\n", f"k: {{a: {value}}}\n", f"k: !!str {value}\n", f"k: !!int {value}\n",
                 f"k: |\n  {value}\n", f"k: '{value}'\n", f"k: !!float {value}\n"):
        for loader in (yaml.CSafeLoader, yaml.SafeLoader):
            try:
                plain = yaml.compose(text, Loader=loader)
            except yaml.YAMLError:
                continue
            fast_loader = yamlfile._resolving_by_first_character(loader)
            assert _nodes_and_tags(yaml.compose(text, Loader=fast_loader)) == _nodes_and_tags(plain), text
        assert _fast(text) == _reference(text), text


HOSTILE = [
    "a: 1\na: 2\n", "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  b: 2\n", "<<: [{a: 1}, {a: 2, b: 3}]\nb: 0\n",
    "a: &x [1]\nb:\n  <<: *x\n", "? [a]\n: 1\n", "? {a: 1}\n: 2\n", "a: !custom x\n", "!!python/object:os.system x\n",
    "a: !!binary aGk=\n", "a: !!set {x}\n", "a: !!omap [{a: 1}]\n", "a: &a [*a]\n",
    "x: &a [1, 2]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "w: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nv: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
    "a:\n" + "".join(" " * (2 * i + 2) + f"k{i}:\n" for i in range(60)) + " " * 122 + "v: 1\n",
    "[" * 60 + "]" * 60 + "\n", "caf\u00e9: 1\ncafe\u0301: 2\n", "\u212b: 1\n\u00c5: 2\n", "- a\n- [b, {c: d}]\n",
    "a: 'it''s'\nb: \"tab\\there\"\nc: >\n  folded\n  text\n", "", "# only a comment\n", "plain text\n", "- \n-\n",
    "a: null\nb:\nc: ~\n", "{a: 1, b: [2, 3.5, -4], c: 'x', d: yes}\n", "a: 0x1F\nb: 1_000\nc: 1:20\nd: =\n",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_documents_read_as_before(text):
    assert _fast(text) == _reference(text)


def test_every_content_file_of_the_repository_reads_as_before():
    files = sorted(p for p in ROOT.rglob("*.yaml") if ".git" not in p.parts and "site" not in p.parts)
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert _fast(text, str(path)) == _reference(text, str(path)), path


def test_random_documents_read_as_before():
    rng = random.Random(17)
    atoms = SCALARS[:60] + ["text", "Tür", "日本語", "x: y", "- z"]
    for _ in range(300):
        lines = []
        for i in range(rng.randint(1, 12)):
            key = rng.choice(["title", "tags", "a", "b", "<<", "caf\u00e9", "cafe\u0301", "1", "yes", "~"])
            shape = rng.randrange(4)
            if shape == 0:
                lines.append(f"{key}: {rng.choice(atoms)}")
            elif shape == 1:
                lines.append(f"{key}:\n" + "".join(f"  - {rng.choice(atoms)}\n" for _ in range(rng.randint(0, 3))))
            elif shape == 2:
                lines.append(f"{key}: [{', '.join(_quoted(rng.choice(atoms)) for _ in range(3))}]")
            else:
                lines.append(f"{key}: &n{i} {{k: {rng.choice(atoms)!r}}}\nalias{i}: *n{i}")
        text = "\n".join(lines) + "\n"
        assert _fast(text) == _reference(text), text


def test_marks_are_equal_hashed_and_pickled_like_marks_built_normally():
    y = parse_yaml("a:\n  b: [1, x]\n", "f.yaml", ProblemList())
    for mark in (y.value["a"].mark, y.value["a"].key_mark, y.value["a"].value["b"].value[1].mark):
        plain = Mark(mark.path, mark.line, mark.column)
        assert mark == plain and hash(mark) == hash(plain) and str(mark) == str(plain)
        assert pickle.dumps(mark) == pickle.dumps(plain)
        assert pickle.loads(pickle.dumps(mark)) == plain
        with pytest.raises(AttributeError):
            mark.line = 9  # still frozen
