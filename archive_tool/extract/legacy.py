"""Legacy office files (.doc, .wps, .et, .xls) read through LibreOffice, where it is installed.

``soffice --headless --convert-to docx`` (``xlsx`` for the spreadsheets), several files per run,
each under a neutral name in a temporary folder; the converted copy is then read by the
project's own readers (:func:`~archive_tool.extract.docx.read_docx`: text, footers, length,
dates, pages). The result is cached by content hash (:mod:`archive_tool.derive`), so a file is
converted once ever. Without LibreOffice these files stay FILE_LEGACY_FORMAT, with the fix.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Callable, Sequence

#: bump when the conversion reads more or otherwise: every legacy file is converted again
VERSION = 1
DOCUMENT_EXTS = frozenset({".doc", ".wps"})
SHEET_EXTS = frozenset({".xls", ".et"})
EXTS = DOCUMENT_EXTS | SHEET_EXTS
#: files per LibreOffice run (one start-up of a few seconds per run)
BATCH = 20
#: rows read from one converted worksheet at most
MAX_ROWS = 5000


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in (Path(os.environ.get("PROGRAMFILES", "C:/Program Files")) /
                 "LibreOffice/program/soffice.exe",
                 Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")):
        if path.is_file():
            return str(path)
    return None


def _run(program: str, inputs: list[Path], target: str, outdir: Path, profile: Path,
         timeout: float) -> None:
    cmd = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(outdir), *map(str, inputs)]
    try:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=timeout, check=False)
    except (subprocess.TimeoutExpired, OSError):
        pass  # what did not come out is reported as not converted


def _sheet_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        lines = []
        for ws in wb.worksheets:
            for number, row in enumerate(ws.iter_rows(values_only=True)):
                if number >= MAX_ROWS:
                    break
                cells = ["" if v is None else str(v) for v in row]
                if any(cells):
                    lines.append(" ".join(c for c in cells if c))
        return "\n".join(lines)
    finally:
        wb.close()


def _read(converted: Path, sheet: bool) -> dict:
    from .count import count_chars
    from .docx import read_docx

    if sheet:
        text = _sheet_text(converted)
        return {"text": text, "char_count": count_chars(text), "footers": [], "pages": None,
                "created": None, "title": ""}
    got = read_docx(converted)
    return {"text": got.text, "char_count": got.char_count, "footers": list(got.footers),
            "pages": got.pages, "title": got.title,
            "created": got.created.isoformat() if got.created else None}


def convert(program: str, sources: Sequence[Path],
            progress: Callable[[int, int, str], None] | None = None) -> dict[Path, dict]:
    """source -> what its conversion read, or ``{"error": …}`` when LibreOffice could not
    convert it (damaged, encrypted) or the converted copy could not be read."""
    out: dict[Path, dict] = {}
    with tempfile.TemporaryDirectory(prefix="archive-legacy-") as tmp:
        work = Path(tmp)
        for start in range(0, len(sources), BATCH):
            batch = list(sources[start:start + BATCH])
            for target, exts in (("docx", DOCUMENT_EXTS), ("xlsx", SHEET_EXTS)):
                chosen = [(n, src) for n, src in enumerate(batch, start)
                          if src.suffix.lower() in exts]
                copies = []
                for n, src in chosen:
                    copy = work / f"f{n:05d}{src.suffix.lower()}"
                    shutil.copyfile(src, copy)
                    copies.append(copy)
                if copies:
                    _run(program, copies, target, work / "out", work / "profile",
                         60 + 20 * len(copies))
                for (_, src), copy in zip(chosen, copies):
                    out[src] = _result(work / "out" / f"{copy.stem}.{target}", target == "xlsx")
            if progress:
                progress(min(start + BATCH, len(sources)), len(sources), batch[-1].name)
    return out


def _result(converted: Path, sheet: bool) -> dict:
    if not converted.is_file():
        return {"error": "LibreOffice 未能转换此文件（可能已损坏或加密）"}
    try:
        return _read(converted, sheet)
    except Exception as exc:  # noqa: BLE001 - a bad conversion is reported, never a stop
        return {"error": f"转换后的文件无法读取（{type(exc).__name__}）"}


#: how the files LibreOffice is asked to read begin: an OLE compound file (Word 97–2003, WPS,
#: Excel, WPS 表格) or RTF saved as .doc; anything else would be imported as plain text
MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf")


def looks_legacy(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(MAGIC)


def docx_has_pictures(path: Path) -> bool:
    """True when a .docx holds pictures (a document of pasted photos has no text, yet is not
    empty)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return any(name.startswith("word/media/") for name in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
