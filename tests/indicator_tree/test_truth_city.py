"""The truth, end to end: a city commission's Excel table (a merged title row, 工作类别 and
具体措施 columns, 牵头处室 / 配合处室, 完成时限, 分值), imported, filed and checked.

As of 2024-10-20 with the inspection on 2024-11-30: a quarter without its minutes, a quarter
with 1 of 2 information reports and one in progress, a monthly photo rule with July short and
November not begun, a WeChat-named photo, a monthly ledger kept as .xlsx plus a photographed
page, a video dated by its name, the first half's summary written on July 3 after the 6-30
cut-off (late for the first half, and not the second half's summary), a row that asks for
nothing.
"""
from __future__ import annotations

from datetime import date, datetime

import pytest

from indicator_tree import load_tree

from .test_table_import import write_xlsx
from .truth_archive import TruthArchive, assert_truth, leaves

UNIT = "某市卫生健康委员会"
TITLE = "某市卫生健康委员会2024年文明单位创建工作任务清单"
TABLE = [
    ["序号", "工作类别", "工作任务", "具体措施", "牵头处室", "配合处室", "完成时限", "分值"],
    ["1", "组织领导", "创建推进会", "每季度召开一次创建工作推进会，提供会议纪要。", "办公室", "人事处", "每季度末", "5"],
    ["2", "", "创建台账", "建立创建工作台账，按月更新。", "办公室", "", "全年", "3"],
    ["3", "文明实践", "文明交通劝导", "每月开展一次文明交通劝导，提供现场照片2张。", "机关党委", "团委", "全年", "5"],
    ["4", "", "活动影像", "重大活动留存视频资料。", "宣传处", "", "全年", "2"],
    ["5", "宣传报道", "创建信息", "按季度报送创建工作信息，每季度不少于2条。", "宣传处", "各处室", "每季度末", "4"],
    ["6", "测评迎检", "群众满意度", "参加市文明办组织的群众满意度测评。", "办公室", "", "按市文明办安排", "10"],
    ["7", "", "创建总结", "报送半年和年度创建工作总结。", "办公室", "各处室", "2024年6月30日前、12月31日前", "5"],
]
MERGES = [(1, 1, 2, 1), (3, 1, 4, 1), (6, 1, 7, 1)]
AS_OF, INSPECTION = "2024-10-20", "2024-11-30"

TRUTH = {
    "II-1": {"status": "missing", "rules": [("record", {
        "2024Q1": ("complete", 1, 1), "2024Q2": ("missing", 0, 1), "2024Q3": ("complete", 1, 1),
        "2024Q4": ("in_progress", 0, 1)})]},
    "II-2": {"status": "complete", "rules": [("record", {
        **{f"2024-{m:02d}": ("complete", 1, 1) for m in range(1, 11)},
        "2024-11": ("not_started", 0, 1)})]},
    "II-3": {"status": "missing", "rules": [("photo", {
        **{f"2024-{m:02d}": ("complete", 2, 2) for m in range(1, 11)},
        "2024-07": ("missing", 1, 2), "2024-11": ("not_started", 0, 2)})]},
    "II-4": {"status": "complete", "rules": [("av", {"全期": ("complete", 1, 1)})]},
    "I-3": {"status": "missing", "rules": [("document", {
        "2024Q1": ("complete", 2, 2), "2024Q2": ("complete", 2, 2), "2024Q3": ("missing", 1, 2),
        "2024Q4": ("in_progress", 0, 2)})]},
    "II-5": {"status": "not_assessed", "rules": []},
    "II-6": {"status": "missing", "rules": [("report", {
        "2024H1": ("missing", 0, 1), "2024H2": ("in_progress", 0, 1)})]},
}
NOT_COUNTED = {
    "II-3": {"微信图片_20240605101122.jpg": ["NAME_FORMAT"]},
    "II-6": {"01：2024年上半年创建工作总结.docx": ["AFTER_DEADLINE"]},
}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("city")
    a = TruthArchive(tmp, write_xlsx(tmp / "市卫健委任务清单.xlsx", TABLE, MERGES, title=TITLE), UNIT)
    a.docx("II-1", "01：2024年3月创建工作推进会会议纪要.docx")
    a.pdf("II-1", "02：三季度创建工作推进会会议纪要.pdf", "D:20240912150000+08'00'")
    for month in range(1, 10):  # a ledger kept month by month in Excel
        a.file("II-2", f"{month:02d}：2024年{month}月创建工作台账.xlsx", b"PK\x03\x04" + b"\0" * 60)
    a.image("II-2", "10：2024年10月创建工作台账.jpg")  # a page photographed
    k = 0
    for month in range(1, 11):
        for j in range(1 if month == 7 else 2):
            k += 1
            a.photo("II-3", f"{k:02d}：文明交通劝导.jpg", date(2024, month, 15), "文明交通劝导志愿服务",
                    colour=(k * 12 % 255, j * 80, 30))
    a.photo("II-3", "微信图片_20240605101122.jpg", date(2024, 6, 5), "文明交通劝导志愿服务", colour=(1, 2, 3))
    a.file("II-4", "01：2024年5月4日青年节活动视频.mp4", b"\0\0\0\x18ftypmp42" + b"\0" * 200)
    for quarter, count in ((1, 2), (2, 2), (3, 1)):
        for j in range(count):
            a.docx("I-3", f"{quarter}{j}：2024年{3 * quarter - 1}月创建工作信息（{j + 1}）.docx")
    a.docx("II-6", "01：2024年上半年创建工作总结.docx", chars=1500, created=datetime(2024, 7, 3, 1, 0))
    return a


def test_the_sheet_imports_with_its_unusual_columns(city):
    tree = load_tree(city.tree_file)
    assert [(leaf.id, leaf.name, leaf.lead, leaf.score) for leaf in tree.leaves()][:3] == [
        ("II-1", "创建推进会", ("办公室",), 5), ("II-2", "创建台账", ("办公室",), 3),
        ("II-3", "文明交通劝导", ("机关党委",), 5)]
    # 按季度报送创建工作信息，每季度不少于2条: two information reports a quarter
    assert [(r.kind, r.min_count, r.period) for _, r in tree.get("I-3").rules()] == [
        ("document", 2, "quarter")]
    # 报送半年和年度创建工作总结 with two dates: a summary each half, each by its cut-off
    (summary,) = [r for _, r in tree.get("II-6").rules()]
    assert (summary.kind, summary.period, summary.cutoffs) == (
        "report", "half", (date(2024, 6, 30), date(2024, 12, 31)))


def test_every_rule_and_period_is_what_was_filed(city):
    report = assert_truth(city, AS_OF, INSPECTION, TRUTH, NOT_COUNTED)
    assert report["summary"]["short"] > 0
    late = leaves(report)["II-6"]["not_counted"][0]
    assert "2024-07-03" in late["message"] and "2024-06-30" in late["message"]
    assert report["summary"]["at_stake"] == 22


def test_the_text_report_says_what_is_needed_and_by_when(city):
    text = city.check(AS_OF, INSPECTION).output
    assert "注：按季度报送创建工作信息，每季度不少于2条；完成时限：每季度末" in text
    assert "2024Q4 进行中：还差 2 份文件（距迎检日还剩 41 天）" in text
    assert "2024-11 未开始：需 2 张现场照片（2024-11-01 至 2024-11-30）" in text
    assert "II-2 创建台账      ✓ 齐全（迎检前还需补充）" in text


def test_the_workbook_says_what_each_row_asks(city, tmp_path):
    import openpyxl

    out = tmp_path / "查缺.xlsx"
    assert city.check(AS_OF, INSPECTION, "-o", str(out)).exit_code == 1
    sheet = openpyxl.load_workbook(out)["缺项明细"]
    asked = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "I-3"}
    assert asked == {"创建信息\n注：按季度报送创建工作信息，每季度不少于2条；完成时限：每季度末"}
