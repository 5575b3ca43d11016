"""Relevance of search on the bundled content, measured on the judged queries in queries.yaml:
recall@5 must stay at or above 0.9; MRR is reported.

Run `pytest tests/relevance -q -s` to see the figures and every miss.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb_builder.loading.loader import load
from kb_builder.search import SearchIndex, build_index

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
QUERIES = Path(__file__).with_name("queries.yaml")
K = 5


def judged() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]


@pytest.fixture(scope="module")
def bundled_index(tmp_path_factory) -> SearchIndex:
    result = load(CONTENT)
    assert result.catalog is not None, [p.format() for p in result.problems]
    folder = tmp_path_factory.mktemp("relevance") / "search"
    build_index(result.catalog, folder)
    return SearchIndex(folder)


def evaluate(index: SearchIndex, queries: list[dict]) -> tuple[float, float, list[str]]:
    """recall@K, MRR (over the top K) and a line per miss."""
    found = 0
    reciprocal = 0.0
    misses = []
    for item in queries:
        results = index.search(str(item["q"]), lang=item.get("lang"), kind=item.get("kind"),
                               market=item.get("market"), public=item.get("public", False), n=K)
        refs = [f"{h.kind}:{h.id}" for h in results.hits]
        ranks = [refs.index(e) + 1 for e in item["expect"] if e in refs]
        if ranks:
            found += 1
            reciprocal += 1.0 / min(ranks)
        else:
            misses.append(f"{item['q']!r} ({item.get('lang', 'any')}): expected {item['expect'][0]}, got {refs}")
    return found / len(queries), reciprocal / len(queries), misses


def test_the_query_set_is_big_and_varied_enough():
    queries = judged()
    langs = {q.get("lang") for q in queries}
    assert len(queries) >= 40
    assert {"en", "de", "ja", "zh-CN"} <= langs and langs & {"ar", "fr"}
    for item in queries:
        assert item["expect"] and all(":" in e for e in item["expect"]), item


def test_every_expected_entry_exists():
    catalog = load(CONTENT).catalog
    for item in judged():
        for ref in item["expect"]:
            assert catalog.lookup(ref) is not None, f"{item['q']!r} expects {ref}, which the content does not have"


def test_recall_at_5_and_mrr(bundled_index):
    queries = judged()
    recall, mrr, misses = evaluate(bundled_index, queries)
    by_lang: dict[str, list[dict]] = {}
    for item in queries:
        by_lang.setdefault(item.get("lang") or "any", []).append(item)
    print(f"\nrelevance on {len(queries)} judged queries: recall@{K} = {recall:.3f}, MRR = {mrr:.3f}")
    for lang, items in sorted(by_lang.items()):
        r, m, _ = evaluate(bundled_index, items)
        print(f"  {lang:6} {len(items):3} queries  recall@{K} {r:.2f}  MRR {m:.2f}")
    for line in misses:
        print("  miss:", line)
    assert recall >= 0.9, "\n".join(misses)
