"""The inspection package over the synthetic archive: binder time (pages per second) and the
static site's time and size.

    python benchmarks/export.py [--files 2000] [--seed 0] [--soffice] [--dest DIR]

Builds the archive once (benchmarks/synth.py, cached under benchmarks/_work/), scans, lints and
checks it (warm cache), then times the catalogue, the binders (without LibreOffice unless
``--soffice``: its docx then go through LibreOffice, a few seconds per 20 files) and the site.
Output goes to a temporary folder, removed afterwards. Prints figures; it is not a test.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402


def _size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for base, _, files in os.walk(folder):
        for name in files:
            total += os.path.getsize(os.path.join(base, name))
            count += 1
    return total, count


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--soffice", action="store_true", help="convert docx with LibreOffice")
    parser.add_argument("--dest", type=Path, default=None)
    args = parser.parse_args()

    from archive_tool.check import check
    from archive_tool.config import open_archive
    from archive_tool.export.binder import build_binders
    from archive_tool.export.catalog import ArchiveYear, build_catalogue
    from archive_tool.export.convert import find_soffice
    from archive_tool.export.fonts import cjk_font
    from archive_tool.export.site import build_site, document_texts
    from archive_tool.lint import lint
    from archive_tool.scan import scan

    root = synth.cached_archive(args.files, args.seed)
    config = open_archive(root)
    scan(root, config=config)  # warm the cache
    t0 = time.perf_counter()
    result = scan(root, config=config)
    linted = lint(result)
    report = check(result, linted, as_of=date(config.window_end.year + 1, 1, 15))
    data = [ArchiveYear("", result, linted, report)]
    catalogue = build_catalogue(data)
    t_catalogue = time.perf_counter() - t0
    print(f"archive: {root} ({len(result.evidence)} files); scan + lint + check + catalogue "
          f"{t_catalogue:.2f} s; font {cjk_font()}")
    with tempfile.TemporaryDirectory(dir=args.dest) as tmp:
        out = Path(tmp)
        soffice = find_soffice() if args.soffice else None
        t0 = time.perf_counter()
        bound = build_binders(catalogue, out / "binders", soffice=soffice)
        t_binder = time.perf_counter() - t0
        size, count = _size(out / "binders")
        pages = bound.page_count + 2 * bound.leaves
        print(f"binders ({'LibreOffice' if soffice else 'no LibreOffice: docx as text'}): "
              f"{bound.leaves} leaves, {pages} pages ({bound.page_count} file pages) in "
              f"{t_binder:.1f} s = {pages / t_binder:.0f} pages/s, "
              f"{len(list(catalogue.entries())) / t_binder:.0f} files/s; "
              f"{count} PDFs, {_mb(size)}; {len(bound.failures)} not converted")
        t0 = time.perf_counter()
        site = build_site(catalogue, {"": report}, out / "site", texts=document_texts(data))
        t_site = time.perf_counter() - t0
        size, count = _size(out / "site")
        index, _ = _size(out / "site" / "assets")
        copied, _ = _size(out / "site" / "files")
        thumbs, _ = _size(out / "site" / "thumbs")
        print(f"site: {site.pages} pages, {site.files} files, {site.thumbs} thumbnails in "
              f"{t_site:.1f} s; {_mb(size)} in {count} files (copied files {_mb(copied)}, "
              f"thumbnails {_mb(thumbs)}, search index and scripts {_mb(index)})")


if __name__ == "__main__":
    main()
