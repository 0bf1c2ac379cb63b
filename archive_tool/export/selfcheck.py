"""自评表: the self-assessment sheet, one sheet per level-I indicator, from the gap reports.

One row per rule of each leaf (per year in a several-years archive): the indicator and its
points (分值, where the tree has scores), the requirement, the evidence found for the rule (how
many, which files), its status, what is missing per period, the points at stake, a suggested
self-assessed score (the points less those at stake) and an empty, highlighted column for the
assessor's score (测评组评分). Leaves that ask for nothing to be filed say so. Points are
numbers, and where the tree has scores each year's rows end in a 合计 row adding up 分值, 失分风险,
the suggested and the assessor's scores (formulas). Printed on A4 landscape with the header row
repeated, every row as tall as its wrapped text.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..check.model import STATUS_LABELS
from ..report.gap_common import need_text, period_token, points
from ..report.gap_xlsx import _save
from .xlsx_rows import fit_row

if TYPE_CHECKING:  # pragma: no cover
    from ..check.model import GapReport, IndicatorGap, RuleGap

HEADERS = (("指标编号", 9), ("指标名称", 18), ("分值", 6), ("年度", 8), ("测评要求", 34),
           ("材料要求", 28), ("已有材料", 34), ("完成情况", 22), ("缺少", 26), ("失分风险", 8),
           ("自评得分（建议）", 9), ("测评组评分", 10), ("备注", 14))
ASSESSOR_COL = 12
#: files named in 已有材料 before "等 N 份"
NAMED = 8


def _files(rule: "RuleGap") -> str:
    names = list(dict.fromkeys(path.rsplit("/", 1)[-1] for path, _ in rule.counted))
    if not names:
        return "（无）"
    shown = "、".join(names[:NAMED])
    return f"{len(names)} 份：{shown}" + (f" 等 {len(names)} 份" if len(names) > NAMED else "")


def _missing(rule: "RuleGap") -> str:
    return "；".join(f"{p.label} {need_text(rule, p)}" for p in rule.periods
                    if p.short or p.status == "in_progress")


def _state(rule: "RuleGap") -> str:
    return STATUS_LABELS[rule.status] + "：" + " ".join(period_token(p, rule)
                                                      for p in rule.periods)


def number(value: float | None) -> int | float | None:
    """Points as a number Excel can add up (an int when whole), None when there are none."""
    if value is None:
        return None
    value = round(value, 1)
    return int(value) if float(value).is_integer() else value


def _suggested(leaf: "IndicatorGap") -> int | float | None:
    if leaf.score is None:
        return None
    return number(max(0.0, leaf.score - (leaf.at_stake or 0.0)))


def leaf_rows(leaf: "IndicatorGap", year: str) -> list[list]:
    """The rows of one leaf in one year (the leaf's own cells on the first row only; points
    as numbers)."""
    head = [leaf.id, leaf.name, number(leaf.score), year]
    if not leaf.assessed:
        return [head + ["", "无需提交材料（由测评组评价）", "", STATUS_LABELS[leaf.status], "",
                        None, None, None, ""]]
    rows = []
    for n, rule in enumerate(leaf.rules):
        first = n == 0
        rows.append((head if first else ["", "", None, year]) + [
            rule.requirement, rule.text, _files(rule), _state(rule), _missing(rule),
            number(leaf.at_stake) if first else None, _suggested(leaf) if first else None,
            None, ""])
    return rows


#: the columns a 合计 row adds up: 分值, 失分风险, 自评得分（建议）, 测评组评分
SUMMED = (3, 10, 11, 12)


def _total(ws, year: str, first: int, last: int) -> None:
    """A 合计 row under one year's rows of a sheet: SUM formulas, so the assessor's scores
    add up as they are typed in."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    row = [""] * len(HEADERS)
    row[1] = f"{year} 合计".strip()
    row[3] = year
    for col in SUMMED:
        letter = get_column_letter(col)
        row[col - 1] = f"=SUM({letter}{first}:{letter}{last})"
    ws.append(row)
    _styled(ws, ws.max_row, fill="F6F8FA")
    for col in range(1, len(HEADERS) + 1):
        ws.cell(ws.max_row, col).font = Font(bold=True)


def _styled(ws, row: int, fill=None) -> None:
    from openpyxl.styles import Alignment, Border, PatternFill, Side

    thin = Side(style="thin", color="000000")
    for col in range(1, len(HEADERS) + 1):
        cell = ws.cell(row, col)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        elif col == ASSESSOR_COL:
            cell.fill = PatternFill("solid", fgColor="FFF8C5")
    fit_row(ws, row, [width for _, width in HEADERS])


def _sheet(wb, top: "IndicatorGap", years: dict[str, "IndicatorGap"], unit: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(f"{top.id} {top.name}"[:28].translate(str.maketrans("[]:*?/\\",
                                                                             "_______")))
    score = f"（{points(top.score)} 分）" if top.score is not None else ""
    ws.append([f"{unit} 文明单位创建自评表：{top.id} {top.name}{score}"])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.append([h for h, _ in HEADERS])
    _styled(ws, 2, fill="E8ECF0")
    scored = any(g.score is not None for gap in years.values() for g in gap.walk())
    for year, gap in years.items():
        first = ws.max_row + 1
        for leaf in (g for g in gap.walk() if g.is_leaf):
            for row in leaf_rows(leaf, year):
                ws.append(row)
                _styled(ws, ws.max_row)
        if scored and ws.max_row >= first:
            _total(ws, year, first, ws.max_row)
    for pos, (_, width) in enumerate(HEADERS, 1):
        ws.column_dimensions[get_column_letter(pos)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    ws.freeze_panes = "C3"


def build_selfcheck_workbook(reports: dict[str, "GapReport"], unit: str):
    """The workbook: a sheet per level-I indicator of the latest year's tree (then those only
    earlier years have), each year's leaves under it."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    order: dict[str, "IndicatorGap"] = {}
    for report in reversed(list(reports.values())):
        for top in report.indicators:
            order.setdefault(top.id, top)
    for top_id, top in order.items():
        years = {year: next((t for t in report.indicators if t.id == top_id), None)
                 for year, report in reports.items()}
        _sheet(wb, top, {y: g for y, g in years.items() if g is not None}, unit)
    if not wb.sheetnames:
        wb.create_sheet("自评表").append(["指标体系中没有指标"])
    return wb


def has_scores(reports: dict[str, "GapReport"]) -> bool:
    return any(g.score is not None for report in reports.values() for g in report.walk())


def write_selfcheck_xlsx(reports: dict[str, "GapReport"], unit: str,
                         dest: str | Path | BinaryIO) -> None:
    _save(build_selfcheck_workbook(reports, unit), dest)
