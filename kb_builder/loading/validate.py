"""Schema validation of one parsed file, with messages an author can act on."""

from __future__ import annotations

import difflib
from functools import lru_cache

import fastjsonschema

from kb_builder.errors import ProblemList
from kb_builder.loading.schema_code import compiled
from kb_builder.loading.schemas import SCHEMAS
from kb_builder.loading.yamlfile import Y

_TYPE_WORDS = {"string": "text", "array": "a list", "object": "a mapping (key: value lines)",
               "integer": "a whole number", "number": "a number", "boolean": "true or false"}


@lru_cache(maxsize=None)
def _validator(kind: str):
    # imported here: only a file that fails the fast check needs it, and importing jsonschema
    # (with its format checkers and the registry of specifications) is 0.15 s of a cold `kb check`
    from jsonschema import Draft202012Validator

    return Draft202012Validator(SCHEMAS[kind])


@lru_cache(maxsize=None)
def _fast(kind: str):
    # The schemas use only keywords that mean the same in draft 7, which fastjsonschema compiles to
    # plain Python; jsonschema, ten times slower, is kept for explaining a file that fails. That
    # Python is generated ahead of time (loading/schema_code); compiled here only when it is stale.
    return compiled(kind) or fastjsonschema.compile(SCHEMAS[kind])


def passes(kind: str, data) -> bool:
    """True when the data meets the schema with nothing to report (unknown keys included)."""
    try:
        _fast(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{short}'"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _path_text(path) -> str:
    parts = []
    for p in path:
        parts.append(f"[{p}]" if isinstance(p, int) else (("." if parts else "") + str(p)))
    return "".join(parts) or "the file"


def validate(kind: str, doc: Y, problems: ProblemList) -> bool:
    """Check a file against its schema; record each problem at its position. True when no errors."""
    ok = True
    data = doc.plain()
    if isinstance(data, dict) and passes(kind, data):  # most files: nothing to explain
        return True
    _coerce_numbers_meant_as_text(kind, doc)
    data = doc.plain()
    if not isinstance(data, dict):
        problems.error("schema", f"the file must be a mapping of keys to values, not {_describe(data)}",
                       "start with lines like 'title: ...'", doc.mark)
        return False
    for err in sorted(_validator(kind).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        where = _path_text(path)
        v = err.validator
        if v == "additionalProperties":
            allowed = sorted(err.schema.get("properties", {}))
            extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
            for key in extra:
                guess = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{guess[0]}'?" if guess else ("allowed keys: " + ", ".join(allowed))
                problems.warning("unknown-key", f"unknown key '{key}' in {where} is ignored", hint,
                                 doc.key_locate(path + [key]))
            continue
        ok = False
        mark = doc.locate(path)
        if v == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            problems.error("missing-key", f"{where} is missing the required key '{missing}'",
                           f"add '{missing}: ...'", mark)
        elif v == "type":
            want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
            words = " or ".join(_TYPE_WORDS.get(w, w) for w in want)
            hint = "put it in quotes to make it text" if "string" in want else f"write {words} here"
            problems.error("wrong-type", f"{where} must be {words}, not {_describe(err.instance)}", hint, mark)
        elif v == "pattern":
            problems.error("bad-value", f"{where}: {_describe(err.instance)} is not in the expected form",
                           _pattern_hint(path, err.validator_value), mark)
        elif v in ("enum", "const"):
            options = err.validator_value if v == "enum" else [err.validator_value]
            problems.error("bad-value", f"{where}: {_describe(err.instance)} is not allowed",
                           "use one of: " + ", ".join(map(str, options)), mark)
        elif v == "minLength":
            problems.error("empty-text", f"{where} is empty", "write the text, or remove the key", mark)
        elif v == "minItems":
            problems.error("empty-list", f"{where} needs at least {err.validator_value} item(s)",
                           "add the missing items", mark)
        elif v == "minimum":
            problems.error("bad-value", f"{where} must be at least {err.validator_value}, not {err.instance}",
                           "use a positive number", mark)
        elif v == "anyOf" and path and path[-1] == "markets" or (v == "anyOf" and "markets" in path):
            problems.error("bad-value", f"{where} must be 'all' or a list of market codes",
                           "write markets: all, or markets: [DE, FR]", mark)
        elif v == "anyOf":
            problems.error("wrong-type", f"{where} has the wrong form ({_describe(err.instance)})",
                           "see content-format.md for this field", mark)
        elif v == "propertyNames":
            problems.error("bad-value", f"{where}: the key is not in the expected form",
                           _pattern_hint(path + ["key"], ""), doc.key_locate(path))
        else:
            problems.error("schema", f"{where}: {err.message}", "see content-format.md", mark)
    return ok


def _coerce_numbers_meant_as_text(kind: str, doc: Y) -> None:
    """`from: 123456789012` or `id: 404` are text to the author: where the schema wants text and
    YAML read a number, keep the digits as written."""
    for _ in range(3):
        data = doc.plain()
        if not isinstance(data, dict):
            return
        changed = False
        for err in _validator(kind).iter_errors(data):
            for e in [err, *(err.context or [])]:
                if e.validator == "type" and "string" in (e.validator_value if isinstance(e.validator_value, list)
                                                          else [e.validator_value]):
                    node = doc.node_at(list(e.absolute_path))
                    if node is not None and node.raw is not None:
                        node.value, node.raw = node.raw, None
                        changed = True
        if not changed:
            return


def _pattern_hint(path, pattern: str) -> str:
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    if last in ("reviewed",):
        return "write the date as YYYY-MM-DD"
    if last in ("source_language", "languages") or "translations" in path or "categories" in path:
        return "use a language code like en, de, pt-BR or zh-CN"
    if last == "feedback_url":
        return "write an absolute http(s) URL or a site-relative path, e.g. /api/feedback"
    if last == "code":
        return "use the uppercase country code, e.g. DE"
    if last == "currency":
        return "use an ISO 4217 code, e.g. EUR"
    if last == "from":
        return "use the 12-hex-digit fingerprint printed by 'kb translations fingerprint'"
    if last == "read":
        return "write kind:id, e.g. sop:damaged-item"
    if last in ("id", "next", "related", "faq", "templates", "scenario", "category", "key"):
        return "ids use lowercase letters, digits and '-', e.g. damaged-item"
    return f"it must match {pattern}" if pattern else "see content-format.md"
