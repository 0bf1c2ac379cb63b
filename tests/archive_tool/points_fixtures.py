"""Builders for the points tests: an archive on linyi-2018, the 附件1 departments table, a roster,
and sign-in sheets filled in the real ``new signin`` template (python-docx) or as xlsx (openpyxl).
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
from docx import Document

from archive_tool.config import load_config
from archive_tool.documents import new_document

from ..conftest import new_archive

UNIT = "临沂市环境保护局"

#: 附件1 of seed 000, as its lines read (序号, 科室（单位）, 人数)
ANNEX_1 = """1	总工办	3
2	办公室	9
3	人事科	3
4	机关党委	5
5	规划与财务科	7
6	固废与土壤环境管理科	4
7	环境影响评价科	4
8	政策法规科	3
9	自然生态保护科	4
10	核与辐射安全管理科	4
11	大气科	11
12	机动车排气污染监控中心	5
13	产业开发服务中心	3
14	山东省沂沭河流域环境管理处	12
15	临沂市环境监察支队	22
16	临沂市污染物排放总量控制办公室	6
17	临沂市环境应急管理中心	5
18	兰山区环保分局	22
19	罗庄区环保分局	24
20	河东区环保分局	21
21	高新区环保分局	9
22	经济区环保分局	12
23	临港区环保分局	5"""

#: (name, department, rank) of the roster; 李明 is in two departments on purpose
PEOPLE = [
    ("王峰", "办公室", "科级以上"), ("刘妍", "办公室", "一般职工"), ("江峰", "办公室", "一般职工"),
    ("徐震", "办公室", "一般职工"), ("李明", "办公室", "一般职工"),
    ("秦增诗", "人事科", "科级以上"), ("张敏", "人事科", "一般职工"),
    ("郭富永", "大气科", "科级以上"), ("刘巍", "大气科", "一般职工"), ("汤浩", "大气科", "一般职工"),
    ("李明", "大气科", "一般职工"),
    ("曲丽娟", "机关党委", "科级以上"), ("杨燕", "机关党委", "一般职工"),
    ("朱凤东", "总工办", "科级以上"),
]


def make_archive(tmp_path: Path) -> Path:
    return new_archive(tmp_path, "linyi-2018", unit=UNIT)


def departments_docx(path: Path, lines: str = ANNEX_1) -> Path:
    """附件1 as a Word table: a title paragraph, then 序号 / 科 室 (单 位) / 人 数."""
    doc = Document()
    doc.add_paragraph("2018 年纳入积分制管理科室单位名单")
    rows = [line.split("\t") for line in lines.splitlines()]
    table = doc.add_table(rows=len(rows) + 1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序 号", "科 室 (单 位)", "人 数")):
        cell.text = text
    for row, values in zip(table.rows[1:], rows):
        for cell, text in zip(row.cells, values):
            cell.text = text
    doc.save(path)
    return path


def people_xlsx(path: Path, people=PEOPLE) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["2018年干部职工名册"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "姓名", "科室（单位）", "职级"])
    for number, (name, dept, rank) in enumerate(people, 1):
        ws.append([number, name, dept, rank])
    wb.save(path)
    return path


def setup_points(root: Path, tmp_path: Path) -> None:
    """``points init`` from the 附件1 docx and the roster xlsx, through the library."""
    from archive_tool.points import init_points

    init_points(root, "linyi-2018", departments_docx(tmp_path / "附件1.docx"),
                people_xlsx(tmp_path / "名册.xlsx"))


def points_archive(tmp_path: Path) -> Path:
    """An archive on linyi-2018 with the points system set up (23 departments, 14 people)."""
    root = make_archive(tmp_path)
    setup_points(root, tmp_path)
    return root


def signin_docx(root: Path, indicator: str, theme: str, when: str,
                signatures: list[tuple[str, str]], extra_lines: tuple[str, ...] = ()) -> Path:
    """A sheet made by ``new signin`` and filled as staff do in Word: the 时间 line, then the
    姓名 and 单位（部门） cells row by row (序号 is already there)."""
    path = new_document(load_config(root), "signin", indicator, theme)
    doc = Document(str(path))
    for p in doc.paragraphs:
        if p.text.startswith("时间："):
            p.runs[-1].text = when
    table = doc.tables[0]
    for row, (name, dept) in zip(table.rows[1:], signatures):
        row.cells[1].text = name
        row.cells[2].text = dept
    for line in extra_lines:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def signin_xlsx(folder: Path, name: str, theme: str, when, signatures: list[tuple[str, str]],
                side_by_side: bool = False) -> Path:
    """A signed sheet kept as xlsx: a merged title, 活动主题 / 时间 rows (label and value in
    adjacent cells), the header, the names; optionally two groups side by side."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"{theme}签到表"])
    ws.merge_cells("A1:F1")
    ws.append(["活动主题", theme])
    ws.append(["时间", when])
    if side_by_side:
        ws.append(["序号", "姓名", "单位（部门）", "序号", "姓名", "单位（部门）"])
        half = (len(signatures) + 1) // 2
        for i in range(half):
            left = signatures[i]
            right = signatures[half + i] if half + i < len(signatures) else ("", "")
            ws.append([i + 1, left[0], left[1], half + i + 1 if right[0] else None,
                       right[0] or None, right[1] or None])
    else:
        ws.append(["序号", "姓名", "单位（部门）", "签名"])
        for i, (person, dept) in enumerate(signatures, 1):
            ws.append([i, person, dept, None])
    path = folder / name
    wb.save(path)
    return path


def leaf(root: Path, indicator_id: str) -> Path:
    for path in root.rglob("*"):
        if path.is_dir() and path.name.split(" ", 1)[0] == indicator_id:
            return path
    raise LookupError(indicator_id)
