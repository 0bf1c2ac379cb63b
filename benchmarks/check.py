"""The gap report over synthetic archives with a warm cache (targets, issue 16: scan + lint +
check under 1.5 s at 40k files, ratio 40k/10k at most 4.5).

    python benchmarks/check.py [--sizes 10000 40000] [--seed 0] [--repeat 3]

Builds each archive once (benchmarks/synth.py, reused from benchmarks/_work/), scans it once to
warm the metadata cache, then times scan + lint + check several times and prints the median of
each step, and of each renderer, for each size side by side.
"""
from __future__ import annotations

import io
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402
from sizes import Figures, arguments, run_sizes  # noqa: E402


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def measure(root: Path, size: int, figures: Figures, repeat: int) -> None:
    from archive_tool.check import by_owner, check
    from archive_tool.config import open_archive
    from archive_tool.lint import lint
    from archive_tool.report.gap_html import gap_html
    from archive_tool.report.gap_markdown import gap_markdown
    from archive_tool.report.gap_text import gap_text
    from archive_tool.report.gap_xlsx import write_gap_xlsx
    from archive_tool.scan import scan

    config = open_archive(root)
    as_of = date(config.window_end.year + 1, 1, 15)
    result, cold = _timed(lambda: scan(root, config=config))
    print(f"archive: {root} ({len(result.evidence)} files); first scan {cold:.2f} s "
          f"(read {result.stats.read}, cached {result.stats.cached})")
    del result
    steps: dict[str, list[float]] = {k: [] for k in ("scan", "lint", "check", "total")}
    renders: dict[str, list[float]] = {k: [] for k in ("text", "markdown", "html", "json",
                                                        "xlsx")}
    report = None
    for _ in range(repeat):
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
    for key in ("scan", "lint", "check"):
        figures.add(size, f"warm {key}", steps[key])
    figures.add(size, "warm scan + lint + check", steps["total"],
                target="< 1.5 s at 40k, ratio <= 4.5")
    for key, values in renders.items():
        figures.add(size, f"render {key}", values)
    s = report.summary()
    print(f"report: {s['assessed']} leaves assessed, {s['complete']} complete, {s['missing']} "
          f"missing, {s['in_progress']} in progress; {s['counted']} files counted, "
          f"{s['not_counted']} not counted")


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = Figures(f"check, warm cache (medians of {args.repeat})")
    run_sizes(figures, args.sizes,
              lambda size: measure(synth.cached_archive(size, args.seed), size, figures, args.repeat))


if __name__ == "__main__":
    main()
