"""Seeded fuzzing of the bundled content (issue 18): byte flips, truncations, deleted or doubled
lines, control bytes and type swaps, each checked in-process. Whatever the mutation, `kb check`
ends with exit 0 or 1, never a traceback, and every error names its file and line.

Bounded: FUZZ_CASES mutations (KB_FUZZ_CASES overrides) or FUZZ_SECONDS, whichever ends first;
the seed (KB_FUZZ_SEED) is printed with every failing case so it can be replayed.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import time
from pathlib import Path

from kb_builder.cli import main

REPO = Path(__file__).resolve().parents[1]
FUZZ_CASES = int(os.environ.get("KB_FUZZ_CASES", "100"))
FUZZ_SECONDS = float(os.environ.get("KB_FUZZ_SECONDS", "60"))
SEED = int(os.environ.get("KB_FUZZ_SEED", "18"))
# An error line of `kb check`'s text report: "  path:line:column: error: ..." (the summary line,
# "error: kb check found N error(s)", is the only one allowed without a position).
_ERROR = re.compile(r"^\s*(?P<where>\S.*?): error: ")
_POSITION = re.compile(r"^\S+\.ya?ml:\d+:\d+$")
_SCALAR_LINE = re.compile(rb"^(?P<head>\s*(?:- )?[A-Za-z_][\w-]*: )(?P<value>\S.*)$", re.M)
_SWAPS = [b"[]", b"{}", b"[1, 2]", b"{a: 1}", b"null", b"true", b"-1", b"1e999", b"2026-02-30", b"''",
          b"!!python/object:os.system ls", b"*nowhere", b"&a [*a]", b"\"\\u0000\"", b"9" * 60, b"9" * 5000,
          b"[" * 1200, b"A" * 5000, b"|", b">-"]


def _mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(["flip", "truncate", "delete-line", "double-line", "control", "swap", "swap", "indent"])
    if not data:
        return "empty", data
    if kind == "flip":
        buf = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        return kind, bytes(buf)
    if kind == "truncate":
        return kind, data[:rng.randrange(len(data))]
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    if kind == "delete-line":
        return kind, b"\n".join(lines[:i] + lines[i + 1:])
    if kind == "double-line":
        return kind, b"\n".join(lines[:i + 1] + lines[i:])
    if kind == "control":
        pos = rng.randrange(len(data))
        return kind, data[:pos] + bytes([rng.choice([0, 7, 8, 0x1b, 0x7f, 0x85])]) + data[pos:]
    if kind == "indent":
        lines[i] = b"\t" + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
        return kind, b"\n".join(lines)
    matches = list(_SCALAR_LINE.finditer(data))
    if not matches:
        return "swap-none", data
    m = rng.choice(matches)
    return "swap", data[:m.start("value")] + rng.choice(_SWAPS) + data[m.end("value"):]


def test_mutated_content_gives_exit_0_or_1_with_positions_and_no_traceback(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    monkeypatch.chdir(tmp_path)
    files = sorted(p for p in content.rglob("*.yaml"))
    rng = random.Random(SEED)
    started, cases = time.monotonic(), 0
    while cases < FUZZ_CASES and time.monotonic() - started < FUZZ_SECONDS:
        cases += 1
        target = rng.choice(files)
        original = target.read_bytes()
        kind, mutated = _mutate(original, rng)
        target.write_bytes(mutated)
        case = f"seed {SEED} case {cases}: {kind} of {target.relative_to(tmp_path)}"
        try:
            code = main(["check", "--content", "content", "--today", "2026-11-23"])
        except BaseException as exc:  # noqa: BLE001 - the very thing this test looks for
            raise AssertionError(f"{case}: {type(exc).__name__}: {exc}") from exc
        finally:
            target.write_bytes(original)
        said = capsys.readouterr()
        text = said.out + said.err
        assert code in (0, 1), f"{case}: exit {code}\n{text[-2000:]}"
        assert "Traceback" not in text, f"{case}\n{text[-2000:]}"
        for line in text.splitlines():
            m = _ERROR.match(line)
            if m and not line.startswith("error: kb check found"):
                assert _POSITION.match(m.group("where")), f"{case}: an error without file:line: {line}"
    assert cases >= min(FUZZ_CASES, 20), f"only {cases} cases ran in {FUZZ_SECONDS} s"
