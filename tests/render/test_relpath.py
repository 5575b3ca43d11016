"""render.common.relpath is posixpath.relpath, without its abspath calls."""

from __future__ import annotations

import posixpath

from hypothesis import given, settings, strategies as st

from kb_builder.render.common import relpath

SEGMENT = st.sampled_from(["a", "b", "faq", "faq-x", "x y", "ü", "日本", ".", "..", "", "...", "a.b", "~", "index"])
PATH = st.tuples(st.booleans(), st.lists(SEGMENT, max_size=6), st.booleans()).map(
    lambda t: ("/" if t[0] else "") + "/".join(t[1]) + ("/" if t[2] else ""))


@settings(max_examples=3000, deadline=None)
@given(PATH, PATH)
def test_relpath_equals_posixpath(path, start):
    try:
        expected = posixpath.relpath(path, start)
    except ValueError:  # an empty path
        expected = None
    try:
        got = relpath(path, start)
    except ValueError:
        got = None
    assert got == expected


def test_relpath_of_site_pages():
    assert relpath("faq/orders/", "markets/de/") == "../../faq/orders"
    assert relpath("markets/de/", "markets/de/") == "."
    assert relpath("sops/x/", "sops/") == "x"
    assert relpath(".", "faq/orders/") == "../.."
