"""Text and metadata of a PDF with pypdf, bounded in pages and text, every failure named."""
from __future__ import annotations

import logging
import re
import struct
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError, PyPdfError

from .count import count_chars, squeeze_cjk_spaces
from .dates import first_real
from .model import Extracted, UnreadableFile
from .text import decode

#: read the text of at most this many pages
MAX_PAGES = 2_000
#: stop extracting once this many characters of text are collected
MAX_TEXT = 2 * 1024 * 1024

# pypdf logs a warning for every oddity of a damaged file; with no handler configured Python
# would print them to stderr. A NullHandler keeps the library quiet and still lets an
# application that configures logging see them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

#: what pypdf raises, or lets escape, on damaged input
_PDF_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
               AssertionError, ZeroDivisionError, OverflowError, EOFError, UnicodeError,
               NotImplementedError, RecursionError, zlib.error, struct.error)

_HAS_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_PDF_DATE = re.compile(
    r"^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:([Zz+\-])\s*(\d{2})?'?(\d{2})?'?)?")


def parse_pdf_date(value: object) -> datetime | None:
    """``D:20180305120000+08'00'`` -> datetime (aware when the string has an offset)."""
    if not isinstance(value, str):
        return None
    match = _PDF_DATE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, sign, off_h, off_m = match.groups()
    try:
        parsed = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0),
                          int(minute or 0), int(second or 0))
        if sign in ("Z", "z"):
            parsed = parsed.replace(tzinfo=timezone.utc)
        elif sign:
            offset = timedelta(hours=int(off_h or 0), minutes=int(off_m or 0))
            parsed = parsed.replace(tzinfo=timezone(-offset if sign == "-" else offset))
    except ValueError:
        return None
    return parsed


def _broken(path: Path) -> UnreadableFile:
    """A PDF pypdf could not read: "truncated" when it starts as a PDF but its end marker is
    missing (a copy or download cut short), else "corrupt"."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, fh.seek(0, 2) - 2048))
        tail = fh.read()
    truncated = b"%PDF-" in head and b"%%EOF" not in tail
    return UnreadableFile(path, "truncated" if truncated else "corrupt")


def read_pdf(path: Path) -> Extracted:
    """Extract a PDF; raises :class:`UnreadableFile`."""
    with open(path, "rb") as fh:
        if not fh.read(1):
            raise UnreadableFile(path, "empty")
        fh.seek(0)
        try:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted:
                _decrypt(path, reader)
            page_count = len(reader.pages)
        except UnreadableFile:
            raise
        except LimitReachedError as exc:
            raise UnreadableFile(path, "too_large", "PDF 异常（解压后过大）") from exc
        except _PDF_ERRORS as exc:
            raise _broken(path) from exc
        texts, failed = _page_texts(reader, page_count)
        if failed and failed == min(page_count, MAX_PAGES):
            raise _broken(path)
        title, created = _metadata(reader)
    text = squeeze_cjk_spaces("\n".join(texts)).strip()
    return Extracted(text=text, footers=(), char_count=count_chars(text),
                     has_text_layer=bool(text), title=title, created=created, pages=page_count)


def _decrypt(path: Path, reader: PdfReader) -> None:
    """Many "protected" PDFs only restrict printing and open with the empty user password."""
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError) as exc:
        raise UnreadableFile(path, "encrypted", "PDF 已加密（加密方式不受支持）") from exc
    except _PDF_ERRORS as exc:
        raise UnreadableFile(path, "encrypted") from exc
    if not opened:
        raise UnreadableFile(path, "encrypted")


def _page_texts(reader: PdfReader, page_count: int) -> tuple[list[str], int]:
    """Texts of the first MAX_PAGES pages, up to MAX_TEXT characters; and how many failed."""
    texts: list[str] = []
    total = failed = 0
    for index in range(min(page_count, MAX_PAGES)):
        try:
            text = reader.pages[index].extract_text() or ""
        except LimitReachedError:
            failed += 1
            continue
        except _PDF_ERRORS:
            failed += 1
            continue
        if total + len(text) >= MAX_TEXT:
            texts.append(text[:MAX_TEXT - total])
            break
        texts.append(text)
        total += len(text)
    return texts, failed


def _info_value(meta, key: str):
    value = meta.get(key)  # dict.get does not resolve indirect references
    if hasattr(value, "get_object"):
        value = value.get_object()
    raw = getattr(value, "original_bytes", None) if isinstance(value, str) else value
    if isinstance(raw, bytes) and not raw.startswith((b"\xfe\xff", b"\xff\xfe")) and (
            isinstance(value, bytes) or max(raw, default=0) >= 0x80):
        # Chinese tools often write UTF-8 or GBK bytes where PDF expects PDFDocEncoding or
        # UTF-16: pypdf then shows mojibake; take the reading that gives CJK text
        for encoding in ("utf-8", "gb18030"):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _HAS_CJK.search(text):
                return text
        value = decode(bytes(raw))[0] if isinstance(value, bytes) else value
    return value if isinstance(value, str) else None


def _metadata(reader: PdfReader) -> tuple[str, datetime | None]:
    try:
        meta = reader.metadata
        if meta is None:
            return "", None
        title = _info_value(meta, "/Title") or ""
        created = first_real(parse_pdf_date(_info_value(meta, "/CreationDate")),
                             parse_pdf_date(_info_value(meta, "/ModDate")))
    except _PDF_ERRORS:
        return "", None
    return str(title).replace("\x00", "").strip(), created
