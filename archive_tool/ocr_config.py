"""``ocr:`` of config.yaml: text recognition of scans (see :mod:`archive_tool.extract.ocr`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

OCR_KEYS = ("enabled", "page_seconds", "max_pages")


@dataclass(frozen=True)
class OcrSettings:
    """Whether scans are read, the time limit of one page in seconds (a page over it is
    OCR_FAILED) and the pages read of one file (the rest: FILE_OVER_LIMIT)."""

    enabled: bool = True
    page_seconds: float = 60.0
    max_pages: int = 20


def parse_ocr(value: Any, fail: Callable[[str, str], Exception]) -> OcrSettings:
    """The validated ``ocr:`` mapping; ``fail(key, message)`` makes the ConfigError."""
    if value is None:
        return OcrSettings()
    if not isinstance(value, dict):
        raise fail("ocr", "应写成 ocr: {enabled: true, page_seconds: 60, max_pages: 20}")
    for key in value:
        if key not in OCR_KEYS:
            raise fail(f"ocr.{key}", f"未知字段；可用字段：{', '.join(OCR_KEYS)}")
    enabled = value.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("ocr.enabled", "应为 true 或 false")
    seconds, pages = value.get("page_seconds", 60), value.get("max_pages", 20)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
        raise fail("ocr.page_seconds", f"应为正数（秒），实际是 {seconds!r}")
    if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
        raise fail("ocr.max_pages", f"应为正整数，实际是 {pages!r}")
    return OcrSettings(enabled, float(seconds), pages)
