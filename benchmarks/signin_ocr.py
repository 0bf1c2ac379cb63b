"""Scanned and photographed sign-in sheets through OCR: time per sheet and what was counted.

    python benchmarks/signin_ocr.py [--sheets 4]

Builds an archive with the points set up and ``--sheets`` full A4 sign-in sheets (the ``new
signin`` layout, 16 typed names from the roster and one name on no roster, rows of uneven
height), photographed or scanned in turn: tilted up to ±2.5°, two faces, names centred or
written at the left of their cells, JPEG or an image-only PDF. Runs the points ledger cold (each
page read by the OCR worker; loading the model shown apart) and warm (nothing read again), and
prints per sheet the seconds and the names: counted right, reported for checking, and counted
wrong (a person counted who is not on the sheet, or a wrong department: must be 0). Prints
figures; it is not a test. Needs the ocr extra and a CJK font (fonts-wqy-zenhei).
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.archive_tool.points_fixtures import PEOPLE, leaf, points_archive  # noqa: E402
from tests.archive_tool.scan_pages import jpeg_bytes, scanned_pdf  # noqa: E402
from tests.archive_tool.signin_pages import photographed, sheet_image  # noqa: E402

from archive_tool.points import load_points  # noqa: E402
from archive_tool.points.ledger import collect  # noqa: E402
from archive_tool.points.signin_ocr import READER  # noqa: E402
from archive_tool.scan import scan  # noqa: E402

#: names not on the roster (each sheet has one, reported as NAME_NOT_ON_ROSTER)
STRANGERS = ("张三丰", "赵晓东", "钱丽", "孙建国", "周敏")
#: the roster without 李明, who is in two departments (ambiguous unless the 单位 column says)
ROSTER = [(name, dept) for name, dept, _ in PEOPLE if name != "李明"]


def build(root: Path, sheets: int) -> dict[str, list[tuple[str, str]]]:
    """The sheets, and the (name, department) written on each, by file name."""
    rng = random.Random(5)
    written = {}
    for n in range(sheets):
        rows = rng.sample(ROSTER, 12) + [(STRANGERS[n % len(STRANGERS)], "办公室")]
        rng.shuffle(rows)
        img = photographed(sheet_image(f"第{n + 1}次专题学习", f"2018年6月{n + 3}日", rows,
                                       size=(1240, 1754), blank_rows=3, face_index=n % 2,
                                       left_align=n % 3 == 1),
                           tilt=(-2.5, 1.5, 0.6, 2.0)[n % 4], seed=n)
        name = f"{n + 1:02d}：第{n + 1}次专题学习签到表"
        if n % 2:
            scanned_pdf(leaf(root, "II-1") / f"{name}.pdf", [img])
            written[f"{name}.pdf"] = rows
        else:
            (leaf(root, "II-1") / f"{name}.jpg").write_bytes(jpeg_bytes(img, 40))
            written[f"{name}.jpg"] = rows
    return written


def tally(led, written) -> None:
    print(f"{'sheet':<28}{'names':>6}{'counted':>9}{'reported':>10}{'wrong':>7}")
    totals = [0, 0, 0, 0]
    for file, rows in written.items():
        want = {(n, d) for n, d in rows if n not in STRANGERS}
        got = {(e.person, e.department) for e in led.entries if e.evidence.endswith(file)}
        reported = [i for i in led.issues if i.path.endswith(file)]
        wrong = len(got - want)
        figures = (len(rows), len(got & want), len(reported), wrong)
        totals = [a + b for a, b in zip(totals, figures)]
        print(f"{file:<28}" + "".join(f"{v:>{w}}" for v, w in zip(figures, (6, 9, 10, 7))))
        for issue in reported:
            print(f"    {issue.rule}: {issue.message}")
    print(f"{'all':<28}" + "".join(f"{v:>{w}}" for v, w in zip(totals, (6, 9, 10, 7))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sheets", type=int, default=4)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="signin-bench-"))
    try:
        root = points_archive(work)
        written = build(root, args.sheets)
        setup, evidence = load_points(root), scan(root).evidence
        t0 = time.perf_counter()
        READER.worker._start()  # noqa: SLF001 - the model's loading, shown apart
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        led = collect(setup, evidence)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        collect(setup, scan(root).evidence)
        warm = time.perf_counter() - t0
        tally(led, written)
        print(f"model loading: {load:.1f} s (once per run)")
        print(f"cold: {cold:.1f} s for {args.sheets} sheets, {cold / args.sheets:.1f} s a sheet")
        print(f"warm (nothing read again): {warm:.2f} s")
    finally:
        READER.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
