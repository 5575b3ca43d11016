"""Every kind of bad input gives one exact message with file, line and column, never a traceback."""

from __future__ import annotations

import pytest

from kb_builder.loading.loader import load


def problems_of(make_project, files, base=True):
    content = make_project(files, base=base)
    return [p.format() for p in sorted(load(content).problems, key=lambda p: p.sort_key())]


FAQ_OK = "category: shipping\nsource:\n  question: Q?\n  answer: A.\n"

CASES = {
    "duplicate key": (
        {"faq/a.yaml": FAQ_OK + "translations:\n  de: {question: F, answer: A}\n  de: {question: G, answer: B}\n"},
        "content/faq/a.yaml:7:3: error: duplicate key 'de' (first written at line 6) (remove one of them or merge "
        "their contents; YAML would silently keep only the last)"),
    "tab indentation": (
        {"faq/a.yaml": "category: shipping\nsource:\n\tquestion: Q?\n"},
        "content/faq/a.yaml:3:1: error: a tab character is used for indentation (indent with spaces only; YAML does "
        "not allow tabs)"),
    "unclosed quote": (
        {"faq/a.yaml": 'category: shipping\nsource:\n  question: "Where is it?\n  answer: A.\n'},
        "content/faq/a.yaml:3:13: error: the quote opened at line 3, column 13 is never closed (add the closing "
        "quote, or escape quotes inside the text)"),
    "value starting with a brace": (
        {"faq/a.yaml": "category: shipping\nsource:\n  question: Q?\n  answer: {market.return_window_days} days\n"},
        "content/faq/a.yaml:4:11: error: a value that starts with '{' or '[' is read as a YAML mapping or list, "
        "not as text (put the whole value in quotes, e.g. do: \"{market.x} days\")"),
    "bad date": (
        {"faq/a.yaml": FAQ_OK + "reviewed: 2026-02-30\n"},
        "content/faq/a.yaml:5:11: error: '2026-02-30' is not a real date (write an existing date as YYYY-MM-DD)"),
    "date in wrong form": (
        {"faq/a.yaml": FAQ_OK + "reviewed: 30.09.2026\n"},
        "content/faq/a.yaml:5:11: error: reviewed: the text '30.09.2026' is not in the expected form (write the "
        "date as YYYY-MM-DD)"),
    "unknown market": (
        {"faq/a.yaml": FAQ_OK + "markets: [DE, XX]\n"},
        "content/faq/a.yaml:5:15: error: unknown market 'XX' (known markets: DE, JP; add content/markets/xx.yaml "
        "or fix the code)"),
    "unknown language": (
        {"faq/a.yaml": FAQ_OK + "translations:\n  fr: {question: Q, answer: R}\n"},
        "content/faq/a.yaml:6:3: error: faq:a translation uses the language 'fr', which kb.yaml does not list (add "
        "it to kb.yaml languages, or fix the code (e.g. de, pt-BR, zh-CN))"),
    "unknown category": (
        {"faq/a.yaml": "category: billing\nsource:\n  question: Q?\n  answer: A.\n"},
        "content/faq/a.yaml:1:11: error: unknown category 'billing' (use one of: returns, shipping; or add it to "
        "kb.yaml categories)"),
    "id differs from file name": (
        {"faq/a.yaml": "id: b\n" + FAQ_OK},
        "content/faq/a.yaml:1:5: error: id 'b' differs from the file name 'a.yaml' (rename the file to b.yaml or "
        "set id: a)"),
    "id with a path trick": (
        {"faq/a.yaml": "id: ../../etc/passwd\n" + FAQ_OK},
        "content/faq/a.yaml:1:5: error: id: the text '../../etc/passwd' is not in the expected form (ids use "
        "lowercase letters, digits and '-', e.g. damaged-item)"),
    "file name that is not an id": (
        {"faq/Where_Is.yaml": FAQ_OK},
        "content/faq/Where_Is.yaml:1:1: error: the file name 'Where_Is.yaml' is not a valid id (use lowercase "
        "letters, digits and '-' (at most 64), e.g. damaged-item.yaml)"),
    "missing required key": (
        {"faq/a.yaml": "category: shipping\nsource:\n  question: Q?\n"},
        "content/faq/a.yaml:3:3: error: source is missing the required key 'answer' (add 'answer: ...')"),
    "wrong type": (
        {"faq/a.yaml": FAQ_OK + "tags: tracking\n"},
        "content/faq/a.yaml:5:7: error: tags must be a list, not the text 'tracking' (write a list here)"),
    "empty text": (
        {"faq/a.yaml": "category: shipping\nsource:\n  question: ''\n  answer: A.\n"},
        "content/faq/a.yaml:3:13: error: source.question is empty (write the text, or remove the key)"),
    "bad enum": (
        {"templates/t.yaml": "channel: fax\nsource:\n  body: Hi\n"},
        "content/templates/t.yaml:1:10: error: channel: the text 'fax' is not allowed (use one of: email, chat, "
        "review-reply, social, sms)"),
    "custom tag": (
        {"faq/a.yaml": FAQ_OK + "tags: !!python/object:os.system [x]\n"},
        "content/faq/a.yaml:5:7: error: the tag tag:yaml.org,2002:python/object:os.system is not allowed (remove the "
        "tag; content files use plain YAML only)"),
    "alias bomb": (
        {"faq/a.yaml": FAQ_OK + "x: &a [1,2,3,4,5,6,7,8,9,10]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                              "z: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nw: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                              "v: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"},
        "content/faq/a.yaml:9:1: error: the file expands to more than 50000 values (remove the aliases (*name) that "
        "repeat large parts; an alias bomb is refused)"),
    "not UTF-8": (
        {"faq/a.yaml": b"category: shipping\nsource:\n  question: Gr\xfc\xdfe?\n  answer: A.\n"},
        "content/faq/a.yaml:3:15: error: the file is not valid UTF-8 (save it with UTF-8 encoding)"),
    "oversized file": (
        {"faq/a.yaml": FAQ_OK + "tags: [" + ", ".join(["x" * 60] * 40000) + "]\n"},
        "content/faq/a.yaml:1:1: error: the file is 2421 KiB, over the 2 MiB limit (split it into several entries)"),
    "market code and file": (
        {"markets/fr.yaml": "code: DE\nname: France\nlanguages: [de]\ncurrency: EUR\ntimezone: Europe/Paris\n"},
        "content/markets/fr.yaml:1:7: error: market code 'DE' does not match the file name 'fr.yaml' (name the "
        "file de.yaml, or set code: FR)"),
    "invalid time zone": (
        {"markets/fr.yaml": "code: FR\nname: France\nlanguages: [de]\ncurrency: EUR\ntimezone: Europe/Pariss\n"},
        "content/markets/fr.yaml:5:11: error: 'Europe/Pariss' is not a known IANA time zone (use a name like "
        "Europe/Berlin or Asia/Tokyo)"),
    "translation of an unknown step": (
        {"sops/s.yaml": "title: T\nsteps:\n  - {id: a, do: Do it}\ntranslations:\n  de:\n    steps:\n"
                        "      b: Mach es\n"},
        "content/sops/s.yaml:7:7: error: the translation names step 'b', which this SOP does not have (use the "
        "step ids of the source steps)"),
    "duplicate step id": (
        {"sops/s.yaml": "title: T\nsteps:\n  - {id: a, do: Do it}\n  - {id: a, do: Again}\n"},
        "content/sops/s.yaml:4:10: error: step id 'a' is used twice in this SOP (give every step its own id)"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_exact_message(make_project, name):
    files, expected = CASES[name]
    found = problems_of(make_project, files)
    assert found == [expected]


def test_unknown_key_is_a_warning_with_a_suggestion(make_project):
    found = problems_of(make_project, {"faq/a.yaml": FAQ_OK + "reviewd: 2026-01-01\n"})
    assert found == ["content/faq/a.yaml:5:1: warning: unknown key 'reviewd' in the file is ignored (did you mean "
                     "'reviewed'?)"]


def test_every_problem_is_reported_in_one_run(make_project):
    found = problems_of(make_project, {
        "faq/a.yaml": "category: nope\nsource:\n  question: Q?\n  answer: A.\n",
        "faq/b.yaml": "category: shipping\nsource:\n\tquestion: Q?\n",
        "templates/t.yaml": "channel: fax\nsource:\n  body: Hi\n",
    })
    assert [f.split(": error")[0] for f in found] == [
        "content/faq/a.yaml:1:11", "content/faq/b.yaml:3:1", "content/templates/t.yaml:1:10"]


def test_missing_kb_yaml(make_project):
    found = problems_of(make_project, {"faq/a.yaml": FAQ_OK}, base=False)
    assert found == ["content/kb.yaml: error: no kb.yaml in content (create it with name, source_language and "
                     "languages (see content-format.md))"]


def test_numbers_meant_as_text_are_kept_as_written(make_project):
    content = make_project({"faq/a.yaml": FAQ_OK + "translations:\n  de: {from: 000123456789, question: F, answer: A}\n"})
    result = load(content)
    assert result.problems == []
    assert result.catalog.faqs["a"].translations["de"].source_fingerprint == "000123456789"


def test_norway_is_not_false(make_project):
    content = make_project({"markets/no.yaml": "code: NO\nname: Norway\nlanguages: [en]\ncurrency: NOK\n"
                                               "timezone: Europe/Oslo\n"})
    result = load(content)
    assert result.problems == []
    assert "NO" in result.catalog.markets


def test_bom_and_crlf_are_accepted(make_project):
    content = make_project({"faq/a.yaml": b"\xef\xbb\xbfcategory: shipping\r\nsource:\r\n  question: Q?\r\n"
                                          b"  answer: A.\r\n"})
    result = load(content)
    assert result.problems == []
    assert result.catalog.faqs["a"].source["question"] == "Q?"


def test_text_is_normalised_to_nfc(make_project):
    decomposed = "Ru\u0308cksendung"
    content = make_project({"faq/a.yaml": f"category: returns\nsource:\n  question: {decomposed}?\n  answer: A.\n"})
    assert load(content).catalog.faqs["a"].source["question"] == "R\u00fccksendung?"
