"""The gap report over the synthetic archive with a warm cache (target: under 1 s for 10k files).

    python benchmarks/check.py [--files 10000] [--seed 0] [--repeat 5] [--dest DIR]

Builds the archive once (benchmarks/synth.py, reused from benchmarks/_work/ unless --dest is
given), scans it once to warm the metadata cache, then times scan + lint + check several times
and prints the median of each step, and of each renderer.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dest", type=Path, default=None,
                        help="build the archive here (default: the shared cached one)")
    args = parser.parse_args()

    from archive_tool.check import by_owner, check
    from archive_tool.config import open_archive
    from archive_tool.lint import lint
    from archive_tool.report.gap_html import gap_html
    from archive_tool.report.gap_markdown import gap_markdown
    from archive_tool.report.gap_text import gap_text
    from archive_tool.report.gap_xlsx import write_gap_xlsx
    from archive_tool.scan import scan

    if args.dest is not None:
        if not (args.dest / ".archive" / "config.yaml").exists():
            synth.build_archive(args.dest, args.files, args.seed)
        root = args.dest
    else:
        root = synth.cached_archive(args.files, args.seed)
    config = open_archive(root)
    as_of = date(config.window_end.year + 1, 1, 15)

    result, cold = _timed(lambda: scan(root, config=config))
    print(f"archive: {root} ({len(result.evidence)} files); first scan {cold:.2f} s "
          f"(read {result.stats.read}, cached {result.stats.cached})")

    steps: dict[str, list[float]] = {k: [] for k in ("scan", "lint", "check", "total")}
    renders: dict[str, list[float]] = {k: [] for k in ("text", "markdown", "html", "json",
                                                        "xlsx")}
    report = None
    for _ in range(args.repeat):
        result, t_scan = _timed(lambda: scan(root, config=config))
        findings, t_lint = _timed(lambda: lint(result))
        report, t_check = _timed(lambda: check(result, findings, as_of=as_of))
        for key, value in (("scan", t_scan), ("lint", t_lint), ("check", t_check),
                           ("total", t_scan + t_lint + t_check)):
            steps[key].append(value)
        groups = by_owner(report)
        renders["text"].append(_timed(lambda: gap_text(report))[1])
        renders["markdown"].append(_timed(lambda: gap_markdown(report))[1])
        renders["html"].append(_timed(lambda: gap_html(report))[1])
        renders["json"].append(_timed(lambda: report.to_dict())[1])
        renders["xlsx"].append(_timed(lambda: write_gap_xlsx(report, groups, io.BytesIO()))[1])

    print(f"warm cache, median of {args.repeat} runs:")
    for key, values in steps.items():
        print(f"  {key:<8} {statistics.median(values) * 1000:8.1f} ms")
    print("renderers (median):")
    for key, values in renders.items():
        print(f"  {key:<8} {statistics.median(values) * 1000:8.1f} ms")
    s = report.summary()
    print(f"report: {s['assessed']} leaves assessed, {s['complete']} complete, {s['missing']} "
          f"missing, {s['in_progress']} in progress; {s['counted']} files counted, "
          f"{s['not_counted']} not counted")
    total = statistics.median(steps["total"])
    print(f"scan + lint + check: {total:.2f} s ({'under' if total < 1 else 'OVER'} the 1 s target)")


if __name__ == "__main__":
    main()
