"""Entry files read on forked workers give exactly what reading them one by one gives: the same
catalog and the same problems in the same order, for hostile text and for broken files."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb_builder.loading import loader
from kb_builder.runtime import parallel

from conftest import write_project  # tests/conftest.py
from test_errors import CASES  # tests/loading/test_errors.py

HOSTILE = st.sampled_from(["<script>alert(1)</script>", "</script>", '"quoted" \'text\'', "مرحبا بالعالم",
                           "配送状況を確認する", "**bold** [link](http://x) `code`", "a & b < c", "{market.carrier}",
                           "# heading", "\u202ereversed", "tab\there"])
TEXT = st.lists(st.one_of(HOSTILE, st.text(min_size=1, max_size=20)), min_size=1, max_size=4).map(" ".join)
BROKEN = [body for files, _message in CASES.values() for rel, body in files.items() if rel.startswith("faq/")]


def faq(question: str, answer: str) -> str:
    # JSON strings are YAML: any text reaches the loader exactly as drawn
    return (f"category: shipping\nreviewed: 2026-10-01\nsource:\n  question: {json.dumps(question)}\n"
            f"  answer: {json.dumps(answer)}\n")


FILES = st.lists(st.one_of(st.tuples(TEXT, TEXT).map(lambda qa: faq(*qa)), st.sampled_from(BROKEN),
                           st.just("category: shipping\nsource: &a\n  question: Q?\n  answer: *a\n")),
                 min_size=2, max_size=12)


def load_with(content: Path, jobs: int, monkeypatch):
    monkeypatch.setenv("KB_JOBS", str(jobs))
    result = loader.load(content, use_cache=False)
    return result.catalog, [p.format() for p in result.problems]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=FILES)
def test_reading_on_workers_equals_reading_one_by_one(bodies, monkeypatch):
    monkeypatch.setattr(loader, "FILES_PER_WORKER", 1)
    for module in (loader, parallel):  # other tests may leave threads running (can_fork says no then)
        monkeypatch.setattr(module, "can_fork", lambda: True)
    root = Path(tempfile.mkdtemp(prefix="kb-parallel-"))
    try:
        monkeypatch.chdir(root)
        content = write_project(root, {f"faq/entry-{i:02d}.yaml": body for i, body in enumerate(bodies)})
        forked = []
        counted = lambda *a, **kw: forked.append(a[2]) or parallel.map_forked(*a, **kw)  # noqa: E731
        monkeypatch.setattr(loader, "map_forked", counted)
        one_by_one = load_with(content, 1, monkeypatch)
        assert forked == []
        on_workers = load_with(content, 2, monkeypatch)
        assert forked == [2]  # the workers did read them
        assert on_workers == one_by_one
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_the_cache_keeps_what_workers_read(make_project, monkeypatch):
    monkeypatch.setattr(loader, "FILES_PER_WORKER", 1)
    for module in (loader, parallel):
        monkeypatch.setattr(module, "can_fork", lambda: True)
    files = {f"faq/entry-{i:02d}.yaml": faq(f"Question {i}?", f"Answer {i} <b>ok</b>") for i in range(6)}
    files["faq/entry-03.yaml"] = BROKEN[0]
    content = make_project(files)
    monkeypatch.setenv("KB_CACHE_DIR", str(content.parent / "cache"))
    monkeypatch.setenv("KB_JOBS", "2")
    cold = loader.load(content)
    reads = []
    real = loader.read_yaml
    monkeypatch.setattr(loader, "read_yaml", lambda *a: reads.append(a[1]) or real(*a))
    warm = loader.load(content)
    assert [p.format() for p in warm.problems] == [p.format() for p in cold.problems] != []
    assert warm.catalog == cold.catalog
    assert [r for r in reads if "faq/" in r] == []  # every entry came from the cache the workers filled
    monkeypatch.setenv("KB_JOBS", "1")
    assert loader.load(content, use_cache=False).catalog == cold.catalog
