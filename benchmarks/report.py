"""Results as a plain-text table, as Markdown for the README, and compared across runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

MIB = 1024 * 1024
REPO = Path(__file__).resolve().parent.parent


def _fmt(v, unit="") -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        v = f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"
    return f"{v} {unit}".strip()


def table(result: dict) -> str:
    rows = [("stage", "status", "wall", "peak RSS", "tree RSS", "tree PSS", "notes")]
    for name, st in result["stages"].items():
        notes = st["note"]
        d = st.get("detail") or {}
        if d.get("stages"):
            notes = ", ".join(f"{k} {v:.1f}s" for k, v in d["stages"].items()) + (f"; {notes}" if notes else "")
        if "p95_ms" in d:
            notes = f"p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms over {d.get('samples', d.get('queries'))}" + \
                    (f"; {notes}" if notes else "")
        if d.get("errors") is not None:
            notes = f"{d['errors']} errors, {d['warnings']} warnings" + (f"; {notes}" if notes else "")
        if "files_rewritten" in d:
            notes += f"{'; ' if notes else ''}{d['files_rewritten']} files rewritten"
        rows.append((name, st["status"], _fmt(st["wall_s"], "s"), _fmt(st["peak_rss_mib"], "MiB"),
                     _fmt(st["peak_tree_mib"], "MiB"), _fmt(st.get("peak_tree_pss_mib"), "MiB"), notes))
    out = _grid(rows)
    o = result.get("output") or {}
    if o:
        gz = o.get("help_center_index_gzip")
        out += (f"\noutput: {o['bytes'] / MIB:.1f} MiB in {o['files']} files ("
                + ", ".join(f"{k} {v / MIB:.1f} MiB" for k, v in o["by_dir"].items()) + ")")
        if gz:
            out += f"\nhelp center search indexes: {gz['count']}, gzipped max {gz['max'] / 1000:.1f} KB, median {gz['median'] / 1000:.1f} KB"
        internal = o.get("internal_index")
        if internal:
            out += (f"\ninternal site search index: {internal['bytes'] / 1e6:.2f} MB, "
                    f"gzipped {internal['gzip_bytes'] / 1e6:.2f} MB (what a browser downloads)")
    if result["targets"]:
        out += "\n\n" + _grid([("target", "limit", "value", "result")] + [
            (t["label"], f"< {t['limit']} {t['unit']}".strip(), _fmt(t["value"], t["unit"]), t["status"].upper())
            for t in result["targets"]])
    m = result["machine"]
    out += (f"\n\n{result['preset']} @ {result['commit']}{' (dirty)' if result['dirty'] else ''}, "
            f"{m['cpus']} CPUs, load average before/after {m['loadavg_before'][0]}/{m['loadavg_after'][0]}")
    if m.get("speed_probe_s"):
        out += f"\n{_probe(m['speed_probe_s'])}; compare runs only at similar figures"
    if m["loadavg_before"][0] > 0.5 * (m["cpus"] or 1):
        out += "\nwarning: the machine was busy when the run started; timings are not comparable"
    return out


def markdown(result: dict) -> str:
    c = result["content"]
    lines = [f"Preset `{result['preset']}`: {c.get('counts', {}).get('sops', '?')} SOPs, "
             f"{c.get('counts', {}).get('faqs', '?')} FAQ, {c.get('counts', {}).get('templates', '?')} templates, "
             f"{c.get('markets', '?')} markets, {c.get('languages', '?')} languages "
             f"(commit {result['commit']}, {result['machine']['cpus']} CPUs).", "",
             "| stage | wall | peak memory (tree PSS) | notes |", "|---|---|---|---|"]
    for name, st in result["stages"].items():
        if st["status"] != "ok":
            note = st["note"].replace(str(REPO) + os.sep, "")
            lines.append(f"| {name} | {st['status']} | | {note} |")
            continue
        d = st.get("detail") or {}
        note = ", ".join(f"{k} {v:.1f} s" for k, v in (d.get("stages") or {}).items())
        if "p95_ms" in d:
            note = f"p50 {d['p50_ms']} ms, p95 {d['p95_ms']} ms ({d.get('method') or 'warm, one process'})"
        if d.get("errors") is not None:
            note = f"{d['errors']} errors, {d['warnings']} warnings"
        mem = st.get("peak_tree_pss_mib") or st["peak_tree_mib"] or st["peak_rss_mib"]
        lines.append(f"| {name} | {_fmt(st['wall_s'], 's')} | {_fmt(mem, 'MiB')} | {note} |")
    internal = (result.get("output") or {}).get("internal_index")
    if internal:
        lines += ["", f"Internal site search index: {internal['bytes'] / 1e6:.2f} MB, gzipped "
                      f"{internal['gzip_bytes'] / 1e6:.2f} MB."]
    if result["targets"]:
        lines += ["", "| target | limit | value | |", "|---|---|---|---|"]
        lines += [f"| {t['label']} | < {t['limit']} {t['unit']} | {_fmt(t['value'], t['unit'])} | {t['status']} |"
                  for t in result["targets"]]
    m = result["machine"]
    lines += ["", f"Load average before/after {m['loadavg_before'][0]}/{m['loadavg_after'][0]}"
                  + (f"; {_probe(m['speed_probe_s'])}" if m.get("speed_probe_s") else "") + "."]
    return "\n".join(lines) + "\n"


def _probe(probe) -> str:
    """The speed probe's figures (run.speed_probe); the first runs that had it recorded the loop only."""
    if isinstance(probe, list):
        return f"speed probe (a fixed Python loop, best of 3) before/after {probe[0]:.3f}/{probe[1]:.3f} s"
    (loop0, copy0), (loop1, copy1) = probe["loop_copy_before"], probe["loop_copy_after"]
    return (f"speed probe before/after (best of 3): Python loop {loop0:.3f}/{loop1:.3f} s, "
            f"256 MiB copy {copy0:.3f}/{copy1:.3f} s")


def _grid(rows) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for n, r in enumerate(rows):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)) + "  " + str(r[-1]))
        if n == 0:
            out.append("  ".join("-" * w for w in widths) + "  " + "-" * max(5, len(str(r[-1]))))
    return "\n".join(out)


def compare(old_file: str, new_file: str) -> int:
    old, new = (json.loads(Path(f).read_text(encoding="utf-8")) for f in (old_file, new_file))
    rows = [("metric", old.get("commit", "old"), new.get("commit", "new"), "change")]
    for key in new["metrics"]:
        a, b = old.get("metrics", {}).get(key), new["metrics"][key]
        change = f"{(b - a) / a:+.0%}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a else ""
        rows.append((key, _fmt(a), _fmt(b), change))
    print(_grid(rows))
    return 0
