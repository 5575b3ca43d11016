"""Markdown conversions are kept between builds and used again."""

from __future__ import annotations

import pickle

from kb_builder.render import conversions, text


def test_saved_conversions_are_used_by_the_next_process(tmp_path, monkeypatch):
    monkeypatch.delenv("KB_CACHE_DIR", raising=False)  # the default place: beside the content
    monkeypatch.setattr(text, "_STORED", {})
    monkeypatch.setattr(text, "_USED", {})
    content = tmp_path / "content"
    content.mkdir()
    body = "A **stored** answer with a [link](https://example.com)."
    assert text._to_safe_html.__wrapped__(body).startswith("<p>A <strong>stored</strong>")
    conversions.save(content)
    path = conversions.store_path(content)
    assert path.parent == tmp_path / ".kb-cache"
    assert pickle.loads(path.read_bytes()) == {body: text._USED[body]}
    # A later process reads them instead of converting again: prove it by planting a marker.
    path.write_bytes(pickle.dumps({body: "<p>FROM THE STORE</p>"}))
    monkeypatch.setattr(text, "_STORED", {})
    assert conversions.load(content) == 1
    assert text._to_safe_html.__wrapped__(body) == "<p>FROM THE STORE</p>"


def test_cache_off_or_unreadable_store_means_plain_conversion(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "_STORED", {})
    content = tmp_path / "content"
    content.mkdir()
    path = conversions.store_path(content)
    path.parent.mkdir()
    path.write_bytes(b"not a pickle")
    assert conversions.load(content) == 0
    path.write_bytes(pickle.dumps({"x *y*": "<p>planted</p>"}))
    monkeypatch.setenv("KB_CACHE", "off")
    assert conversions.load(content) == 0
    assert text._to_safe_html.__wrapped__("x *y*") == "<p>x <em>y</em></p>"
