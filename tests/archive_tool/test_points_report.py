"""A quarter of activities with sign-in sheets, hand entries and corrections, through the CLI;
the bulletin checked as text, JSON, xlsx (openpyxl) and Word (python-docx) read back."""
from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from archive_tool.cli import main

from .points_fixtures import leaf, points_archive, signin_docx, signin_xlsx


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def ids_of(data, **match):
    return [e["id"] for e in data["entries"] if all(e.get(k) == v for k, v in match.items())]


@pytest.fixture
def quarter(tmp_path):
    """2018Q2 of a unit: three sheets (docx, xlsx, docx with a whole department), a Q1 sheet,
    a deduction by rank, an addition, a mistaken entry and a derived entry both corrected."""
    root = points_archive(tmp_path)
    signin_docx(root, "II-1", "学习十九大精神专题会议", "2018年3月5日",
                [("王峰", "办公室"), ("刘妍", "办公室")])
    signin_docx(root, "II-8", "4月学雷锋志愿服务", "2018年4月14日",
                [("王峰", "办公室"), ("刘妍", "办公室"), ("江 峰", "办公室"), ("秦增诗", "人事科"),
                 ("张敏", "人事科"), ("郭富永", "大气科"), ("张三", "办公室"), ("李明", "")])
    signin_xlsx(leaf(root, "II-4"), "05：五四青年节主题活动签到表.xlsx", "五四青年节主题活动",
                date(2018, 5, 4), [("刘巍", "大气科"), ("汤浩", "大气科"), ("杨燕", "机关党委"),
                                   ("曲丽娟", "机关党委"), ("徐震", "办公室"), ("秦增诗", "人事科")])
    signin_docx(root, "II-8", "5月学雷锋志愿服务", "2018年5月19日",
                [("王峰", "办公室"), ("郭富永", "大气科")], extra_lines=("整体参加：大气科",))
    assert run("points", "add", "A3", "--dept", "机关党委", "--date", "2018-06-10", "--note",
               "独立完成创建考核材料汇编", "--by", "刘妍", "--root", root).exit_code == 0
    res = run("points", "add", "D3c", "--person", "汤浩", "--date", "2018-05-20", "--note",
              "受到党内警告处分", "--by", "刘妍", "--root", root, "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["points"] == -4  # 一般职工 (科级以上 would be -5)
    res = run("points", "add", "A2", "--dept", "办公室", "--date", "2018-06-01", "--note", "误记",
              "--root", root)
    assert res.exit_code == 0 and "已记录 L3" in res.output, res.output
    assert run("points", "correct", "L3", "--note", "应记在下季度", "--root", root).exit_code == 0
    data = json.loads(run("points", "list", root, "--quarter", "2018Q2", "--format", "json").stdout)
    (jiang,) = ids_of(data, person="江峰")
    res = run("points", "correct", jiang, "--note", "代签，本人未参加", "--root", root)
    assert res.exit_code == 0, res.output
    return root


def test_the_quarter_ranking_is_per_capita(quarter):
    res = run("points", "report", quarter, "--quarter", "2018Q2", "--format", "json")
    assert res.exit_code == 1, res.output  # a name not on the roster, an ambiguous one
    data = json.loads(res.stdout)
    ranking = {d["department"]: d for d in data["ranking"]}
    office, personnel = ranking["办公室"], ranking["人事科"]
    party, air = ranking["机关党委"], ranking["大气科"]
    # 办公室: 王峰 ×2, 刘妍, 徐震 (江峰 corrected away; the mistaken 10 points reversed)
    assert (office["additions"], office["deductions"], office["net"]) == (2.0, 0.0, 2.0)
    assert office["per_capita"] == 0.22 and office["total"] == 103.0  # Q1: 王峰, 刘妍
    assert (personnel["net"], personnel["per_capita"]) == (1.5, 0.5)
    assert (party["net"], party["per_capita"]) == (4.0, 0.8)  # 杨燕, 曲丽娟, A3
    # 大气科: 郭富永 (sheet 1), 刘巍, 汤浩, the whole department once (郭富永 not again); -4
    assert (air["additions"], air["deductions"], air["net"]) == (2.5, 4.0, -1.5)
    order = [d["department"] for d in data["ranking"]]
    assert order[:3] == ["机关党委", "人事科", "办公室"] and order[-1] == "大气科"
    # the total ranking differs: 办公室 earned more points than 人事科, per capita less
    assert (office["points_rank"], personnel["points_rank"]) == (2, 3)
    assert (office["rank"], personnel["rank"]) == (3, 2)
    assert data["honoured"] == ["机关党委", "人事科", "办公室"]
    assert len(data["ranking"]) == 23 and ranking["总工办"]["rank"] == 4


def test_issues_name_who_is_not_counted_and_never_guess(quarter):
    data = json.loads(run("points", "report", quarter, "--quarter", "2018Q2",
                          "--format", "json").stdout)
    issues = {(i["rule"], i["message"].split("」")[0].lstrip("「")) for i in data["issues"]}
    assert issues == {("NAME_NOT_ON_ROSTER", "张三"), ("NAME_AMBIGUOUS", "李明")}
    assert all(e["person"] not in ("张三", "李明") for e in data["entries"])
    unknown = next(i for i in data["issues"] if i["rule"] == "NAME_NOT_ON_ROSTER")
    assert "department: 办公室" in unknown["fix"] and unknown["path"].endswith("签到表.docx")


def test_entries_are_traceable_and_corrections_reverse(quarter):
    data = json.loads(run("points", "list", quarter, "--quarter", "2018Q2",
                          "--format", "json").stdout)
    entries = {e["id"]: e for e in data["entries"]}
    whole = [e for e in entries.values() if e["rule"] == "A1-unit"]
    assert len(whole) == 1 and whole[0]["department"] == "大气科" and whole[0]["points"] == 1
    assert whole[0]["evidence"].endswith("02：5月学雷锋志愿服务签到表.docx")
    mistaken, reversal = entries["L3"], entries["L4"]
    assert mistaken["reversed"] and reversal["reverses"] == "L3" and reversal["points"] == -10
    jiang = next(e for e in entries.values() if e["person"] == "江峰" and not e["reverses"])
    fix = next(e for e in entries.values() if e["reverses"] == jiang["id"])
    assert jiang["source"] == "signin" and fix["points"] == -0.5 and fix["note"] == "代签，本人未参加"
    assert all(e["evidence"] or e["note"] for e in entries.values())
    xlsx_sheet = [e for e in entries.values() if e["evidence"].endswith(".xlsx")]
    assert {e["person"] for e in xlsx_sheet} == {"刘巍", "汤浩", "杨燕", "曲丽娟", "徐震", "秦增诗"}


def test_a_correction_cannot_be_made_twice(quarter):
    res = run("points", "correct", "L3", "--note", "再次", "--root", quarter)
    assert res.exit_code == 2 and "已被更正过" in res.output
    res = run("points", "correct", "L4", "--note", "撤销更正", "--root", quarter)
    assert res.exit_code == 2 and "本身是一条更正" in res.output
    res = run("points", "correct", "L99", "--note", "x", "--root", quarter)
    assert res.exit_code == 2 and "没有编号为 L99" in res.output


def test_the_year_bulletin_adds_the_quarters(quarter):
    data = json.loads(run("points", "report", quarter, "--year", "2018", "--format",
                          "json").stdout)
    office = next(d for d in data["ranking"] if d["department"] == "办公室")
    assert office["net"] == 3.0 and office["total"] == 103.0
    assert data["period"] == {"kind": "year", "label": "2018", "title": "2018年度",
                              "start": "2018-01-01", "end": "2018-12-31"}


def test_text_bulletin(quarter):
    res = run("points", "report", quarter, "--quarter", "2018Q2")
    assert res.exit_code == 1
    assert "文明单位创建工作积分通报（2018年第二季度）" in res.output
    assert "文明科室（单位）：机关党委、人事科、办公室（人均得分前 3 名，授予流动红旗）" in res.output
    assert "NAME_NOT_ON_ROSTER" in res.output and "「张三」不在人员名册中" in res.output
    lines = [line.split() for line in res.output.splitlines()]
    assert ["1", "机关党委★", "5", "4", "0", "4", "0.80", "104", "1"] in lines


def test_word_bulletin_read_back(quarter, tmp_path):
    out = tmp_path / "2018年第二季度积分通报.docx"
    res = run("points", "report", quarter, "--quarter", "2018Q2", "-o", out)
    assert res.exit_code == 1 and out.is_file(), res.output
    doc = Document(str(out))
    text = [p.text for p in doc.paragraphs]
    assert "临沂市环境保护局文明单位创建工作积分情况通报" in text
    assert "（2018年第二季度）" in text
    assert any("文明科室（单位）：机关党委、人事科、办公室" in t for t in text)
    ranking, detail = doc.tables[0], doc.tables[1]
    rows = [[c.text for c in row.cells] for row in ranking.rows]
    assert rows[0][:2] == ["排名", "科室（单位）"] and rows[1][:2] == ["1", "机关党委★"]
    assert len(rows) == 24
    detail_rows = [[c.text for c in row.cells] for row in detail.rows]
    assert any(r[0] == "L4" and r[-1] == "撤销 L3" for r in detail_rows)
    assert any(r[3] == "江峰" and r[-1] == "已被更正" for r in detail_rows)
    assert any("不在人员名册中" in t for t in text)
    assert doc.sections[0].footer.paragraphs[0].text == out.stem


def test_excel_bulletin_read_back(quarter, tmp_path):
    out = tmp_path / "积分.xlsx"
    res = run("points", "report", quarter, "--quarter", "2018Q2", "-o", out)
    assert res.exit_code == 1, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["排名", "明细", "需要核对", "说明"]
    rows = list(wb["排名"].iter_rows(values_only=True))
    assert rows[1][:7] == (1, "机关党委", 5, 4, 0, 4, 0.8) and rows[1][9] == "文明科室（单位）"
    detail = list(wb["明细"].iter_rows(values_only=True))
    assert sum(1 for r in detail[1:] if r[6] == 0.5) == 13  # 6 + 6 + 1 person-times
    assert {r[0] for r in wb["需要核对"].iter_rows(min_row=2, values_only=True)} == {
        "NAME_NOT_ON_ROSTER", "NAME_AMBIGUOUS"}


def test_word_bulletin_from_the_units_template(quarter, tmp_path):
    template = tmp_path / "通报模板.docx"
    doc = Document()
    doc.add_paragraph("{{单位}}文件")
    doc.add_paragraph("{{标题}}（{{期间}}）")
    doc.add_paragraph("{{正文}}")
    doc.add_paragraph("抄送：局领导")
    doc.sections[0].footer.paragraphs[0].text = "综合组"
    doc.save(str(template))
    out = tmp_path / "通报.docx"
    res = run("points", "report", quarter, "--quarter", "2018Q2", "-o", out,
              "--template", template)
    assert res.exit_code == 1, res.output
    got = Document(str(out))
    text = [p.text for p in got.paragraphs]
    assert text[0] == "临沂市环境保护局文件"
    assert text[1] == "临沂市环境保护局文明单位创建工作积分情况通报（2018年第二季度）"
    assert text[-1] == "抄送：局领导" and not any("{{" in t for t in text)
    assert text.index("一、积分排名") > 1 and len(got.tables) == 2
    assert got.sections[0].footer.paragraphs[0].text == "综合组"


def test_report_usage_errors(quarter, tmp_path):
    res = run("points", "report", quarter)
    assert res.exit_code == 2 and "--quarter 或 --year" in res.output
    res = run("points", "report", quarter, "--quarter", "2018Q5")
    assert res.exit_code == 2 and "季度「2018Q5」无法识别" in res.output
    res = run("points", "report", quarter, "--quarter", "2018Q2", "--format", "docx")
    assert res.exit_code == 2 and "需要用 -o" in res.output
    res = run("points", "report", tmp_path, "--quarter", "2018Q2")
    assert res.exit_code == 2 and "不在任何档案中" in res.output


def test_a_template_without_a_header_gets_none(quarter, tmp_path):
    template = tmp_path / "简单模板.docx"
    doc = Document()
    doc.add_paragraph("{{标题}}")
    doc.save(str(template))
    out = tmp_path / "通报.docx"
    run("points", "report", quarter, "--quarter", "2018Q2", "-o", out, "--template", template)
    got = Document(str(out))
    assert got.sections[0].header.is_linked_to_previous  # no header part was added
    assert got.paragraphs[0].text.endswith("积分情况通报") and got.paragraphs[1].text.startswith("根据《")
