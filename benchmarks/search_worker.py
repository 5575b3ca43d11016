"""The warm search measurement, run in its own process by run.py:

    python benchmarks/search_worker.py SPEC.json

SPEC holds the index folder, the site folder, the queries and the number of timed rounds.
Prints one JSON line: the API used, p50/p95/max in ms and the hits per query, or {"error": ...}
when kb_builder.search has no usable query API (run.py then reports "not available").
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import percentile  # noqa: E402

_INDEX_PARAMS = ("index_dir", "index", "index_path", "folder", "directory", "path", "root", "search_dir", "out",
                 "out_dir", "site")
_QUERY_PARAMS = ("query", "q", "text", "terms", "query_text")


def _search_api():
    """Find a query function in kb_builder.search: (description, open(index) -> callable(query, opts))."""
    import importlib
    import inspect

    modules = []
    for name in ("kb_builder.search", "kb_builder.search.query", "kb_builder.search.searcher",
                 "kb_builder.search.searching"):
        try:
            modules.append(importlib.import_module(name))
        except ImportError:
            continue
    for mod in modules:
        for cls_name in ("Searcher", "SearchIndex", "Index"):
            cls = getattr(mod, cls_name, None)
            if inspect.isclass(cls) and callable(getattr(cls, "search", None)):
                return f"{mod.__name__}.{cls_name}.search", lambda path, c=cls: _adapt(getattr(_construct(c, path), "search"), None)
        for fn_name in ("search", "query", "run_query"):
            fn = getattr(mod, fn_name, None)
            if inspect.isfunction(fn):
                opener = getattr(mod, "open_index", None)
                if opener:
                    return f"{mod.__name__}.{fn_name} + open_index", lambda path, f=fn, o=opener: _adapt(f, o(path))
                return f"{mod.__name__}.{fn_name}", lambda path, f=fn: _adapt(f, path)
    raise LookupError("kb_builder.search has no query API yet (looked for Searcher.search, search(), query())")


def _construct(cls, path):
    try:
        return cls(path)
    except TypeError:
        return cls(Path(path))


def _adapt(fn, index):
    """Call fn(query, market=..., lang=..., kind=..., public=..., limit=...) whatever its parameter names."""
    import inspect

    params = inspect.signature(fn).parameters
    names = list(params)
    index_name = next((n for n in names if n in _INDEX_PARAMS), None) if index is not None else None
    if index is not None and index_name is None:  # an index object or path as first positional parameter
        index_name = names[0] if names and names[0] not in _QUERY_PARAMS else None
    query_name = next((n for n in names if n in _QUERY_PARAMS), None)
    aliases = {"lang": ("lang", "language"), "market": ("market",), "kind": ("kind", "kinds"),
               "public": ("public", "public_only"), "limit": ("limit", "n", "top", "max_results")}

    def call(query: str, opts: dict):
        kwargs = {}
        if index_name:
            kwargs[index_name] = index
        if query_name:
            kwargs[query_name] = query
        for key, value in {**opts, "limit": 10}.items():
            name = next((a for a in aliases.get(key, (key,)) if a in params), None)
            if name:
                kwargs[name] = value
        if query_name:
            return fn(**kwargs)
        return fn(query, **kwargs)
    return call


def _hits(result) -> int | None:
    """How many hits a search API call returned (a list, or an object with .hits)."""
    for value in (getattr(result, "hits", None), result):
        if isinstance(value, (list, tuple)):
            return len(value)
    return None


def search_worker(spec_file: str) -> int:
    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    try:
        t = time.perf_counter()
        api, opener = _search_api()
        call = None
        for candidate in (spec["index"], spec["site"]):
            try:
                call = opener(candidate)
                call("warm up", {})
                break
            except Exception as exc:  # noqa: BLE001 - any failure means "try the next location"
                error = exc
                call = None
        if call is None:
            raise RuntimeError(f"{api} failed: {type(error).__name__}: {error}")
        open_s = time.perf_counter() - t
        hits = []
        for q, opts in spec["queries"]:  # warm-up pass: caches, analyzers, segmenter dictionaries
            hits.append(_hits(call(q, opts)))
        samples = []
        for _ in range(spec["rounds"]):
            for q, opts in spec["queries"]:
                t = time.perf_counter()
                call(q, opts)
                samples.append((time.perf_counter() - t) * 1000)
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
        return 0
    print(json.dumps({"api": api, "open_s": round(open_s, 3), "queries": len(spec["queries"]), "samples": len(samples),
                      "p50_ms": round(percentile(samples, 50), 2), "p95_ms": round(percentile(samples, 95), 2),
                      "max_ms": round(max(samples), 2), "hits": hits}))
    return 0


if __name__ == "__main__":
    sys.exit(search_worker(sys.argv[1]))
