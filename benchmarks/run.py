"""Time the stages a kb_builder user meets, each as a whole process, on generated content.

    python benchmarks/run.py --preset small|medium|large [--content DIR] [--skip STAGE ...]
    python benchmarks/run.py --compare OLD.json NEW.json

Stages (each one a fresh `kb` process, timed with wall clock and peak memory):
  generate       benchmarks/generate.py (skipped when the content is already there)
  check          kb check --today 2026-11-23
  build          kb build, cold (empty output folder), with the build's own per-stage times
  rebuild-noop   kb build again, nothing changed
  rebuild-edit   kb build after editing one FAQ answer and one SOP step
  search         kb search: per-process latency, and warm p50/p95 in one process when the
                 kb_builder.search Python API offers a query function
Then the output size, each public help center's search index and the internal site's, gzipped.

A command that does not exist yet is reported as "not available", never as a crash.
Peak memory is measured two ways (see measure.py): the largest single process and the whole
process tree. Results go to benchmarks/results/<preset>-<commit>-<time>.json
and latest-<preset>.json (+ .md with the table), and are checked against the targets of issue 6.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure import MIB, Measure, measure, percentile  # noqa: E402
from benchmarks.report import compare, markdown, table  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = "2026-11-23"
EDIT_MARK = "Benchmark edit - customers can also ask for this by phone."

# (preset) -> [(metric key, label, limit, unit)]; "rebuild_ratio" is rebuild-edit / build.
TARGETS = {
    "medium": [("build_s", "full build", 60, "s"), ("rebuild_edit_s", "rebuild after one edit", 5, "s"),
               ("peak_mem_mib", "peak memory (tree PSS)", 2048, "MiB")],
    "large": [("build_s", "full build", 300, "s"), ("rebuild_ratio", "rebuild / full build", 0.10, ""),
              ("peak_mem_mib", "peak memory (tree PSS)", 2048, "MiB"), ("check_s", "kb check (cold)", 2, "s"),
              ("search_warm_p95_ms", "kb search warm p95", 20, "ms"),
              ("index_gz_max_kb", "largest help center index (gzip)", 300, "KB"),
              ("internal_index_gz_mb", "internal site's search index (gzip)", 3, "MB")],
}
TARGETS["small"] = TARGETS["medium"]  # small has no targets of its own; medium's are a quick sanity bar

# A fixed query set: several languages and scripts, with and without filters.
QUERIES: list[tuple[str, dict]] = [
    ("damaged", {}), ("refund", {}), ("where is my order", {}), ("return label", {}), ("tracking link", {}),
    ("warranty", {}), ("kettle Aurora", {}), ("refund", {"market": "DE", "lang": "de"}),
    ("Erstattung", {"lang": "de"}), ("Rücksendeetikett", {"lang": "de"}), ("beschädigt angekommen", {"lang": "de"}),
    ("remboursement", {"lang": "fr"}), ("colis", {"lang": "fr"}), ("reembolso", {"lang": "es"}),
    ("devolución", {"lang": "es", "market": "ES"}), ("reembolso pedido", {"lang": "pt-BR"}),
    ("返品", {"lang": "ja"}), ("配達", {"lang": "ja", "market": "JP"}), ("返金", {"lang": "ja"}),
    ("退款", {"lang": "zh-CN"}), ("包裹", {"lang": "zh-CN"}), ("物流跟踪链接", {"lang": "zh-CN"}),
    ("استرداد", {"lang": "ar"}), ("الطرد", {"lang": "ar", "market": "AE"}), ("환불", {"lang": "ko"}),
    ("возврат денег", {"lang": "ru"}), ("iade", {"lang": "tr"}), ("zwrot pieniędzy", {"lang": "pl"}),
    ("ההחזר הכספי", {"lang": "he"}), ("επιστροφή χρημάτων", {"lang": "el"}),
    ("return", {"public": True, "market": "US", "lang": "en"}), ("apology", {"kind": "template"}),
    ("chargeback", {"kind": "sop"}),
]


# --- results -----------------------------------------------------------------------------

@dataclass
class Stage:
    """What one stage reports: `status` is ok, failed, not available, reused or skipped."""

    name: str
    status: str
    wall_s: float | None = None
    peak_rss_mib: float | None = None
    peak_tree_mib: float | None = None
    exit_code: int | None = None
    note: str = ""
    detail: dict = field(default_factory=dict)
    peak_tree_pss_mib: float | None = None


def from_measure(name: str, m: Measure, ok_codes=(0,), note: str = "") -> Stage:
    text = m.stderr + m.stdout
    if m.timed_out:
        status, note = "failed", f"timed out after {m.wall_s:.0f} s"
    elif m.exit_code in ok_codes:
        status = "ok"
    elif _missing(text):
        status, note = "not available", _missing(text)
    else:
        status = "failed"
        tail = [line for line in m.stderr.strip().splitlines() if line.strip()][-3:]
        note = note or " | ".join(tail)[:300]
    return Stage(name, status, round(m.wall_s, 3), m.peak_rss_mib, m.peak_tree_mib, m.exit_code, note,
                 peak_tree_pss_mib=m.peak_tree_pss_mib)


def _missing(text: str) -> str:
    """The reason a command is not implemented yet, or ''."""
    for pattern in (r"No such command '[^']+'", r"No module named '?kb_builder[\w.]*'?", r"no such option: [-\w]+"):
        found = re.search(pattern, text)
        if found:
            return found.group(0)
    return ""


# --- the benchmark -----------------------------------------------------------------------

class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.preset = args.preset
        self.work = Path(args.workdir).resolve() / self.preset
        self.content = Path(args.content).resolve() if args.content else self.work / "content"
        self.edit = self.work / "content-edit"
        self.site = self.work / "site"
        self.kb = args.kb.split() if args.kb else _kb_command()
        self.env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
        self.env.pop("KB_CACHE_DIR", None)  # caches beside the content, where clear_caches finds them
        # An installed kb has its bytecode (pip compiles it); without it every timed process compiles
        # each kb_builder module it imports from source again (0.05 s of a cold check, more on a build).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.stages: dict[str, Stage] = {}
        self.extra: dict = {}
        self.timeout = args.timeout

    def log(self, msg: str) -> None:
        if not self.args.quiet:
            print(msg, file=sys.stderr, flush=True)

    def skip(self, name: str) -> bool:
        if name in self.args.skip:
            self.stages[name] = Stage(name, "skipped")
            return True
        return False

    def clear_caches(self) -> None:
        """Remove kb's caches beside the content folders (`.kb-cache/`), for cold measurements.

        `kb check` writes them after it exits (kb_builder/runtime/detached.py): wait for that
        writer first (its lock on .kb-cache/.writing), or files it writes during the removal would
        make the next run warm."""
        for folder in {self.content.parent, self.edit.parent}:
            _wait_for_writer(folder / ".kb-cache" / ".writing")
            shutil.rmtree(folder / ".kb-cache", ignore_errors=True)

    def available(self, sub: list[str]) -> tuple[bool, str]:
        """Whether `kb <sub> --help` works; the help text tells which options exist."""
        m = measure(self.kb + sub + ["--help"], 120, env=self.env)
        return m.exit_code == 0, m.stdout

    def run(self, name: str, args: list[str], ok_codes=(0,)) -> tuple[Stage, Measure]:
        self.log(f"[{self.preset}] {name}: {' '.join(args)}")
        m = measure(self.kb + args, self.timeout, env=self.env)
        st = from_measure(name, m, ok_codes)
        self.stages[name] = st
        self.log(f"[{self.preset}] {name}: {st.status} in {st.wall_s:.2f} s" + (f" ({st.note})" if st.note else ""))
        return st, m

    # stages
    def generate(self) -> None:
        manifest = self.content / ".benchmark.json"
        if self.args.content:
            self.stages["generate"] = Stage("generate", "skipped", note=f"using {self.content}")
            return
        current = None
        if manifest.exists():
            current = json.loads(manifest.read_text(encoding="utf-8"))
        from benchmarks.generate import GENERATOR_VERSION
        if (current and current.get("preset") == self.preset and current.get("generator_version") == GENERATOR_VERSION
                and not self.args.regenerate):
            self.stages["generate"] = Stage("generate", "reused", note=str(self.content))
            return
        self.log(f"[{self.preset}] generate -> {self.content}")
        m = measure([sys.executable, str(HERE / "generate.py"), "--preset", self.preset, "--out", str(self.content),
                     "--force", "--quiet"], self.timeout)
        self.stages["generate"] = from_measure("generate", m)

    def manifest(self) -> dict:
        p = self.content / ".benchmark.json"
        return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}

    def check(self) -> None:
        if self.skip("check"):
            return
        ok, help_text = self.available(["check"])
        if not ok:
            self.stages["check"] = Stage("check", "not available", note="no 'kb check' command yet")
            return
        args = ["check", "--content", str(self.content)]
        if "--today" in help_text:
            args += ["--today", TODAY]
        json_out = "--format" in help_text and "json" in help_text
        if json_out:
            args += ["--format", "json"]
        self.clear_caches()  # the first check is cold, as in CI; the second shows the cached case
        st, m = self.run("check", args, ok_codes=(0, 1))  # 1 = errors found: still a completed check
        warm, _ = self.run("check-warm", args, ok_codes=(0, 1))
        warm.note = "kb's caches from the run before (unchanged content)"
        errors = warnings = None
        if json_out:
            try:
                errors, warnings = _count_findings(json.loads(m.stdout))
            except ValueError:
                pass
        if errors is None:
            found = re.search(r"(\d+) error\(?s?\)?,? (\d+) warning", m.stdout + m.stderr)
            if found:
                errors, warnings = int(found.group(1)), int(found.group(2))
        st.detail = {"errors": errors, "warnings": warnings}
        if m.exit_code == 1:
            st.note = "exit 1: the check reports errors"

    def build(self) -> None:
        if self.skip("build"):
            return
        if self.edit.exists():
            shutil.rmtree(self.edit)
        shutil.copytree(self.content, self.edit)
        if self.site.exists():
            shutil.rmtree(self.site)
        self.clear_caches()  # a full build from nothing: no loader cache, no stored conversions
        ok, help_text = self.available(["build"])
        if not ok:
            self.stages["build"] = Stage("build", "not available", note="no 'kb build' command yet")
            return
        args = ["build", "--content", str(self.edit), "--out", str(self.site)]
        if "--today" in help_text:
            args += ["--today", TODAY]
        st, m = self.run("build", args)
        st.detail["stages"] = _stage_times(m.stderr + m.stdout)
        if st.status != "ok":
            for name in ("rebuild-noop", "rebuild-edit"):
                self.stages[name] = Stage(name, "skipped", note="the full build did not succeed")
            return
        if self.skip("rebuild-noop"):
            return
        st2, m2 = self.run("rebuild-noop", args)
        st2.detail["stages"] = _stage_times(m2.stderr + m2.stdout)
        if self.skip("rebuild-edit"):
            return
        edited = self.edit_content()
        start = time.time()
        time.sleep(0.01)
        st3, m3 = self.run("rebuild-edit", args)
        st3.detail["stages"] = _stage_times(m3.stderr + m3.stdout)
        st3.detail["edited"] = edited
        if st3.status == "ok":
            changed, with_mark = _changed_files(self.site, start, EDIT_MARK)
            st3.detail["files_rewritten"] = changed
            st3.detail["files_with_edit"] = with_mark
            if not with_mark:
                st3.note = "the edited text is in no output file: the rebuild missed the edit"

    def peers(self) -> None:
        """The same internal pages built by plain MkDocs + Material and by Hugo (benchmarks/peers.py)."""
        from benchmarks import peers

        build = self.stages.get("build")
        if build is None or build.status != "ok":
            self.extra["peers"] = {"error": "the full build did not succeed"}
            return
        times = build.detail.get("stages", {})
        kb = round(times.get("render internal", 0) + times.get("mkdocs internal", 0), 2) or None
        self.log(f"[{self.preset}] peers: writing the internal pages as plain Markdown and building them ...")
        self.extra["peers"] = peers.measure(self.site / "internal", self.work / "peers", kb, self.timeout)
        self.log(peers.table(self.extra["peers"]))

    def edit_content(self) -> list[str]:
        """Edit one FAQ answer and one SOP step in the working copy, the way an author would."""
        targets = self.manifest().get("edit_targets", {})
        faq = self.edit / "faq" / f"{targets['faq']}.yaml" if "faq" in targets else _first(self.edit / "faq")
        sop = self.edit / "sops" / f"{targets['sop']}.yaml" if "sop" in targets else _first(self.edit / "sops")
        done = []
        if faq and _edit_field(faq, r"^(?P<ind>\s+)answer:", EDIT_MARK):
            done.append(f"faq {faq.stem}: answer")
        if sop and _edit_field(sop, r"^(?P<ind>\s+)(?:- )?do:", EDIT_MARK):
            done.append(f"sop {sop.stem}: first step")
        return done

    def search(self) -> None:
        if self.skip("search"):
            return
        ok, help_text = self.available(["search"])
        langs = set(self.manifest().get("languages", [])) or None
        markets = set(self.manifest().get("markets", {})) or None
        queries = [(q, o) for q, o in QUERIES
                   if (langs is None or o.get("lang") in (None, *langs))
                   and (markets is None or o.get("market") in (None, *markets))]
        self.extra["queries"] = len(queries)
        if not ok:
            self.stages["search"] = Stage("search", "not available", note="no 'kb search' command yet")
        else:
            self.search_cli(queries, help_text)
        self.search_warm(queries)

    def search_cli(self, queries, help_text: str) -> None:
        base = ["search"]
        for opt, value in (("--content", self.edit), ("--out", self.site), ("--site", self.site)):
            if opt in help_text:
                base += [opt, str(value)]
        if "--json" in help_text:
            base.append("--json")
        times, rss, failures, hits = [], [], [], []
        sample = queries[:: max(1, len(queries) // self.args.cli_queries)][: self.args.cli_queries]
        for q, opts in sample:
            args = base + [q] + _query_options(opts, help_text)
            m = measure(self.kb + args, self.timeout, env=self.env)
            if m.exit_code != 0:
                failures.append(f"{q!r}: exit {m.exit_code} {(_missing(m.stderr) or m.stderr.strip()[-200:])}")
                continue
            times.append(m.wall_s * 1000)
            rss.append(m.peak_rss_mib or 0)
            hits.append(_count_hits(m.stdout))
        if not times:
            self.stages["search"] = Stage("search", "failed", note="; ".join(failures)[:300])
            return
        self.stages["search"] = Stage(
            "search", "ok", round(statistics.median(times) / 1000, 3), max(rss), None, 0,
            note=f"{len(failures)} failed" if failures else "",
            detail={"method": "one process per query (cold)", "queries": len(times),
                    "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
                    "hits": hits, "failures": failures[:5]})

    def search_warm(self, queries) -> None:
        spec = {"index": str(self.site / "search"), "site": str(self.site), "content": str(self.edit),
                "queries": queries, "rounds": self.args.search_rounds}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump(spec, f)
        try:
            m = measure([sys.executable, str(HERE / "search_worker.py"), f.name], self.timeout, env=self.env)
        finally:
            os.unlink(f.name)
        try:
            result = json.loads(m.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            result = {"error": (m.stderr.strip().splitlines() or ["no output"])[-1]}
        if "error" in result:
            self.stages["search-warm"] = Stage("search-warm", "not available", note=result["error"][:300])
            return
        self.stages["search-warm"] = Stage(
            "search-warm", "ok", round(m.wall_s, 3), m.peak_rss_mib, m.peak_tree_mib, m.exit_code,
            note=f"via {result['api']}", peak_tree_pss_mib=m.peak_tree_pss_mib,
            detail={k: result[k] for k in ("api", "open_s", "queries", "samples", "p50_ms", "p95_ms", "max_ms", "hits")})

    def output(self) -> dict:
        if not self.site.exists():
            return {}
        by_dir: dict[str, int] = {}
        files = total = 0
        for root, _, names in _walk_output(self.site):
            for n in names:
                size = os.path.getsize(os.path.join(root, n))
                rel = os.path.relpath(root, self.site).split(os.sep)[0]
                by_dir[rel] = by_dir.get(rel, 0) + size
                files += 1
                total += size
        centers = []
        for idx in sorted(self.site.glob("public/*/*/search/search_index.json")):
            data = idx.read_bytes()
            centers.append({"market": idx.parts[-4], "lang": idx.parts[-3], "bytes": len(data),
                            "gzip_bytes": len(gzip.compress(data, compresslevel=6, mtime=0))})
        internal = self.site / "internal" / "search" / "search_index.json"
        out = {"bytes": total, "files": files, "by_dir": dict(sorted(by_dir.items())),
               "help_centers": len(list(self.site.glob("public/*/*/index.html"))), "help_center_indexes": centers}
        if internal.exists():
            data = internal.read_bytes()
            out["internal_index"] = {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6, mtime=0))}
        if centers:
            gz = [c["gzip_bytes"] for c in centers]
            out["help_center_index_gzip"] = {"max": max(gz), "median": int(statistics.median(gz)), "count": len(gz)}
        return out

    # putting it together
    def metrics(self, output: dict) -> dict:
        s = self.stages

        def wall(name):
            st = s.get(name)
            return st.wall_s if st and st.status == "ok" else None

        mem = [v for st in s.values() if st.status in ("ok", "failed") and st.name != "generate"
               for v in (st.peak_tree_pss_mib or st.peak_tree_mib or st.peak_rss_mib,) if v]
        warm = s.get("search-warm")
        cold = s.get("search")
        build, rebuild = wall("build"), wall("rebuild-edit")
        return {
            "check_s": wall("check"), "check_warm_s": wall("check-warm"), "build_s": build, "rebuild_noop_s": wall("rebuild-noop"), "rebuild_edit_s": rebuild,
            "rebuild_ratio": round(rebuild / build, 3) if build and rebuild else None,
            "peak_mem_mib": max(mem) if mem else None,
            "search_warm_p50_ms": warm.detail.get("p50_ms") if warm and warm.status == "ok" else None,
            "search_warm_p95_ms": warm.detail.get("p95_ms") if warm and warm.status == "ok" else None,
            "search_cli_p50_ms": cold.detail.get("p50_ms") if cold and cold.status == "ok" else None,
            "search_cli_p95_ms": cold.detail.get("p95_ms") if cold and cold.status == "ok" else None,
            "output_mib": round(output["bytes"] / MIB, 1) if output.get("bytes") else None,
            "index_gz_max_kb": round(output["help_center_index_gzip"]["max"] / 1000, 1)
            if output.get("help_center_index_gzip") else None,
            "internal_index_mb": round(output["internal_index"]["bytes"] / 1e6, 2)
            if output.get("internal_index") else None,
            "internal_index_gz_mb": round(output["internal_index"]["gzip_bytes"] / 1e6, 2)
            if output.get("internal_index") else None,
        }

    def targets(self, metrics: dict) -> list[dict]:
        rows = []
        for key, label, limit, unit in TARGETS.get(self.preset, []):
            value = metrics.get(key)
            if key == "search_warm_p95_ms" and value is None and metrics.get("search_cli_p95_ms") is not None:
                value, label = metrics["search_cli_p95_ms"], label + " (per process: no warm API)"
            status = "n/a" if value is None else ("pass" if value < limit else "fail")
            rows.append({"metric": key, "label": label, "limit": limit, "unit": unit, "value": value, "status": status})
        return rows

    def go(self) -> dict:
        started = dt.datetime.now(dt.timezone.utc)
        load_before = os.getloadavg()
        probe_before = speed_probe()
        self.work.mkdir(parents=True, exist_ok=True)
        self.generate()
        gen = self.stages["generate"]
        if gen.status in ("failed", "not available"):
            raise SystemExit(f"generation failed: {gen.note}")
        self.check()
        self.build()
        if getattr(self.args, "peers", False):
            self.peers()
        self.search()
        output = self.output()
        metrics = self.metrics(output)
        commit, dirty = _git()
        result = {
            "schema": 1, "preset": self.preset, "started": started.isoformat(timespec="seconds"),
            "commit": commit, "dirty": dirty, "kb": self.kb,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                        "loadavg_before": [round(x, 2) for x in load_before],
                        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
                        "speed_probe_s": {"loop_copy_before": probe_before, "loop_copy_after": speed_probe()}},
            "content": {"dir": str(self.content), **_content_summary(self.content, self.manifest())},
            "stages": {name: asdict(st) for name, st in self.stages.items()},
            "output": output, "metrics": metrics, "targets": self.targets(metrics), **self.extra,
        }
        return result


_PROBE = """
import time
loop = copy = float("inf")
block = bytearray(256 * 1024 * 1024)
for _ in range(3):
    t0 = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i
    t1 = time.perf_counter()
    bytes(block)
    t2 = time.perf_counter()
    loop, copy = min(loop, t1 - t0), min(copy, t2 - t1)
print(round(loop, 3), round(copy, 3))
"""


def speed_probe() -> list[float]:
    """Seconds of two fixed tasks here, best of three each: a pure-Python loop (the CPU) and a
    copy of 256 MiB (memory bandwidth). The load average sees neither a host that gives this
    virtual machine less CPU nor one with slower memory (seen here on 2026-12-04: a medium run
    took three times as long as the day before, plain Material and Hugo alike, at load 0.7, with
    the loop as fast as ever and 512 MiB copied in 0.66 s). It runs in its own process: a kb
    process forked from a runner that had held the block would report the runner's size as its
    peak RSS (Linux keeps ru_maxrss across exec)."""
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()]


def _kb_command() -> list[str]:
    exe = Path(sys.executable).with_name("kb")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("kb")
    return [found] if found else [sys.executable, "-m", "kb_builder"]


def _count_findings(data) -> tuple[int, int]:
    """(errors, warnings) in a JSON report: a summary if it has one, else every finding counted."""
    if isinstance(data, dict):
        summary = data.get("summary") or data.get("counts") or {}
        if isinstance(summary, dict) and "errors" in summary and "warnings" in summary:
            return int(summary["errors"]), int(summary["warnings"])
    errors = warnings = 0
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            sev = node.get("severity")
            if sev == "error":
                errors += 1
            elif sev == "warning":
                warnings += 1
            else:
                stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return errors, warnings


_STAGE_LINE = re.compile(r"^\s*stage\s+(.+?):\s*([0-9]+(?:\.[0-9]+)?)\s*s\b.*$", re.M)


def _stage_times(text: str) -> dict[str, float]:
    return {name: float(sec) for name, sec in _STAGE_LINE.findall(text)}


def _first(folder: Path) -> Path | None:
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return files[0] if files else None


def _edit_field(path: Path, key_pattern: str, mark: str) -> bool:
    """Add `mark` as the first line of the first field matching key_pattern (block or plain scalar)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    rx = re.compile(key_pattern)
    for i, line in enumerate(lines):
        found = rx.match(line)
        if not found:
            continue
        head, _, value = line.partition(":")
        value = value.strip()
        if value in ("|", "|-", ">", ">-"):
            indent = re.match(r"\s*", lines[i + 1]).group(0)
            lines.insert(i + 1, indent + mark)
        elif value.startswith('"') and value.endswith('"'):
            lines[i] = f"{head}: {json.dumps(mark + ' ' + json.loads(value), ensure_ascii=False)}"
        elif value and value[0] not in "'|>[{&*!%@`":
            lines[i] = f"{head}: {mark} {value}"
        else:
            return False
        path.write_text("\n".join(lines), encoding="utf-8")
        return True
    return False


def _walk_output(site: Path):
    """os.walk of a built output without the replaced trees that a background remover is deleting
    (`.kb-trash-*`, runtime/staging.py): they are not output, and their files vanish mid-walk."""
    for root, dirs, names in os.walk(site):
        if os.path.samefile(root, site):
            dirs[:] = [d for d in dirs if not d.startswith(".kb-trash-")]
        yield root, dirs, names


def _changed_files(site: Path, since: float, mark: str) -> tuple[int, int]:
    changed = with_mark = 0
    needle = mark.encode("utf-8")
    for root, _, names in _walk_output(site):
        for n in names:
            p = os.path.join(root, n)
            if os.path.getmtime(p) >= since:
                changed += 1
                if n.endswith((".html", ".json", ".md")):
                    with open(p, "rb") as f:
                        if needle in f.read():
                            with_mark += 1
    return changed, with_mark


def _query_options(opts: dict, help_text: str) -> list[str]:
    args = []
    for key in ("market", "lang", "kind"):
        if key in opts and f"--{key}" in help_text:
            args += [f"--{key}", str(opts[key])]
    if opts.get("public") and "--public" in help_text:
        args.append("--public")
    return args


def _count_hits(stdout: str) -> int | None:
    try:
        data = json.loads(stdout)
    except ValueError:
        return None
    if isinstance(data, dict):
        data = data.get("hits", data.get("results", []))
    return len(data) if isinstance(data, list) else None


def _git() -> tuple[str, bool]:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                                    capture_output=True, text=True).stdout.strip())
        return commit, dirty
    except (OSError, subprocess.CalledProcessError):
        return "unknown", False


def _content_summary(content: Path, manifest: dict) -> dict:
    files = sum(1 for _ in content.rglob("*.yaml"))
    size = sum(p.stat().st_size for p in content.rglob("*.yaml"))
    out = {"yaml_files": files, "yaml_mib": round(size / MIB, 1)}
    if manifest:
        out.update(markets=len(manifest["markets"]), languages=len(manifest["languages"]),
                   counts=manifest["counts"], translations=manifest["translations"], overdue=manifest["overdue"])
        out["translations"] = {k: v for k, v in manifest["translations"].items() if k != "by_language"}
    return out


def _wait_for_writer(lock: Path) -> None:
    """Return once no process holds `lock` (flock), as kb's detached cache writer does while it writes."""
    try:
        import fcntl
        fd = os.open(lock, os.O_RDONLY)
    except (ImportError, OSError):
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    finally:
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--preset", choices=("small", "medium", "large"))
    ap.add_argument("--content", help="benchmark this content folder instead of generated content")
    ap.add_argument("--workdir", default=str(HERE / "work"), help="where content copies and the site go")
    ap.add_argument("--results", default=str(HERE / "results"), help="where the JSON results go")
    ap.add_argument("--kb", help="the kb command (default: kb next to this Python, else python -m kb_builder)")
    ap.add_argument("--regenerate", action="store_true", help="generate the content even if it is there")
    ap.add_argument("--skip", action="append", default=[],
                    choices=("check", "build", "rebuild-noop", "rebuild-edit", "search"))
    ap.add_argument("--search-rounds", type=int, default=5, help="timed passes over the query set (warm)")
    ap.add_argument("--cli-queries", type=int, default=5, help="queries run as separate kb search processes")
    ap.add_argument("--timeout", type=float, default=3600, help="per process, seconds")
    ap.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"), help="compare two result files")
    ap.add_argument("--peers", action="store_true",
                    help="also build the internal pages as plain Markdown with MkDocs + Material and Hugo (if installed)")
    ap.add_argument("--quiet", "-q", action="store_true")
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if not args.preset:
        ap.error("--preset is required")
    result = Bench(args).go()
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    stamp = result["started"].replace(":", "").replace("-", "").replace("+0000", "Z")
    name = f"{args.preset}-{result['commit']}{'-dirty' if result['dirty'] else ''}-{stamp}.json"
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    (results / name).write_text(text, encoding="utf-8")
    (results / f"latest-{args.preset}.json").write_text(text, encoding="utf-8")
    (results / f"latest-{args.preset}.md").write_text(markdown(result), encoding="utf-8")
    print(table(result))
    if isinstance(result.get("peers"), dict) and "peers" in result["peers"]:
        from benchmarks import peers

        print("\n" + peers.table(result["peers"]))
    print(f"\nwrote {results / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
