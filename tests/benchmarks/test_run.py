"""Helpers of benchmarks/run.py that do not need a build: editing, parsing, percentiles, measuring."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import generate as gen  # noqa: E402
from benchmarks import measure, run, search_worker  # noqa: E402
from kb_builder.loading.loader import load  # noqa: E402


def test_edit_keeps_the_content_valid_and_changes_the_text(tmp_path):
    content = tmp_path / "content"
    gen.generate("small", content)
    targets = json.loads((content / gen.MANIFEST).read_text())["edit_targets"]
    before = load(content).catalog
    bench = run.Bench.__new__(run.Bench)
    bench.edit, bench.content = content, content
    assert len(bench.edit_content()) == 2
    result = load(content)
    assert [p for p in result.problems if p.severity == "error"] == []
    faq, sop = result.catalog.faqs[targets["faq"]], result.catalog.sops[targets["sop"]]
    assert run.EDIT_MARK in faq.source["answer"]
    assert run.EDIT_MARK in sop.source[f"steps.{targets['sop_step']}.do"]
    assert faq.fingerprint() != before.faqs[targets["faq"]].fingerprint()


def test_edit_of_plain_and_quoted_scalars(tmp_path):
    for text, expected in (("  - do: Reply now.\n", "Reply now."), ('    do: "{market.x} hours"\n', "{market.x} hours")):
        p = tmp_path / "x.yaml"
        p.write_text("steps:\n" + (text if text.startswith("  -") else "  - id: a\n" + text))
        assert run._edit_field(p, r"^(?P<ind>\s+)(?:- )?do:", run.EDIT_MARK)
        data = yaml.safe_load(p.read_text())
        assert data["steps"][0]["do"] == f"{run.EDIT_MARK} {expected}"


def test_stage_lines_are_parsed():
    text = "Building...\nstage load+check: 1.25 s\nstage render internal: 0.80 s\nstage search index: 12 s\nInternal site: x"
    assert run._stage_times(text) == {"load+check": 1.25, "render internal": 0.8, "search index": 12.0}


def test_percentile_nearest_rank():
    values = list(range(1, 101))
    assert measure.percentile(values, 50) == 50
    assert measure.percentile(values, 95) == 95
    assert measure.percentile([7.0], 95) == 7.0


def test_findings_are_counted_from_a_summary_or_the_list():
    assert run._count_findings({"summary": {"errors": 2, "warnings": 5}, "findings": []}) == (2, 5)
    assert run._count_findings({"findings": [{"severity": "error"}, {"severity": "warning"}, {"severity": "warning"}]}) \
        == (1, 2)


def test_missing_commands_are_recognised():
    assert run._missing("Error: No such command 'search'.") == "No such command 'search'"
    assert "kb_builder.pipeline" in run._missing("ModuleNotFoundError: No module named 'kb_builder.pipeline'")
    assert run._missing("Traceback: KeyError") == ""


def test_measure_reports_exit_code_output_and_memory():
    m = measure.measure([sys.executable, "-c", "import sys; b = bytearray(64 * 2**20); print('ok'); sys.exit(3)"], 60)
    assert m.exit_code == 3 and m.stdout.strip() == "ok" and not m.timed_out
    assert m.peak_rss_mib > 60


def test_measure_kills_on_timeout():
    m = measure.measure([sys.executable, "-c", "import time; time.sleep(30)"], 0.5)
    assert m.timed_out and m.wall_s < 10


def test_an_unavailable_stage_is_reported_not_raised():
    m = measure.Measure(cmd=["kb", "search"], exit_code=2, stderr="Error: No such command 'search'.")
    st = run.from_measure("search", m)
    assert st.status == "not available" and "search" in st.note


def test_targets_mark_pass_fail_and_missing():
    bench = run.Bench.__new__(run.Bench)
    bench.preset = "large"
    rows = {r["metric"]: r for r in bench.targets({"build_s": 250.0, "rebuild_ratio": 0.2, "check_s": None})}
    assert rows["build_s"]["status"] == "pass"
    assert rows["rebuild_ratio"]["status"] == "fail"
    assert rows["check_s"]["status"] == "n/a"


def test_search_api_adapter_maps_parameter_names():
    calls = []

    def search(index_dir, q, *, lang=None, market=None, kind=None, public_only=False, n=10):
        calls.append((index_dir, q, lang, market, kind, public_only, n))
        return []

    search_worker._adapt(search, "IDX")("返品", {"lang": "ja", "market": "JP", "public": True})
    assert calls == [("IDX", "返品", "ja", "JP", None, True, 10)]


def test_the_output_walk_leaves_out_trees_being_removed(tmp_path):
    from benchmarks.run import _walk_output

    site = tmp_path / "site"
    for rel in ("internal/index.html", ".kb-trash-1-2/internal/index.html", ".kb-inputs"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x", encoding="utf-8")
    seen = sorted(os.path.relpath(os.path.join(root, n), site) for root, _, names in _walk_output(site) for n in names)
    assert seen == [".kb-inputs", os.path.join("internal", "index.html")]


def test_both_reports_give_the_speed_probe_beside_the_load():
    from benchmarks import report

    loop, copy = run.speed_probe()
    assert 0 < loop < 60 and 0 < copy < 60
    result = {"preset": "small", "commit": "abc1234", "dirty": False, "stages": {}, "targets": [],
              "content": {"counts": {}}, "output": None, "metrics": {},
              "machine": {"cpus": 2, "loadavg_before": [0.4, 0, 0], "loadavg_after": [1.2, 0, 0],
                          "speed_probe_s": {"loop_copy_before": [0.121, 0.33], "loop_copy_after": [0.305, 0.41]}}}
    probe = "speed probe before/after (best of 3): Python loop 0.121/0.305 s, 256 MiB copy 0.330/0.410 s"
    assert probe + "; compare runs only at similar figures" in report.table(result)
    assert f"Load average before/after 0.4/1.2; {probe}." in report.markdown(result)
    result["machine"]["speed_probe_s"] = [0.146, 0.127]  # the first runs with a probe: the loop only
    assert "speed probe (a fixed Python loop, best of 3) before/after 0.146/0.127 s" in report.markdown(result)
    del result["machine"]["speed_probe_s"]  # results written before the probe existed
    assert "speed probe" not in report.table(result) + report.markdown(result)
