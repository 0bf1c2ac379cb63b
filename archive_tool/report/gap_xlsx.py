"""The gap report as an Excel workbook (openpyxl), for office staff who live in Excel and WPS.

One sheet per view, each with a bold frozen header row, an auto filter and set column widths:

- 概况: the summary;
- 按指标: one row per indicator (status, coverage, score, owners);
- 缺项明细: one row per period of each rule of each assessed leaf (found, required, status,
  what is still needed, days left);
- 按责任人: one row per owner and leaf with rules short or in progress, with what is needed;
- 不计入: one row per file and reason (已提交但不计入, and files outside indicator folders).
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from ..check.model import STATUS_LABELS, GapReport, OwnerGap
from ..errors import FileOperationError, os_reason
from .gap_common import (NOT_COUNTED_TITLE, excerpt, indicator_status, need_text, period_token,
                         points, requirement_note, rule_notes, summary_lines)

SHEETS = ("概况", "按指标", "缺项明细", "按责任人", "不计入")
_FILLS = {"complete": "DAFBE1", "in_progress": "FFF1E0", "missing": "FFEBE9",
          "not_started": "F6F8FA"}


def _sheet(wb, title: str, headers: list[tuple[str, int]], rows: list[list],
           status_col: int | None = None):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append([h for h, _ in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8ECF0")
        cell.alignment = Alignment(vertical="center")
    for pos, (_, width) in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(pos)].width = width
    for row in rows:
        status = row.pop() if status_col is not None else None
        ws.append(row)
        if status in _FILLS:
            ws.cell(ws.max_row, status_col + 1).fill = PatternFill("solid",
                                                                   fgColor=_FILLS[status])
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{ws.max_row}"
    return ws


def _number(value: float | None):
    if value is None:
        return None
    text = points(value)
    return float(text) if "." in text else int(text)


def _requirement_prefix(rule) -> str:
    """``「以爱国主义教育为重点…」`` before a rule: several requirements share one rule text."""
    return f"「{excerpt(rule.requirement, 30)}」" if rule.requirement else ""


def _short(rule) -> str:
    """The periods of a rule that are short or in progress: ``2018Q3 ✗、2018Q4 进行中：…``."""
    return "、".join(period_token(p, rule) for p in rule.periods
                    if p.short or p.status == "in_progress")


def build_workbook(report: GapReport, groups: list[OwnerGap], *, by: str = "indicator"):
    """An openpyxl Workbook of the report; the ``by`` view's sheet is the active one."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    add_sheets(wb, report, groups)
    _activate(wb, wb["按责任人" if by == "owner" else "按指标"])
    return wb


def _activate(wb, active) -> None:
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws is active
    wb.active = active


def add_sheets(wb, report: GapReport, groups: list[OwnerGap], prefix: str = "") -> None:
    """The five sheets of one report, their names after ``prefix`` (a year: ``2024年 概况``)."""
    for sheet in (_overview_sheet, _indicator_sheet, _detail_sheet):
        sheet(wb, report, prefix)
    _owner_sheet(wb, groups, prefix)
    _not_counted_sheet(wb, report, prefix)


def _overview_sheet(wb, report: GapReport, prefix: str) -> None:
    summary = report.summary()
    ws = _sheet(wb, f"{prefix}概况", [("项目", 24), ("内容", 100)],
           [["指标体系", f"{report.tree_title}（{report.tree_id}）"],
            ["考核期", f"{report.window_start} 至 {report.window_end}"],
            ["报告日期", report.as_of.isoformat()],
            ["迎检日", report.inspection.isoformat() if report.inspection else "未设"],
            *[["说明", line] for line in summary_lines(report)[1:]],
            ["覆盖率", summary["coverage"]], ["失分风险", summary["at_stake"]]])
    coverage = next(row[1] for row in ws.iter_rows(min_row=2) if row[0].value == "覆盖率")
    coverage.number_format = "0%"


def _indicator_sheet(wb, report: GapReport, prefix: str) -> None:
    rows = []
    for ind in report.walk():
        rows.append([ind.id, ind.name, ind.level, indicator_status(ind),
                     ind.leaves_complete, ind.leaves_due,
                     round(ind.coverage, 4) if ind.coverage is not None else None,
                     _number(ind.score), _number(ind.at_stake), "、".join(ind.owners),
                     ind.status if ind.assessed else None])
    ws = _sheet(wb, f"{prefix}按指标", [("编号", 12), ("指标", 36), ("级别", 6), ("状态", 14),
                              ("齐全", 8), ("已到期", 8), ("覆盖率", 10), ("分值", 8),
                              ("失分风险", 10), ("责任人", 30)], rows, status_col=3)
    for cell in ws["G"][1:]:
        cell.number_format = "0%"


def _detail_sheet(wb, report: GapReport, prefix: str) -> None:
    rows = []
    for leaf in report.leaves():
        for rule in leaf.rules:
            notes = "；".join(rule_notes(rule))
            for p in rule.periods:
                asked = "\n".join(t for t in (rule.requirement, requirement_note([rule], 400)) if t)
                rows.append([leaf.id, leaf.name, "、".join(rule.owners), asked,
                             rule.text, p.label, p.start, p.end, p.found, p.required,
                             STATUS_LABELS[p.status], need_text(rule, p) if p.needed else "",
                             p.days_left, notes, p.status])
    ws = _sheet(wb, f"{prefix}缺项明细", [("编号", 12), ("指标", 30), ("责任人", 20), ("工作要求", 50),
                                ("材料要求", 36), ("周期", 10), ("开始", 12), ("结束", 12),
                                ("已有", 8), ("应有", 8), ("状态", 10), ("还需", 22),
                                ("剩余天数", 10), ("说明", 50)], rows, status_col=10)
    for col in ("G", "H"):
        for cell in ws[col][1:]:
            cell.number_format = "yyyy-mm-dd"


def _owner_sheet(wb, groups: list[OwnerGap], prefix: str) -> None:
    rows = []
    for group in groups:
        for leaf in group.indicators:
            gaps = "；".join(f"{_requirement_prefix(r)}{r.text}（{_short(r)}）" for r in leaf.rules)
            rows.append([group.owner, leaf.id, leaf.name, indicator_status(leaf)[2:], gaps,
                         len({n.path for n in leaf.not_counted}), leaf.status])
    _sheet(wb, f"{prefix}按责任人", [("责任人", 20), ("编号", 12), ("指标", 30), ("状态", 10),
                           ("缺少", 80), (NOT_COUNTED_TITLE, 16)], rows, status_col=3)


def _not_counted_sheet(wb, report: GapReport, prefix: str) -> None:
    rows = []
    for ind in report.walk():
        for item in ind.not_counted:
            rows.append([ind.id, ind.name, item.path, item.rule, item.message, item.fix])
    for item in report.outside:
        rows.append(["", "（不在指标文件夹内）", item.path, item.rule, item.message, item.fix])
    _sheet(wb, f"{prefix}不计入", [("编号", 12), ("指标", 24), ("文件", 60), ("规则", 22),
                                  ("原因", 50), ("修改", 60)], rows)


def build_years_workbook(years, *, by: str = "indicator"):
    """A workbook of several years: 按年度 (one row per indicator, a status column per year),
    then each year's five sheets, named after the year."""
    from openpyxl import Workbook

    from ..check.model import STATUS_MARKS

    wb = Workbook()
    wb.remove(wb.active)
    labels = years.labels
    rows = [[row.id, row.name, row.level,
             *[f"{STATUS_MARKS[st]} {STATUS_LABELS[st]}" if st else "—" for st in row.statuses]]
            for row in years.rows()]
    first = _sheet(wb, "按年度", [("编号", 12), ("指标", 36), ("级别", 6),
                                 *[(label[:20], 14) for label in labels]], rows)
    for year in years.years:
        add_sheets(wb, year.report, year.groups, prefix=f"{year.year[:20]} ")
    _activate(wb, wb[f"{years.years[-1].year[:20]} 按责任人"] if by == "owner" else first)
    return wb


def write_gap_xlsx(report: GapReport, groups: list[OwnerGap], dest: str | Path | BinaryIO, *,
                   by: str = "indicator") -> None:
    """Write the workbook to a path or a binary file object."""
    _save(build_workbook(report, groups, by=by), dest)


def write_years_xlsx(years, dest: str | Path | BinaryIO, *, by: str = "indicator") -> None:
    """Write the workbook of several years (:class:`~archive_tool.check.years.YearsReport`)."""
    _save(build_years_workbook(years, by=by), dest)


def _save(wb, dest) -> None:
    try:
        wb.save(dest)
    except OSError as exc:
        raise FileOperationError(f"无法写入 {dest}：{os_reason(exc)}",
                                 hint="检查文件是否正在 Excel/WPS 中打开，或换一个文件名。") from None
