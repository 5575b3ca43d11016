"""Fuzz test (issue 18): the bundled content, mutated (byte flips, truncations, type swaps), is
checked in-process. Every run must end with exit 0 or 1, never a traceback, and every error must
name its file and line. Seeded and bounded: 24 mutations, about 20 seconds."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from kb_builder.cli import main

CONTENT = Path(__file__).resolve().parents[2] / "content"
SEED = 18
CASES = 24
_ERROR = re.compile(r"^\s*(\S+?):(\d+)(?::\d+)?: error: ", re.M)
_SWAPS = [(b": ", b": [1, 2]\n#"), (b"- ", b"- {a: 1}\n#"), (b"2026-", b"99999-"), (b": ", b": 1e999\n#"),
          (b": ", b": ~\n#"), (b"en", b"\x00"), (b"{market.", b"{market."), (b":", b"::")]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.choice(["flip", "truncate", "swap"])
    if kind == "flip" and data:
        buf = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        return bytes(buf)
    if kind == "truncate":
        return data[:rng.randrange(len(data) + 1)]
    old, new = rng.choice(_SWAPS)
    spots = [m.start() for m in re.finditer(re.escape(old), data)]
    if not spots:
        return data + new
    at = rng.choice(spots)
    return data[:at] + new + data[at + len(old):]


@pytest.fixture(scope="module")
def files():
    return sorted(p.relative_to(CONTENT) for p in CONTENT.rglob("*.yaml"))


@pytest.mark.parametrize("case", range(CASES))
def test_mutated_content_gives_messages_not_tracebacks(tmp_path, capsys, files, case):
    rng = random.Random(SEED * 1000 + case)
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for rel in rng.sample(files, 2):
        path = content / rel
        path.write_bytes(_mutate(path.read_bytes(), rng))
    try:
        code = main(["check", "--content", str(content), "--today", "2026-11-23"])
    except SystemExit as exc:  # click's usage errors
        code = exc.code
    out = capsys.readouterr()
    text = out.out + out.err
    assert code in (0, 1), text[-2000:]
    assert "Traceback" not in text
    error_lines = [line for line in text.splitlines() if ": error: " in line]
    for line in error_lines:
        assert _ERROR.match(line), f"an error without file:line: {line!r}"
