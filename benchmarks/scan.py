"""Scan and lint over the synthetic 10k archive: cold scan, warm scan, lint; where the time goes.

    python benchmarks/scan.py [--files 10000] [--warm-runs 7]

Prints figures; it is not a test. Targets (issue 3): warm scan + lint of 10k files under 2 s;
the cold scan is bound by parsing (files/s per kind and the share of each step are printed).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import WORK, cached_archive  # noqa: E402

from archive_tool import scan as scan_module  # noqa: E402
from archive_tool.lint import lint  # noqa: E402
from archive_tool.scan import scan  # noqa: E402


def cold_scan(root: Path) -> tuple[float, dict, object]:
    """A scan with no cache, timing read_file per extension and the perceptual hashes of the
    photos (``phash`` in the returned dict)."""
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

    from archive_tool.extract import image_facts

    hashing = image_facts.image_facts

    def hashed(path):
        t0 = time.perf_counter()
        try:
            return hashing(path)
        finally:
            per_ext["phash"].append(time.perf_counter() - t0)

    scan_module.read_file = timed
    image_facts.image_facts = hashed
    try:
        t0 = time.perf_counter()
        result = scan(root)
        return time.perf_counter() - t0, per_ext, result
    finally:
        scan_module.read_file = original
        image_facts.image_facts = hashing


def cold_scan_without_hashes(root: Path) -> float:
    """The cold scan again with the perceptual hashes left out (the image's size still read)."""
    from PIL import Image

    from archive_tool.extract import image_facts

    hashing = image_facts.image_facts

    def size_only(path):
        with Image.open(path) as img:
            return {"pixels": list(img.size)}

    image_facts.image_facts = size_only
    try:
        return cold_scan(root)[0]
    finally:
        image_facts.image_facts = hashing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--warm-runs", type=int, default=7)
    args = parser.parse_args()

    source = cached_archive(args.files)
    root = WORK / f"scan-bench-{args.files}"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(source, root)

    cold, per_ext, result = cold_scan(root)
    n = len(result.evidence)
    phash = per_ext.pop("phash", [])
    read_total = sum(sum(v) for v in per_ext.values())
    print(f"archive: {n} files ({root})")
    print(f"cold scan: {cold:.2f} s  ({n / cold:.0f} files/s); reading files {read_total:.2f} s "
          f"= {100 * read_total / cold:.0f} % of it, the rest walking, building records, caching")
    if phash:
        without = cold_scan_without_hashes(root)
        print(f"perceptual hashes: {len(phash)} photos, median {1000 * statistics.median(phash):.1f}"
              f" ms a photo; a cold scan without them takes {without:.2f} s: they add "
              f"{100 * (cold - without) / without:.0f} % (target < 10 %)")
    for ext, times in sorted(per_ext.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {ext:6} {len(times):5d} files  {sum(times):6.2f} s  "
              f"median {1000 * statistics.median(times):6.2f} ms/file  "
              f"({len(times) / sum(times):.0f} files/s)")

    warm, lints, totals = [], [], []
    for _ in range(args.warm_runs):
        t0 = time.perf_counter()
        result = scan(root)
        t1 = time.perf_counter()
        report = lint(result)
        t2 = time.perf_counter()
        warm.append(t1 - t0)
        lints.append(t2 - t1)
        totals.append(t2 - t0)
        assert result.stats.read == 0, "a warm scan must read no file"
    print(f"warm scan: median {statistics.median(warm) * 1000:.0f} ms over {args.warm_runs} runs "
          f"(min {min(warm) * 1000:.0f}, max {max(warm) * 1000:.0f})")
    print(f"lint:      median {statistics.median(lints) * 1000:.0f} ms "
          f"({len(report.findings)} findings)")
    print(f"warm scan + lint: median {statistics.median(totals):.2f} s (target < 2 s); "
          f"cold/warm ratio {cold / statistics.median(warm):.0f}x")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
