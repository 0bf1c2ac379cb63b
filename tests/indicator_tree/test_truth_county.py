"""The truth, end to end: a county bureau's Word table (merged category cells, 序号 rows, a
责任领导 and a 责任股室 column, 完成时间), imported, made into an archive and filed with real
files whose truth per rule and period is known; ``check`` must say exactly that.

As of 2024-10-20 with the inspection on 2024-11-30: months complete, one month short of its
sign-in sheet, October in progress, a half year in progress, an activity with 1 of 2 photos, a
camera-named photo, a docx dated by UTC core properties just after midnight Beijing time, a
report too short, a report filed in the wrong task's folder, a media clipping photographed, a
row that asks for nothing.
"""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from indicator_tree import load_tree

from .test_table_import import write_docx
from .truth_archive import TruthArchive, assert_truth, leaves

UNIT = "某县自然资源局"
TITLE = "某县自然资源局2024年度创建县级文明单位工作任务分解表"
TABLE = [
    ["序号", "类别", "创建内容", "工作措施及标准", "责任领导", "责任股室", "完成时间"],
    ["1", "思想道德建设", "理论学习", "每月组织一次干部职工集中学习，提供学习记录和签到表。", "张明", "办公室", "全年"],
    ["2", "", "道德讲堂", "上半年、下半年各举办一次道德讲堂，提供现场照片不少于3张。", "李华", "机关党委",
     "6月30日前、12月31日前"],
    ["3", "", "志愿服务", "全年开展志愿服务不少于6次，每次提供现场照片2张（注明活动时间、主办单位、活动主题）。",
     "李华", "机关党委", "全年"],
    ["4", "创建工作", "创建方案", "制定年度创建工作实施方案并正式发文。", "王强", "办公室", "3月底前"],
    ["5", "", "创建总结", "报送年度创建工作总结，800字左右。", "王强", "办公室", "12月20日前"],
    ["6", "", "宣传报道", "在县级以上媒体刊发创建工作报道，提供样报或网络截图不少于2张。", "王强", "办公室", "全年"],
    ["7", "测评迎检", "环境卫生", "测评组实地查看机关环境卫生。", "赵刚", "办公室", "按县文明办安排"],
]
MERGES = [(1, 1, 3, 1), (4, 1, 6, 1)]
AS_OF, INSPECTION = "2024-10-20", "2024-11-30"

MONTHS = {f"2024-{m:02d}": ("complete", 2, 2) for m in range(1, 10)}
TRUTH = {
    "II-1": {"status": "missing", "rules": [("record", {
        **MONTHS, "2024-05": ("missing", 1, 2), "2024-10": ("in_progress", 1, 2),
        "2024-11": ("not_started", 0, 2)})]},  # December starts after the inspection
    "II-2": {"status": "in_progress", "rules": [("photo", {
        "2024H1": ("complete", 3, 3), "2024H2": ("in_progress", 2, 3)})]},
    "II-3": {"status": "in_progress", "rules": [("photo", {"2024": ("in_progress", 5, 6)})]},
    "II-4": {"status": "complete", "rules": [("document", {"全期": ("complete", 1, 1)})]},
    "II-5": {"status": "in_progress", "rules": [("report", {"全期": ("in_progress", 0, 1)})]},
    "II-6": {"status": "complete", "rules": [("clipping", {"全期": ("complete", 2, 2)})]},
    "I-3": {"status": "not_assessed", "rules": []},
}
NOT_COUNTED = {
    "II-1": {"20：2024年创建工作总结.docx": ["KIND_NOT_ASKED"]},
    "II-2": {"IMG_20240910_093015.jpg": ["NAME_FORMAT"], "07：道德讲堂现场照片.docx": ["KIND_NOT_ASKED"]},
    "II-3": {"07：敬老院慰问1.jpg": ["ACTIVITY_SHORT"]},
    "II-5": {"01：2024年创建工作总结.docx": ["REPORT_LENGTH"]},
}


def _study(a: TruthArchive) -> None:
    n = 0
    for month in (1, 2, 4, 6, 7, 8, 9):
        a.docx("II-1", f"{n + 1:02d}：2024年{month}月集中学习记录.docx")
        a.pdf("II-1", f"{n + 2:02d}：2024年{month}月学习签到表.pdf", f"D:2024{month:02d}10093000+08'00'")
        n += 2
    a.docx("II-1", "15：2024年3月集中学习记录.docx")
    # written at 00:30 on 1 March, Beijing time: core properties say 2024-02-29T16:30:00Z
    a.docx("II-1", "16：集中学习签到表.docx", created=datetime(2024, 2, 29, 16, 30))
    a.docx("II-1", "17：2024年5月集中学习记录.docx")  # May: no sign-in sheet
    a.docx("II-1", "18：2024年10月集中学习记录.docx")
    # the annual summary filed in the wrong task's folder
    a.docx("II-1", "20：2024年创建工作总结.docx", chars=900, created=datetime(2024, 10, 8, 2, 0))


def _photos(a: TruthArchive) -> None:
    for i in range(3):
        a.photo("II-2", f"{i + 1:02d}：道德讲堂{i + 1}.jpg", date(2024, 5, 20), "道德讲堂",
                colour=(40 * i, 0, 0))
    for i, number in enumerate("一二"):
        a.photo("II-2", f"{i + 4:02d}：道德讲堂（{number}）.jpg", date(2024, 9, 10), "道德讲堂",
                colour=(0, 40 * i, 0))
    a.photo("II-2", "IMG_20240910_093015.jpg", date(2024, 9, 10), "道德讲堂", colour=(0, 0, 90))
    a.docx("II-2", "07：道德讲堂现场照片.docx")  # photos pasted into Word: no photo
    k = 0
    for day, theme, count in ((date(2024, 3, 5), "学雷锋志愿服务", 2), (date(2024, 4, 12), "义务植树", 2),
                              (date(2024, 5, 4), "青年志愿服务", 2), (date(2024, 9, 20), "敬老院慰问", 1)):
        for j in range(count):
            k += 1
            a.photo("II-3", f"{k:02d}：{theme}{j + 1}.jpg", day, theme, colour=(k * 20, j * 60, 5))
    # one activity, numbered photos captioned a little differently
    for j, (number, theme) in enumerate((("（一）", "社区清扫志愿服务"), ("（二）", "社区清扫志愿服务活动现场"))):
        a.photo("II-3", f"{k + j + 1:02d}：社区清扫志愿服务{number}.jpg", date(2024, 7, 15), theme,
                colour=(200, 9, 40 * j))
    for j in range(2):  # an activity folder
        a.photo("II-3", f"{j + 1:02d}：防汛志愿服务.jpg", date(2024, 8, 10), "防汛志愿服务",
                sub="2024-08-10 防汛志愿服务", colour=(3, 40 * j, 90))


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("county")
    table = write_docx(tmp / "县自然资源局任务分解表.docx", TABLE, MERGES, paragraphs=("附件", TITLE))
    a = TruthArchive(tmp, table, UNIT)
    _study(a)
    _photos(a)
    a.pdf("II-4", "01：2024年度创建工作实施方案.pdf", "D:20240315093000+08'00'")
    a.docx("II-5", "01：2024年创建工作总结.docx", chars=300, created=datetime(2024, 10, 15, 2, 0))
    a.photo("II-6", "01：媒体报道.jpg", date(2024, 4, 2), "创建工作媒体报道")
    a.image("II-6", "02：2024年6月网络截图.png")
    return a


def test_the_table_imports_one_task_per_row_with_its_leader_and_office(county):
    assert "未识别" not in county.imported.output
    tree = load_tree(county.tree_file)
    assert [leaf.name for leaf in tree.leaves()] == ["理论学习", "道德讲堂", "志愿服务", "创建方案",
                                                     "创建总结", "宣传报道", "测评迎检"]
    # 责任股室 is the office that files the evidence, 责任领导 the leader: both own the task
    study = tree.get("II-1")
    assert (study.owners, study.lead, study.requirements[0].owners) == (("张明",), ("办公室",), ())
    # 制定…实施方案并正式发文: one document, issued formally
    assert [(r.kind, r.min_count) for _, r in tree.get("II-4").rules()] == [("document", 1)]


def test_every_rule_and_period_is_what_was_filed(county):
    report = assert_truth(county, AS_OF, INSPECTION, TRUTH, NOT_COUNTED)
    assert report["summary"]["short"] > 0
    summary = report["summary"]
    assert (summary["files"], summary["counted"], summary["not_counted"]) == (41, 36, 5)
    assert summary["short_by_status"] == {"missing": 1, "in_progress": 3, "not_started": 0}


def test_each_owner_sees_their_tasks(county):
    result = county.check(AS_OF, INSPECTION, "--by", "owner", "--format", "json")
    groups = {g["owner"]: {i["id"] for i in g["indicators"]} for g in json.loads(result.stdout)["owners"]}
    assert groups["办公室"] == {"II-1", "II-5"} and groups["张明"] == {"II-1"}
    assert groups["李华"] == groups["机关党委"] == {"II-2", "II-3"}
    assert "赵刚" not in groups  # the row that asks for nothing is no one's gap


def test_a_file_in_the_wrong_folder_is_pointed_to_its_task(county):
    _, report = county.report(AS_OF, INSPECTION)
    (item,) = leaves(report)["II-1"]["not_counted"]
    assert item["fix"] == ("本指标要求的是活动记录；报告/总结在「II-5 创建总结」有要求，属于该项工作的"
                           "请移到该指标文件夹")
    word = next(i for i in leaves(report)["II-2"]["not_counted"] if i["path"].endswith(".docx"))
    assert word["fix"].startswith("照片需以图片文件（jpg、png）提交")


def test_a_report_after_the_inspection_looks_back_at_it(county):
    text = county.check("2024-12-10", INSPECTION).output
    assert "迎检日（2024-11-30）时：有 4 项指标缺材料（周期已结束 4 项），共缺 6 期" in text
    assert "2024-10 ✗ 1/2 2024-11 ✗" in text and "将缺材料" not in text
