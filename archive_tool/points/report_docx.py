"""The bulletin as a Word 通报 (python-docx), from the unit's template or a plain A4 page.

Without a template of the unit's, the shipped 说明报告 template gives the page (A4, the margins
of GB/T 9704, 仿宋 text) and its right-aligned footer holding the document name (seed 004), so
the bulletin can be filed as evidence as it is. With ``template`` (a .docx the unit keeps: its 红头, styles, header and
footer), ``{{标题}}`` / ``{{期间}}`` / ``{{单位}}`` / ``{{日期}}`` in it are filled in and the
bulletin goes where ``{{正文}}`` stands (at the end when there is none).

The body: an opening sentence, 一、积分排名 (a table), 二、the honours, 三、积分明细 (every
entry with its evidence), and 四、需要核对的事项 when there are issues.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..errors import FileOperationError, UsageError, os_reason
from .bulletin import Bulletin
from .report_text import (DETAIL_HEADERS, RANKING_HEADERS, detail_rows, honours_text,
                          ranking_rows)

BODY_FONT, TITLE_FONT = "仿宋", "宋体"
_PLACEHOLDER = re.compile(r"\{\{\s*(标题|期间|单位|日期|正文)\s*\}\}")


def _east_asian(run, font: str, size: float | None = None, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rpr = run._r.get_or_add_rPr()  # noqa: SLF001
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    if size:
        run.font.size = Pt(size)
    run.bold = bold or None


def _para(doc, text: str, *, size: float = 14, bold: bool = False, align=None,
          font: str = BODY_FONT):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    _east_asian(p.add_run(text), font, size, bold)
    return p


def _table(doc, headers, rows, size: float = 10.5):
    from docx.enum.table import WD_TABLE_ALIGNMENT

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(table.rows[0].cells, headers):
        _east_asian(cell.paragraphs[0].add_run(head), BODY_FONT, size, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            _east_asian(cell.paragraphs[0].add_run(text), BODY_FONT, size)
    return table


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _plain_document(name: str):
    """The shipped 说明报告 template emptied: its page (A4, GB/T 9704 margins), fonts and the
    right-aligned footer holding ``name``."""
    import io

    from docx import Document

    from ..templates import fill_template, template_bytes

    doc = Document(io.BytesIO(fill_template(template_bytes("report"), _Blank(name=name))))
    body = doc.element.body
    for child in list(body):
        if child.tag.rsplit("}", 1)[-1] != "sectPr":
            body.remove(child)
    doc.core_properties.title = name
    return doc


def _fill(doc, values: dict[str, str]):
    """Replace the placeholders of the template; return the {{正文}} paragraph (or None)."""
    anchor = None
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        paragraphs += [p for row in table.rows for c in row.cells for p in c.paragraphs]
    for section in doc.sections:  # only parts the template has (reading one would add it)
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                paragraphs += part.paragraphs
    for p in paragraphs:
        if "{{" not in p.text or not _PLACEHOLDER.search(p.text):
            continue
        if "正文" in _PLACEHOLDER.findall(p.text):
            anchor = p
            continue
        text = _PLACEHOLDER.sub(lambda m: values[m.group(1)], p.text)
        for run in p.runs[1:]:
            run.text = ""
        if p.runs:
            p.runs[0].text = text
    return anchor


def _body(doc, bulletin: Bulletin) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rules = bulletin.setup.rules
    span = bulletin.span
    _para(doc, f"根据《{rules.title}》，现将{span.title}（{span.start.month}月{span.start.day}日至"
               f"{span.end.month}月{span.end.day}日）各科室单位文明单位创建积分情况通报如下：")
    _para(doc, "一、积分排名", bold=True, font="黑体")
    _para(doc, f"按人均得分排名（{rules.honours_title}以 ★ 标出）；累计总分为基本分"
               f"加年初至本期末的净得分。", size=12)
    _table(doc, RANKING_HEADERS, ranking_rows(bulletin))
    _para(doc, f"二、{rules.honours_title}", bold=True, font="黑体")
    _para(doc, honours_text(bulletin))
    _para(doc, "三、积分明细", bold=True, font="黑体")
    if bulletin.entries:
        _table(doc, DETAIL_HEADERS, detail_rows(bulletin), size=9)
    else:
        _para(doc, "本期没有积分条目。")
    if bulletin.issues:
        _para(doc, "四、需要核对的事项", bold=True, font="黑体")
        for number, issue in enumerate(bulletin.issues, 1):
            _para(doc, f"{number}. {issue.path}：{issue.message}。{issue.fix}", size=12)
    _para(doc, bulletin.unit, align=WD_ALIGN_PARAGRAPH.RIGHT)
    today = date.today()
    _para(doc, f"{today.year}年{today.month}月{today.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT)


def _move_before(doc, anchor, before: set) -> None:
    """Move the body elements not in ``before`` to where ``anchor`` stands (``before`` holds
    the element proxies themselves, so lxml keeps them: an id alone could be reused)."""
    added = [el for el in doc.element.body
             if el not in before and el.tag.rsplit("}", 1)[-1] != "sectPr"]
    for el in added:
        anchor._p.addprevious(el)  # noqa: SLF001
    anchor._p.getparent().remove(anchor._p)  # noqa: SLF001


def build_document(bulletin: Bulletin, name: str, template: Path | None = None):
    """The python-docx Document of the bulletin."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    title = f"{bulletin.unit}文明单位创建工作积分情况通报".strip()
    if template is None:
        doc, anchor = _plain_document(name), None
        _para(doc, title, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
        _para(doc, f"（{bulletin.span.title}）", size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        try:
            doc = Document(str(template))
        except Exception as exc:  # python-docx raises many kinds on a damaged file
            raise UsageError(f"无法打开通报模板 {template}（{type(exc).__name__}）",
                             "模板应为 Word .docx 文件。") from None
        today = date.today()
        anchor = _fill(doc, {"标题": title, "期间": bulletin.span.title, "单位": bulletin.unit,
                             "日期": f"{today.year}年{today.month}月{today.day}日", "正文": ""})
    before = set(doc.element.body)
    _body(doc, bulletin)
    if anchor is not None:
        _move_before(doc, anchor, before)
    return doc


def write_bulletin_docx(bulletin: Bulletin, dest: Path, template: Path | None = None) -> None:
    doc = build_document(bulletin, Path(dest).stem, template)
    try:
        doc.save(str(dest))
    except OSError as exc:
        raise FileOperationError(f"无法写入 {dest}：{os_reason(exc)}",
                                 "检查文件是否正在 Word/WPS 中打开，或换一个文件名。") from None
