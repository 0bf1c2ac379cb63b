"""The static site: pages parse, every link points to a file that exists (names with Chinese,
full-width and ASCII colons, & and <>), the offline search (the vendored script run by node)
finds a theme; and the 自评表."""
from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tool.cli import main
from archive_tool.export.site_index import tokens

from .export_fixtures import copy_sample, make_years

NODE = shutil.which("node")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "src"):
                self.links.append(value)

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _broken(page: Path) -> list[str]:
    out = []
    for link in _parse(page).links:
        parts = urlsplit(link)
        assert not parts.scheme and not parts.netloc, link  # no network, no absolute path
        if not (page.parent / unquote(parts.path)).is_file():
            out.append(link)
    return out


@pytest.fixture(scope="module")
def years_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("years")
    top = make_years(base)
    out = base / "网页"
    res = CliRunner().invoke(main, ["export", "site", str(top), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_the_pages_parse_and_every_link_points_to_a_file(years_site):
    index = years_site / "index.html"
    page = years_site / "i" / "II-3.html"
    for html in (index, page, years_site / "catalog.html"):
        assert _broken(html) == [], html
    parsed = _parse(index)
    assert "II-3 学雷锋志愿服务" in "".join(parsed.text)
    assert "2019年" in parsed.text and "script" in parsed.tags
    # every file once (not once more for each indicator above it)
    assert "共 18 个文件" in "".join(parsed.text)
    links = _parse(page).links
    assert any(unquote(link).endswith("/03：2019年7月1日 志愿者名单.txt") for link in links)
    assert any(link.endswith("%EF%BC%9A%E5%AD%A6%E9%9B%B7%E9%94%8B%E8%BF%9B%E7%A4%BE%E5%8C%BA.jpg")
               for link in links)  # "：学雷锋进社区.jpg", percent-encoded


def test_text_is_escaped_and_thumbnails_and_captions_are_shown(years_site):
    html = (years_site / "i" / "II-3.html").read_text(encoding="utf-8")
    assert "六五环境日&amp;宣传&lt;材料&gt;.txt" in html and "<材料>" not in html
    assert "时间：2019年3月5日" in html and 'src="../thumbs/' in html
    assert "每半年至少 1 张现场照片" in html
    copied = years_site / "files" / "2019年" / "I-2 志愿服务" / "II-3 学雷锋志愿服务"
    assert (copied / "03：2019年7月1日 志愿者名单.txt").read_text(encoding="utf-8") == "张三"


def test_the_index_json_and_its_script_hold_the_same_index(years_site):
    data = json.loads((years_site / "assets" / "search-index.json").read_text(encoding="utf-8"))
    script = (years_site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.ARCHIVE_SEARCH_INDEX = ")
    assert json.loads(script.split(" = ", 1)[1].rstrip(";\n")) == data
    assert "<" not in script
    assert len(data["docs"]) == 18
    assert tokens("学雷锋 ISO9001") == ["学雷", "雷锋", "iso9001"]


def _node_search(site: Path, queries: list[str]) -> list:
    code = f"""
global.window = global;
require({json.dumps(str(site / "assets" / "search-index.js"))});
const S = require({json.dumps(str(site / "assets" / "search.js"))});
const queries = {json.dumps(queries, ensure_ascii=False)};
console.log(JSON.stringify({{
  results: queries.map(q => S.search(window.ARCHIVE_SEARCH_INDEX, q, 10).map(d => d.t)),
  tokens: queries.map(q => S.tokens(q, window.ARCHIVE_SEARCH_INDEX))}}));
"""
    out = subprocess.run([NODE, "-e", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(NODE is None, reason="node 未安装：离线检索脚本无法在测试中运行")
def test_the_offline_search_finds_a_theme(years_site):
    queries = ["学雷锋进社区", "六五环境日", "集中学习 2020", "社区学雷锋", "雷", "没有这个词"]
    got = _node_search(years_site, queries)
    assert got["tokens"] == [tokens(q) for q in queries]  # the script cuts text as Python does
    hits = got["results"]
    assert hits[0][:2] == ["01：学雷锋进社区.jpg"] * 2
    assert sorted(hits[1]) == ["02：2019年6月5日 六五环境日&宣传<材料>.txt",
                               "02：2020年6月5日 六五环境日&宣传<材料>.txt"]
    assert set(hits[2]) >= {"01：3月集中学习.jpg", "02：5月集中学习.jpg"}
    assert "01：学雷锋进社区.jpg" in hits[3]  # words in another order still find it
    assert "01：学雷锋进社区.jpg" in hits[4]
    assert hits[5] == []


def test_the_sample_site_links_are_whole(tmp_path):
    sample = copy_sample(tmp_path / "sample_archive")
    out = tmp_path / "site"
    res = CliRunner().invoke(main, ["export", "site", str(sample), "-o", str(out)])
    assert res.exit_code == 0, res.output
    for page in [out / "index.html", out / "catalog.html", *sorted((out / "i").glob("*.html"))]:
        assert _broken(page) == [], page
    # an ASCII colon is no name for a USB stick (FAT, exFAT): the copy gets the full-width one
    assert (out / "files" / "I-6 工作环境" / "II-18 开展节约型单位建设和环境保护工作"
            / "01：节水节电倡议书.docx").is_file()


def test_the_self_assessment_sheet(tmp_path):
    top = make_years(tmp_path)
    dest = tmp_path / "自评表.xlsx"
    res = CliRunner().invoke(main, ["export", "selfcheck", str(top), "-o", str(dest),
                                    "--as-of", "2021-01-15"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(dest)
    assert wb.sheetnames == ["I-1 思想政治建设", "I-2 志愿服务"]
    ws = wb["I-1 思想政治建设"]
    assert ws["A1"].value.endswith("I-1 思想政治建设（20 分）")
    header = [c.value for c in ws[2]]
    assert header[:4] == ["指标编号", "指标名称", "分值", "年度"] and "测评组评分" in header
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    first = rows[0]
    assert first[:4] == ["II-1", "加强学习", 12, "2019年"]  # numbers, to add up
    assert first[6].startswith("2 份：01：3月集中学习.jpg")
    assert "2019Q3 还差 1 张现场照片" in first[8] and first[9] == 12
    assert first[10] == 0 and first[11] is None
    assert any(r[0] == "II-2" and r[5].startswith("无需提交材料") for r in rows)
    # each year's rows end in a 合计 row whose formulas add up the points and the assessor's
    totals = [(n, r) for n, r in enumerate(rows, 3) if r[1] and str(r[1]).endswith("合计")]
    assert [r[1] for _, r in totals] == ["2019年 合计", "2020年 合计"]
    at, total = totals[0]
    assert total[2] == f"=SUM(C3:C{at - 1})" and total[11] == f"=SUM(L3:L{at - 1})"
    assert sum(r[2] for r in rows[:at - 3] if isinstance(r[2], int)) == 20  # II-1 12 + II-2 8
    second = totals[1][0]
    assert rows[second - 3][9] == f"=SUM(J{at + 1}:J{second - 1})"  # 2020's rows only
    # every row as tall as its wrapped text: II-1's first rule names files and periods over
    # several lines; a 合计 row shows figures on one line, whatever its formulas
    heights = {n: ws.row_dimensions[n].height for n in range(2, ws.max_row + 1)}
    assert heights[3] >= 3 * 14 and heights[at] == min(heights.values()) < 2 * 14
    res = CliRunner().invoke(main, ["export", "selfcheck", str(top), "-o", str(tmp_path / "x")])
    assert res.exit_code == 2
    inside = top / "2020年" / "I-1 思想政治建设" / "II-1 加强学习" / "自评表.xlsx"
    res = CliRunner().invoke(main, ["export", "selfcheck", str(top / "2020年"), "-o", str(inside)])
    assert res.exit_code == 2 and "不能写在档案文件夹之内" in res.output
    assert not inside.exists()


@pytest.mark.skipif(NODE is None, reason="node 未安装：离线检索脚本无法在测试中运行")
def test_a_query_in_traditional_characters_finds_the_simplified_theme(years_site):
    data = json.loads((years_site / "assets" / "search-index.json").read_text(encoding="utf-8"))
    assert data["t2s"]["學"] == "学" and data["t2s"]["鋒"] == "锋"
    assert "龍" not in data["t2s"]  # only characters the documents hold (no 龙 in them)
    queries = ["學雷鋒進社區", "集中學習"]
    got = _node_search(years_site, queries)
    assert got["tokens"] == [tokens(q) for q in queries] == [["学雷", "雷锋", "锋进", "进社", "社区"],
                                                               ["集中", "中学", "学习"]]
    assert got["results"][0][:2] == ["01：学雷锋进社区.jpg"] * 2
    assert "01：3月集中学习.jpg" in got["results"][1]


def test_a_tree_without_scores_gets_no_total_rows(tmp_path):
    sample = copy_sample(tmp_path / "sample_archive")
    dest = tmp_path / "自评表.xlsx"
    res = CliRunner().invoke(main, ["export", "selfcheck", str(sample), "-o", str(dest)])
    assert res.exit_code == 0 and "指标体系中没有分值" in res.output
    wb = openpyxl.load_workbook(dest)
    cells = [c.value for ws in wb for row in ws.iter_rows(min_row=3) for c in row]
    assert "II-1" in cells and not any("合计" in str(v) or str(v).startswith("=") for v in cells)
