"""The catalogue (卷内文件目录) on the sample archive and on two years: every file, the right dates,
what counts for which rule and period; JSON, text and the printable xlsx; archive-tool catalog."""
from __future__ import annotations

import json
import os
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tool.captions import SIDECAR_EXTS
from archive_tool.cli import main
from archive_tool.export.catalog import doc_number, plain_title, years_label
from archive_tool.export.catalog_render import catalogue_dict
from archive_tool.export.select import parse_years
from archive_tool.errors import UsageError
from archive_tool.layout import is_ignored

from .export_fixtures import copy_sample, make_years, read


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return copy_sample(tmp_path_factory.mktemp("sample") / "sample_archive")


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    return make_years(tmp_path_factory.mktemp("years"))


def _files_on_disk(root) -> set[str]:
    """Every evidence file under root, walked here independently of scan: not ignored, not
    inside .archive/, not a caption sidecar (<image>.jpg.txt)."""
    out = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not is_ignored(d)]
        for name in files:
            stem, ext = os.path.splitext(name)
            if is_ignored(name) or (ext.lower() in SIDECAR_EXTS and "." in stem):
                continue
            out.add(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return out


def test_the_sample_catalogue_lists_every_file_once(sample):
    catalogue, _ = read(sample)
    listed = [e.path for e in catalogue.entries()]
    assert len(listed) == len(set(listed))
    assert set(listed) == _files_on_disk(sample)
    placed = {e.path: e.indicator for e in catalogue.entries()}
    assert placed["I-7 创建活动/01：创建活动汇总.docx"] == "I-7"  # a parent's own folder
    volume = next(v for v in catalogue.volumes if v.indicator == "I-7")
    assert not volume.is_leaf


def test_the_sample_dates_and_their_sources(sample):
    catalogue, _ = read(sample)
    by_name = {e.name: e for e in catalogue.entries()}
    photo = by_name["01：2018年3月清明祭英烈.jpg"]
    assert (photo.date, photo.date_source) == (date(2018, 3, 30), "caption")
    unnamed = by_name["学习强国积分截图.png"]
    assert unnamed.date is None and not unnamed.counted
    assert unnamed.not_counted[0].code == "NAME_FORMAT"
    assert [f.code for f in unnamed.findings] == ["NAME_FORMAT", "CAPTION_MISSING"]


def test_two_years_every_file_with_its_date_source_and_what_it_counts_for(years):
    catalogue, data = read(years)
    assert catalogue.years == ("2019年", "2020年")
    for label in catalogue.years:
        mine = {e.path for e in catalogue.entries() if e.year == label}
        assert mine == _files_on_disk(years / label)
    got = {(e.year, e.name): (e.date, e.date_source) for e in catalogue.entries()}
    for year in (2019, 2020):
        y = f"{year}年"
        assert got[(y, "01：3月集中学习.jpg")] == (date(year, 3, 10), "caption")
        assert got[(y, f"03：{year}年学习制度.docx")] == (date(year, 2, 1), "docx")
        assert got[(y, "04：学习笔记汇编.pdf")] == (date(year, 6, 20), "pdf")
        assert got[(y, f"03:{year}年7月1日 志愿者名单.txt")] == (date(year, 7, 1), "name")
        assert got[(y, "05：损坏的照片.jpg")] == (None, None)
    entry = next(e for e in catalogue.entries()
                 if e.year == "2020年" and e.name == "01：学雷锋进社区.jpg")
    assert entry.responsible == "机关党委"  # the caption's 主办单位
    assert [c.text() for c in entry.counts] == ["要求1（现场照片）2020H1", "要求1（活动材料）全期"]
    pdf = next(e for e in catalogue.entries() if e.name == "04：学习笔记汇编.pdf")
    assert pdf.pages == 2 and pdf.responsible == "曲丽娟"


def test_the_json_follows_its_schema(years):
    catalogue, _ = read(years, years="2020")
    data = json.loads(json.dumps(catalogue_dict(catalogue), ensure_ascii=False))
    assert data["years"] == ["2020年"]
    # 学习笔记汇编.pdf is a record (笔记): it does not count as the document the rule asks for
    assert data["summary"]["files"] == 9 and data["summary"]["counted"] == 7
    first = data["volumes"][0]
    assert (first["indicator"], first["top"], first["leaf"]) == (
        "II-1", {"id": "I-1", "name": "思想政治建设"}, True)
    keys = {"no", "year", "path", "seq", "title", "doc_number", "responsible", "date",
            "date_source", "kind", "kind_label", "pages", "duration", "size", "caption", "counts",
            "not_counted", "findings", "remark"}
    assert all(set(f) == keys for v in data["volumes"] for f in v["files"])
    photo = first["files"][0]
    assert photo["caption"]["organizer"] == "测试市生态环境局"
    assert photo["counts"] == [{"requirement_no": 1, "rule": photo["counts"][0]["rule"],
                                "kind": "photo", "period": "2020Q1"}]


def test_the_xlsx_is_laid_out_for_a4_printing(years, tmp_path):
    dest = tmp_path / "卷内文件目录.xlsx"
    res = CliRunner().invoke(main, ["catalog", str(years), "-o", str(dest)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(dest)
    assert wb.sheetnames == ["I-1 思想政治建设", "I-2 志愿服务"]
    ws = wb["I-1 思想政治建设"]
    assert [c.value for c in ws[3]] == ["序号", "文号", "责任者", "题名", "日期", "页号", "备注"]
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["A4"].value == "II-1 加强学习 · 2019年"
    row = [c.value for c in ws[5]]
    assert row[:5] == [1, None, "测试市生态环境局", "3月集中学习", "2019-03-10"]
    assert ws["D5"].alignment.wrap_text and ws["D5"].border.left.style == "thin"
    assert any(c.value == "共2页" for c in ws["F"])
    # a row is as tall as its wrapped text (Excel and LibreOffice print an unset row at one
    # line): a 备注 of two lines gets two, a file on one line one
    volunteer = openpyxl.load_workbook(dest)["I-2 志愿服务"]
    by_no = {row[0].value: row[0].row for row in volunteer.iter_rows(min_row=5)}
    two, one = (volunteer.row_dimensions[by_no[n]].height for n in (1, 2))
    assert one and two >= 2 * one - 5 and two > one


def test_the_cli_text_json_years_and_indicator(years):
    runner = CliRunner()
    res = runner.invoke(main, ["catalog", str(years), "--years", "2019", "--indicator", "II-3",
                               "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [v["indicator"] for v in data["volumes"]] == ["II-3"]
    assert {f["year"] for f in data["volumes"][0]["files"]} == {"2019年"}
    res = runner.invoke(main, ["catalog", str(years / "2020年")])
    assert res.exit_code == 0 and "2020-06-20（PDF 文档属性中的创建时间）" in res.output
    res = runner.invoke(main, ["catalog", str(years), "--indicator", "II-9"])
    assert res.exit_code == 2 and "没有指标 II-9 的文件" in res.output
    res = runner.invoke(main, ["catalog", str(years), "--years", "2030"])
    assert res.exit_code == 2 and "档案中没有 2030年 的年度（现有：2019年、2020年）" in res.output
    res = runner.invoke(main, ["catalog", str(years), "--years", "2016,2018"])
    assert res.exit_code == 2 and "档案中没有 2016年、2018年 的年度" in res.output
    res = runner.invoke(main, ["catalog", str(years), "--years", "2016-2018"])
    assert res.exit_code == 2 and "档案中没有 2016年—2018年 的年度" in res.output


def test_years_and_document_numbers_are_read():
    assert parse_years("2018-2020") == {2018, 2019, 2020}
    assert parse_years("２０１８年—２０１９年") == {2018, 2019}
    assert parse_years("2018,2020") == {2018, 2020}
    with pytest.raises(UsageError):
        parse_years("去年")
    assert doc_number("01：关于印发创建方案的通知（临环发〔2018〕12号）") == "临环发〔2018〕12号"
    assert doc_number("02：学习制度") == ""


def test_a_span_of_years_is_a_range_only_when_the_years_follow_each_other():
    assert years_label(["2018年", "2019年", "2020年"]) == "2018年—2020年"
    assert years_label(["2018年", "2020年"]) == "2018年、2020年"  # 2019 is not there
    assert years_label(["2019年", "", "2019年"]) == "2019年"
    assert years_label([""]) == ""


def test_the_title_leaves_the_document_number_to_its_own_column():
    number = "临环发〔2018〕12号"
    assert plain_title(f"关于印发创建方案的通知（{number}）", number) == "关于印发创建方案的通知"
    assert plain_title(f"{number} 关于印发创建方案的通知", number) == "关于印发创建方案的通知"
    assert plain_title("学习制度", "") == "学习制度"
    assert plain_title(number, number) == number  # nothing else to call it


def test_a_document_number_is_listed_once_in_the_catalogue(tmp_path):
    root = make_years(tmp_path)
    leaf = root / "2020年" / "I-1 思想政治建设" / "II-1 加强学习"
    (leaf / "05：关于印发学习制度的通知（临环发〔2020〕3号）.txt").write_text("通知", encoding="utf-8")
    for old in (root / "2019年" / "I-2 志愿服务" / "II-3 学雷锋志愿服务").iterdir():
        old.unlink()
    catalogue, _ = read(root)
    entry = next(e for e in catalogue.entries() if e.seq == 5)
    assert (entry.doc_number, entry.title) == ("临环发〔2020〕3号", "关于印发学习制度的通知")
    # a leaf whose files are all of one year says that year, not the archive's span
    volumes = {v.indicator: v.years for v in catalogue.volumes}
    assert volumes["II-1"] == ("2019年", "2020年") and volumes["II-3"] == ("2020年",)
