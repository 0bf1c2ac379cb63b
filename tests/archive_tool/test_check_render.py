"""Gap report renderers, each parsed back: JSON against the documented schema, HTML with an HTML
parser, XLSX with openpyxl, Markdown tables by their columns, text by its lines."""
from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import click
import openpyxl
import pytest

from archive_tool.check import by_owner, check
from archive_tool.config import ArchiveConfig
from archive_tool.evidence import Evidence, Finding

from archive_tool.lint import LintReport
from archive_tool.report.gap_html import gap_html, gap_owners_html
from archive_tool.report.gap_markdown import gap_markdown, gap_owners_markdown
from archive_tool.report.gap_text import gap_owners_text, gap_text

from .test_check import Planted
from archive_tool.report.gap_xlsx import build_workbook, write_gap_xlsx
from archive_tool.scan import ScanResult
from indicator_tree import load_tree_text

TREE = """
id: demo
title: 演示指标 <测评>
window: {start: 2018-01-01, end: 2018-12-31}
indicators:
  - id: I-1
    name: 思想政治建设
    score: 10
    lead: [机关党委]
    children:
      - id: II-4
        name: 重要纪念日学习
        owners: [曲丽娟]
        requirements:
          - text: 利用重要纪念日开展学习，每季度至少开展一次
          - text: 提供4张现场照片
            deadline: 2018-06-30
      - id: II-5
        name: 理论学习
        requirements:
          - text: 说明报告，400字左右
            rules: [{kind: report, words: 400, deadline: 2018-06-30}]
  - id: I-2
    name: 文明创建
    score: 20
    children:
      - id: II-6
        name: 志愿服务
        owners: [王峰]
        requirements:
          - text: 年底前提交总结
            rules: [{kind: document, deadline: 2018-12-31}]
      - id: II-7
        name: 部门评价
        requirements:
          - text: 由文明办评价
            rules: []
"""


def _ev(path: str, kind: str, day, ind: str, findings=(), **kw) -> Evidence:
    ext = "." + path.rsplit(".", 1)[-1]
    return Planted(path=path, size=1, mtime_ns=0, ext=ext, kind=kind, indicator_id=ind,
                   in_leaf=bool(ind and ind.startswith("II")), date=day,
                   planted=[Finding(r, path, "error", f"{r}：原因", f"{r}：修改")
                            for r in findings], **kw)


def _lint(result):
    """What lint would have reported: the findings planted on the records."""
    return LintReport(result, [f for e in result.evidence for f in e.planted])


@pytest.fixture(scope="module")
def report():
    tree = load_tree_text(TREE)
    base4 = "I-1 思想政治建设/II-4 重要纪念日学习"
    evidence = [
        _ev(f"{base4}/01：学习.jpg", "photo", date(2018, 2, 1), "II-4"),
        _ev(f"{base4}/02：学习.jpg", "photo", date(2018, 5, 1), "II-4"),
        _ev(f"{base4}/03：学习.jpg", "photo", date(2018, 5, 2), "II-4",
            findings=["CAPTION_MISSING"]),
        _ev("I-1 思想政治建设/II-5 理论学习/01：说明报告.docx", "report", date(2018, 3, 1),
            "II-5", char_count=100, findings=["REPORT_LENGTH"]),
        _ev("01：散落 & <文件>.pdf", "document", date(2018, 3, 1), None,
            findings=["PLACE_OUTSIDE"]),
    ]
    config = ArchiveConfig(root=Path("/tmp/a"), tree=tree, tree_file="tree.yaml", unit="",
                           organizers=(), window_start=tree.window_start,
                           window_end=tree.window_end)
    result = ScanResult(config=config, evidence=evidence, folders=[])
    return check(result, _lint(result), as_of=date(2018, 10, 15))


def test_fixture_shows_every_status(report):
    statuses = {leaf.id: leaf.status for leaf in report.leaves()}
    assert statuses == {"II-4": "missing", "II-5": "missing", "II-6": "in_progress",
                        "II-7": "not_assessed"}


# ---- JSON -----------------------------------------------------------------------------------
SUMMARY_KEYS = {"leaves", "assessed", "due", "complete", "missing", "in_progress", "not_started",
                "not_assessed", "coverage", "score", "at_stake", "short", "short_by_status",
                "short_periods", "files", "counted", "not_counted", "outside"}
INDICATOR_KEYS = {"id", "name", "level", "status", "short", "owners", "assessed", "score",
                  "at_stake", "coverage", "rules", "not_counted"}
RULE_KEYS = {"text", "requirement", "note", "requirement_no", "owners", "kind", "period", "required",
             "each", "found", "status", "deadline", "cutoffs", "words", "caption", "periods",
             "activities", "standing"}
PERIOD_KEYS = {"label", "start", "end", "found", "required", "status", "needed", "days_left",
               "ends", "short"}
ITEM_KEYS = {"path", "rule", "message", "fix"}
STATUSES = {"complete", "missing", "in_progress", "not_started", "not_assessed"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_indicator(data: dict, with_children: bool = True) -> None:
    assert set(data) == INDICATOR_KEYS | ({"children"} if with_children else {"parents"})
    assert data["status"] in STATUSES
    assert set(data["coverage"]) == {"due", "complete", "ratio"}
    for rule in data["rules"]:
        assert set(rule) == RULE_KEYS and rule["status"] in STATUSES
        assert rule["deadline"] is None or ISO.match(rule["deadline"])
        for period in rule["periods"]:
            assert set(period) == PERIOD_KEYS and period["status"] in STATUSES
            assert ISO.match(period["start"]) and ISO.match(period["end"])
            assert period["ends"] in {"period", "cutoff", "deadline", "inspection"}
            assert (period["days_left"] is None) == (period["status"] != "in_progress")
    for item in data["not_counted"]:
        assert set(item) == ITEM_KEYS
    for child in data.get("children", ()):
        _check_indicator(child)


def test_json_matches_the_documented_schema(report):
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert set(data) == {"as_of", "inspection", "window", "tree", "summary", "indicators",
                         "outside"}
    assert data["as_of"] == "2018-10-15" and data["inspection"] is None
    assert set(data["summary"]["short_by_status"]) == {"missing", "in_progress", "not_started"}
    assert data["window"] == {"start": "2018-01-01", "end": "2018-12-31"}
    assert set(data["summary"]) == SUMMARY_KEYS
    for ind in data["indicators"]:
        _check_indicator(ind)
    assert [set(item) for item in data["outside"]] == [ITEM_KEYS]
    ii4 = data["indicators"][0]["children"][0]
    assert [p["label"] for p in ii4["rules"][0]["periods"]] == \
        ["2018Q1", "2018Q2", "2018Q3", "2018Q4"]
    assert ii4["not_counted"][0]["rule"] == "CAPTION_MISSING"
    assert ii4["owners"] == ["曲丽娟"]
    assert data["indicators"][0]["children"][1]["owners"] == ["机关党委"]  # inherited


def test_owner_json(report):
    data = json.loads(json.dumps(report.owners_dict(by_owner(report)), ensure_ascii=False))
    assert set(data) == {"as_of", "inspection", "window", "tree", "summary", "owners", "outside"}
    assert [g["owner"] for g in data["owners"]] == ["曲丽娟", "机关党委", "王峰"]
    for group in data["owners"]:
        assert set(group) == {"owner", "indicators"}
        for ind in group["indicators"]:
            _check_indicator(ind, with_children=False)


# ---- text -----------------------------------------------------------------------------------
def test_text(report):
    text = gap_text(report)
    assert "\x1b[" not in text
    assert "2018Q1 ✓ 2018Q2 ✓ 2018Q3 ✗ 2018Q4 进行中：还差 1 份活动材料（本期还剩 77 天）" in text
    assert "已提交但不计入" in text and "CAPTION_MISSING" in text and "REPORT_LENGTH" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("指标"))
    assert header.split() == ["指标", "状态", "覆盖", "分值", "责任人"]
    assert any(line.startswith("  II-7 部门评价") and "无需提交材料" in line for line in lines)
    assert lines[-1].startswith("✗")


def test_text_names_the_requirement_above_its_rules(report):
    """Requirements sharing a note give identical rule lines: the requirement tells them apart."""
    lines = gap_text(report).splitlines()
    heading = lines.index("  要求 1：利用重要纪念日开展学习，每季度至少开展一次")
    assert lines[heading + 1].startswith("    ✗ 每季度至少 1 份活动材料：2018Q1 ✓")
    assert "  要求 2：提供4张现场照片" in lines


def test_text_colours_only_with_a_style(report):
    coloured = gap_text(report, style=lambda text, kind: click.style(text, fg="red"))
    assert "\x1b[" in coloured
    assert click.unstyle(coloured) == gap_text(report)


def test_owner_text(report):
    text = gap_owners_text(report, by_owner(report))
    assert text.index("曲丽娟（1 项）") < text.index("II-4 重要纪念日学习")
    assert text.index("机关党委（1 项）") < text.index("II-5 理论学习")
    # in progress: what is still needed and the days left
    assert text.index("王峰（1 项）") < text.index("II-6 志愿服务  ◐ 进行中")
    assert "2018 进行中：还差 1 份文件（距截止日还剩 77 天）" not in text
    assert "全期 进行中：还差 1 份文件（距截止日还剩 77 天）" in text


# ---- Markdown -------------------------------------------------------------------------------
def _tables(markdown: str) -> list[list[list[str]]]:
    tables, current = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            current.append([c.strip() for c in cells])
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def test_markdown_tables_are_well_formed(report):
    markdown = gap_markdown(report)
    assert markdown.startswith("# 档案查缺报告")
    tables = _tables(markdown)
    overview = tables[0]
    assert overview[0] == ["指标", "状态", "覆盖", "分值", "责任人"]
    assert len(overview) == 2 + 6
    for table in tables:
        assert len({len(row) for row in table}) == 1
        assert set("".join(table[1])) <= set("-")
    assert "### II-4 重要纪念日学习" in markdown
    assert "`CAPTION_MISSING`" in markdown
    assert "01：散落 & <文件>.pdf" in markdown


def test_owner_markdown(report):
    markdown = gap_owners_markdown(report, by_owner(report))
    assert "## 曲丽娟（1 项）" in markdown and "## 机关党委（1 项）" in markdown


# ---- HTML -----------------------------------------------------------------------------------
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    return parser


def test_html_is_self_contained_and_well_formed(report):
    page = gap_html(report)
    assert page.startswith("<!DOCTYPE html>")
    parsed = _parse(page)
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    bars = [a for t, a in parsed.tags if t == "div" and a.get("class") == "bar-row"]
    assert [b["data-id"] for b in bars] == ["I-1", "I-2"]
    fills = [a["style"] for t, a in parsed.tags if t == "div" and a.get("class") == "fill"]
    assert fills == ["width: 0%", "width: 0%"]
    text = "".join(parsed.text)
    assert "演示指标 <测评>" in text  # escaped in the page, read back as text
    assert "01：散落 & <文件>.pdf" in text
    assert "2018Q3 ✗" in text and "CAPTION_MISSING" in text
    rows = [a for t, a in parsed.tags if t == "tr" and "data-status" in a]
    assert len(rows) == 6


def test_owner_html(report):
    parsed = _parse(gap_owners_html(report, by_owner(report)))
    owners = [a for t, a in parsed.tags if t == "section" and a.get("class") == "owner"]
    assert len(owners) == 3
    assert "曲丽娟（1 项）" in "".join(parsed.text)


# ---- XLSX -----------------------------------------------------------------------------------
def test_xlsx_sheets_headers_and_widths(report, tmp_path):
    dest = tmp_path / "查缺.xlsx"
    write_gap_xlsx(report, by_owner(report), dest)
    wb = openpyxl.load_workbook(dest)
    assert wb.sheetnames == ["概况", "按指标", "缺项明细", "按责任人", "不计入"]
    assert wb.active.title == "按指标"
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
        assert ws.column_dimensions["A"].width >= 12
    overview = wb["按指标"]
    rows = list(overview.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "指标", "级别", "状态")
    assert [r[0] for r in rows[1:]] == ["I-1", "II-4", "II-5", "I-2", "II-6", "II-7"]
    assert overview.column_dimensions["B"].width == 36
    detail = list(wb["缺项明细"].iter_rows(values_only=True))
    assert detail[0][3:6] == ("工作要求", "材料要求", "周期")
    q3 = next(r for r in detail if r[0] == "II-4" and r[5] == "2018Q3")
    assert q3[3].startswith("利用重要纪念日开展学习")
    assert q3[6] == datetime(2018, 7, 1) and q3[8:12] == (0, 1, "缺失", "还差 1 份活动材料")
    q4 = next(r for r in detail if r[0] == "II-4" and r[5] == "2018Q4")
    assert q4[10:13] == ("进行中", "还差 1 份活动材料", 77)
    owners = list(wb["按责任人"].iter_rows(values_only=True))
    assert [(r[0], r[1]) for r in owners[1:]] == [("曲丽娟", "II-4"), ("机关党委", "II-5"),
                                                  ("王峰", "II-6")]
    excluded = list(wb["不计入"].iter_rows(values_only=True))
    assert {r[3] for r in excluded[1:]} == {"CAPTION_MISSING", "REPORT_LENGTH", "PLACE_OUTSIDE"}


def test_xlsx_owner_view_is_active(report):
    buf = io.BytesIO()
    write_gap_xlsx(report, by_owner(report), buf, by="owner")
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    assert wb.active.title == "按责任人"
    assert sum(ws.sheet_view.tabSelected for ws in wb.worksheets) == 1


def test_workbook_builds_for_an_empty_archive(report):
    wb = build_workbook(report, [])
    assert wb["按责任人"].max_row == 1


# ---- files that do not count outside the rules ---------------------------------------------
def test_every_renderer_lists_files_in_parent_and_not_assessed_folders():
    tree = load_tree_text(TREE)
    evidence = [
        _ev("I-2 文明创建/01：上级来文.pdf", "document", date(2018, 3, 1), "I-2",
            findings=["PLACE_OUTSIDE"]),
        _ev("I-2 文明创建/II-7 部门评价/01：评价表.pdf", "document", date(2018, 3, 1), "II-7"),
    ]
    config = ArchiveConfig(root=Path("/tmp/a"), tree=tree, tree_file="tree.yaml", unit="",
                           organizers=(), window_start=tree.window_start,
                           window_end=tree.window_end)
    result = ScanResult(config=config, evidence=evidence, folders=[])
    report = check(result, _lint(result), as_of=date(2018, 10, 15))
    assert report.summary()["not_counted"] == 2
    for page in (gap_text(report), gap_markdown(report), "".join(_parse(gap_html(report)).text)):
        assert "01：上级来文.pdf" in page and "01：评价表.pdf" in page
        assert "NOT_ASSESSED" in page
