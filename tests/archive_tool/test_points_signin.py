"""Sign-in sheets as staff fill them: the new-signin template in Word, xlsx in several layouts,
whole-department marks, and sheets that cannot be read (reported, never counted)."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from docx import Document
from PIL import Image

from archive_tool.extract import ocr
from archive_tool.points import load_points
from archive_tool.points.ledger import collect
from archive_tool.points.signin import SCAN_READERS
from archive_tool.scan import scan

from .points_fixtures import leaf, points_archive, signin_docx, signin_xlsx


@pytest.fixture
def root(tmp_path):
    return points_archive(tmp_path)


def ledger(root):
    return collect(load_points(root), scan(root).evidence)


def people(led, path_end: str = ""):
    return sorted((e.person or f"[{e.department}]", float(e.points)) for e in led.entries
                  if e.evidence.endswith(path_end))


def rules(led):
    return sorted((i.rule, i.path.rsplit("/", 1)[-1]) for i in led.issues)


def test_the_template_filled_in_word(root):
    path = signin_docx(root, "II-8", "4月学雷锋志愿服务", "2018年4月14日",
                       [("王峰", "办公室"), ("刘妍", ""), ("秦增诗", "人事科")])
    led = ledger(root)
    assert people(led) == [("刘妍", 0.5), ("王峰", 0.5), ("秦增诗", 0.5)]
    entry = led.entries[0]
    assert entry.date == date(2018, 4, 14) and entry.note == ""  # the sheet's own date
    assert entry.activity == "4月学雷锋志愿服务" and entry.indicator == "II-8"
    assert entry.evidence == path.relative_to(root).as_posix() and not led.issues


def test_an_empty_template_counts_nothing_and_says_so(root):
    signin_docx(root, "II-8", "6月学雷锋志愿服务", "2018年6月9日", [])
    assert rules(ledger(root)) == [("SHEET_NO_NAMES", "01：6月学雷锋志愿服务签到表.docx")]


def test_without_a_time_line_the_date_comes_from_the_name(root):
    folder = leaf(root, "II-13")
    doc = Document()
    doc.add_paragraph("职工运动会签到表")
    doc.add_paragraph("时间：　　年　　月　　日")
    table = doc.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, (("序号", "姓名", "单位"), ("1", "刘巍", "大气科"),
                                        ("2", "杨燕", "机关党委"))):
        for cell, text in zip(row.cells, values):
            cell.text = text
    doc.save(str(folder / "01：2018年5月20日职工运动会签到表.docx"))
    led = ledger(root)
    assert people(led) == [("刘巍", 0.5), ("杨燕", 0.5)]
    assert {e.date for e in led.entries} == {date(2018, 5, 20)}
    assert {e.note for e in led.entries} == {"日期取自文件名"}


def test_xlsx_side_by_side_with_several_names_in_a_cell(root):
    signin_xlsx(leaf(root, "II-4"), "05：五四青年节签到表.xlsx", "五四青年节", "2018年5月4日",
                [("刘巍、汤浩", "大气科"), ("杨燕", "机关党委"), ("秦增诗", "人事科"),
                 ("徐震", "办公室"), ("张敏", "人事科")], side_by_side=True)
    led = ledger(root)
    assert people(led) == [("刘巍", 0.5), ("张敏", 0.5), ("徐震", 0.5), ("杨燕", 0.5),
                           ("汤浩", 0.5), ("秦增诗", 0.5)]
    assert {e.date for e in led.entries} == {date(2018, 5, 4)} and not led.issues


def test_a_whole_department_in_the_name_column(root):
    folder = leaf(root, "II-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["活动主题：植树志愿服务"])
    ws.append(["活动时间：2018年3月12日"])
    ws.append(["单位（部门）", "姓名", "签名"])
    ws.append(["大气科", "全体人员", None])
    ws.append([None, "人事科（全体）", None])
    ws.append(["大气科", "刘巍", "刘巍"])  # covered by the whole department
    ws.append(["办公室", None, "王峰"])  # only the signature column filled
    ws.append(["后勤科", "全体", None])
    wb.save(folder / "01：植树志愿服务签到表.xlsx")
    led = ledger(root)
    assert people(led) == [("[人事科]", 1.0), ("[大气科]", 1.0), ("王峰", 0.5)]
    (issue,) = led.issues
    assert issue.rule == "DEPT_UNKNOWN" and "「后勤科」" in issue.message


def test_twice_signed_and_another_department_are_warnings(root):
    signin_docx(root, "II-1", "专题学习", "2018年5月8日",
                [("王峰", "办公室"), ("王峰", "办公室"), ("刘巍", "办公室")])
    led = ledger(root)
    assert people(led) == [("刘巍", 0.5), ("王峰", 0.5)]
    assert next(e for e in led.entries if e.person == "刘巍").department == "大气科"
    assert sorted(i.rule for i in led.issues) == ["DEPT_MISMATCH", "SIGNED_TWICE"]
    assert all(i.severity == "warning" for i in led.issues)


def test_scanned_sheets_without_ocr_say_how_to_enable_it(root, monkeypatch):
    folder = leaf(root, "II-8")
    Image.new("RGB", (60, 40), "white").save(folder / "01：学雷锋签到表.jpg")
    Image.new("RGB", (60, 40), "white").save(folder / "02：志愿者签到现场.jpg")
    config = root / ".archive" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "ocr: {enabled: false}\n",
                      encoding="utf-8")
    led = ledger(root)
    assert rules(led) == [("SHEET_NEEDS_OCR", "01：学雷锋签到表.jpg")]
    (issue,) = led.issues
    assert issue.severity == "warning" and "关闭了文字识别" in issue.message
    assert "ocr: {enabled: true}" in issue.fix
    monkeypatch.setattr(ocr, "available", lambda: False)  # the extra not installed
    (issue,) = ledger(root).issues
    assert issue.rule == "SHEET_NEEDS_OCR" and "pip install 'archive-tool[ocr]'" in issue.fix


def test_the_scan_reader_hook_gives_blocks_like_a_word_sheet(root, monkeypatch):
    folder = leaf(root, "II-8")
    Image.new("RGB", (60, 40), "white").save(folder / "01：学雷锋签到表.jpg")

    def recognised(archive, ev):  # what the OCR reader gives: text recognised from the scan
        from archive_tool.points.tables import Table
        assert archive == root and ev.name == "01：学雷锋签到表.jpg"
        return ["时间：2018年3月5日",
                Table("识别结果", [["序号", "姓名", "单位"], ["1", "江峰", "办公室"]])]

    monkeypatch.setitem(SCAN_READERS, ".jpg", recognised)
    led = ledger(root)
    assert people(led) == [("江峰", 0.5)] and not led.issues
    assert led.entries[0].source == "signin_ocr"


def test_damaged_and_legacy_sheets_are_reported(root):
    folder = leaf(root, "II-8")
    good = signin_docx(root, "II-8", "学雷锋", "2018年3月5日", [("王峰", "办公室")])
    (folder / "02：学雷锋签到表.docx").write_bytes(good.read_bytes()[:400])
    (folder / "03：学雷锋签到表.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    led = ledger(root)
    assert people(led) == [("王峰", 0.5)]
    assert rules(led) == [("SHEET_UNREADABLE", "02：学雷锋签到表.docx"),
                          ("SHEET_UNREADABLE", "03：学雷锋签到表.doc")]


def test_a_sheet_without_any_date_counts_nothing(root):
    folder = leaf(root, "II-8")
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "单位"])
    wb.active.append(["王峰", "办公室"])
    wb.save(folder / "01：志愿服务签到表.xlsx")
    led = ledger(root)
    assert not led.entries and rules(led) == [("SHEET_NO_DATE", "01：志愿服务签到表.xlsx")]


def test_a_sheet_of_two_tables_and_a_repeated_header(root):
    folder = leaf(root, "II-1")
    doc = Document()
    doc.add_paragraph("活动主题：专题党课")
    doc.add_paragraph("时间：2018年6月28日")
    for names in (("刘妍", "姓名", "刘巍 汤浩"), ("张敏",)):  # page 2: a table of its own
        table = doc.add_table(rows=len(names) + 1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "姓 名", "单位"
        for row, name in zip(table.rows[1:], names):
            row.cells[0].text = name
    doc.save(str(folder / "01：专题党课签到表.docx"))
    led = ledger(root)
    assert people(led) == [("刘妍", 0.5), ("刘巍", 0.5), ("张敏", 0.5), ("汤浩", 0.5)]
    assert not led.issues


def test_a_copy_and_a_second_sheet_of_one_activity_count_once(root):
    first = signin_docx(root, "II-4", "五四青年节", "2018年5月4日",
                        [("刘巍", "大气科"), ("杨燕", "机关党委")])
    (leaf(root, "II-8") / first.name).write_bytes(first.read_bytes())  # filed twice
    signin_xlsx(leaf(root, "II-13"), "01：五四青年节签到表.xlsx", "五四青年节", "2018年5月4日",
                [("杨燕", "机关党委"), ("汤浩", "大气科")])  # the afternoon's sheet
    led = ledger(root)
    assert people(led) == [("刘巍", 0.5), ("杨燕", 0.5), ("汤浩", 0.5)]
    found = {(i.rule, i.path.split("/")[1].split(" ")[0]) for i in led.issues}
    assert found == {("SHEET_COPY", "II-8"), ("SIGNED_TWICE", "II-13")}
    assert all(i.severity == "warning" for i in led.issues)


def test_documents_about_signing_in_are_no_sheets(root):
    folder = leaf(root, "II-20")
    doc = Document()
    doc.add_paragraph("会议签到制度：参会人员须提前十分钟签到。")
    doc.save(str(folder / "01：会议签到制度.docx"))
    assert not ledger(root).issues
