"""BM25F field-weight tuning on the judged sets (issue 16): builds the bundled KB's index with
each setting and prints recall@1, recall@5 and MRR per set and user type, best setting first.

    python benchmarks/tune_fields.py

Tunes on the tuning sets (developers, customers, customers2: queries.yaml, customer_queries.yaml,
customer_queries2.yaml); the objective is the mean MRR over each set's user types. The unseen set
is never used to choose. Asserts nothing.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "relevance"))

from evaluate import CONTENT, SETS, evaluate, judged  # noqa: E402

from kb_builder.loading.loader import load  # noqa: E402
from kb_builder.search import SearchIndex, build_index, schema  # noqa: E402

TITLE = (1.5, 2.0, 3.0)
KEYWORDS = (1.0, 2.0)
BODY_LENGTH = (60, 150)
B_VALUES = (0.5, 0.75)
K1_VALUES = (1.2, 2.0)


def score(catalog, folder: Path, sets: dict[str, list[dict]]) -> dict[str, dict]:
    """Figures of each set for the current schema settings."""
    build_index(catalog, folder)
    index = SearchIndex(folder)
    return {name: evaluate(index, queries) for name, queries in sets.items()}


def main() -> None:
    catalog = load(CONTENT).catalog
    tuning = {name: judged(SETS[name]) for name in ("developers", "customers", "customers2")}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        grid = itertools.product(TITLE, KEYWORDS, BODY_LENGTH, B_VALUES, K1_VALUES)
        for i, (title, keywords, body_length, b, k1) in enumerate(grid):
            schema.FIELD_WEIGHTS.update(title=title, keywords=keywords)
            schema.TYPICAL_LENGTH["body"] = body_length
            schema.B, schema.K1 = b, k1
            figures = score(catalog, Path(tmp) / f"s{i}", tuning)
            mrrs = [f[u].mrr for f in figures.values() for u in ("customer", "agent") if u in f]
            rows.append((sum(mrrs) / len(mrrs), (title, keywords, body_length, b, k1), figures))
    rows.sort(key=lambda r: -r[0])
    for objective, setting, figures in rows:
        parts = [f"{name}/{u} R@1 {f[u].recall1:.3f} R@5 {f[u].recall5:.3f} MRR {f[u].mrr:.3f}"
                 for name, f in figures.items() for u in ("customer", "agent") if u in f]
        print(f"title={setting[0]} keywords={setting[1]} body_len={setting[2]} B={setting[3]} K1={setting[4]}  "
              f"mean MRR {objective:.3f} | " + " | ".join(parts))


if __name__ == "__main__":
    main()
