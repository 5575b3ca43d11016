"""Translation coverage (gettext-style counts) and `kb translations status`."""

from __future__ import annotations

import json

from kb_builder.checks import coverage
from kb_builder.checks.coverage import Counts
from kb_builder.cli import main
from kb_builder.loading.loader import load

FILES = {
    "markets/at.yaml": """\
        code: AT
        name: Austria
        languages: [de, en]
        currency: EUR
        timezone: Europe/Vienna
        vars: {return_window_days: 30}
        """,
    "faq/late.yaml": """\
        category: shipping
        reviewed: 2026-10-01
        source: {question: Late?, answer: Sorry.}
        translations:
          de: {from: 0123456789ab, question: Spät?, answer: Entschuldigung.}
        """,
    "faq/current.yaml": """\
        category: shipping
        markets: [DE]
        reviewed: 2026-10-01
        source: {question: Now?, answer: Yes.}
        translations:
          de: {from: 8f0f1e8a3f8b, question: Jetzt?, answer: Ja.}
        """,
}


def _catalog(make_project):
    catalog = load(make_project(FILES)).catalog
    current = catalog.faqs["current"]
    current.translations["de"].source_fingerprint = current.fingerprint()
    return catalog


def test_counts_per_language_and_market(make_project):
    cov = coverage(_catalog(make_project))
    assert [(lc.lang, lc.counts) for lc in cov.languages] == [
        ("de", Counts(translated=1, stale=1, untranslated=1)),
        ("ja", Counts(translated=0, stale=0, untranslated=2)),
    ]
    assert [(mc.market, mc.counts, mc.languages) for mc in cov.markets] == [
        ("AT", Counts(0, 1, 1), {"de": Counts(0, 1, 1)}),
        ("DE", Counts(1, 1, 1), {"de": Counts(1, 1, 1)}),
        ("JP", Counts(0, 0, 2), {"ja": Counts(0, 0, 2)}),
    ]
    assert cov.cell("DE", "ja") is None
    assert Counts(1, 1, 1).percent("translated") == 33.3
    assert Counts().percent("translated") == 100.0


def test_status_grid(make_project, capsys):
    make_project(FILES)
    assert main(["translations", "status"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Translation status (source language en): translated/needed and percent;")
    assert out[2:] == [
        "market  de            ja         all",
        "------  ------------  ---------  ------------",
        "AT      0/2 0% s1 u1  ·          0/2 0% s1 u1",
        "DE      0/3 0% s2 u1  ·          0/3 0% s2 u1",
        "JP      ·             0/2 0% u2  0/2 0% u2",
        "------  ------------  ---------  ------------",
        "all     0/3 0% s2 u1  0/2 0% u2  0/5 0% s2 u3",
        "",
        "Untranslated or stale, per language ('kb translations export --lang L' exports them):",
        "de: 1 untranslated, 2 stale",
        "  untranslated  faq:where-is-my-order  (AT, DE)",
        "  stale         faq:current            (DE)",
        "  stale         faq:late               (AT, DE)",
        "ja: 2 untranslated, 0 stale",
        "  untranslated  faq:late               (JP)",
        "  untranslated  faq:where-is-my-order  (JP)",
    ]


def test_status_json(make_project, capsys):
    make_project(FILES)
    assert main(["translations", "status", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["source_language"] == "en"
    assert [(m["market"], m["stale"], m["untranslated"]) for m in doc["markets"]] == [
        ("AT", 1, 1), ("DE", 2, 1), ("JP", 0, 2)]
    assert doc["pending"] == [
        {"lang": "de", "untranslated": [{"entry": "faq:where-is-my-order", "markets": ["AT", "DE"]}],
         "stale": [{"entry": "faq:current", "markets": ["DE"]}, {"entry": "faq:late", "markets": ["AT", "DE"]}]},
        {"lang": "ja", "untranslated": [{"entry": "faq:late", "markets": ["JP"]},
                                        {"entry": "faq:where-is-my-order", "markets": ["JP"]}], "stale": []}]
    assert main(["translations", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == doc
