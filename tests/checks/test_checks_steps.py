"""unknown-step, unreachable-step, step-cycle, next-outside-market, step-market-out-of-scope."""

from __future__ import annotations

from checkhelp import check_fixture, summary  # noqa: F401 (registers the `check` fixture)

from kb_builder.checks.steps import flow
from kb_builder.loading.loader import load


def _sop(steps: str, markets: str = "all") -> dict:
    return {"sops/damaged-item.yaml": f"title: Item arrived damaged\nreviewed: 2026-10-01\nmarkets: {markets}\n"
                                      f"steps:\n{steps}"}


def test_unknown_step(check):
    steps = """\
  - id: decide
    do: Decide.
    branches:
      - {if: Cheap, then: Refund, next: clsoe}
      - {if: Otherwise, then: Return label}
  - id: close
    do: Close.
"""
    found = check(_sop(steps), code="unknown-step")
    assert [summary(p) for p in found] == [
        ("unknown-step", "content/sops/damaged-item.yaml:8:41", "sop:damaged-item", None, None, ()),
    ]
    assert found[0].message == ("branch 1 of step 'decide' in sop:damaged-item has next: clsoe, "
                                "which is not a step of this SOP")
    assert found[0].hint == "use one of the step ids: decide, close"


def test_unreachable_step(check):
    steps = """\
  - id: decide
    do: Decide.
    branches:
      - {if: Cheap, then: Refund, next: close}
      - {if: Otherwise, then: Return label, next: close}
  - id: label
    do: Send a label.
  - id: close
    do: Close.
"""
    found = check(_sop(steps), code="unreachable-step")
    assert [summary(p) for p in found] == [
        ("unreachable-step", "content/sops/damaged-item.yaml:10:5", "sop:damaged-item", None, None, ()),
    ]
    assert found[0].severity == "warning"


def test_cycle_without_exit(check):
    steps = """\
  - id: ask
    do: Ask for photos.
  - id: wait
    do: Wait for them.
    branches:
      - {if: Photos arrived, then: Check them, next: ask}
      - {if: Nothing came, then: Remind the customer, next: wait}
  - id: close
    do: Close.
"""
    found = check(_sop(steps), code="step-cycle")
    assert [summary(p) for p in found] == [
        ("step-cycle", "content/sops/damaged-item.yaml:10:54", "sop:damaged-item", None, None, ()),
    ]
    assert found[0].message == "steps ask -> wait of sop:damaged-item form a loop with no way out"
    assert found[0].severity == "error"


def test_loop_with_an_exit_is_fine(check):
    steps = """\
  - id: ask
    do: Ask for photos.
  - id: wait
    do: Wait for them.
    branches:
      - {if: Nothing came, then: Remind the customer, next: ask}
      - {if: Photos arrived, then: Check them}
  - id: close
    do: Close.
"""
    found = check(_sop(steps))
    assert [p for p in found if p.code in ("step-cycle", "unreachable-step")] == []


def test_flow_model(make_project):
    content = make_project(_sop("  - id: a\n    do: A.\n  - id: b\n    do: B.\n"))
    f = flow(load(content).catalog.sops["damaged-item"])
    assert f.reachable == {0, 1, 2} and f.can_finish == {0, 1, 2}


def test_next_outside_market_and_step_market_out_of_scope(check):
    steps = """\
  - id: decide
    do: Decide.
    branches:
      - {if: EU customer, then: Mention the withdrawal right, next: withdrawal}
      - {if: Otherwise, then: Carry on}
  - id: withdrawal
    markets: [DE]
    do: Explain the withdrawal right.
  - id: japan
    markets: [JP]
    do: Japan only.
"""
    found = check(_sop(steps, markets="[DE, JP]"))
    jumps = [summary(p) for p in found if p.code == "next-outside-market"]
    assert jumps == [("next-outside-market", "content/sops/damaged-item.yaml:8:69", "sop:damaged-item", None,
                      "JP", ("JP",))]
    assert [p for p in found if p.code == "step-market-out-of-scope"] == []
    found = check(_sop(steps, markets="[DE]"), code="step-market-out-of-scope")
    assert [summary(p) for p in found] == [
        ("step-market-out-of-scope", "content/sops/damaged-item.yaml:13:5", "sop:damaged-item", None, "JP", ("JP",)),
    ]
