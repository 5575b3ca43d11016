"""broken-link and internal-reference from Markdown links; the cross-entry link syntax."""

from __future__ import annotations

from checkhelp import check_fixture, summary  # noqa: F401 (registers the `check` fixture)

from kb_builder.checks.links import link_targets, parse_link

SOP = """\
title: Item arrived damaged
reviewed: 2026-10-01
steps:
  - id: evidence
    do: Ask for photos.
  - id: close
    do: See [the FAQ](faq:where-is-my-order) and [evidence](sop:damaged-item#evidence).
"""


def _faq(answer: str, audience: str = "public") -> dict:
    return {"faq/where-is-my-order.yaml": f"""\
        category: shipping
        audience: {audience}
        reviewed: 2026-10-01
        source:
          question: Where is my order?
          answer: "{answer}"
        """}


def test_link_targets_skip_code():
    text = "See [a](sop:x) and `[b](sop:y)`.\n\n```\n[c](sop:z)\n```\n[d]: faq:w\n![img](pic.png \"t\")"
    assert link_targets(text) == ["sop:x", "pic.png", "faq:w"]


def test_parse_link():
    assert parse_link("sop:damaged-item#evidence").ref == "sop:damaged-item"
    assert parse_link("sop:damaged-item#evidence").fragment == "evidence"
    assert parse_link("market:de").ref == "market:DE"
    assert parse_link("https://example.com").ref is None
    assert parse_link("../faq/x.md").scheme == ""


def test_valid_links_have_no_findings(check):
    found = check({"sops/damaged-item.yaml": SOP, **_faq("See [help](https://example.com) or [us](mailto:a@b.c).")})
    assert [p for p in found if p.code in ("broken-link", "internal-reference")] == []


def test_broken_link_to_missing_entry(check):
    found = check(_faq("See [this](faq:where-is-my-ordr)."), code="broken-link")
    assert [summary(p) for p in found] == [
        ("broken-link", "content/faq/where-is-my-order.yaml:6:11", "faq:where-is-my-order", None, None, ()),
    ]
    assert found[0].severity == "error"
    assert found[0].message == ("the link faq:where-is-my-ordr names the FAQ entry 'where-is-my-ordr', which does "
                                "not exist (in faq:where-is-my-order)")
    assert found[0].hint == "did you mean 'where-is-my-order'?"


def test_broken_link_to_missing_step(check):
    sop = SOP.replace("sop:damaged-item#evidence", "sop:damaged-item#photos")
    found = check({"sops/damaged-item.yaml": sop}, code="broken-link")
    assert [summary(p) for p in found] == [
        ("broken-link", "content/sops/damaged-item.yaml:7:9", "sop:damaged-item", None, None, ()),
    ]
    assert found[0].message.startswith("the link sop:damaged-item#photos names the step 'photos'")
    assert found[0].hint == "use one of its step ids: evidence, close"


def test_relative_link_points_to_nothing(check):
    found = check(_faq("See [returns](../faq/returns.md)."), code="broken-link")
    assert [summary(p) for p in found] == [
        ("broken-link", "content/faq/where-is-my-order.yaml:6:11", "faq:where-is-my-order", None, None, ()),
    ]
    assert found[0].message.startswith("the relative link ../faq/returns.md points to nothing in the built sites")


def test_link_in_a_translation_carries_the_language(check):
    files = _faq("Track it.")
    files["faq/where-is-my-order.yaml"] = files["faq/where-is-my-order.yaml"].rstrip(" ") + ("        translations:\n          de: {from: 0123456789ab, question: Wo?, "
                                            "answer: \"Siehe [hier](template:nope).\"}\n")
    found = check(files, code="broken-link")
    assert [summary(p) for p in found] == [
        ("broken-link", "content/faq/where-is-my-order.yaml:8:51", "faq:where-is-my-order", "de", None, ()),
    ]


def test_public_text_linking_to_internal_page(check):
    found = check({"sops/damaged-item.yaml": SOP, **_faq("Agents follow [the SOP](sop:damaged-item).")},
                  code="internal-reference")
    assert [summary(p) for p in found] == [
        ("internal-reference", "content/faq/where-is-my-order.yaml:6:11", "faq:where-is-my-order", None, None, ()),
    ]
    assert found[0].severity == "warning"


def test_market_notes_links(check):
    found = check({"markets/jp.yaml": """\
        code: JP
        name: Japan
        languages: [ja]
        currency: JPY
        timezone: Asia/Tokyo
        vars: {return_window_days: 14}
        notes: See [the SOP](sop:missing).
        """}, code="broken-link")
    assert [summary(p) for p in found] == [
        ("broken-link", "content/markets/jp.yaml:7:8", None, None, "JP", ("JP",)),
    ]
    assert found[0].message.endswith("(in the notes of market JP)")
