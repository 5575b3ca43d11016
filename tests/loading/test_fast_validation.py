"""The fast schema check agrees with jsonschema: a file passes it exactly when jsonschema finds
nothing to report, so skipping jsonschema for passing files loses no message."""

from __future__ import annotations

from pathlib import Path

from kb_builder.errors import ProblemList
from kb_builder.loading.schemas import SCHEMAS
from kb_builder.loading.validate import _validator, passes
from kb_builder.loading.yamlfile import read_yaml

REPO = Path(__file__).resolve().parents[2]
KIND_OF = {"markets": "market", "sops": "sop", "faq": "faq", "templates": "template", "paths": "path", "synonyms": "synonyms"}


def agree(kind: str, data) -> None:
    slow_ok = not list(_validator(kind).iter_errors(data))
    assert passes(kind, data) == slow_ok, (kind, data)


def test_agrees_on_every_bundled_file():
    files = [(REPO / "content/kb.yaml", "kb")] + [
        (p, KIND_OF[p.parent.name]) for p in sorted((REPO / "content").glob("*/*.yaml"))]
    assert len(files) > 60
    for path, kind in files:
        data = read_yaml(path, str(path), ProblemList()).plain()
        agree(kind, data)
        assert passes(kind, data), path


def test_agrees_on_broken_documents():
    faq = {"category": "shipping", "source": {"question": "Q?", "answer": "A."}}
    broken = [
        {**faq, "colour": "red"},                                   # unknown key: a warning to explain
        {**faq, "source": {"question": "", "answer": "A."}},        # empty text
        {**faq, "markets": ["D E"]},                                # not a market code
        {**faq, "markets": "some"},
        {**faq, "reviewed": "2026-13-45x"},
        {**faq, "translations": {"de": {"from": "xyz", "question": "F?"}}},
        {**faq, "translations": {"DE!": {"question": "F?"}}},
        {"source": {"question": "Q?"}},                             # missing keys
        {**faq, "tags": "tracking"},
        {**faq, "audience": "everyone"},
    ]
    for data in broken:
        agree("faq", data)
        assert not passes("faq", data), data
    sop = {"title": "T", "steps": [{"id": "a", "do": "x", "branches": [{"if": "c", "then": "d", "next": "B!"}]}]}
    agree("sop", sop)
    agree("sop", {"title": "T", "steps": [{"id": "a", "do": "x"}], "severity": "urgent"})
    for synonyms in ({"groups": []}, {"groups": [["a"]]}, {"groups": ["a b"]}, {"groups": [["a", ""]]}, {}):
        agree("synonyms", synonyms)
        assert not passes("synonyms", synonyms), synonyms
    agree("synonyms", {"groups": [["a", "b c"]]})
    assert set(SCHEMAS) == {"kb", "market", "sop", "faq", "template", "path", "synonyms"}
