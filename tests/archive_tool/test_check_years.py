"""``archive-tool check`` with an inspection day, on one archive and on two years side by side,
end to end on real files: photos made with Pillow and captioned by archive_tool, docx made with
python-docx (which dates every document 2013-12-23: ignored)."""
from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tool.cli import main
from archive_tool.config import load_config, load_years
from archive_tool.errors import ConfigError

from ..conftest import new_archive

from .scan_fixtures import docx, jpeg
from .test_dates import UNIT

TREE = """
id: years-{year}
title: {year} 年创建任务
window: {{start: {year}-01-01, end: {year}-12-31}}
indicators:
  - id: I-1
    name: 思想政治建设
    children:
      - id: II-1
        name: 加强学习
        owners: [曲丽娟]
        requirements:
          - text: 每季度至少开展一次学习，提供现场照片
            rules: [{{kind: photo, period: quarter}}]
      - id: II-2
        name: 制度建设
        owners: [王峰]
        requirements:
          - text: 建立学习制度
            rules: [{{kind: document}}]
      - id: II-3
        name: 部门评价
        requirements:
          - text: 由文明办评价
            rules: []
"""


def _year(base: Path, year: int, quarters: list[int], extra: str = "") -> Path:
    root = new_archive(base / "档案", TREE.format(year=year), unit=UNIT, name=f"{year}年",
                       config=extra)
    study = root / "I-1 思想政治建设" / "II-1 加强学习"
    from archive_tool.captions import write_caption

    for n, quarter in enumerate(quarters, 1):
        day = date(year, 3 * quarter - 1, 10)
        write_caption(jpeg(study / f"{n:02d}：{quarter}季度学习.jpg"), day, UNIT, "集中学习")
    return root


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("years")
    first = _year(base, 2023, [1, 2, 3, 4])
    docx(first / "I-1 思想政治建设" / "II-2 制度建设" / "01：2023年2月学习制度.docx",
         footer="01：2023年2月学习制度")
    latest = _year(base, 2024, [1, 2, 3])
    rules = latest / "I-1 思想政治建设" / "II-2 制度建设"
    docx(rules / "01：2022年3月学习制度.docx", footer="01：2022年3月学习制度")  # in force
    top = base / "档案"
    (top / ".archive").mkdir()
    (top / ".archive" / "config.yaml").write_text(
        "years: [2023年, 2024年]\ninspection: 2024-11-30\n", encoding="utf-8")
    return top


def _run(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


# ---- one year, with the inspection day -----------------------------------------------------
def test_in_progress_periods_say_what_is_needed_and_the_exit_code_looks_at_the_inspection(
        archive):
    year = archive / "2024年"
    result = _run(year, "--as-of", "2024-10-15", "--inspection", "2024-11-30")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[1].endswith("迎检日：2024-11-30")
    assert lines[2] == ("迎检日（2024-11-30）若不再补充材料：将有 1 项指标缺材料（进行中 1 项），"
                        "共缺 1 期")
    assert ("每季度至少 1 张现场照片（需注明活动时间、主办单位、活动主题）：2024Q1 ✓ 2024Q2 ✓ "
            "2024Q3 ✓ 2024Q4 进行中：还差 1 张现场照片（距迎检日还剩 46 天）") in result.output
    assert "考核期前制定、仍然有效（计入）：01：2022年3月学习制度.docx（2022-03-01）" in result.output
    assert lines[-1] == "✗ 迎检日（2024-11-30）将缺材料，见上方缺项明细。"
    # --inspection wins over the config; the config of the years gives it otherwise
    today = json.loads(_run(year, "--as-of", "2024-10-15", "--inspection", "2024-10-15",
                            "--format", "json").output)
    q4 = today["indicators"][0]["children"][0]["rules"][0]["periods"][-1]
    assert (q4["end"], q4["days_left"], q4["ends"]) == ("2024-10-15", 0, "inspection")
    data = json.loads(_run(year, "--as-of", "2024-10-15", "--format", "json").output)
    assert data["inspection"] == "2024-11-30"


def test_a_year_alone_takes_the_inspection_day_of_its_years(archive):
    config = load_config(archive / "2024年")
    assert config.inspection == date(2024, 11, 30) and config.timezone == "Asia/Shanghai"


def test_the_exit_code_is_0_when_nothing_will_be_missing(tmp_path):
    root = _year(tmp_path, 2024, [1, 2, 3, 4], extra="inspection: 2024-11-30\n")
    docx(root / "I-1 思想政治建设" / "II-2 制度建设" / "01：学习制度.docx", footer="01：学习制度")
    result = _run(root, "--as-of", "2024-11-20", "--format", "json")
    data = json.loads(result.output)
    by_id = {c["id"]: c for c in data["indicators"][0]["children"]}
    # python-docx's 2013-12-23 is no date, and the name has none: the 制度 is undated
    assert by_id["II-2"]["not_counted"][0]["rule"] == "DATE_UNKNOWN"
    assert result.exit_code == 1
    (root / "I-1 思想政治建设" / "II-2 制度建设" / "01：学习制度.docx").rename(
        root / "I-1 思想政治建设" / "II-2 制度建设" / "01：2024年4月学习制度.docx")
    result = _run(root, "--as-of", "2024-11-20")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "✓ 迎检日（2024-11-30）不缺材料。"


# ---- two years side by side -----------------------------------------------------------------
def test_two_years_side_by_side(archive):
    result = _run(archive, "--as-of", "2024-10-15")
    assert result.exit_code == 1, result.output
    out = result.output
    lines = out.splitlines()
    assert lines[0] == "档案查缺报告（多年度）"
    assert lines[1] == "报告日期：2024-10-15    迎检日：2024-11-30"
    assert lines[2].startswith("2023年（2023 年创建任务，考核期 2023-01-01 至 2023-12-31）："
                               "迎检日（2024-11-30）：应查指标的材料已经齐全")
    assert lines[3].startswith("2024年（2024 年创建任务，考核期 2024-01-01 至 2024-12-31）："
                               "迎检日（2024-11-30）若不再补充材料：将有 1 项指标缺材料")
    header = next(line for line in lines if line.startswith("指标"))
    assert header.split() == ["指标", "2023年", "2024年"]
    row = next(line for line in lines if "II-1 加强学习" in line and "✓" in line)
    assert row.split()[-4:] == ["✓", "齐全", "◐", "进行中"]
    assert out.index("==== 2023年 ====") < out.index("==== 2024年 ====")
    assert lines[-1] == "✗ 有年度缺材料，见各年度的缺项明细。"


def test_two_years_json(archive):
    data = json.loads(_run(archive, "--as-of", "2024-10-15", "--format", "json").output)
    assert (data["as_of"], data["inspection"], data["ok"]) == ("2024-10-15", "2024-11-30", False)
    assert [y["year"] for y in data["years"]] == ["2023年", "2024年"]
    assert [y["window"]["start"] for y in data["years"]] == ["2023-01-01", "2024-01-01"]
    row = next(r for r in data["side_by_side"] if r["id"] == "II-1")
    assert row["years"] == {"2023年": {"status": "complete", "short": False},
                            "2024年": {"status": "in_progress", "short": True}}
    owners = json.loads(_run(archive, "--as-of", "2024-10-15", "--by", "owner", "--format",
                             "json").output)
    assert [[g["owner"] for g in y["owners"]] for y in owners["years"]] == [[], ["曲丽娟"]]


def test_one_year_of_several(archive):
    result = _run(archive, "--as-of", "2024-10-15", "--year", "2023年", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["tree"]["id"] == "years-2023"
    wrong = _run(archive, "--year", "2019年")
    assert wrong.exit_code == 2 and "2023年、2024年" in wrong.output


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.years: list[str] = []

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("class") == "year":
            self.years.append(dict(attrs)["data-year"])


def test_two_years_in_html_markdown_and_xlsx(archive, tmp_path):
    page = tmp_path / "查缺.html"
    assert _run(archive, "--as-of", "2024-10-15", "-o", page).exit_code == 1
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.years == ["2023年", "2024年"]
    md = tmp_path / "查缺.md"
    _run(archive, "--as-of", "2024-10-15", "-o", md)
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 档案查缺报告（多年度）")
    assert "| 指标 | 2023年 | 2024年 |" in text and "## 2024年" in text
    assert "### 档案查缺报告：2024 年创建任务" in text  # each year's headings under the year
    book = tmp_path / "查缺.xlsx"
    _run(archive, "--as-of", "2024-10-15", "--by", "owner", "-o", book)
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:2] == ["按年度", "2023年 概况"]
    assert "2024年 缺项明细" in wb.sheetnames
    assert wb.active.title == "2024年 按责任人"
    rows = list(wb["按年度"].iter_rows(values_only=True))
    assert rows[0] == ("编号", "指标", "级别", "2023年", "2024年")
    assert ("II-1", "加强学习", 2, "✓ 齐全", "◐ 进行中") in rows


def test_other_commands_ask_for_one_year(archive):
    result = CliRunner().invoke(main, ["lint", str(archive)])
    assert result.exit_code == 2
    assert "多年度档案" in result.output and "2024年" in result.output
    assert "Traceback" not in result.output
    assert _run(archive, "--from", "2024-01-01").exit_code == 2


def test_the_years_config_is_validated(tmp_path):
    top = tmp_path / "档案"
    (top / ".archive").mkdir(parents=True)
    config = top / ".archive" / "config.yaml"
    config.write_text("years: [2024年]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_years(top)
    assert "years[1]" in info.value.message and "archive-tool init" in info.value.message
    config.write_text("years: [2024年, 2024年]\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_years(top)
    config.write_text("years: [../x]\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_years(top)
    config.write_text("years: [2024年]\nwindow: {start: 2024-01-01}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_years(top)
    assert "window" in info.value.message
