"""The bulletin as an Excel workbook: 排名, 明细 (every entry with its evidence), 需要核对, 说明.

Numbers are numbers (not text), so the 综合组 can sort and sum them in Excel or WPS.
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from ..errors import FileOperationError, os_reason
from ..report.gap_xlsx import _sheet as sheet
from .bulletin import Bulletin, round2
from .report_text import correction_text, formula, honours_text, rule_text
from .ruleset import points_text

SHEETS = ("排名", "明细", "需要核对", "说明")


def build_workbook(bulletin: Bulletin):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    rows = [[d.rank, d.name, d.size, float(d.additions), float(d.deductions), float(d.net),
             float(round2(d.per_capita)), float(d.total), d.points_rank,
             bulletin.setup.rules.honours_title if d.honoured else ""]
            for d in bulletin.departments]
    sheet(wb, "排名", [("排名", 6), ("科室（单位）", 30), ("人数", 6), ("加分", 8), ("扣分", 8),
                      ("净得分", 8), ("人均得分", 10), ("累计总分", 10), ("总分排名", 10),
                      ("评选", 16)], rows)
    rows = [[e.id, e.date, e.department, e.person, e.rule, rule_text(bulletin, e),
             float(e.points), e.count, e.activity, e.note, e.evidence, e.recorded_by,
             e.recorded_at, e.source, correction_text(bulletin, e)]
            for e in bulletin.entries]
    ws = sheet(wb, "明细", [("编号", 10), ("日期", 12), ("科室（单位）", 24), ("姓名", 10),
                           ("项目编号", 10), ("加扣分项目", 40), ("分值", 8), ("次数", 6),
                           ("活动", 24), ("说明", 30), ("佐证材料", 60), ("记录人", 10),
                           ("记录时间", 22), ("来源", 8), ("更正", 12)], rows)
    for cell in ws["B"][1:]:
        cell.number_format = "yyyy-mm-dd"
    rows = [[i.rule, i.severity, i.path, i.message, i.fix,
             i.date.isoformat() if i.date else ""] for i in bulletin.issues]
    sheet(wb, "需要核对", [("问题", 24), ("级别", 8), ("文件", 60), ("说明", 60), ("修改", 60),
                          ("日期", 12)], rows)
    rules = bulletin.setup.rules
    span = bulletin.span
    sheet(wb, "说明", [("项目", 16), ("内容", 100)],
          [["单位", bulletin.unit], ["期间", f"{span.title}（{span.start} 至 {span.end}）"],
           ["积分规则", f"{rules.title}（{rules.id}）"], ["基本分", points_text(rules.base)],
           ["计算", formula(bulletin)], ["评选", honours_text(bulletin)]])
    wb.active = wb["排名"]
    return wb


def write_bulletin_xlsx(bulletin: Bulletin, dest: str | Path | BinaryIO) -> None:
    try:
        build_workbook(bulletin).save(dest)
    except OSError as exc:
        raise FileOperationError(f"无法写入 {dest}：{os_reason(exc)}",
                                 "检查文件是否正在 Excel/WPS 中打开，或换一个文件名。") from None
