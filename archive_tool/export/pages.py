"""Pages the binder composes with reportlab: the cover, the 卷内目录, photo pages (two photos to
an A4 page, the caption printed under each), text renderings and the page-number stamps.

Every function returns the bytes of a PDF; none reads an evidence file (photos come in as
prepared JPEG bytes, texts as strings).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .fonts import cjk_font

A4 = (595.2756, 841.8898)
MARGIN = 56.0


@dataclass(frozen=True)
class PhotoSlot:
    """One photo on a photo page: the prepared image, its pixel size and the caption lines."""

    image: bytes
    size: tuple[int, int]
    lines: tuple[str, ...]


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    font = cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=30, alignment=1,
                                spaceAfter=18),
        "big": ParagraphStyle("big", parent=base, fontSize=16, leading=24, alignment=1,
                              spaceAfter=10),
        "centre": ParagraphStyle("centre", parent=base, alignment=1),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13,
                                textColor="#555555"),
    }


def _para(text: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _build(story, title: str = "") -> bytes:
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title=title,
                            creator="archive-tool")
    doc.build(story)
    return buf.getvalue()


def cover_pdf(title: str, heading: str, lines: list[str], footer: str) -> bytes:
    """The cover: the unit and 文明单位创建档案, the indicator, then the given lines."""
    from reportlab.platypus import Spacer

    st = _styles()
    story = [Spacer(1, 120), _para(title, st["title"]), Spacer(1, 30),
             _para(heading, st["big"]), Spacer(1, 40)]
    story += [_para(line, st["centre"]) for line in lines]
    story += [Spacer(1, 160), _para(footer, st["small"])]
    return _build(story, title=heading)


CONTENTS_HEADERS = ("序号", "文号", "责任者", "题名", "日期", "页号", "备注")
#: column widths (points, 483 in all: A4 less the margins) with 3-point cell padding: a date
#: (2018-03-05) and a page range (120-135) stay on one line, a 文号 (临环发〔2018〕12号) on two
_WIDTHS = (26, 70, 66, 140, 56, 48, 77)
_PAD = 3


def contents_pdf(heading: str, rows: list[tuple[str, ...] | str]) -> bytes:
    """The 卷内目录: a table of ``rows`` (seven cells each; a plain string is a heading row
    spanning the table, e.g. a year), its header repeated on every page."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    st = _styles()
    data = [[_para(h, st["cell"]) for h in CONTENTS_HEADERS]]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LEFTPADDING", (0, 0), (-1, -1), _PAD), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF1F4"))]
    for row in rows:
        if isinstance(row, str):
            style += [("SPAN", (0, len(data)), (-1, len(data))),
                      ("BACKGROUND", (0, len(data)), (-1, len(data)),
                       colors.HexColor("#F6F8FA"))]
            data.append([_para(row, st["cell"])] + [""] * (len(CONTENTS_HEADERS) - 1))
        else:
            data.append([_para(cell, st["cell"]) for cell in row])
    table = Table(data, colWidths=_WIDTHS, repeatRows=1)
    table.setStyle(TableStyle(style))
    return _build([_para("卷内目录", st["title"]), _para(heading, st["centre"]),
                   _spacer(12), table], title="卷内目录")


def _spacer(height: float):
    from reportlab.platypus import Spacer

    return Spacer(1, height)


def _fit(size: tuple[int, int], box: tuple[float, float]) -> tuple[float, float]:
    w, h = size
    scale = min(box[0] / w, box[1] / h)
    return w * scale, h * scale


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` cut into lines no wider than ``width`` points (any character may end a line,
    as in Chinese typesetting)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for ch in text:
        if stringWidth(line + ch, font, size) > width and line:
            lines.append(line)
            line = ""
        line += ch
    return lines + ([line] if line else [])


def clip(lines: list[str], limit: int) -> list[str]:
    """The first ``limit`` of ``lines``, the last one ending in … when some were left out."""
    if len(lines) <= limit:
        return lines
    return lines[:limit - 1] + [lines[limit - 1][:-1] + "…"]


CAPTION_SIZE, CAPTION_LEADING = 10.5, 15.0
#: caption lines under one photo at most (the last one ends in …)
CAPTION_LINES = 6


def caption_block(lines: tuple[str, ...], font: str, width: float) -> list[str]:
    """A photo's caption lines wrapped to ``width``, at most CAPTION_LINES of them."""
    return clip([part for line in lines for part in wrap(line, font, CAPTION_SIZE, width)
                 or [""]], CAPTION_LINES)


def photo_pages_pdf(pages: list[list[PhotoSlot]]) -> bytes:
    """One A4 page per item of ``pages`` (one or two photos), each in its half of the page
    with its caption wrapped to the page's width under it (the photo takes what the caption
    leaves)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setCreator("archive-tool")
    width, height = A4
    half = (height - 2 * MARGIN) / 2
    for page in pages:
        for pos, slot in enumerate(page):
            lines = caption_block(slot.lines, font, width - 2 * MARGIN)
            top = height - MARGIN - pos * half
            w, h = _fit(slot.size, (width - 2 * MARGIN,
                                    half - 24 - CAPTION_LEADING * len(lines)))
            c.drawImage(ImageReader(io.BytesIO(slot.image)), (width - w) / 2, top - h, w, h)
            y = top - h - 16
            c.setFont(font, CAPTION_SIZE)
            for line in lines:
                c.drawCentredString(width / 2, y, line)
                y -= CAPTION_LEADING
        c.showPage()
    c.save()
    return buf.getvalue()


def text_pdf(title: str, note: str, text: str) -> bytes:
    """A document's text set in plain paragraphs, under its name and a note saying why it is
    not in its own layout."""
    st = _styles()
    story = [_para(title, st["big"]), _para(note, st["small"]), _spacer(10)]
    for block in (text or "（没有文字内容）").split("\n"):
        story.append(_para(block, st["base"]) if block.strip() else _spacer(6))
    return _build(story, title=title)


def stamps_pdf(sizes: list[tuple[float, float]], labels: list[str]) -> bytes:
    """One transparent page per size, carrying its label at the bottom right (page numbers)."""
    from reportlab.pdfgen import canvas

    font = cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for (w, h), label in zip(sizes, labels):
        c.setPageSize((w, h))
        c.setFont(font, 10)
        c.drawRightString(w - 28, 18, label)
        c.showPage()
    c.save()
    return buf.getvalue()
