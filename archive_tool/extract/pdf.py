"""Text and metadata of a PDF with pypdf, bounded in pages, content, time and text, every
failure named.

A PDF can make a reader work without end from a few hundred kilobytes: 2000 pages sharing one
content stream that inflates to 70 MB cost pypdf six seconds each. So text is read page by page
within budgets, each documented in the README: at most MAX_PAGES pages; a page whose content
inflates past MAX_PAGE_CONTENT is not read; reading stops once MAX_CONTENT_TOTAL bytes of content
were inflated, MAX_TEXT characters collected or MAX_SECONDS spent; pypdf's own limits are
lowered while it reads (PYPDF_LIMITS). What a budget left unread is said in
``Extracted.limits`` (rule FILE_OVER_LIMIT); a PDF of which no page could be read because of a
limit is refused as too large, with the limit named, never called damaged.
"""
from __future__ import annotations

import contextlib
import logging
import re
import struct
import time
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pypdf
from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError, PyPdfError

from .count import count_chars, squeeze_cjk_spaces
from .dates import first_real
from ..errors import UnreadableFile
from .model import Extracted
from .text import decode

#: read the text of at most this many pages
MAX_PAGES = 2_000
#: stop extracting once this many characters of text are collected
MAX_TEXT = 2 * 1024 * 1024
#: a page whose content streams inflate to more than this is not read (a page of text is tens
#: of kilobytes, a dense vector drawing a few megabytes)
MAX_PAGE_CONTENT = 4 * 1024 * 1024
#: stop once the content inflated for the pages of one file adds up to this (a stream shared
#: by many pages counts for each page)
MAX_CONTENT_TOTAL = 64 * 1024 * 1024
#: stop reading pages after this many seconds for one file (checked between pages)
MAX_SECONDS = 30.0
#: pypdf's own limits while it reads one of our files (pypdf >= 6 takes them per context)
PYPDF_LIMITS = {"zlib_maximum_output_length": 16 * 1024 * 1024,
                "stream_parsing_work_maximum_count": 1_000_000}
_MB = 1024 * 1024

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


def _limits():
    """pypdf's limits lowered for this read (a no-op before pypdf has per-context limits)."""
    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:
        return contextlib.nullcontext()
    try:
        return apply(**PYPDF_LIMITS)
    except TypeError:  # a pypdf that names its limits otherwise
        return contextlib.nullcontext()


def read_pdf(path: Path) -> Extracted:
    """Extract a PDF; raises :class:`UnreadableFile`."""
    with open(path, "rb") as fh, _limits():
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
        try:
            return _extract(path, reader, page_count)
        finally:
            _release(reader)


def _release(reader: PdfReader) -> None:
    """Break the reference cycles of a reader (its objects' indirect references point back at
    it, its page list holds its own methods): freed at once, not by a full collection."""
    reader.__dict__.clear()


def _extract(path: Path, reader: PdfReader, page_count: int) -> Extracted:
    """The text, title and date of an opened PDF; raises :class:`UnreadableFile`."""
    pages = _Pages(reader, page_count)
    texts = pages.read()
    if not pages.read_any and pages.over_limit:
        many = f"（共 {len(pages.over_limit)} 页如此）" if len(pages.over_limit) > 1 else ""
        raise UnreadableFile(path, "too_large", f"PDF 异常：{pages.over_limit[0]}{many}，未读取",
                             "请用原程序重新导出 PDF（如“另存为 PDF”或“打印为 PDF”）")
    if pages.failed and pages.failed == pages.tried and not pages.over_limit:
        raise _broken(path)
    title, created = _metadata(reader)
    text = squeeze_cjk_spaces("\n".join(texts)).strip()
    return Extracted(text=text, footers=(), char_count=count_chars(text),
                     has_text_layer=bool(text), title=title, created=created, pages=page_count,
                     limits=tuple(pages.notes()))


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


class _Pages:
    """Reads the pages' text within the budgets of the module docstring."""

    def __init__(self, reader: PdfReader, page_count: int):
        self.reader, self.page_count = reader, page_count
        self.tried = self.failed = self.read_count = 0
        self.inflated = 0
        self.sizes: dict[object, int] = {}
        #: why pages were left unread, in words, first reason first
        self.over_limit: list[str] = []
        self.stopped = ""

    @property
    def read_any(self) -> bool:
        return self.read_count > 0

    def read(self) -> list[str]:
        texts: list[str] = []
        total = 0
        started = time.monotonic()
        for index in range(min(self.page_count, MAX_PAGES)):
            if time.monotonic() - started > MAX_SECONDS:
                self.stopped = f"读取超过 {MAX_SECONDS:.0f} 秒，只读取了前 {index} 页的文字"
                break
            if self.inflated > MAX_CONTENT_TOTAL:
                self.stopped = (f"页面内容解压后累计超过 {MAX_CONTENT_TOTAL // _MB} MB，"
                                f"只读取了前 {index} 页的文字")
                break
            text = self._page(index)
            if text is None:
                continue
            if total + len(text) >= MAX_TEXT:
                texts.append(text[:MAX_TEXT - total])
                self.stopped = f"文字超过 {MAX_TEXT // _MB} MB（约 {MAX_TEXT // 10000} 万字），其后未读取"
                break
            texts.append(text)
            total += len(text)
        return texts

    def _page(self, index: int) -> str | None:
        """The text of one page, or None (failed, or over a limit: counted)."""
        self.tried += 1
        try:
            page = self.reader.pages[index]
            size = self._content_size(page)
            if size > MAX_PAGE_CONTENT:
                self._over(f"第 {index + 1} 页的内容解压后超过 {MAX_PAGE_CONTENT // _MB} MB")
                return None
            self.inflated += size  # extracting the text parses it again
            text = page.extract_text() or ""
        except LimitReachedError:
            self._over(f"第 {index + 1} 页的内容超出 PDF 读取器的处理上限")
            return None
        except _PDF_ERRORS:
            self.failed += 1
            return None
        self.read_count += 1
        return text

    def _over(self, why: str) -> None:
        self.over_limit.append(why)

    def _content_size(self, page) -> int:
        """The inflated size of the page's content streams, each stream inflated once (one
        past pypdf's lowered limit counts as larger than any budget)."""
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        streams = list(contents) if isinstance(contents, list) else [contents]
        size = 0
        for ref in streams:
            stream = ref.get_object() if ref is not None else None
            if stream is None or not hasattr(stream, "get_data"):
                continue
            key = getattr(getattr(stream, "indirect_reference", None), "idnum", None) or id(stream)
            if key not in self.sizes:
                try:
                    self.sizes[key] = len(stream.get_data())
                except LimitReachedError:
                    self.sizes[key] = MAX_CONTENT_TOTAL + 1
                self.inflated += min(self.sizes[key], MAX_CONTENT_TOTAL)
            size += self.sizes[key]
        return size

    def notes(self) -> list[str]:
        """What was left unread, for FILE_OVER_LIMIT."""
        out = []
        if self.page_count > MAX_PAGES and not self.stopped:
            out.append(f"PDF 有 {self.page_count} 页，只读取了前 {MAX_PAGES} 页的文字")
        if self.over_limit:
            more = f"等 {len(self.over_limit)} 页" if len(self.over_limit) > 1 else ""
            out.append(f"{self.over_limit[0]}{more}，未读取")
        if self.stopped:
            out.append(self.stopped)
        return out


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
