"""Make the docx templates of ``archive-tool new``: 说明报告, 活动记录 and 签到表.

Run it after changing it, and commit the result (the files go beside this module, in
archive_tool/templates/, which ships them; a test says when they are stale)::

    .venv/bin/python -m archive_tool.templates.make

Every template is A4 with the margins of GB/T 9704 (公文格式), 仿宋 body text and a 宋体 title
(East-Asian fonts set through ``w:rFonts w:eastAsia``, the language set to zh-CN), and a footer
of one right-aligned paragraph holding the document name, as seed 004 asks ("宜在正文页脚插入
文档名称(居右)"). Placeholders are ``{{key}}`` texts, each kept whole inside one run, which
:func:`archive_tool.templates.fill_template` replaces; the keys are listed in
:data:`PLACEHOLDERS`.

The output is reproducible: the zip entries get a fixed timestamp and the core properties fixed
dates, so running the script twice gives identical files.
"""
from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from archive_tool.templates import HINT_LABEL
from archive_tool.word.package import rewrite

OUT = Path(__file__).resolve().parent
#: what archive_tool.documents fills in
PLACEHOLDERS = ("name", "title", "unit", "indicator", "requirement", "body", "theme")
BODY_FONT, TITLE_FONT = "仿宋", "宋体"
FIXED_DATE = datetime(2024, 1, 1)
HINT = RGBColor(0x80, 0x80, 0x80)
SIGNIN_ROWS = 18


def east_asian(rpr_owner, font: str) -> None:
    """Set the East-Asian font (and zh-CN language) of a run or a style."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")
    fonts.set(qn("w:eastAsia"), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def run(paragraph, text: str, font: str = BODY_FONT, size: float | None = None,
        bold: bool = False, hint: bool = False):
    """Add one run; a placeholder is always given as its own run, so it stays whole."""
    r = paragraph.add_run(text)
    east_asian(r._r, font)
    if size:
        r.font.size = Pt(size)
    r.bold = bold or None
    if hint:
        r.font.color.rgb = HINT
    return r


def new_document(body_size: float):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(body_size)
    east_asian(normal.element, BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25
    footer_style = doc.styles["Footer"]
    east_asian(footer_style.element, TITLE_FONT)
    footer_style.font.size = Pt(12)
    # the footer: one right-aligned paragraph holding the document name
    footer = section.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.style = footer_style
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run(para, "{{name}}", TITLE_FONT, 12)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = "{{name}}", "archive-tool", "archive-tool"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    return doc


def title(doc, size: float = 22) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(12)
    run(p, "{{title}}", TITLE_FONT, size, bold=True)


def line(doc, label: str, key: str, hint: bool = False, size: float | None = None) -> None:
    p = doc.add_paragraph()
    run(p, label, size=size, bold=not hint, hint=hint)
    run(p, "{{" + key + "}}", size=size, hint=hint)


def grid(table, widths) -> None:
    """Borders, centred, fixed column widths (grid and cells, so Word and LibreOffice agree)."""
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def cell_text(cell, text: str, bold: bool = False, size: float | None = None,
              center: bool = False, hint: bool = False) -> None:
    p = cell.paragraphs[0]
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    # "label{{key}}" -> two runs, the placeholder whole in the second
    head, sep, tail = text.partition("{{")
    if head:
        run(p, head, size=size, bold=bold, hint=hint)
    if sep:
        run(p, "{{" + tail, size=size, hint=hint)


def report():
    """说明报告: title, unit, indicator, the requirement as a hint and a body placeholder."""
    doc = new_document(16)
    title(doc)
    line(doc, "单位：", "unit")
    line(doc, "指标：", "indicator")
    line(doc, HINT_LABEL, "requirement", hint=True)
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.space_before = Pt(12)
    run(p, "{{body}}")
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.space_before = Pt(24)
    run(sign, "{{unit}}")
    date = doc.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run(date, "　　年　　月　　日")
    return doc


def record():
    """活动记录: 时间, 地点, 主办单位, 参加人员, 活动主题, 活动内容 and four photo places."""
    doc = new_document(14)
    title(doc)
    line(doc, "指标：", "indicator", size=12)
    line(doc, HINT_LABEL, "requirement", hint=True, size=10.5)
    rows = (("活动时间", "　　年　　月　　日"), ("活动地点", ""), ("主办单位", "{{unit}}"),
            ("参加人员", ""), ("活动主题", "{{theme}}"), ("活动内容", "{{body}}"))
    table = doc.add_table(rows=len(rows), cols=2)
    grid(table, (Mm(30), Mm(126)))
    for (label, value), row in zip(rows, table.rows):
        cell_text(row.cells[0], label, bold=True, center=True)
        cell_text(row.cells[1], value)
    table.rows[-1].height = Mm(60)
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    run(p, "活动照片", bold=True)
    photos = doc.add_table(rows=2, cols=2)
    grid(photos, (Mm(78), Mm(78)))
    for number, cell in enumerate((c for row in photos.rows for c in row.cells), 1):
        cell_text(cell, f"（照片{number}：在此插入现场照片，并注明活动时间、主办单位、活动主题）",
                  size=10.5, center=True, hint=True)
    for row in photos.rows:
        row.height = Mm(55)
    return doc


def signin():
    """签到表: the activity lines and a table of numbered rows that fits one page."""
    doc = new_document(14)
    title(doc)
    line(doc, "指标：", "indicator", size=12)
    for label, value in (("活动主题：", "{{theme}}"), ("主办单位：", "{{unit}}"),
                         ("时间：", "　　年　　月　　日"), ("地点：", "")):
        p = doc.add_paragraph()
        run(p, label, bold=True)
        if value:
            run(p, value)
    heads = ("序号", "姓名", "单位（部门）", "职务", "签名")
    widths = (Mm(15), Mm(28), Mm(55), Mm(28), Mm(30))
    table = doc.add_table(rows=SIGNIN_ROWS + 1, cols=len(heads))
    grid(table, widths)
    for i, row in enumerate(table.rows):
        row.height = Mm(8)
        if i == 0:
            for cell, head in zip(row.cells, heads):
                cell_text(cell, head, bold=True, center=True, size=12)
        else:
            cell_text(row.cells[0], str(i), center=True, size=12)
    return doc


TEMPLATES = {"report": report, "record": record, "signin": signin}


def reproducible(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, so regenerating changes nothing."""
    out = io.BytesIO()
    rewrite(io.BytesIO(data), out, stamp=(1980, 1, 1, 0, 0, 0), deflate=True)
    return out.getvalue()


def main(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, make in TEMPLATES.items():
        buf = io.BytesIO()
        make().save(buf)
        path = out / f"{kind}.docx"
        path.write_bytes(reproducible(buf.getvalue()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
