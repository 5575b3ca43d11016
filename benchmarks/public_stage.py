"""Time the public help-center stage alone, in one process: a full build, a rebuild with nothing
changed, and a rebuild after one FAQ answer edit (the benchmark's edit), on a copy of a content folder.

    PYTHONPATH=. python benchmarks/public_stage.py --content /work/benchwork/medium/content --work /tmp/pubstage

For the large preset, where a whole `kb build` takes many minutes, this measures the stage that
issue 15 item 6 is about without the internal site and the search index. Prints one line per
build and writes `--json FILE` when asked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import EDIT_MARK, _edit_field  # noqa: E402  (the benchmark's own edit)


def main(argv: list[str] | None = None) -> int:
    """Run the three builds and print their times."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--content", required=True, type=Path)
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--today", default="2026-11-23")
    ap.add_argument("--faq", help="the FAQ id to edit (default: the manifest's edit target, else the first)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from kb_builder.pipeline import build_date, load_and_check
    from kb_builder.render import text
    from kb_builder.sites.public import build_public

    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    content = work / "content"
    shutil.copytree(args.content, content)
    today = dt.date.fromisoformat(args.today)
    rows = []

    def run(name: str, previous: Path | None) -> Path:
        t0 = time.perf_counter()
        catalog, _ = load_and_check(content, today)
        text.start_build()
        loaded = time.perf_counter() - t0
        out = work / name
        res = build_public(catalog, out, previous=previous, build_date=int(dt.datetime(2026, 1, 1).timestamp()))
        built = [c.built for c in res.help_centers]
        rows.append({"build": name, "load_s": round(loaded, 2), "public_s": round(res.seconds, 2),
                     "centers": len(built), "rendered": sum(getattr(c, "rendered", c.pages) for c in res.help_centers),
                     "pages": sum(c.pages for c in res.help_centers), "example": built[0] if built else ""})
        print(f"{name:8} load {loaded:6.2f} s  public help centers {res.seconds:7.2f} s  "
              f"{rows[-1]['rendered']} of {rows[-1]['pages']} pages rendered "
              f"({len(built)} centers; first: {built[0] if built else '-'})", flush=True)
        return out

    full = run("full", None)
    noop = run("noop", full)
    manifest = content / ".benchmark.json"
    target = args.faq
    if target is None and manifest.is_file():
        target = json.loads(manifest.read_text("utf-8")).get("edit_targets", {}).get("faq")
    faq = content / "faq" / f"{target}.yaml" if target else sorted((content / "faq").glob("*.yaml"))[0]
    if not _edit_field(faq, r"^(?P<ind>\s+)answer:", EDIT_MARK):
        print(f"could not edit {faq}", file=sys.stderr)
        return 1
    run("edit", noop)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "load": os.getloadavg()}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
