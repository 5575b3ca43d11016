"""SMS segment counting (GSM-7, its extension characters, UCS-2, emoji) and channel limits. The
cases file is shared with the composer's script (tests/browser/test_composer.py)."""

import json
from pathlib import Path

import pytest

from kb_builder.reply_length import max_chars, sms_length

CASES = json.loads(Path(__file__).with_name("reply_length_cases.json").read_text(encoding="utf-8"))


def case_text(case: dict) -> str:
    """The case's text (`repeat: [char, n]` spells long texts)."""
    return case["repeat"][0] * case["repeat"][1] if "repeat" in case else case["text"]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:20] for c in CASES])
def test_sms_length(case):
    got = sms_length(case_text(case))
    assert (got.encoding, got.units, got.segments) == (case["encoding"], case["units"], case["segments"])


def test_parts_capacity_follows_the_encoding():
    assert sms_length("a" * 160).per_segment == 160
    assert sms_length("a" * 161).per_segment == 153
    assert sms_length("日").per_segment == 70
    assert sms_length("日" * 71).per_segment == 67


def test_limits_come_from_the_market_else_the_channel_type():
    assert max_chars("chat", 500) == 500
    assert max_chars("chat") == 1000
    assert max_chars("email") is None
    assert max_chars("sms") == 160
    assert max_chars("carrier-pigeon") == 2000
