"""Issue 18 items 4 and 10: caches hold data only and are verified before use. A planted pickle
in .kb-cache runs no code, a damaged file is thrown away and rebuilt (never a traceback), the
code version covers every source file of the package, and the loader's cache keys an entry on
the bytes that were actually parsed."""

from __future__ import annotations

import os
import pickle

from kb_builder.cli import main
from kb_builder.loading import cache, yamlfile
from kb_builder.loading.loader import load

FAQ = "category: shipping\nsource:\n  question: Version {v}?\n  answer: A.\n"


class _Planted:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def _cache_files():
    root = os.environ["KB_CACHE_DIR"]
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if not f.startswith(".")]


def test_a_planted_pickle_in_the_cache_runs_no_code(make_project, tmp_path, capsys):
    content = make_project({"faq/a.yaml": FAQ.format(v="A")})
    assert main(["check", "--content", str(content), "--today", "2026-11-23"]) in (0, 1)
    files = _cache_files()
    assert files, "the check wrote its caches"
    marker = tmp_path / "code-ran"
    for f in files:
        with open(f, "wb") as fh:  # as a restored CI cache or a committed file could be
            fh.write(pickle.dumps((_Planted(str(marker)), 0, {})))
    capsys.readouterr()
    assert main(["check", "--content", str(content), "--today", "2026-11-23"]) in (0, 1)
    assert not marker.exists(), "a pickle from the cache folder ran code"
    assert "Traceback" not in capsys.readouterr().err


def test_a_planted_object_with_a_valid_digest_is_refused_too(tmp_path):
    marker = tmp_path / "code-ran"
    path = tmp_path / "x.pickle"
    cache.write_data(path, {"a": _Planted(str(marker))})
    assert cache.read_data(path) is None
    assert not marker.exists()


def test_damaged_cache_files_are_rebuilt_silently(make_project, capsys):
    content = make_project({"faq/a.yaml": FAQ.format(v="A")})
    assert main(["check", "--content", str(content), "--today", "2026-11-23"]) in (0, 1)
    first = capsys.readouterr().out
    for f in _cache_files():
        data = open(f, "rb").read()
        with open(f, "wb") as fh:
            fh.write(data[: len(data) // 2] + b"\xff" * 7 + data[len(data) // 2 + 7:])
    assert main(["check", "--content", str(content), "--today", "2026-11-23"]) in (0, 1)
    captured = capsys.readouterr()
    assert captured.out == first and "Traceback" not in captured.err
    assert load(content).catalog.faqs["a"].source["question"] == "Version A?"


def test_the_code_version_covers_every_source_file(tmp_path, monkeypatch):
    from pathlib import Path

    root = Path(cache.__file__).resolve().parent.parent
    before = cache.code_version()
    cache.code_version.cache_clear()
    real = Path.read_bytes
    # a change in any module (here one no hand-written list named: the search package) retires caches
    monkeypatch.setattr(Path, "read_bytes", lambda self: real(self) + (b"#" if self == root / "search" / "query.py" else b""))
    try:
        assert cache.code_version() != before
    finally:
        cache.code_version.cache_clear()


def test_the_cache_keys_on_the_bytes_that_were_parsed(make_project, monkeypatch):
    content = make_project({"faq/a.yaml": FAQ.format(v="A")})
    path = content / "faq" / "a.yaml"
    real = yamlfile.parse_yaml

    def parse_then_edit(text, shown, problems):
        # the author saves version B while the loader is parsing version A
        if "Version A" in text:
            path.write_text(FAQ.format(v="B"), encoding="utf-8")
        return real(text, shown, problems)

    monkeypatch.setattr(yamlfile, "parse_yaml", parse_then_edit)
    assert load(content).catalog.faqs["a"].source["question"] == "Version A?"
    monkeypatch.setattr(yamlfile, "parse_yaml", real)
    assert load(content).catalog.faqs["a"].source["question"] == "Version B?"
