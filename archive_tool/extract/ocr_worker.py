"""The OCR worker process: ``python -m archive_tool.extract.ocr_worker``.

It loads RapidOCR once, says ``{"ready": true}``, then answers one JSON line per request
``{"path", "ext", "page"}`` with ``{"ok": true, "pages": N, "lines": [...], "boxes": [...],
"size": [w, h]}`` (the page's text lines in reading order; each line's box as ``[text, [x0, y0,
… x3, y3], score]``, the four corners clockwise from the top left in pixels of the page as
rendered, ``size``) or ``{"ok": false, "pages": N|null, "error": "…"}``. It renders the page
itself (a PDF page with pypdfium2, an image with Pillow, turned upright), so a file that makes
a renderer or the recogniser crash or hang takes only this process down: the parent
(:mod:`archive_tool.ocr_run`) enforces the time limit, reports the file and starts a new one.
The protocol is kept on a private copy of stdout; anything the libraries print goes to stderr.
"""
from __future__ import annotations

import json
import os
import sys
import warnings

#: pixels of a rendered page's long side (about 200 dpi on A4; RapidOCR works below 2000)
PAGE_PIXELS = 2000
#: longest side an image is scaled down to before recognition
IMAGE_PIXELS = 2400


def render(path: str, ext: str, index: int):
    """(PIL image of page ``index``, number of pages)."""
    if ext == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        try:
            count = len(pdf)
            page = pdf[index]
            width, height = page.get_size()
            scale = min(200 / 72, PAGE_PIXELS / max(width, height, 1))
            image = page.render(scale=scale).to_pil()
            page.close()
            return image.convert("RGB"), count
        finally:
            pdf.close()
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Image.open(path) as img:
            image = ImageOps.exif_transpose(img).convert("RGB")
    image.thumbnail((IMAGE_PIXELS, IMAGE_PIXELS))
    return image, 1


def boxes(result) -> list:
    """``[text, [x0, y0, … x3, y3], score]`` of each recognised line (what a table needs)."""
    corners = result.boxes if result.boxes is not None else ()
    return [[str(text), [round(float(v), 1) for point in quad for v in point],
             round(float(score), 3)]
            for text, quad, score in zip(result.txts or (), corners, result.scores or ())]


def _answer(out, data: dict) -> None:
    out.write(json.dumps(data, ensure_ascii=False) + "\n")
    out.flush()


def main() -> int:
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # library prints go to stderr
    sys.stdout = sys.stderr
    if hasattr(os, "nice"):
        try:
            os.nice(5)  # behind the watcher and the user's own work
        except OSError:
            pass
    try:
        from rapidocr import RapidOCR

        engine = RapidOCR(params={"Global.log_level": "error"})
    except Exception as exc:  # noqa: BLE001 - no OCR: the parent says so and goes on
        _answer(protocol, {"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 1
    _answer(protocol, {"ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        pages = None
        try:
            image, pages = render(request["path"], request["ext"], int(request["page"]))
            result = engine(image)
            lines = [str(t) for t in (result.txts or ())]
            _answer(protocol, {"ok": True, "pages": pages, "lines": lines,
                               "boxes": boxes(result), "size": list(image.size)})
        except Exception as exc:  # noqa: BLE001 - one bad page is an answer, not an exit
            _answer(protocol, {"ok": False, "pages": pages,
                               "error": f"{type(exc).__name__}: {exc}"[:300]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
