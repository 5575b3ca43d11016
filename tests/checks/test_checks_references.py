"""broken-reference and internal-reference."""

from __future__ import annotations

from checkhelp import check_fixture, summary  # noqa: F401 (registers the `check` fixture)

SOP = """\
title: Item arrived damaged
reviewed: 2026-10-01
steps:
  - id: acknowledge
    do: Reply with the apology template.
    templates: [apology-damaged]
    faq: [where-is-my-ordr]
related: [lost-parcel]
faq: [where-is-my-order, nowhere]
"""


def test_broken_references_in_an_sop(check):
    found = check({"sops/damaged-item.yaml": SOP}, code="broken-reference")
    assert [summary(p) for p in found] == [
        ("broken-reference", "content/sops/damaged-item.yaml:6:17", "sop:damaged-item", None, None, ()),
        ("broken-reference", "content/sops/damaged-item.yaml:7:11", "sop:damaged-item", None, None, ()),
        ("broken-reference", "content/sops/damaged-item.yaml:8:11", "sop:damaged-item", None, None, ()),
        ("broken-reference", "content/sops/damaged-item.yaml:9:26", "sop:damaged-item", None, None, ()),
    ]
    assert all(p.severity == "error" for p in found)
    messages = [(p.message, p.hint) for p in found]
    assert messages[0] == ("sop:damaged-item step 'acknowledge' templates names the template 'apology-damaged', "
                           "which does not exist", "fix the id, or create templates/apology-damaged.yaml")
    assert messages[1][1] == "did you mean 'where-is-my-order'?"
    assert messages[2][0] == "sop:damaged-item related names the SOP 'lost-parcel', which does not exist"


def test_template_scenario_faq_related_and_path_read(check):
    found = check({
        "templates/apology.yaml": """\
            channel: email
            scenario: damaged
            reviewed: 2026-10-01
            source: {body: Sorry.}
            """,
        "faq/late.yaml": """\
            category: shipping
            reviewed: 2026-10-01
            related: [where-is-my-order, gone]
            source: {question: Late?, answer: Sorry.}
            """,
        "paths/week-one.yaml": """\
            title: Week one
            modules:
              - title: Basics
                read: [faq:late, sop:nothing]
            """,
    }, code="broken-reference")
    assert [summary(p) for p in found] == [
        ("broken-reference", "content/faq/late.yaml:3:30", "faq:late", None, None, ()),
        ("broken-reference", "content/paths/week-one.yaml:4:22", "path:week-one", None, None, ()),
        ("broken-reference", "content/templates/apology.yaml:2:11", "template:apology", None, None, ()),
    ]
    assert found[2].message == "template:apology scenario names the SOP 'damaged', which does not exist"


def test_reference_to_a_file_that_failed_to_load_is_not_repeated(check):
    found = check({"sops/damaged-item.yaml": SOP, "sops/lost-parcel.yaml": "title: [broken\n"})
    # the SOP's `related: [lost-parcel]` (line 8) names the broken file: only the file's own error is
    # reported, while the SOP's other broken references still are
    assert [summary(p)[:2] for p in found if p.code in ("yaml-syntax", "broken-reference")] == [
        ("yaml-syntax", "content/sops/lost-parcel.yaml:1:8"),
        ("broken-reference", "content/sops/damaged-item.yaml:6:17"),
        ("broken-reference", "content/sops/damaged-item.yaml:7:11"),
        ("broken-reference", "content/sops/damaged-item.yaml:9:26"),
    ]


def test_public_faq_related_to_internal_faq(check):
    found = check({
        "faq/late.yaml": """\
            category: shipping
            reviewed: 2026-10-01
            related: [carrier-portal]
            source: {question: Late?, answer: Sorry.}
            """,
        "faq/carrier-portal.yaml": """\
            category: shipping
            audience: internal
            reviewed: 2026-10-01
            source: {question: Which portal?, answer: The carrier portal.}
            """,
    }, code="internal-reference")
    assert [summary(p) for p in found] == [
        ("internal-reference", "content/faq/late.yaml:3:11", "faq:late", None, None, ()),
    ]
    assert found[0].severity == "warning"
