"""Text recognition of scans: pages per second on this machine, and the cost of a warm re-index.

    python benchmarks/ocr.py [--pages 6]

Builds an archive of scanned-looking pages (image-only PDFs of two pages and photographed
clippings, rendered with a CJK font, noise, tilt and JPEG artefacts), runs ``index`` once cold
(every page read by the OCR worker, model loading included and shown apart) and once warm (no
page read again: the cost is the scan and the index alone). Prints figures; it is not a test.
Needs the ocr extra and a CJK font (fonts-wqy-zenhei).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.archive_tool.scan_fixtures import leaf, make_archive  # noqa: E402
from tests.archive_tool.scan_pages import (NOTICE, accuracy, jpeg_bytes, page_image,  # noqa: E402
                                           scanned_pdf)

from archive_tool.ocr_run import Worker, recognize  # noqa: E402
from archive_tool.scan import scan  # noqa: E402
from archive_tool.search import update_index  # noqa: E402


def build(root: Path, pages: int) -> None:
    folder = leaf(root, "II-2")
    for n in range(pages // 2):
        scanned_pdf(folder / f"{n + 1:02d}：通知（扫描件）{n}.pdf",
                    [page_image(NOTICE, seed=n), page_image(NOTICE[:5], seed=n + 100)])
    if pages % 2:
        (folder / "99：样报.jpg").write_bytes(jpeg_bytes(page_image(NOTICE, seed=7, tilt=-2)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ocr-bench-"))
    try:
        root = make_archive(work)
        build(root, args.pages)
        worker = Worker()
        t0 = time.perf_counter()
        worker._start()
        load = time.perf_counter() - t0
        result = scan(root)
        t0 = time.perf_counter()
        stats = recognize(result, worker=worker)
        cold_ocr = time.perf_counter() - t0
        worker.close()
        result = scan(root)
        update_index(result.config, result.evidence)
        texts = [ev.text() for ev in result.evidence if ev.ext == ".pdf"]
        worst = min(accuracy("".join(NOTICE), text) for text in texts)
        print(f"pages read: {stats.pages_read} in {cold_ocr:.1f} s = "
              f"{stats.pages_read / cold_ocr:.2f} pages/s ({cold_ocr / stats.pages_read:.1f} s "
              f"a page); model loading {load:.1f} s once per run")
        print(f"lowest character accuracy of a scanned notice: {worst:.3f}")
        t0 = time.perf_counter()
        result = scan(root)
        again = recognize(result)
        index = update_index(result.config, result.evidence)
        warm = time.perf_counter() - t0
        print(f"warm re-index: {warm:.2f} s, pages read again {again.pages_read} "
              f"(documents unchanged {index.unchanged})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
