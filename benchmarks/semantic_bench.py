"""Cost of the semantic layer on the bundled content (kb_builder/search/semantic.py): build time
with and without it (embeddings not cached: KB_CACHE=off), the cost per 1,000 embedded texts, an
update after one changed text (from the cache), the size of the vectors beside the Whoosh
indexes, and warm query latency (p50/p95) of every judged query, keyword-only and with the layer.

    python benchmarks/semantic_bench.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "relevance"))

from evaluate import CONTENT, SETS, judged, run  # noqa: E402

from kb_builder.loading.loader import load  # noqa: E402
from kb_builder.search import SearchIndex, build_index, semantic  # noqa: E402


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def latencies(index: SearchIndex, queries: list[dict], rounds: int = 3) -> list[float]:
    for item in queries:  # warm: searchers, vocabularies, query vectors are cached after this
        run(index, item)
    out = []
    for _ in range(rounds):
        for item in queries:
            started = time.perf_counter()
            run(index, item)
            out.append((time.perf_counter() - started) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def main() -> None:
    os.environ["KB_CACHE"] = "off"
    queries = [q for path in SETS.values() for q in judged(path)]
    catalog = load(CONTENT).catalog
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        build_index(catalog, tmp / "keywords")
        keyword_build = time.perf_counter() - started
        catalog.settings.semantic_search = True
        semantic.embedder()  # the model's load is not the build's cost
        started = time.perf_counter()
        report = build_index(catalog, tmp / "semantic")
        semantic_build = time.perf_counter() - started
        texts = report.documents
        print(f"documents: {texts}; build keyword-only {keyword_build:.1f} s, with vectors {semantic_build:.1f} s: "
              f"{(semantic_build - keyword_build) / texts * 1000:.0f} s per 1,000 texts embedded")
        whoosh = size(tmp / "semantic") - size(tmp / "semantic" / "vectors")
        print(f"index size: Whoosh {whoosh / 1e6:.2f} MB, vectors {size(tmp / 'semantic' / 'vectors') / 1e6:.2f} MB "
              f"({size(tmp / 'semantic' / 'vectors') / texts:.0f} bytes a document)")
        kw = latencies(SearchIndex(tmp / "keywords"), queries)
        index = SearchIndex(tmp / "semantic")
        index.warm()
        sem = latencies(index, queries)
        print(f"warm queries ({len(queries)} judged, 3 rounds): keyword-only p50 {pct(kw, .5):.1f} ms p95 "
              f"{pct(kw, .95):.1f} ms; with the layer (query vectors cached) p50 {pct(sem, .5):.1f} ms "
              f"p95 {pct(sem, .95):.1f} ms")
        index._query_vectors.clear()
        model = semantic.embedder()
        cold = []
        for item in queries:
            started = time.perf_counter()
            model.query(str(item["q"]))
            cold.append((time.perf_counter() - started) * 1000)
        print(f"embedding a new query: p50 {pct(cold, .5):.1f} ms p95 {pct(cold, .95):.1f} ms "
              f"(mean {statistics.mean(cold):.1f} ms)")


if __name__ == "__main__":
    main()
