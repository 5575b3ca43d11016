"""Markdown conversions are kept between builds and used again; the store is plain JSON with a
digest, and what comes out of it is sanitised again (issue 18 item 4)."""

from __future__ import annotations

import json

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
    assert path.parent == tmp_path / ".kb-cache" and path.suffix == ".json"
    assert json.loads(path.read_text(encoding="utf-8"))["conversions"] == {body: text._USED[body]}
    # A later process reads them instead of converting again: prove it by planting a marker.
    monkeypatch.setattr(text, "_USED", {body: "<p>FROM THE STORE</p>"})
    conversions.save(content)
    monkeypatch.setattr(text, "_STORED", {})
    assert conversions.load(content) == 1
    assert text._to_safe_html.__wrapped__(body) == "<p>FROM THE STORE</p>"


def test_cache_off_or_unreadable_store_means_plain_conversion(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "_STORED", {})
    content = tmp_path / "content"
    content.mkdir()
    path = conversions.store_path(content)
    path.parent.mkdir()
    path.write_bytes(b"not json")
    assert conversions.load(content) == 0
    monkeypatch.setattr(text, "_USED", {"x *y*": "<p>planted</p>"})
    conversions.save(content)
    monkeypatch.setenv("KB_CACHE", "off")
    assert conversions.load(content) == 0
    assert text._to_safe_html.__wrapped__("x *y*") == "<p>x <em>y</em></p>"


def test_a_store_whose_digest_does_not_match_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(text, "_STORED", {})
    content = tmp_path / "content"
    content.mkdir()
    monkeypatch.setattr(text, "_USED", {"x *y*": "<p>one</p>"})
    conversions.save(content)
    path = conversions.store_path(content)
    path.write_text(path.read_text(encoding="utf-8").replace("<p>one</p>", "<p>two</p>"), encoding="utf-8")
    assert conversions.load(content) == 0


def test_planted_html_in_the_store_is_sanitised_after_the_cache(tmp_path, monkeypatch):
    """Whoever can write .kb-cache can compute the digest too: the output is sanitised after it."""
    monkeypatch.setattr(text, "_STORED", {})
    content = tmp_path / "content"
    content.mkdir()
    body = "An *answer*."
    monkeypatch.setattr(text, "_USED", {body: '<p>An <img src=x onerror="alert(1)"><script>alert(2)</script></p>'})
    conversions.save(content)
    monkeypatch.setattr(text, "_USED", {})
    text.start_build()
    conversions.load(content)
    out = str(text.markdown_html(body))
    text.start_build()
    assert out == "<p>An <em>answer</em>.</p>"
