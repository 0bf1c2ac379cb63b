"""Scan and lint over synthetic archives of several sizes: cold scan, warm scan, lint, and what
the perceptual hashes of photos cost.

    python benchmarks/scan.py [--sizes 10000 40000] [--cold-runs 3] [--warm-runs 3]

Prints figures; it is not a test. Targets (issue 16): the cold scan grows linearly (ratio
40k/10k at most 4.5); (issue 15) the perceptual hashes add under 10 % to a cold scan. Each cold
scan and the first lint after it are paired with a cold scan and lint whose photos are not to
be hashed (``photo_hashes.wants`` says no): the differences are what the hashes add to the
scan (it leaves them pending) and to the first lint (which hashes every photo). Each size
works on a copy of the synthetic archive made of hard links (benchmarks/synth.py).
"""
from __future__ import annotations

import gc
import shutil
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sizes import Figures, arguments, run_sizes  # noqa: E402
from synth import WORK, cached_archive, working_copy  # noqa: E402

from archive_tool import derive, photo_hashes, scan as scan_module  # noqa: E402
from archive_tool.lint import lint  # noqa: E402
from archive_tool.scan import scan  # noqa: E402


def cold_scan(root: Path, hashes: bool = True, ahead: bool = False
              ) -> tuple[float, dict, object, int, float]:
    """A scan with no cache, timing read_file per extension; the full garbage collections it
    made; the first lint after it. ``hashes=False``: no photo is to be hashed (the scan and
    lint without perceptual hashes); ``ahead``: the photos hashed while the scan reads, as
    ``Archive.lint`` and the watcher's start do."""
    for name in ("state.sqlite", "state.sqlite-wal", "state.sqlite-shm"):
        (root / ".archive" / name).unlink(missing_ok=True)
    per_ext: dict[str, list[float]] = defaultdict(list)
    original = scan_module.read_file

    def timed(path, ext, *args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(path, ext, *args, **kwargs)
        finally:
            per_ext[ext.lower()].append(time.perf_counter() - t0)

    scan_module.read_file = timed
    if not hashes:
        derive.wants = lambda rel: False
    full_before = gc.get_stats()[2]["collections"]
    try:
        with photo_hashes.Ahead(root / ".archive", ahead) as early:
            t0 = time.perf_counter()
            result = scan(root, ahead=early)
            t1 = time.perf_counter()
            full = gc.get_stats()[2]["collections"] - full_before
            lint(result, ahead=early)
            return t1 - t0, per_ext, result, full, time.perf_counter() - t1
    finally:
        scan_module.read_file = original
        derive.wants = photo_hashes.wants


def measure(size: int, figures: Figures, cold_runs: int, warm_runs: int) -> None:
    root = working_copy(cached_archive(size), WORK / f"scan-bench-{size}")
    colds, added, collections, firsts, first_added, both_added = [], [], [], [], [], []
    for run in range(cold_runs):  # each cold scan paired with one whose photos are not hashed
        if run % 2:  # the order alternates: a machine that slows or speeds up evens out
            without, _, _, _, lint_without = cold_scan(root, hashes=False)
        cold, per_ext, result, full, first = cold_scan(root)
        beside, _, _, _, after = cold_scan(root, ahead=True)
        if not run % 2:
            without, _, _, _, lint_without = cold_scan(root, hashes=False)
        colds.append(cold)
        added.append(100 * (cold - without) / without)
        collections.append(full)
        firsts.append(first)
        base = without + lint_without
        first_added.append(100 * (cold + first - base) / base)
        both_added.append(100 * (beside + after - base) / base)
        photos = sum(1 for ev in result.evidence if ev.phash is not None
                     and photo_hashes.wants(ev.path) and not ev.error)
        del result
    n = len(scan(root).evidence)
    print(f"\n{size}: {n} files ({root}); the last cold scan's reading, by extension:")
    for ext, times in sorted(per_ext.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {ext:6} {len(times):5d} files  {sum(times):6.2f} s  "
              f"median {1000 * statistics.median(times):6.2f} ms/file")
    print(f"  perceptual hashes: {photos} photos, by the first lint, in "
          f"{photo_hashes._workers()} worker process(es)")
    warm, lints, totals = [], [], []
    for _ in range(warm_runs):
        t0 = time.perf_counter()
        result = scan(root)
        t1 = time.perf_counter()
        lint(result)
        t2 = time.perf_counter()
        warm.append(t1 - t0)
        lints.append(t2 - t1)
        totals.append(t2 - t0)
        assert result.stats.read == 0, "a warm scan must read no file"
    figures.add(size, "cold scan", colds, target="ratio <= 4.5")
    figures.add(size, "cold scan, files/s", [n / c for c in colds], unit="")
    figures.add(size, "perceptual hashes, time they add to a cold scan", added, unit="%",
                target="< 10 %")
    figures.add(size, "first lint (hashes every photo)", firsts)
    figures.add(size, "first lint, photos hashed/s", [photos / f for f in firsts], unit="")
    figures.add(size, "hashes add to cold scan + first lint", first_added, unit="%")
    figures.add(size, "  the same, hashed beside the scan (lint)", both_added, unit="%")
    figures.add(size, "full gc collections in a cold scan", collections, unit="")
    figures.add(size, "warm scan", warm)
    figures.add(size, "lint", lints)
    figures.add(size, "warm scan + lint", totals)
    shutil.rmtree(root)


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=3)
    args = parser.parse_args()
    figures = Figures("scan (medians)")
    run_sizes(figures, args.sizes,
              lambda size: measure(size, figures, args.cold_runs, args.warm_runs))


if __name__ == "__main__":
    main()
