"""Departments and roster: imported from Word/Excel tables like 附件1, kept in .archive/points.yaml,
validated at load; names matched without guessing."""
from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from archive_tool.cli import main
from archive_tool.points import load_points
from archive_tool.points.problems import PointsConfigError
from archive_tool.points.roster import load_points_text
from archive_tool.scaffold import init_archive

from .points_fixtures import ANNEX_1, PEOPLE, departments_docx, make_archive, people_xlsx


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_init_from_annex_1_and_a_roster(tmp_path):
    root = make_archive(tmp_path)
    res = run("points", "init", root, "--departments", departments_docx(tmp_path / "附件1.docx"),
              "--people", people_xlsx(tmp_path / "名册.xlsx"))
    assert res.exit_code == 0, res.output
    assert "科室单位 23 个，人员 14 人" in res.output
    setup = load_points(root)
    assert setup.rules.id == "linyi-2018"
    sizes = {d.name: d.size for d in setup.roster.departments}
    assert sizes["罗庄区环保分局"] == 24 and sizes["总工办"] == 3 and sum(sizes.values()) == 203
    assert setup.roster.find("郭富永").person.rank == "科级以上"
    res = run("points", "init", root, "--departments", tmp_path / "附件1.docx")
    assert res.exit_code == 2 and "已存在" in res.output
    res = run("points", "init", root, "--departments", tmp_path / "附件1.docx", "--force")
    assert res.exit_code == 0 and (root / ".archive" / "points.prev.yaml").is_file()


def test_annex_1_typed_with_tabs_in_paragraphs(tmp_path):
    """The seed's 附件1 as its lines read: paragraphs separated by tabs, not a Word table."""
    root = make_archive(tmp_path)
    doc = Document()
    doc.add_paragraph("附件 1:")
    doc.add_paragraph("序 号\t科 室 (单 位)\t人 数")
    for line in ANNEX_1.splitlines():
        doc.add_paragraph(line)
    doc.save(str(tmp_path / "附件1.docx"))
    res = run("points", "init", root, "--departments", tmp_path / "附件1.docx")
    assert res.exit_code == 0, res.output
    assert len(load_points(root).roster.departments) == 23


def test_two_tables_side_by_side_and_bad_rows(tmp_path):
    root = make_archive(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "单位名称", "人数", "序号", "单位名称", "人数"])
    ws.append([1, "办公室", 9, 3, "大气科", "11人"])
    ws.append([2, "人事科", "若干", 4, "机关党委", 5])
    ws.append(["合计", None, 25])
    wb.save(tmp_path / "名单.xlsx")
    people = people_xlsx(tmp_path / "名册.xlsx", [("王峰", "办公室", "科级以上"),
                                                 ("张三", "后勤科", ""),
                                                 ("李四", "大气科", "副主任科员")])
    res = run("points", "init", root, "--departments", tmp_path / "名单.xlsx", "--people", people)
    assert res.exit_code == 1
    assert "「人事科」的人数「若干」不是正整数，未导入" in res.output
    assert "张三 的科室单位「后勤科」不在科室单位名单中，未导入" in res.output
    assert "李四 的职级「副主任科员」不是科级以上、一般职工之一" in res.output
    setup = load_points(root)
    assert [(d.name, d.size) for d in setup.roster.departments] == [
        ("办公室", 9), ("大气科", 11), ("机关党委", 5)]
    assert setup.roster.find("李四").person.rank == ""


def test_without_a_departments_table_headcounts_come_from_the_roster(tmp_path):
    root = make_archive(tmp_path)
    res = run("points", "init", root, "--people", people_xlsx(tmp_path / "名册.xlsx"))
    assert res.exit_code == 0 and "人数按人员名册计" in res.output
    sizes = {d.name: d.size for d in load_points(root).roster.departments}
    assert sizes == {"办公室": 5, "人事科": 2, "大气科": 4, "机关党委": 2, "总工办": 1}
    assert len(PEOPLE) == 14


def test_rules_default_to_the_tree_and_otherwise_must_be_named(tmp_path):
    root = tmp_path / "舟山"
    init_archive(root, "zhoushan-2020", unit="舟山市生态环境局")
    res = run("points", "init", root, "--people", people_xlsx(tmp_path / "名册.xlsx"))
    assert res.exit_code == 2 and "--rules" in res.output
    res = run("points", "init", root, "--people", tmp_path / "名册.xlsx", "--rules", "linyi-2018")
    assert res.exit_code == 0, res.output


def test_the_report_asks_for_points_init_first(tmp_path):
    root = make_archive(tmp_path)
    res = run("points", "report", root, "--quarter", "2018Q2")
    assert res.exit_code == 2 and "points init" in res.output


POINTS = """rules: linyi-2018
departments:
  - {name: 办公室, size: 9}
  - {name: 规划与财务科, size: 7, aliases: [规财科]}
  - {name: 大气科, size: 11}
people:
  - {name: 王峰, department: 办公室, rank: 科级以上领导干部}
  - {name: 王德学, department: 规财科}
  - {name: 李明, department: 办公室}
  - {name: 李明, department: 大气科, aliases: [李明（大）]}
"""


def test_names_are_matched_never_guessed(tmp_path):
    setup = load_points_text(POINTS, "points.yaml", tmp_path)
    roster = setup.roster
    assert roster.find("王 峰").person.rank == "科级以上"  # alignment space; the rank's long form
    assert roster.find("王德学").person.department == "规划与财务科"
    assert roster.department("规财科").name == "规划与财务科"
    assert roster.find("李明").person is None and len(roster.find("李明").candidates) == 2
    assert roster.find("李明", "大气科").person.department == "大气科"
    assert roster.find("李明（大）").person.department == "大气科"
    assert roster.find("李明", "后勤科").person is None
    assert not roster.find("张三").candidates


def test_points_yaml_problems_name_file_item_and_field(tmp_path):
    bad = POINTS.replace("size: 9", "size: 0").replace("aliases: [规财科]", "aliases: [办公室]") \
        .replace("rank: 科级以上领导干部", "rank: 处长").replace("department: 规财科", "department: 后勤") \
        + "colour: red\n"
    with pytest.raises(PointsConfigError) as info:
        load_points_text(bad, "points.yaml", tmp_path)
    found = {(p.where, p.field): p.message for p in info.value.problems}
    assert set(found) == {(None, "colour"), ("科室单位 办公室", "size"),
                          ("科室单位 规划与财务科", "aliases"), ("人员 王峰", "rank"),
                          ("人员 王德学", "department")}
    assert found[("科室单位 规划与财务科", "aliases")] == "「办公室」已用于科室单位「办公室」"
    assert found[("人员 王峰", "rank")] == "「处长」不是积分规则中的职级：科级以上、一般职工"
    assert "points.yaml 有 5 处问题" in info.value.message
    with pytest.raises(PointsConfigError, match="没有这个积分规则文件"):
        load_points_text(POINTS.replace("linyi-2018", "nosuch"), "points.yaml", tmp_path)


def test_a_units_own_rules_file_in_the_archive(tmp_path):
    root = make_archive(tmp_path)
    own = (root / ".archive" / "我的积分规则.yaml")
    from archive_tool.points.ruleset import _shipped_files
    own.write_text(_shipped_files()["linyi-2018"].read_text("utf-8").replace(
        "id: linyi-2018", "id: mine").replace("points: 0.5", "points: 1"), encoding="utf-8")
    (root / ".archive" / "points.yaml").write_text(
        POINTS.replace("linyi-2018", "我的积分规则.yaml"), encoding="utf-8")
    setup = load_points(root)
    assert setup.rules.id == "mine" and setup.rules.get("A1-person").amount() == 1
