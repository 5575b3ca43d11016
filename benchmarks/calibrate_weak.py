"""Calibrate the "no good answer" signal (kb_builder/search/confidence.py) on the judged sets:
for each query of the tuning sets (default: developers, customers, customers2; name others with
`--sets a,b`) the best hit's coverage
and strength, labelled unanswerable (expect: []) or answered (the top hit is an expected entry);
a grid over COVERAGE_SHARE and WEAK_BELOW maximises balanced accuracy (unanswerable flagged weak,
answered not flagged). The unseen set is only reported for the chosen constants.

    python benchmarks/calibrate_weak.py [--sets developers,customers,customers2]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "relevance"))

from evaluate import SETS, bundled_index, judged, run  # noqa: E402

from kb_builder.search import confidence  # noqa: E402


def samples(index, queries: list[dict]) -> list[tuple[float, float, bool]]:
    """(coverage, strength, unanswerable) for the unanswerable queries and those answered at rank 1."""
    out = []
    for item in queries:
        results = run(index, item)
        refs = [f"{h.kind}:{h.id}" for h in results.hits]
        if not item["expect"]:
            out.append((*results.measures, True))
        elif refs and refs[0] in item["expect"]:
            out.append((*results.measures, False))
    return out


def accuracy(data, share: float, threshold: float) -> tuple[float, float, float]:
    """(balanced accuracy, share of unanswerable flagged, share of answered flagged)."""
    flagged = [(share * c + (1 - share) * s < threshold, unanswerable) for c, s, unanswerable in data]
    neg = [f for f, u in flagged if u]
    pos = [f for f, u in flagged if not u]
    tpr = sum(neg) / len(neg) if neg else 0.0
    fpr = sum(pos) / len(pos) if pos else 0.0
    return (tpr + 1 - fpr) / 2, tpr, fpr


TUNING = ("developers", "customers", "customers2")


def main(argv: list[str]) -> None:
    names = TUNING
    if "--sets" in argv:
        names = tuple(argv[argv.index("--sets") + 1].split(","))
    with tempfile.TemporaryDirectory() as tmp:
        index = bundled_index(Path(tmp) / "search")
        per_set = {name: samples(index, judged(SETS[name])) for name in names}
        tuning = [s for name in names for s in per_set[name]]
        unseen = samples(index, judged(SETS["unseen"]))
    grid = [(accuracy(tuning, share / 10, t / 100), share / 10, t / 100)
            for share in range(0, 11) for t in range(10, 91, 2)]
    grid.sort(key=lambda r: (-r[0][0], abs(r[1] - 0.5), r[2]))
    for (bal, tpr, fpr), share, t in grid[:8]:
        print(f"share {share:.1f} weak below {t:.2f}: balanced {bal:.3f}, unanswerable flagged {tpr:.3f}, "
              f"answered flagged {fpr:.3f}")
    bal, tpr, fpr = accuracy(tuning, confidence.COVERAGE_SHARE, confidence.WEAK_BELOW)
    print(f"current ({confidence.COVERAGE_SHARE}, {confidence.WEAK_BELOW}) tuning: balanced {bal:.3f}, "
          f"unanswerable flagged {tpr:.3f}, answered flagged {fpr:.3f} (n={len(tuning)})")
    for name, data in per_set.items():
        bal, tpr, fpr = accuracy(data, confidence.COVERAGE_SHARE, confidence.WEAK_BELOW)
        print(f"current {name}: unanswerable flagged {tpr:.3f}, answered flagged {fpr:.3f} (n={len(data)})")
    bal, tpr, fpr = accuracy(unseen, confidence.COVERAGE_SHARE, confidence.WEAK_BELOW)
    print(f"current unseen: balanced {bal:.3f}, unanswerable flagged {tpr:.3f}, answered flagged {fpr:.3f} "
          f"(n={len(unseen)})")


if __name__ == "__main__":
    main(sys.argv[1:])
