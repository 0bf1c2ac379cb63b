"""A unit's own task tables, end to end: a county bureau's Word table and a city bureau's Excel
table (numbered rows, merged category cells, a title line, lead / support columns, rows that ask
for nothing), built with python-docx and openpyxl, imported with ``archive-tool tree import``,
made into an archive with ``init`` and checked with ``check --format json``.

The assertions hold whatever the check's status names are: exit codes, counts found and
required per period, ``assessed``.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from PIL import Image

from archive_tool.captions import write_caption
from archive_tool.cli import main
from indicator_tree import load_tree
from indicator_tree.table_import import import_table

from .test_table_import import write_docx, write_xlsx

UNIT = "某县市场监督管理局"
COUNTY_TITLE = "某县市场监督管理局2024年文明单位创建任务分解表"
COUNTY = [
    ["序号", "项目", "工作任务", "工作要求", "牵头科室", "配合科室", "完成时限"],
    ["1", "思想政治建设", "理论学习", "每月组织一次集中学习，提供学习记录和签到表。", "办公室", "各科室", "全年"],
    ["2", "", "文明交通劝导", "每月开展一次文明交通劝导志愿服务。", "机关党委", "工会", "全年"],
    ["3", "", "志愿服务", "全年开展志愿服务不少于6次，每次提供现场照片2张（注明活动时间、主办单位、活动主题）。",
     "机关党委", "团支部", "12月底前"],
    ["4", "测评迎检", "群众满意度测评", "参加市文明办组织的群众满意度测评。", "办公室", "", "按市文明办安排"],
    ["5", "创建氛围", "宣传报道", "提供网络截图或样报图片。", "办公室", "各科室", ""],
    ["6", "", "创建总结", "报送创建工作总结。", "办公室", "", "6月30日、12月20日"],
]
COUNTY_MERGES = [(1, 1, 3, 1), (5, 1, 6, 1)]

CITY_TITLE = "某市生态环境局2024年文明单位创建工作任务清单"
CITY = [
    ["序号", "类别", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限"],
    ["1", "思想道德建设", "理论学习", "每月组织一次集中学习，提供学习记录。", "办公室", "各处室", "每月"],
    ["2", "", "道德讲堂", "每季度举办一次道德讲堂，提供现场照片不少于3张。", "机关党委", "", "每季度"],
    ["3", "", "学雷锋志愿服务", "全年开展志愿服务不少于6次，每次提供现场照片2张。", "机关党委", "工会", "全年"],
    ["4", "", "网络文明传播", "提供网络截图或样报图片。", "办公室", "", ""],
    ["5", "创建管理", "创建方案", "制定年度创建工作实施方案。", "创建办", "", "3月31日前"],
    ["6", "", "创建总结", "报送创建工作总结，2024年6月30日前、12月31日前。", "创建办", "各处室", ""],
    ["7", "", "创建信息", "全年报送创建信息不少于12条。", "创建办", "", ""],
    ["8", "", "档案管理", "完善创建档案，做到资料齐全。", "创建办", "", ""],
    ["9", "测评迎检", "环境卫生", "测评组实地查看单位环境卫生。", "办公室", "后勤服务中心", ""],
    ["10", "", "满意度测评", "参加市文明办组织的群众满意度测评。", "办公室", "", ""],
    ["11", "", "文明餐桌", "开展“文明餐桌”行动，提供现场照片不少于4张。", "后勤服务中心", "", ""],
    ["12", "", "公共场所禁烟", "室内公共场所全面禁烟，提供禁烟标识照片2张。", "后勤服务中心", "", ""],
]
CITY_MERGES = [(1, 1, 4, 1), (5, 1, 8, 1), (9, 1, 12, 1)]


def county_docx(folder: Path) -> Path:
    return write_docx(folder / "任务分解表.docx", COUNTY, COUNTY_MERGES,
                      paragraphs=("附件1", COUNTY_TITLE))


def city_xlsx(folder: Path) -> Path:
    return write_xlsx(folder / "2024年任务清单.xlsx", CITY, CITY_MERGES, title=CITY_TITLE)


def rules_of(leaf) -> list[tuple]:
    return sorted((r.kind, r.min_count, r.period, r.each) for _, r in leaf.rules())


# ---- import: one leaf per numbered row ----------------------------------------------------------
def test_word_table_gives_one_leaf_per_numbered_row(tmp_path):
    result = import_table(county_docx(tmp_path))
    tree = result.tree
    assert result.problems == []
    assert tree.title == COUNTY_TITLE and tree.id == "imported-2024"
    leaves = list(tree.leaves())
    assert [leaf.name for leaf in leaves] == ["理论学习", "文明交通劝导", "志愿服务", "测评迎检",
                                              "宣传报道", "创建总结"]
    assert [ind.name for ind in tree.indicators] == ["思想政治建设", "测评迎检", "创建氛围"]
    assert [(leaf.lead, leaf.support) for leaf in leaves] == [
        (("办公室",), ("各科室",)), (("机关党委",), ("工会",)), (("机关党委",), ("团支部",)),
        (("办公室",), ()), (("办公室",), ("各科室",)), (("办公室",), ())]
    study, traffic, volunteer, survey, clippings, summary = leaves
    assert rules_of(study) == [("record", 2, "month", None)]
    assert rules_of(traffic) == [("any", 1, "month", None)]
    assert rules_of(volunteer) == [("photo", 6, "year", 2)]
    assert next(volunteer.rules())[1].deadline == date(2024, 12, 31)
    assert rules_of(survey) == []
    assert rules_of(clippings) == [("clipping", 1, "window", None)]
    (rule,) = [r for _, r in summary.rules()]
    assert (rule.kind, rule.period, rule.cutoffs) == ("report", "half",
                                                      (date(2024, 6, 30), date(2024, 12, 20)))
    assert summary.requirements[0].note.startswith("报送创建工作总结。\n完成时限：")


def test_excel_table_keeps_its_twelve_tasks_apart(tmp_path):
    result = import_table(city_xlsx(tmp_path))
    tree = result.tree
    assert result.problems == []
    assert tree.title == CITY_TITLE and tree.id == "imported-2024"
    assert [(ind.name, len(ind.children)) for ind in tree.indicators] == [
        ("思想道德建设", 4), ("创建管理", 4), ("测评迎检", 4)]
    leaves = list(tree.leaves())
    assert len(leaves) == 12 and len({leaf.id for leaf in leaves}) == 12
    assert [leaf.name for leaf in leaves][:4] == ["理论学习", "道德讲堂", "学雷锋志愿服务", "网络文明传播"]
    assert [leaf.lead for leaf in leaves] == [("办公室",), ("机关党委",), ("机关党委",), ("办公室",)] \
        + [("创建办",)] * 4 + [("办公室",), ("办公室",), ("后勤服务中心",), ("后勤服务中心",)]
    assert leaves[0].support == ("各处室",) and leaves[2].support == ("工会",)
    assert [rules_of(leaf) for leaf in leaves[:3]] == [
        [("record", 1, "month", None)], [("photo", 3, "quarter", None)], [("photo", 6, "year", 2)]]
    assert next(leaves[4].rules())[1].deadline == date(2024, 3, 31)
    assert next(leaves[5].rules())[1].cutoffs == (date(2024, 6, 30), date(2024, 12, 31))
    assert rules_of(leaves[6]) == [("document", 12, "year", None)]
    assert [r.source for _, r in leaves[7].rules()] == ["default"]  # 未识别的要求
    assert rules_of(leaves[8]) == rules_of(leaves[9]) == []  # 实地查看, 满意度测评
    assert rules_of(leaves[11]) == [("photo", 2, "window", None)]


def test_the_cli_reports_requirements_it_could_not_read(tmp_path):
    out = tmp_path / "tree.yaml"
    result = CliRunner().invoke(main, ["tree", "import", str(city_xlsx(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "未识别的要求" in result.stderr and "完善创建档案，做到资料齐全。" in result.stderr
    assert "II-8" in result.stderr
    assert len(list(load_tree(out).leaves())) == 12


# ---- check on an archive built from the table ---------------------------------------------------
def _folder(root: Path, leaf_id: str) -> Path:
    (found,) = [p for p in root.rglob("*") if p.is_dir() and p.name.split(" ")[0] == leaf_id]
    return found


def _record(path: Path) -> None:
    doc = Document()
    doc.add_paragraph("主持人：张三。学习内容：……" * 5)
    doc.sections[0].footer.paragraphs[0].text = path.stem
    doc.save(path)


def _photo(path: Path, day: date, theme: str) -> None:
    Image.new("RGB", (64, 48), (120, 160, 200)).save(path, "JPEG")
    write_caption(path, day, UNIT, theme)


def _leaves(items: list[dict]) -> dict[str, dict]:
    out = {}
    for item in items:
        if item["children"]:
            out.update(_leaves(item["children"]))
        else:
            out[item["id"]] = item
    return out


def _period(leaf: dict, label: str) -> dict:
    (rule,) = leaf["rules"]
    (period,) = [p for p in rule["periods"] if p["label"] == label]
    return period


@pytest.mark.parametrize("make, study, other, photos, nothing", [
    # table, the monthly study task, a task photos must not count for, the task they are filed
    # in, the tasks that ask for nothing
    (county_docx, "II-1", "II-2", "II-3", ["I-2"]),
    (city_xlsx, "II-1", "II-2", "II-3", ["II-9", "II-10"]),
])
def test_check_on_an_archive_from_the_table(tmp_path, make, study, other, photos, nothing):
    runner = CliRunner()
    tree_file = tmp_path / "tree.yaml"
    imported = runner.invoke(main, ["tree", "import", str(make(tmp_path)), "-o", str(tree_file)])
    assert imported.exit_code == 0, imported.output
    root = tmp_path / "档案"
    made = runner.invoke(main, ["init", str(root), "--tree", str(tree_file), "--unit", UNIT])
    assert made.exit_code == 0, made.output
    for month in range(1, 13):
        if month != 3:  # the month of study records that is missing
            _record(_folder(root, study) / f"{month:02d}：2024年{month}月集中学习记录.docx")
    for n, day in enumerate((date(2024, 3, 5), date(2024, 3, 5), date(2024, 5, 4)), 1):
        _photo(_folder(root, photos) / f"{n:02d}：志愿服务{n}.jpg", day, "学雷锋志愿服务")

    result = runner.invoke(main, ["check", str(root), "--as-of", "2024-12-31", "--format", "json"])
    assert result.exit_code == 1, result.output
    leaves = _leaves(json.loads(result.stdout)["indicators"])
    march = _period(leaves[study], "2024-03")
    assert march["found"] == 0 and march["required"] >= 1
    assert _period(leaves[study], "2024-04")["found"] >= 1
    # the photos of one task's folder count for that task only
    assert leaves[photos]["rules"][0]["found"] >= 1
    assert all(p["found"] == 0 for r in leaves[other]["rules"] for p in r["periods"])
    assert not any("志愿服务" in n["path"] for n in leaves[other]["not_counted"])
    # a row that asks for nothing is not a gap
    for leaf_id in nothing:
        assert leaves[leaf_id]["assessed"] is False and leaves[leaf_id]["rules"] == []
    by_owner = runner.invoke(main, ["check", str(root), "--as-of", "2024-12-31", "--by", "owner",
                                    "--format", "json"])
    listed = {ind["id"] for group in json.loads(by_owner.stdout)["owners"]
              for ind in group["indicators"]}
    assert study in listed and not listed & set(nothing)
