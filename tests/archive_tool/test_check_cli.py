"""``archive-tool check`` end to end on a real archive in tmp_path: docx made with python-docx,
JPEGs made with Pillow and captioned with archive_tool.captions.write_caption."""
from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from PIL import Image

from archive_tool.captions import write_caption
from archive_tool.cli import main

from ..conftest import new_archive

UNIT = "测试市环境保护局"
TREE = """
id: cli-2018
title: 命令行测试指标
window: {start: 2018-01-01, end: 2018-12-31}
indicators:
  - id: I-1
    name: 思想政治建设
    score: 10
    children:
      - id: II-4
        name: 纪念日学习
        owners: [曲丽娟]
        requirements:
          - text: 利用重要纪念日开展学习，每季度至少开展一次
          - text: 提供2张现场照片
            deadline: 2018-06-30
      - id: II-5
        name: 理论学习
        owners: [王峰]
        requirements:
          - text: 说明报告，400字左右
            deadline: 2018-06-30
  - id: I-2
    name: 文明创建
    score: 20
    lead: [办公室]
    children:
      - id: II-6
        name: 制度建设
        requirements:
          - text: 提供正式发文
            rules: [{kind: document}]
            deadline: 2018-06-30
      - id: II-7
        name: 年度总结
        requirements:
          - text: 年底前提交总结
            rules: [{kind: document, deadline: 2018-12-31}]
      - id: II-8
        name: 部门评价
        requirements:
          - text: 由文明办评价
            rules: []
"""


def _folder(root: Path, leaf_id: str) -> Path:
    (found,) = [p for p in root.rglob("*") if p.is_dir() and p.name.split(" ")[0] == leaf_id]
    return found


def _photo(path: Path, day: date | None, theme: str = "纪念日学习") -> None:
    Image.new("RGB", (64, 48), (120, 160, 200)).save(path, "JPEG")
    if day is not None:
        write_caption(path, day, UNIT, theme)


def _docx(path: Path, text: str) -> None:
    doc = Document()
    doc.add_paragraph(text)
    doc.sections[0].footer.paragraphs[0].text = path.stem
    doc.save(path)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = new_archive(tmp_path_factory.mktemp("check"), TREE, unit=UNIT)
    ii4 = _folder(root, "II-4")
    _photo(ii4 / "01：一季度学习.jpg", date(2018, 3, 5))
    _photo(ii4 / "02：二季度学习.jpg", date(2018, 5, 4))
    _photo(ii4 / "03：没有说明.jpg", None)
    _docx(_folder(root, "II-5") / "01：2018年3月2日理论学习说明报告.docx", "学习情况简述。" * 3)
    _docx(_folder(root, "II-6") / "01：2018年4月1日关于建立学习制度的通知.docx",
          "为加强学习，制定本制度。" * 10)
    return root


def _run(*args: str):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_text_report(archive):
    result = _run(archive, "--as-of", "2018-10-15")
    assert result.exit_code == 1, result.output
    out = result.output
    assert "\x1b[" not in out  # not a tty
    assert ("每季度至少 1 份活动材料：2018Q1 ✓ 2018Q2 ✓ 2018Q3 ✗ "
            "2018Q4 进行中：还差 1 份活动材料（本期还剩 77 天）") in out
    assert out.splitlines()[2].startswith("已有 2 项指标缺材料（周期已结束仍不足，共 2 期）")
    assert "03：没有说明.jpg" in out and "CAPTION_MISSING" in out
    assert "01：2018年3月2日理论学习说明报告.docx" in out and "REPORT_LENGTH" in out
    assert "II-6 制度建设" in out


def test_json_report_statuses(archive):
    result = _run(archive, "--as-of", "2018-10-15", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    leaves = {c["id"]: c for top in data["indicators"] for c in top["children"]}
    assert {k: v["status"] for k, v in leaves.items()} == {
        "II-4": "missing", "II-5": "missing", "II-6": "complete", "II-7": "in_progress",
        "II-8": "not_assessed"}
    assert leaves["II-8"]["assessed"] is False
    photo_rule = leaves["II-4"]["rules"][1]
    assert (photo_rule["kind"], photo_rule["found"], photo_rule["status"]) == ("photo", 2,
                                                                                "complete")
    assert [n["rule"] for n in leaves["II-4"]["not_counted"]][0] == "CAPTION_MISSING"
    assert data["summary"]["files"] == 5
    assert data["window"] == {"start": "2018-01-01", "end": "2018-12-31"}


def test_all_due_complete_exits_zero(archive):
    result = _run(archive, "--as-of", "2018-02-01", "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert (summary["missing"], summary["short"], summary["in_progress"]) == (0, 0, 4)


def test_window_options(archive):
    result = _run(archive, "--as-of", "2019-01-10", "--from", "2018-01-01", "--to",
                  "2018-03-31", "--format", "json")
    data = json.loads(result.output)
    ii4 = data["indicators"][0]["children"][0]
    assert [p["label"] for p in ii4["rules"][0]["periods"]] == ["2018Q1"]


def test_by_owner(archive):
    result = _run(archive, "--as-of", "2018-10-15", "--by", "owner")
    assert result.exit_code == 1
    out = result.output
    assert out.index("曲丽娟（1 项）") < out.index("II-4 纪念日学习") < out.index("王峰（1 项）")
    data = json.loads(_run(archive, "--as-of", "2018-10-15", "--by", "owner", "--format",
                           "json").output)
    assert [(g["owner"], [i["id"] for i in g["indicators"]]) for g in data["owners"]] == [
        ("曲丽娟", ["II-4"]), ("王峰", ["II-5"]), ("办公室", ["II-7"])]  # II-7 in progress


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.classes += (dict(attrs).get("class") or "").split()


def test_html_and_markdown_files(archive, tmp_path):
    page = tmp_path / "查缺.html"
    result = _run(archive, "--as-of", "2018-10-15", "--format", "html", "-o", page)
    assert result.exit_code == 1 and "已写入" in result.output
    text = page.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    assert parser.classes.count("bar-row") == 2
    assert "https://" not in text and "http://" not in text
    md = tmp_path / "查缺.md"
    _run(archive, "--as-of", "2018-10-15", "--format", "md", "-o", md)
    assert md.read_text(encoding="utf-8").startswith("# 档案查缺报告：命令行测试指标")


def test_xlsx(archive, tmp_path):
    dest = tmp_path / "查缺.xlsx"
    result = _run(archive, "--as-of", "2018-10-15", "--format", "xlsx", "-o", dest,
                  "--by", "owner")
    assert result.exit_code == 1
    wb = openpyxl.load_workbook(dest)
    assert wb.active.title == "按责任人"
    assert all(ws.freeze_panes == "A2" for ws in wb.worksheets)


def test_xlsx_needs_an_output_file(archive):
    result = _run(archive, "--format", "xlsx")
    assert result.exit_code == 2
    assert "-o" in result.output and "Traceback" not in result.output


def test_the_output_extension_chooses_the_format(archive, tmp_path):
    dest = tmp_path / "查缺.xlsx"
    assert _run(archive, "--as-of", "2018-10-15", "-o", dest).exit_code == 1
    assert openpyxl.load_workbook(dest).sheetnames[0] == "概况"
    page = tmp_path / "查缺.html"
    _run(archive, "--as-of", "2018-10-15", "-o", page)
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_format_that_contradicts_the_extension_is_refused(archive, tmp_path):
    result = _run(archive, "--format", "text", "-o", tmp_path / "查缺.xlsx")
    assert result.exit_code == 2 and "扩展名" in result.output
    assert not (tmp_path / "查缺.xlsx").exists()


def test_an_output_folder_that_does_not_exist_is_refused_before_the_work(archive, tmp_path):
    result = _run(archive, "-o", tmp_path / "没有" / "查缺.html")
    assert result.exit_code == 2 and "文件夹不存在" in result.output
    assert "Traceback" not in result.output


def test_bad_dates_are_usage_errors(archive):
    result = _run(archive, "--as-of", "2018-13-01")
    assert result.exit_code == 2 and "2018-06-30" in result.output
    result = _run(archive, "--from", "2018-06-01", "--to", "2018-01-01")
    assert result.exit_code == 2 and "早于" in result.output


def test_not_an_archive(tmp_path):
    result = _run(tmp_path)
    assert result.exit_code == 2 and "archive-tool init" in result.output


def test_help_has_examples():
    result = CliRunner().invoke(main, ["check", "--help"])
    assert result.exit_code == 0 and "archive-tool check" in result.output
