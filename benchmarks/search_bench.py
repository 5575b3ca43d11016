"""Search benchmark (issue 5): index build, warm query latency per language, incremental update.

    python benchmarks/search_bench.py                      # large preset, generated once
    python benchmarks/search_bench.py --content DIR --queries 2000

Prints figures; asserts nothing. Queries are made from the content itself (1-3 words of a
title, or 2-6 characters of a Chinese or Japanese title, one in ten with two letters swapped),
seeded, so every run asks the same.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kb_builder.loading.loader import load  # noqa: E402
from kb_builder.search import SearchIndex, build_index  # noqa: E402
from kb_builder.search.documents import document  # noqa: E402

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]{2,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--content", type=Path, help="content folder (default: generate the preset)")
    parser.add_argument("--preset", default="large", choices=["small", "medium", "large"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/kb-search-bench"))
    parser.add_argument("--queries", type=int, default=1000, help="timed queries with a language")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    content = args.content or args.work / f"content-{args.preset}"
    if not (content / "kb.yaml").is_file():
        print(f"generating the {args.preset} preset into {content} ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--preset", args.preset, "--out", str(content),
                        "--quiet"], check=True)
    figures: dict = {"content": str(content)}

    t = time.perf_counter()
    result = load(content)
    figures["load_s"] = round(time.perf_counter() - t, 1)
    catalog = result.catalog
    assert catalog is not None and result.ok, "the content has errors"
    print(f"loaded {len(catalog.entries())} entries in {figures['load_s']} s", flush=True)

    folder = args.work / "out" / "search"
    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    report = build_index(catalog, folder, workers=args.workers)
    figures["build_s"] = round(time.perf_counter() - t, 1)
    figures["documents"] = report.documents
    figures["languages"] = len(report.languages_all)
    figures["index_mb"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)
    print(f"index build: {report.documents} documents, {figures['languages']} languages, {figures['build_s']} s, "
          f"{figures['index_mb']} MB", flush=True)

    index = SearchIndex(folder)
    queries = make_queries(catalog, report.languages_all, args.queries)
    index.warm()  # searchers open, segmenter loaded, spelling vocabularies built (a server does this at start)
    for lang in report.languages_all:
        index.search(queries[lang][0], lang=lang)
    per_lang: dict[str, list[float]] = {}
    everything: list[float] = []
    rounds = max(1, args.queries // max(1, sum(len(q) for q in queries.values())))
    order = [(lang, q) for lang, qs in queries.items() for q in qs]
    random.Random(7).shuffle(order)
    for _ in range(rounds):
        for lang, q in order:
            t = time.perf_counter()
            index.search(q, lang=lang)
            took = (time.perf_counter() - t) * 1000
            per_lang.setdefault(lang, []).append(took)
            everything.append(took)
    figures["query_ms"] = {"all": summary(everything), **{lang: summary(v) for lang, v in sorted(per_lang.items())}}
    no_lang = []
    for lang, q in order[:300]:
        t = time.perf_counter()
        index.search(q)
        no_lang.append((time.perf_counter() - t) * 1000)
    figures["query_ms_no_lang"] = summary(no_lang)
    filtered = []
    markets = sorted(catalog.markets)
    for i, (lang, q) in enumerate(order[:300]):
        t = time.perf_counter()
        index.search(q, lang=lang, market=markets[i % len(markets)], kind=("faq", "sop", "template")[i % 3])
        filtered.append((time.perf_counter() - t) * 1000)
    figures["query_ms_filtered"] = summary(filtered)

    updates, translation_updates, unchanged = [], [], []
    for i, faq in enumerate(list(catalog.faqs.values())[:3]):
        faq.source["answer"] += f"\n\nAn extra sentence about a zeppelin delivery {i}."
        t = time.perf_counter()
        update = build_index(catalog, folder)
        updates.append(time.perf_counter() - t)
        assert update.written >= 1 and any(h.id == faq.id for h in
                                           index.search("zeppelin", lang=catalog.settings.source_language, n=5).hits)
        if faq.translations:
            other = sorted(faq.translations)[0]
            faq.translations[other].fields["answer"] = faq.translations[other].fields.get("answer", "") + " zeppelin"
            t = time.perf_counter()
            build_index(catalog, folder)
            translation_updates.append(time.perf_counter() - t)
        t = time.perf_counter()
        build_index(catalog, folder)
        unchanged.append(time.perf_counter() - t)
    figures["update_one_entry_s"] = [round(x, 2) for x in updates]
    figures["update_one_translation_s"] = [round(x, 2) for x in translation_updates]
    figures["no_change_s"] = [round(x, 2) for x in unchanged]
    print(f"incremental update of one entry (3 runs): {figures['update_one_entry_s']} s; one translation: "
          f"{figures['update_one_translation_s']} s; nothing changed: {figures['no_change_s']} s "
          f"(index only: loading the content is not included)", flush=True)

    print("\nwarm query latency (ms), with --lang:")
    print(f"  {'lang':8} {'n':>5} {'p50':>7} {'p95':>7} {'max':>7}")
    for key, s in figures["query_ms"].items():
        print(f"  {key:8} {s['n']:>5} {s['p50']:>7} {s['p95']:>7} {s['max']:>7}")
    for label, key in (("no language (every index of the query's script)", "query_ms_no_lang"),
                       ("with --lang, --market and --kind", "query_ms_filtered")):
        s = figures[key]
        print(f"{label}: p50 {s['p50']} ms, p95 {s['p95']} ms (n={s['n']})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")


def make_queries(catalog, languages: list[str], total: int) -> dict[str, list[str]]:
    """Per language: queries made from titles in that language, as people type them."""
    rnd = random.Random(42)
    per_lang = max(5, total // max(1, len(languages)))
    entries = catalog.entries()
    out: dict[str, list[str]] = {}
    for lang in languages:
        pool = [e for e in entries if lang == catalog.settings.source_language or lang in e.translations]
        queries = []
        for _ in range(per_lang * 3):
            if len(queries) >= per_lang or not pool:
                break
            title = document(rnd.choice(pool), catalog, lang).title
            runs = CJK.findall(title)
            if runs:
                run = rnd.choice(runs)
                size = min(len(run), rnd.randint(2, 6))
                start = rnd.randint(0, len(run) - size)
                queries.append(run[start:start + size])
                continue
            words = [w for w in re.findall(r"[^\W\d_]{3,}", title)]
            if not words:
                continue
            k = rnd.randint(1, min(3, len(words)))
            start = rnd.randint(0, len(words) - k)
            q = " ".join(words[start:start + k])
            if rnd.random() < 0.1 and len(q) > 4:
                i = rnd.randint(1, len(q) - 3)
                q = q[:i] + q[i + 1] + q[i] + q[i + 2:]
            queries.append(q)
        if queries:
            out[lang] = queries
    return out


def summary(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return {"n": len(values), "p50": round(statistics.median(values), 2), "p95": round(p95, 2),
            "max": round(values[-1], 2)}


if __name__ == "__main__":
    main()
