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
from kb_builder.runtime.detached import wait_for_writer

FAQ = "category: shipping\nsource:\n  question: Version {v}?\n  answer: A.\n"


class _Planted:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def _cache_files():
    root = os.environ["KB_CACHE_DIR"]
    for folder in os.listdir(root) if os.path.isdir(root) else ():
        wait_for_writer(os.path.join(root, folder))  # kb check writes its caches after it has answered
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


# --- cache files written elsewhere (a pull request, another machine's CI cache) -------------------

def _use_key_of(monkeypatch, home) -> None:
    """Act as the user whose cache key lives under `home` (XDG_CACHE_HOME)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    cache.cache_key.cache_clear()


def _built_pages(out) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((out / "internal").rglob("*.html")))


def test_a_page_cache_planted_from_elsewhere_puts_nothing_into_the_site(make_project, tmp_path, monkeypatch):
    from kb_builder.pipeline import build
    from kb_builder.render.page_cache import _Fragment, _Stored

    content = make_project({"faq/a.yaml": FAQ.format(v="A")})
    # the attacker's machine: a build, then every stored page given a script, written validly
    # with that machine's key (the keys of the pages are computable from the YAML)
    _use_key_of(monkeypatch, tmp_path / "attacker")
    build(content, tmp_path / "out-1", audience="internal", progress=False)
    [stored_file] = list(cache.cache_folder(content).glob("pages-*.pickle"))
    pages, blocks = cache.read_data(stored_file)
    assert pages and blocks, "the build stored its pages and blocks"
    cache.write_data(stored_file, ({k: _Stored(v.key, v.reads, v.markdown + "\n<script>planted()</script>\n")
                                    for k, v in pages.items()},
                                   {k: _Fragment(v.key, v.reads, (v.text or "") + "<script>planted()</script>", v.tabs)
                                    for k, v in blocks.items()}))
    build(content, tmp_path / "out-2", audience="internal", progress=False)
    assert "planted()" in _built_pages(tmp_path / "out-2")  # the file is used where it was written
    try:
        # the maintainer's machine (or CI) gets the same cache folder: the file is refused
        _use_key_of(monkeypatch, tmp_path / "maintainer")
        build(content, tmp_path / "out-3", audience="internal", progress=False)
        assert "planted()" not in _built_pages(tmp_path / "out-3")
        assert "Version A?" in _built_pages(tmp_path / "out-3")
    finally:
        cache.cache_key.cache_clear()


def test_the_cache_key_is_kept_outside_every_cache_folder(tmp_path, monkeypatch):
    _use_key_of(monkeypatch, tmp_path / "home-cache")
    try:
        key = cache.cache_key()
        path = tmp_path / "home-cache" / "kb_builder" / "cache-key"
        assert path.read_bytes() == key and len(key) == 32
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        cache.cache_key.cache_clear()
        assert cache.cache_key() == key  # the same key in the next process
        path.write_bytes(b"short")  # damaged: a new key, and caches made with the old one retire
        cache.cache_key.cache_clear()
        assert cache.cache_key() != key and len(path.read_bytes()) == 32
        data = tmp_path / "x.pickle"
        cache.write_data(data, {"a": 1})
        assert cache.read_data(data) == {"a": 1}
        _use_key_of(monkeypatch, tmp_path / "other-user")
        assert cache.read_data(data) is None
    finally:
        cache.cache_key.cache_clear()


def test_an_embedding_cache_from_elsewhere_is_not_used(tmp_path, monkeypatch):
    np = __import__("pytest").importorskip("numpy")
    from kb_builder.search.semantic import EmbeddingCache

    class Model:
        name = "fake"

        def passages(self, texts):
            return [[float(len(t)), 1.0] for t in texts]

    try:
        _use_key_of(monkeypatch, tmp_path / "writer")
        written = EmbeddingCache(tmp_path / "cache", model="fake")
        written.vectors(["hello", "world!"], Model())
        written.save(used=[], limit=10)
        again = EmbeddingCache(tmp_path / "cache", model="fake")
        again.vectors(["hello", "world!"], Model())
        assert again.embedded == 0  # read back where it was written
        _use_key_of(monkeypatch, tmp_path / "reader")
        other = EmbeddingCache(tmp_path / "cache", model="fake")
        vectors = other.vectors(["hello", "world!"], Model())
        assert other.embedded == 2  # not trusted: embedded afresh
        assert np.allclose(vectors, [[5.0, 1.0], [6.0, 1.0]])
    finally:
        cache.cache_key.cache_clear()


def test_a_cache_file_streamed_in_many_frames_reads_back_and_any_damage_retires_it(tmp_path):
    # write_data streams the pickle to the file (a big page cache is never one payload in memory):
    # the digest written first must be the payload's, however many frames and writes it took
    pages = {f"p{i}.md": ("Rücksendung 返品 \U0001F4E6 " * 20_000) + str(i) for i in range(6)}
    data = tmp_path / "pages.pickle"
    cache.write_data(data, pages)
    raw = data.read_bytes()
    head = len(cache._MAGIC) + 32
    assert raw.startswith(cache._MAGIC) and raw[len(cache._MAGIC):head] == cache.keyed_digest(raw[head:])
    assert cache.read_data(data) == pages
    for at in (head, len(raw) // 2, len(raw) - 2):
        damaged = bytearray(raw)
        damaged[at] ^= 1
        data.write_bytes(bytes(damaged))
        assert cache.read_data(data) is None, at
    data.write_bytes(raw[: head - 5])
    assert cache.read_data(data) is None
