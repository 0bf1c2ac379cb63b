"""The export's file-conversion step: each catalogue entry becomes what goes into a binder.

The one place of the export that opens evidence files. A PDF goes in as it is; Word, WPS, Excel
and PowerPoint files are converted by LibreOffice (``soffice --headless --convert-to pdf``,
several files per run, each under a neutral name in a temporary folder) when it is installed,
else a .docx or .xlsx is set as plain text (and says so); photos are prepared for the photo
pages (turned upright, scaled to at most 1600 pixels); text files are set as text. A file that
cannot be converted gets a :class:`Piece` with ``failure`` set and no pages: the 卷内目录 lists
it with 备注 "无法转换", the export goes on.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from ..evidence import IMAGE_EXTS
from ..extract.legacy import soffice as find_soffice  # noqa: F401 - the program, or None
from .catalog import Entry
from .pages import PhotoSlot, text_pdf

OFFICE_EXTS = frozenset({".docx", ".docm", ".doc", ".wps", ".xlsx", ".xls", ".et", ".pptx",
                         ".ppt", ".dps", ".odt", ".ods", ".odp", ".rtf"})
TEXT_EXTS = frozenset({".txt", ".md", ".csv"})
#: longest side of a photo in the binder, in pixels (about 200 dpi on half an A4 page)
PHOTO_PIXELS = 1600
#: files LibreOffice converts per run (one start-up of a few seconds per run)
BATCH = 20
NO_SOFFICE = "未安装 LibreOffice，按文字内容排版（格式与原文件不同）"
#: called as progress(done, total, name) while files are converted
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Piece:
    """What one entry puts in the binder: PDF pages, a photo, or nothing (``failure`` or a
    ``note`` such as an audio file)."""

    entry: Entry
    pdf: bytes | None = None
    photo: PhotoSlot | None = None
    failure: str = ""
    note: str = ""


def caption_lines(entry: Entry) -> tuple[str, ...]:
    """活动时间、主办单位、活动主题 under a photo, and its file name."""
    cap = entry.caption
    if cap is None:
        return ("（照片没有说明）", entry.name)
    when = cap.time.isoformat() if cap.time else (cap.time_text or "（未注明）")
    return (f"活动时间：{when}    主办单位：{cap.organizer or '（未注明）'}",
            f"活动主题：{cap.theme or '（未注明）'}", entry.name)


def prepare_photo(path: Path) -> tuple[bytes, tuple[int, int]]:
    """JPEG bytes of the photo turned upright and scaled down to PHOTO_PIXELS, and its size."""
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        upright = img.getexif().get(0x0112, 1) in (1, None)
        if (img.format == "JPEG" and upright and max(img.size) <= PHOTO_PIXELS
                and img.mode in ("RGB", "L")):
            return path.read_bytes(), img.size
        img = ImageOps.exif_transpose(img)
        img.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGBA")
            flat = Image.new("RGB", img.size, (255, 255, 255))
            flat.paste(img, mask=img.getchannel("A"))
            img = flat
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        return buf.getvalue(), img.size


def _pdf_bytes(path: Path) -> bytes:
    """The PDF as it is, once pypdf has read every page (a damaged or locked one fails)."""
    from pypdf import PdfReader

    data = path.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("PDF 已加密")
    if not reader.pages:
        raise ValueError("PDF 没有页面")
    return data


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        lines = []
        for ws in wb.worksheets:
            lines.append(f"【{ws.title}】")
            for row in ws.iter_rows(values_only=True):
                cells = ["" if v is None else str(v) for v in row]
                if any(cells):
                    lines.append("　".join(cells).rstrip("　"))
        return "\n".join(lines)
    finally:
        wb.close()


def _as_text(entry: Entry, note: str, remark: str) -> Piece:
    """A text rendering of a .docx, .xlsx or text file under ``note``, with ``remark`` for the
    卷内目录; a failure for the other formats."""
    path = entry.source
    if entry.ext in TEXT_EXTS:
        text = _read_text(path)
    elif entry.ext in (".docx", ".docm"):
        from ..extract import extract

        text = extract(path).text
    elif entry.ext == ".xlsx":
        text = _xlsx_text(path)
    else:
        return Piece(entry, failure="无法转换（未安装 LibreOffice，此格式无法按文字读取）")
    return Piece(entry, pdf=text_pdf(entry.name, note, text), note=remark)


def _one(entry: Entry, converted: dict[Path, Path], soffice: str | None) -> Piece:
    ext = entry.ext
    if entry.kind == "av":
        return Piece(entry, note="音视频文件，请在电子档案中查看")
    try:
        if ext == ".pdf":
            return Piece(entry, pdf=_pdf_bytes(entry.source))
        if ext in IMAGE_EXTS:
            image, size = prepare_photo(entry.source)
            return Piece(entry, photo=PhotoSlot(image, size, caption_lines(entry)))
        if ext in OFFICE_EXTS and soffice:
            out = converted.get(entry.source)
            if out is None:
                return Piece(entry, failure=f"无法转换（{_unreadable(entry)}）")
            return Piece(entry, pdf=_pdf_bytes(out))
        if ext in TEXT_EXTS:
            return _as_text(entry, "以下为文件的文字内容", "")
        if ext in OFFICE_EXTS:
            return _as_text(entry, NO_SOFFICE, NO_SOFFICE)
    except Exception as exc:  # noqa: BLE001 - a bad file is listed, never a stopped export
        return Piece(entry, failure=f"无法转换（{_reason(exc, ext)}）")
    return Piece(entry, failure="无法转换（此类文件无法打印，请在电子档案中查看）")


def _unreadable(entry: Entry) -> str:
    """Why LibreOffice could not convert a file: what the scan found wrong with it (a
    truncated or damaged file), else that LibreOffice could not."""
    found = next((f.message for f in entry.findings if f.code == "FILE_UNREADABLE"), "")
    return found or "LibreOffice 未能转换此文件"


def _reason(exc: Exception, ext: str) -> str:
    """Why a file could not be converted, in a few words."""
    if isinstance(exc, ValueError) and str(exc) and not str(exc).isascii():
        return str(exc)
    if getattr(exc, "message", ""):
        return exc.message
    if ext in IMAGE_EXTS:
        return "图片已损坏或格式无法识别"
    if ext == ".pdf":
        return "PDF 已损坏或无法读取"
    return f"文件已损坏或无法读取：{type(exc).__name__}"


def _run_soffice(soffice: str, inputs: list[Path], outdir: Path, profile: Path,
                 timeout: float) -> None:
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), *map(str, inputs)]
    try:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=timeout, check=False)
    except (subprocess.TimeoutExpired, OSError):
        pass  # the files that did not come out are listed as not converted


def convert_office(soffice: str, sources: Sequence[Path], workdir: Path,
                   progress: Progress | None = None) -> dict[Path, Path]:
    """source -> its PDF in ``workdir``, for the sources LibreOffice converted; a batch that
    times out is tried again file by file."""
    out: dict[Path, Path] = {}
    pending = list(dict.fromkeys(sources))
    profile = workdir / "profile"
    for start in range(0, len(pending), BATCH):
        batch = pending[start:start + BATCH]
        names = []
        for n, src in enumerate(batch, start):
            copy = workdir / f"f{n:05d}{src.suffix.lower()}"
            shutil.copyfile(src, copy)
            names.append(copy)
        _run_soffice(soffice, names, workdir / "out", profile, 60 + 20 * len(batch))
        for src, copy in zip(batch, names):
            pdf = workdir / "out" / f"{copy.stem}.pdf"
            if not pdf.is_file():
                _run_soffice(soffice, [copy], workdir / "out", profile, 90)
            if pdf.is_file():
                out[src] = pdf
        if progress:
            progress(min(start + BATCH, len(pending)), len(pending), batch[-1].name)
    return out


class Converter:
    """Turns entries into pieces. LibreOffice converts every office file of the export first,
    in batches (its PDFs wait in a temporary folder); :meth:`piece` then makes one entry's
    piece when its binder is built, so only one binder's pages are held in memory."""

    def __init__(self, soffice: str | None):
        self.soffice = soffice
        self.converted: dict[Path, Path] = {}
        self._tmp = tempfile.TemporaryDirectory(prefix="archive-export-")

    def __enter__(self) -> "Converter":
        return self

    def __exit__(self, *exc) -> None:
        self._tmp.cleanup()

    def prepare(self, entries: Sequence[Entry], progress: Progress | None = None) -> int:
        """Convert the office files among ``entries`` (when LibreOffice is there); returns how
        many there were."""
        office = [e.source for e in entries if e.ext in OFFICE_EXTS and e.kind != "av"]
        if self.soffice and office:
            self.converted = convert_office(self.soffice, office, Path(self._tmp.name),
                                            progress)
        return len(office)

    def piece(self, entry: Entry) -> Piece:
        return _one(entry, self.converted, self.soffice)
