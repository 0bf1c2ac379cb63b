"""Text, footers and core properties of a .docx/.docm (the package reader: :mod:`archive_tool.word`).

The text is what shows (:mod:`archive_tool.word.text`); the footers are those that show, read
as ``footer fix`` reads them (:mod:`archive_tool.word.footers`).
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ..templates import is_template_hint
from ..word.footers import footer_texts
from ..word.package import Package, open_package
from ..word.text import main_document, paragraphs
from .count import count_chars
from .dates import first_real
from .model import Extracted

_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_DCT = "{http://purl.org/dc/terms/}"
_APP_PAGES = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Pages"

def parse_w3cdtf(value: str | None) -> datetime | None:
    """``2018-03-05T04:00:00Z`` (or with an offset, or a bare date) -> aware UTC datetime."""
    if not value:
        return None
    value = value.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        if len(value) == 4:
            parsed = datetime(int(value), 1, 1)
        elif len(value) == 7:
            parsed = datetime(int(value[:4]), int(value[5:7]), 1)
        else:
            parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None

def read_docx(path: Path) -> Extracted:
    """Extract a .docx/.docm; raises :class:`archive_tool.errors.UnreadableFile`."""
    with open_package(path) as pkg:
        return _read_package(pkg)

def _read_package(pkg: Package) -> Extracted:
    doc = main_document(pkg)
    lines = paragraphs(doc.body, doc.tags)
    text = "\n".join(line for line in lines if line.strip()).strip()
    footers = footer_texts(pkg, doc.main, doc.body, doc.tags)
    root_rels = pkg.rels("")
    title, created, pages = "", None, None
    core = pkg.xml(pkg.by_type(root_rels, "/core-properties") or "docProps/core.xml",
                   required=False)
    if core is not None:
        title = (core.findtext(_DC_TITLE) or "").strip()
        created = first_real(parse_w3cdtf(core.findtext(_DCT + "created")),
                             parse_w3cdtf(core.findtext(_DCT + "modified")))
    app = pkg.xml(pkg.by_type(root_rels, "/extended-properties") or "docProps/app.xml",
                  required=False)
    if app is not None:
        value = (app.findtext(_APP_PAGES) or "").strip()
        pages = int(value) if value.isdigit() and int(value) > 0 else None
    counted = "\n".join(line for line in lines if not is_template_hint(line))
    return Extracted(text=text, footers=footers, char_count=count_chars(counted),
                     has_text_layer=bool(text), title=title, created=created, pages=pages)
