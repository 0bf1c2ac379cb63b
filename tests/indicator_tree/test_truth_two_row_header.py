"""The truth, end to end: a county education bureau's sheet with a two-row header (责任单位 over
牵头 | 配合, the other header cells merged down), a 工作目标及措施 column, and category rows
numbered 一、二 between the tasks numbered 1, 2, 3 …

The title was read as "…责任分解表序号 创建项目 …" (the first header row), the 措施 column was
no requirement (every task became "没有指标和要求"), and each category row became an empty
folder "序号一".
"""
from __future__ import annotations

from datetime import date

import openpyxl

from indicator_tree import load_tree
from indicator_tree.table_import import import_table

from .truth_archive import TruthArchive, not_counted, statuses

TITLE = "某县教育局2024年文明单位创建工作责任分解表"
ROWS = [
    [TITLE],
    ["序号", "创建项目", "工作目标及措施", "责任单位", None, "完成时限"],
    [None, None, None, "牵头", "配合", None],
    ["一", "思想道德建设", None, None, None, None],
    ["1", None, "每月第一周周一组织全体干部职工集中学习，形成学习记录。", "办公室", "各股室", "每月"],
    ["2", None, "开展“我们的节日”主题活动，全年不少于4次，每次提供活动照片3张以上。", "德育股", "", "12月底"],
    ["二", "文明创建", None, None, None, None],
    ["3", None, "报送季度创建工作进展情况（说明报告，500字左右），每季度末报送。", "办公室", "", "每季度"],
    ["4", None, "接受市文明办实地考察。", "办公室", "", ""],
]


def _sheet(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in ROWS:
        ws.append(row)
    ws.merge_cells("A1:F1")
    ws.merge_cells("D2:E2")
    for column in "ABCF":
        ws.merge_cells(f"{column}2:{column}3")
    wb.save(path)
    return path


def test_a_two_row_header_with_category_rows(tmp_path):
    result = import_table(_sheet(tmp_path / "教育局责任分解表.xlsx"))
    tree = result.tree
    assert result.problems == [] and tree.title == TITLE
    assert [(ind.name, [c.name for c in ind.children]) for ind in tree.indicators] == [
        ("思想道德建设", ["每月第一周周一组织全体干部职工集中学习", "开展“我们的节日”主题活动"]),
        ("文明创建", ["报送季度创建工作进展情况", "接受市文明办实地考察"])]
    study, festival, report, visit = tree.leaves()
    assert (study.lead, study.support) == (("办公室",), ("各股室",))
    assert [(r.kind, r.min_count, r.period, r.each) for _, r in festival.rules()] == [
        ("photo", 4, "year", 3)]
    assert [(r.kind, r.period, r.words) for _, r in report.rules()] == [("report", "quarter", (375, 750))]
    assert list(visit.rules()) == []


def test_check_on_it(tmp_path):
    a = TruthArchive(tmp_path, _sheet(tmp_path / "教育局责任分解表.xlsx"), "某县教育局")
    assert [leaf.id for leaf in load_tree(a.tree_file).leaves()] == ["II-1", "II-2", "II-3", "II-4"]
    for month in (1, 2, 3, 5, 6):  # April is missing
        a.docx("II-1", f"{month:02d}：2024年{month}月集中学习记录.docx")
    a.docx("II-3", "01：2024年一季度创建工作进展情况说明报告.docx", chars=500)
    a.docx("II-3", "02：2024年二季度创建工作进展情况说明报告.docx", chars=300)  # too short
    for j in range(3):
        a.photo("II-2", f"{j + 1:02d}：春节活动.jpg", date(2024, 2, 10), "我们的节日·春节", colour=(j * 70, 0, 0))
    code, report = a.report("2024-06-15", "2024-06-30")
    assert code == 1
    assert statuses(report) == {
        "II-1": {"status": "missing", "rules": [("record", {
            "2024-01": ("complete", 1, 1), "2024-02": ("complete", 1, 1), "2024-03": ("complete", 1, 1),
            "2024-04": ("missing", 0, 1), "2024-05": ("complete", 1, 1), "2024-06": ("complete", 1, 1)})]},
        "II-2": {"status": "in_progress", "rules": [("photo", {"2024": ("in_progress", 1, 4)})]},
        "II-3": {"status": "in_progress", "rules": [("report", {
            "2024Q1": ("complete", 1, 1), "2024Q2": ("in_progress", 0, 1)})]},
        "II-4": {"status": "not_assessed", "rules": []}}
    assert not_counted(report, "II-3") == {"02：2024年二季度创建工作进展情况说明报告.docx": ["REPORT_LENGTH"]}
