"""Text recognition (OCR) of scans: which files need it, what it found, the date printed on them.

Scans are image-only PDFs (no text layer) and images that are documents rather than photos:
clippings (样报, 截图 …: their kind), records and documents photographed, and any image whose
name says 扫描 / 扫描件 / 截图 / 样报 (:func:`wants_ocr`). They are read with RapidOCR (the
optional extra ``pip install 'archive-tool[ocr]'``: ``rapidocr`` and ``onnxruntime``, whose
Chinese models ship inside the wheel, and ``pypdfium2`` to render PDF pages) in a worker process
(:mod:`archive_tool.ocr_run`), page by page, each page once ever: its text is kept in the
store by content hash and page (:data:`PAGE_KEY`), a summary per file under :data:`SUMMARY_KEY`.
A page keeps its lines and, for tables (sign-in sheets, :mod:`.ocr_layout`), each line's box
and score; a page stored before boxes were kept (:func:`has_boxes` is False) serves search as it
is and is read again only when a table is wanted of it.

Scan reads the summaries: :class:`OcrInfo` says whether a file's text was recognised, is still
to be (``pending``), failed (a crash or a time-out: rule OCR_FAILED) or cannot be (the extra is
not installed). The text feeds search, the length of a scanned 说明报告 and the file's date: a
date printed alone on a line (a notice's 落款, a newspaper's masthead) is the ``ocr`` date
source (:func:`printed_date`).
"""
from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass
from datetime import date

#: bump when recognition changes (another model, other settings): every scan is read again
VERSION = 1
SUMMARY_KEY = f"ocr{VERSION}"
PAGE_KEY = f"ocr{VERSION}:p"
#: what a user runs to get OCR
INSTALL_HINT = "pip install 'archive-tool[ocr]'"
#: names that say an image is a scan of a page, whatever its kind
SCAN_WORDS = ("扫描", "截图", "截屏", "样报", "翻拍")
#: kinds of images that are pages rather than scenes
PAGE_KINDS = frozenset({"clipping", "record", "document", "report"})
#: a line whose text besides its date (and masthead words) is at most this long is a date line
DATE_LINE_REST = 8
_MASTHEAD = ("星期", "周", "农历", "第", "版", "期", "日报", "晚报", "报", "出版", "印发", "发布")

PENDING, DONE, FAILED, UNAVAILABLE = "pending", "done", "failed", "unavailable"


@dataclass(frozen=True)
class OcrInfo:
    """What is known of a scan's recognised text (Evidence.ocr)."""

    status: str
    #: characters of the recognised text (count_chars)
    chars: int = 0
    pages_read: int = 0
    pages_total: int | None = None
    #: the date printed on it (:func:`printed_date`), None when none or several
    date: date | None = None
    #: why it failed, in words
    reason: str = ""
    #: what the page limit left unread, in words (FILE_OVER_LIMIT)
    limits: tuple[str, ...] = ()

    @property
    def has_text(self) -> bool:
        return self.status == DONE and self.chars > 0


def available() -> bool:
    """True when the OCR extra is installed (checked without importing it)."""
    return all(importlib.util.find_spec(name) is not None
               for name in ("rapidocr", "onnxruntime", "pypdfium2"))


def wants_ocr(ext: str, kind: str, theme: str, meta: dict) -> bool:
    """Whether a file is a scan whose text OCR should read (see the module docstring)."""
    from ..evidence import IMAGE_EXTS

    if meta.get("error"):
        return False
    ext = ext.lower()
    if ext == ".pdf":
        return meta.get("has_text_layer") is False
    if ext not in IMAGE_EXTS:
        return False
    folded = unicodedata.normalize("NFKC", theme)
    return kind in PAGE_KINDS or any(word in folded for word in SCAN_WORDS)


def info_from(summary: dict | None, settings_enabled: bool, installed: bool) -> OcrInfo:
    """The OcrInfo of a file that wants OCR, from its stored summary (None: not read yet)."""
    if summary is None:
        if not installed or not settings_enabled:
            return OcrInfo(UNAVAILABLE if not installed else PENDING)
        return OcrInfo(PENDING)
    printed = summary.get("date")
    return OcrInfo(status=summary.get("status", FAILED), chars=int(summary.get("chars", 0)),
                   pages_read=int(summary.get("pages_read", 0)),
                   pages_total=summary.get("pages_total"),
                   date=date.fromisoformat(printed) if printed else None,
                   reason=summary.get("reason", ""), limits=tuple(summary.get("limits", ())))


def printed_date(lines: list[str]) -> date | None:
    """The date printed alone on a line of recognised text (a notice's 落款 ``2024年3月1日``,
    a newspaper's masthead ``2024年3月6日 星期三``), when the lines hold exactly one such date;
    None when none or several (a guess would be worse than no date)."""
    from ..captions.dates import date_spans, fold

    found: set[date] = set()
    for line in lines:
        folded, _ = fold(line)
        spans = [(a, b, d) for a, b, d in date_spans(folded) if d is not None]
        if len(spans) != 1:
            continue
        start, end, value = spans[0]
        if ":" in folded[:start]:
            continue  # 活动时间：2024年3月5日: a value in the text, not the page's date
        rest = "".join(ch for ch in folded[:start] + folded[end:]
                       if unicodedata.category(ch)[0] not in "PZ")
        for word in _MASTHEAD:
            rest = rest.replace(word, "")
        if len(rest) <= DATE_LINE_REST:
            found.add(value)
    return found.pop() if len(found) == 1 else None


def has_boxes(page: object) -> bool:
    """Whether a stored page keeps its lines' boxes (pages stored by version 1 before tables
    were read from scans keep only the lines)."""
    return isinstance(page, dict) and isinstance(page.get("boxes"), list)


def page_text(rows) -> str:
    """The text of a scan from its stored pages (JSON ``{"lines": [...]}`` in page order)."""
    import json

    lines: list[str] = []
    for (value,) in rows:
        page = json.loads(value) if isinstance(value, str) else value
        lines.extend(page.get("lines", ()))
    return "\n".join(lines)
