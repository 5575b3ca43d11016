"""Tune the semantic layer's fusion and its part in the "no good answer" signal on the judged
sets (kb_builder/search/semantic.py): the bundled content is indexed once with the layer on,
then every query of the tuning sets (developers, customers, customers2) is run for each
weighting of the semantic ranking (short queries, longer queries) and the figures per user type
are printed; the held-out set (unseen_queries.yaml) is only reported, for the weights chosen.
For the weak signal, the best cosine of unanswerable queries and of queries answered at rank 1.

    python benchmarks/tune_semantic.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "relevance"))

from evaluate import SETS, bundled_index, evaluate, judged, run  # noqa: E402

from kb_builder.search import semantic  # noqa: E402

WEIGHTS = [(0.0, 0.0), (0.25, 0.5), (0.25, 1.0), (0.5, 0.5), (0.5, 1.0), (0.5, 1.5), (1.0, 1.0), (0.75, 1.25),
           (1.0, 1.5)]


def figures(index, queries: list[dict]) -> str:
    groups = evaluate(index, queries)
    return "  ".join(f"{user} R@1 {g.recall1:.3f} R@5 {g.recall5:.3f} MRR {g.mrr:.3f}"
                     for user in ("customer", "agent") if (g := groups.get(user)) and g.queries)


def cosines(index, queries: list[dict]) -> tuple[list[float], list[float]]:
    """Best cosines of (unanswerable queries, queries answered at rank 1)."""
    none, answered = [], []
    for item in queries:
        results = run(index, item)
        refs = [f"{h.kind}:{h.id}" for h in results.hits]
        if results.cosine is None:
            continue
        if not item["expect"]:
            none.append(results.cosine)
        elif refs and refs[0] in item["expect"]:
            answered.append(results.cosine)
    return none, answered


def main() -> None:
    chosen = (semantic.SEMANTIC_WEIGHT_SHORT, semantic.SEMANTIC_WEIGHT)
    with tempfile.TemporaryDirectory() as tmp:
        index = bundled_index(Path(tmp) / "search", semantic=True)
        tuning = {name: judged(SETS[name]) for name in ("developers", "customers", "customers2")}
        for short, long in WEIGHTS:
            semantic.SEMANTIC_WEIGHT_SHORT, semantic.SEMANTIC_WEIGHT = short, long
            for name, queries in tuning.items():
                print(f"short {short:.2f} long {long:.2f} {name:10} {figures(index, queries)}")
        semantic.SEMANTIC_WEIGHT_SHORT, semantic.SEMANTIC_WEIGHT = chosen
        print(f"chosen {chosen}: unseen {figures(index, judged(SETS['unseen']))}")
        none, answered = cosines(index, [q for queries in tuning.values() for q in queries])
        print("unanswerable best cosines:", " ".join(f"{c:.3f}" for c in sorted(none)))
        print("answered best cosines (lowest 15):", " ".join(f"{c:.3f}" for c in sorted(answered)[:15]))
        for t in (0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.90):
            print(f"cosine below {t:.2f}: unanswerable {sum(c < t for c in none)}/{len(none)}, "
                  f"answered {sum(c < t for c in answered)}/{len(answered)}")
        none, answered = cosines(index, judged(SETS["unseen"]))
        print("unseen unanswerable:", " ".join(f"{c:.3f}" for c in sorted(none)),
              "answered lowest:", " ".join(f"{c:.3f}" for c in sorted(answered)[:6]))


if __name__ == "__main__":
    main()
