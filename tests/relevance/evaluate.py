"""Relevance figures on judged query sets: recall@1, recall@5 and MRR (over the top 5), per user
type and per language, and the misses.

    python -m tests.relevance.evaluate [--semantic] [--help-center] [queries.yaml ...]   # the table for each set

A judged query has `q`, `expect` (acceptable answers, best first; empty = no entry answers it),
optional filters (`lang`, `kind`, `market`, `public`) and `user` (agent or customer, default
customer). Unanswerable queries (empty `expect`) are left out of recall and MRR; they count for
the "no good answer" signal (`weak` = the search said the best hit is weak).

`--help-center` runs every customer query as a customer-facing widget or chatbot would, on the
public entries only (`public=True`); the default searches everything, as an agent's sidebar does,
which is the harder figure and the one the targets are checked against.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CONTENT = ROOT / "content"
SETS = {"developers": HERE / "queries.yaml", "customers": HERE / "customer_queries.yaml",
        "customers2": HERE / "customer_queries2.yaml", "unseen": HERE / "unseen_queries.yaml",
        "blind": HERE / "blind_queries.yaml"}
# Sets whose misses are never printed: tuning on them would make their figures say nothing about
# queries nobody has seen. Report their totals only; `--show-held-out` is for judging the labels.
HELD_OUT = {"blind"}
K = 5


def judged(path: Path) -> list[dict]:
    """The judged queries of a file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


@dataclass
class Figures:
    """Recall@1, recall@5 and MRR over the answerable queries of a group; weak-answer counts."""

    queries: int = 0
    at1: int = 0
    at5: int = 0
    reciprocal: float = 0.0
    unanswerable: int = 0
    unanswerable_weak: int = 0  # unanswerable queries the search flagged as weak (good)
    # answerable queries whose best hit answers them but is flagged weak (bad); a query whose
    # answer is lower down is rightly weak: the best hit is what `weak` speaks of (as in
    # benchmarks/calibrate_weak.py), and finding its answer at rank 3 must not count against it
    answered_weak: int = 0
    empty: int = 0  # answerable queries with no hit at all
    misses: list[str] = field(default_factory=list)

    @property
    def recall1(self) -> float:
        return self.at1 / self.queries if self.queries else 0.0

    @property
    def recall5(self) -> float:
        return self.at5 / self.queries if self.queries else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal / self.queries if self.queries else 0.0

    def line(self, label: str) -> str:
        """One row of the table."""
        text = f"  {label:16} {self.queries:3} q  R@1 {self.recall1:.3f}  R@5 {self.recall5:.3f}  MRR {self.mrr:.3f}"
        if self.empty:
            text += f"  empty {self.empty}"
        if self.unanswerable:
            text += f"  unanswerable flagged weak {self.unanswerable_weak}/{self.unanswerable}"
        if self.answered_weak:
            text += f"  found-but-weak {self.answered_weak}"
        return text


def run(index, item: dict, n: int = K, help_center: bool = False):
    """The results of one judged query; `help_center`: a customer's query on public entries only."""
    public = item.get("public", False) or (help_center and item.get("user", "customer") == "customer")
    return index.search(str(item["q"]), lang=item.get("lang"), kind=item.get("kind"), market=item.get("market"),
                        public=public, n=n)


def evaluate(index, queries: list[dict], help_center: bool = False) -> dict[str, Figures]:
    """Figures for `all`, each user type (`customer`, `agent`) and each `user/lang`."""
    groups: dict[str, Figures] = {}
    for item in queries:
        results = run(index, item, help_center=help_center)
        refs = [f"{h.kind}:{h.id}" for h in results.hits]
        weak = bool(getattr(results, "weak", False))
        user = item.get("user", "customer")
        keys = ("all", user, f"{user}/{item.get('lang') or 'any'}")
        for key in keys:
            fig = groups.setdefault(key, Figures())
            if not item["expect"]:
                fig.unanswerable += 1
                fig.unanswerable_weak += weak
                continue
            fig.queries += 1
            ranks = [refs.index(e) + 1 for e in item["expect"] if e in refs]
            if ranks:
                fig.at5 += 1
                fig.at1 += min(ranks) == 1
                fig.reciprocal += 1.0 / min(ranks)
                fig.answered_weak += weak and min(ranks) == 1
            else:
                fig.empty += not refs
                if key == "all":
                    fig.misses.append(f"{item['q']!r} ({user}, {item.get('lang', 'any')}): "
                                      f"expected {item['expect'][0]}, got {refs}")
    return groups


def table(groups: dict[str, Figures]) -> str:
    """The figures as lines: overall, per user type, per user type and language."""
    order = ["all", "customer", "agent"] + sorted(k for k in groups if "/" in k)
    return "\n".join(groups[k].line(k) for k in order if k in groups)


def bundled_index(folder: Path, semantic: bool = False):
    """Build the bundled content's index into folder and open it; `semantic`: with the semantic
    layer on (as kb.yaml `semantic_search: true` would)."""
    from kb_builder.loading.loader import load
    from kb_builder.search import SearchIndex, build_index

    result = load(CONTENT)
    assert result.catalog is not None, [p.format() for p in result.problems]
    result.catalog.settings.semantic_search = semantic
    build_index(result.catalog, folder)
    return SearchIndex(folder)


def main(argv: list[str]) -> int:
    """Print the figures of each judged set (default: every set that exists); `--semantic`: with
    the semantic layer on; `--help-center`: customers' queries on public entries only. The misses
    of a held-out set (HELD_OUT) are left out unless `--show-held-out`."""
    import tempfile

    meaning = "--semantic" in argv
    reveal = "--show-held-out" in argv
    help_center = "--help-center" in argv
    argv = [a for a in argv if a not in ("--semantic", "--show-held-out", "--help-center")]
    held = {SETS[name].resolve() for name in HELD_OUT}
    paths = [Path(a) for a in argv] or [p for p in SETS.values() if p.exists()]
    with tempfile.TemporaryDirectory() as tmp:
        index = bundled_index(Path(tmp) / "search", semantic=meaning)
        for path in paths:
            groups = evaluate(index, judged(path), help_center=help_center)
            print(f"{path.name}:")
            print(table(groups))
            if path.resolve() in held and not reveal:
                print(f"    ({len(groups['all'].misses)} misses not shown: a held-out set)")
                continue
            for miss in groups["all"].misses:
                print("    miss:", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
