"""The truth, end to end: a district bureau's Word table in traditional script with unusual
phrasings (按季度報送, 上半年、下半年各一次, 全年不少於6次每次提供現場照片2張, 工作總結800字左右,
2024年6月30日前、12月31日前, 實地查看, 視頻資料, 台賬), file names in traditional script.

As of 2024-10-20 with the inspection on 2024-11-30: the second quarter's minutes written just
after midnight on July 1 (named 二季度), a half year's plan with a sign-in sheet but no summary
yet (the sheet is no summary), six activities of two photos (one captioned in traditional, one in simplified script), a summary of the right length,
nothing filed yet for the video, a ledger with only its year in the name, a photo in the row
that asks for nothing.
"""
from __future__ import annotations

from datetime import date, datetime

import opencc
import pytest

from indicator_tree import load_tree

from .test_table_import import write_docx
from .truth_archive import TruthArchive, assert_truth, leaves

UNIT = "某區文化和旅遊局"
TITLE = "某區文化和旅遊局2024年創建文明單位任務表"
TABLE = [
    ["序號", "項目", "工作要求", "責任科室", "完成時限"],
    ["1", "學習教育", "按季度報送學習情況，提供會議記錄。", "辦公室", "每季度"],
    ["2", "道德評議", "上半年、下半年各開展一次道德評議活動，提供活動方案和總結。", "人事科", ""],
    ["3", "志願服務", "全年不少於6次每次提供現場照片2張", "黨支部", ""],
    ["4", "創建總結", "工作總結800字左右，2024年6月30日前、12月31日前報送。", "辦公室", ""],
    ["5", "環境衛生", "實地查看", "後勤科", ""],
    ["6", "宣傳影像", "提供活動視頻資料。", "宣傳科", ""],
    ["7", "志願服務台賬", "建立志願服務台賬。", "黨支部", ""],
]
AS_OF, INSPECTION = "2024-10-20", "2024-11-30"

TRUTH = {
    "I-1": {"status": "in_progress", "rules": [("record", {
        "2024Q1": ("complete", 1, 1), "2024Q2": ("complete", 1, 1), "2024Q3": ("complete", 1, 1),
        "2024Q4": ("in_progress", 0, 1)})]},
    "I-2": {"status": "in_progress", "rules": [
        ("document", {"2024H1": ("complete", 1, 1), "2024H2": ("complete", 1, 1)}),
        ("report", {"2024H1": ("complete", 1, 1), "2024H2": ("in_progress", 0, 1)})]},
    "I-3": {"status": "complete", "rules": [("photo", {"2024": ("complete", 6, 6)})]},
    "I-4": {"status": "in_progress", "rules": [("report", {
        "2024H1": ("complete", 1, 1), "2024H2": ("in_progress", 0, 1)})]},
    "I-5": {"status": "not_assessed", "rules": []},
    "I-6": {"status": "in_progress", "rules": [("av", {"全期": ("in_progress", 0, 1)})]},
    "I-7": {"status": "complete", "rules": [("record", {"全期": ("complete", 1, 1)})]},
}
NOT_COUNTED = {
    "I-2": {"04：道德評議活動簽到表.pdf": ["KIND_NOT_ASKED"]},
    "I-5": {"01：辦公環境照片.jpg": ["NOT_ASSESSED"]},
}
ACTIVITIES = ((date(2024, 1, 20), "春節送溫暖"), (date(2024, 3, 5), "學雷鋒"), (date(2024, 4, 4), "清明祭掃"),
              (date(2024, 6, 10), "端午包粽子"), (date(2024, 8, 1), "八一慰問"), (date(2024, 9, 9), "重陽敬老"))


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("district")
    a = TruthArchive(tmp, write_docx(tmp / "區文旅局任務表.docx", TABLE, paragraphs=(TITLE,)), UNIT)
    a.docx("I-1", "01：2024年3月學習會議記錄.docx")
    # written at 01:00 on 1 July Beijing time (2024-06-30T17:00:00Z): the second quarter's
    a.docx("I-1", "02：二季度學習會議記錄.docx", created=datetime(2024, 6, 30, 17, 0))
    a.docx("I-1", "03：2024年8月學習會議記錄.docx")
    a.docx("I-2", "01：2024年上半年道德評議活動方案.docx", created=datetime(2024, 4, 1, 2, 0))
    a.docx("I-2", "02：2024年上半年道德評議活動總結.docx", created=datetime(2024, 6, 20, 2, 0))
    a.docx("I-2", "03：2024年下半年道德評議活動方案.docx", created=datetime(2024, 9, 2, 2, 0))
    a.pdf("I-2", "04：道德評議活動簽到表.pdf", "D:20240915100000+08'00'")
    k = 0
    for day, theme in ACTIVITIES:
        for j in range(2):
            k += 1
            caption = theme + "志願服務" if j == 0 else opencc.OpenCC("t2s").convert(theme) + "志愿服务"
            a.photo("I-3", f"{k:02d}：{theme}志願服務.jpg", day, caption, colour=(k * 20, j * 50, 7))
    a.docx("I-4", "01：2024年上半年工作總結.docx", chars=900, created=datetime(2024, 6, 28, 2, 0))
    a.photo("I-5", "01：辦公環境照片.jpg", date(2024, 5, 1), "辦公環境")
    a.file("I-7", "01：2024年志願服務台賬.xlsx", b"PK\x03\x04" + b"\0" * 60)
    return a


def test_the_traditional_table_is_read(district):
    tree = load_tree(district.tree_file)
    assert [leaf.lead for leaf in tree.leaves()][:2] == [("辦公室",), ("人事科",)]
    rules = {leaf.id: sorted((r.kind, r.min_count, r.period, r.each) for _, r in leaf.rules())
             for leaf in tree.leaves()}
    assert rules == {"I-1": [("record", 1, "quarter", None)],
                     "I-2": [("document", 1, "half", None), ("report", 1, "half", None)],
                     "I-3": [("photo", 6, "year", 2)], "I-4": [("report", 1, "half", None)],
                     "I-5": [], "I-6": [("av", 1, "window", None)], "I-7": [("record", 1, "window", None)]}


def test_every_rule_and_period_is_what_was_filed(district):
    report = assert_truth(district, AS_OF, INSPECTION, TRUTH, NOT_COUNTED)
    assert report["summary"]["short"] > 0
    sheet = leaves(report)["I-2"]["not_counted"][0]
    assert sheet["message"] == "本指标没有要求这类材料（活动记录）"
    assert sheet["fix"] == ("本指标要求的是文件、报告/总结：是这类材料的，在文件名主题中写明（如「实施方案、"
                            "制度、通知、工作总结、说明报告」）；否则核对文件是否放错了指标文件夹")


def test_the_owner_report_lists_each_office_its_own_gaps(district):
    text = district.check(AS_OF, INSPECTION, "--by", "owner").output
    office = text.split("辦公室（")[1].split("\n\n")[0]
    assert "I-1 學習教育" in office and "I-4 創建總結" in office and "I-6" not in office
    assert "全期 进行中：还差 1 个音像资料（距迎检日还剩 41 天）" in text.split("宣傳科（")[1]
    assert "後勤科" not in text  # the row that asks for nothing is no one's gap
