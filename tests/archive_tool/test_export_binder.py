"""Binders read back with pypdf: the pages and outline entries the catalogue says, page numbers,
captions under photos (and on a PNG rendered by pdftoppm), files that cannot be converted listed
as 无法转换, level-I PDFs, index labels; LibreOffice conversions where soffice is installed."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from archive_tool.cli import main
from archive_tool.export.binder import build_binders, layout, top_path, volume_path, write_labels
from archive_tool.export.catalog import Entry, Reason
from archive_tool.export.convert import NO_SOFFICE, Piece, _one, find_soffice
from archive_tool.export.pages import CAPTION_LINES, CAPTION_SIZE, PhotoSlot, caption_block

from .export_fixtures import copy_sample, make_years, read


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    return make_years(tmp_path_factory.mktemp("years"))


@pytest.fixture(scope="module")
def bound(years, tmp_path_factory):
    """Both years bound without LibreOffice (text renderings)."""
    catalogue, _ = read(years)
    dest = tmp_path_factory.mktemp("binders")
    return catalogue, build_binders(catalogue, dest, soffice=None), dest


def _outline(reader: PdfReader, items=None, depth=0):
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out[-1] = (*out[-1], _outline(reader, item, depth + 1))
        else:
            out.append((item.title, reader.get_destination_page_number(item)))
    return out


def test_a_leaf_binder_has_the_pages_and_outline_the_catalogue_says(bound):
    catalogue, result, dest = bound
    volume = next(v for v in catalogue.volumes if v.indicator == "II-1")
    reader = PdfReader(volume_path(dest, volume))
    # 2019 and 2020: 2 photos (one page), a docx as text (1 page), a 2-page PDF
    assert len(reader.pages) == 2 + 2 * (1 + 1 + 2)
    expected = [("封面", 0), ("卷内目录", 1)]
    for e in volume.entries:
        first, _ = result.pages[(e.year, e.path)]
        expected.append((f"{e.year} {e.name}", 1 + first))
    assert _outline(reader) == expected
    assert result.pages[("2019年", volume.entries[3].path)] == (3, 4)  # the PDF after photos
    contents = reader.pages[1].extract_text()
    assert "卷内目录" in contents and "2019年" in contents and "3-4" in contents
    assert "学习笔记汇编" in contents
    assert "第 1 页" in reader.pages[2].extract_text()
    assert "学习笔记汇编 第2页" in reader.pages[5].extract_text()
    assert "第 4 页" in reader.pages[5].extract_text()


def test_photos_are_two_to_a_page_with_their_caption(bound):
    catalogue, result, dest = bound
    volume = next(v for v in catalogue.volumes if v.indicator == "II-1")
    page = PdfReader(volume_path(dest, volume)).pages[2]
    text = page.extract_text()
    assert "活动时间：2019-03-10" in text and "活动时间：2019-05-10" in text
    assert "主办单位：测试市生态环境局" in text and "活动主题：3月集中学习" in text
    assert len(page.images) == 2


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) 未安装")
def test_a_photo_page_renders_to_png_and_its_caption_is_in_the_text_layer(bound, tmp_path):
    from PIL import Image

    catalogue, _, dest = bound
    volume = next(v for v in catalogue.volumes if v.indicator == "II-3")
    pdf = volume_path(dest, volume)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "3", "-l", "3", str(pdf),
                    str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    with Image.open(png) as img:
        assert img.size[0] > 300 and img.convert("L").getextrema()[0] < 200  # not blank
    text = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "活动主题：学雷锋进社区" in text and "主办单位：机关党委" in text


def test_a_file_that_cannot_be_converted_is_listed_and_the_export_goes_on(bound):
    catalogue, result, dest = bound
    failed = sorted((e.year, e.name) for e, _ in result.failures)
    assert failed == [("2019年", "05：损坏的照片.jpg"), ("2020年", "05：损坏的照片.jpg")]
    volume = next(v for v in catalogue.volumes if v.indicator == "II-3")
    reader = PdfReader(volume_path(dest, volume))
    assert "无法转换" in reader.pages[1].extract_text()
    titles = [t for t, _ in _outline(reader)]
    assert "2019年 05：损坏的照片.jpg" not in titles and "2019年 01：学雷锋进社区.jpg" in titles
    assert "未安装 LibreOffice，按文字内容排版" in "".join(p.extract_text() for p in reader.pages)


def test_level_one_pdfs_join_their_leaves_and_labels_name_every_binder(bound):
    catalogue, result, dest = bound
    reader = PdfReader(top_path(dest, ("I-1", "思想政治建设")))
    leaf = PdfReader(volume_path(dest, next(v for v in catalogue.volumes
                                            if v.indicator == "II-1")))
    assert len(reader.pages) == len(leaf.pages)  # II-2 asks for nothing and has no files
    outline = _outline(reader)
    assert outline[0][:2] == ("II-1 加强学习", 0) and outline[0][2][0] == ("封面", 0)
    labels = PdfReader(dest / "索引标签.pdf").pages[0].extract_text()
    for text in ("I-1", "思想政治建设", "II-3", "学雷锋志愿服务", "2019年—2020年"):
        assert text in labels


def test_the_cli_writes_binders_for_the_years_asked(years, tmp_path, monkeypatch):
    monkeypatch.setattr("archive_tool.export.convert.find_soffice", lambda: None)
    out = tmp_path / "卷宗"
    res = CliRunner().invoke(main, ["export", "binder", str(years), "-o", str(out),
                                    "--years", "2020", "--indicator", "II-1"])
    assert res.exit_code == 0, res.output
    # said once, with how many office files were laid out as text (II-1 holds one docx)
    assert "1 个 Word、Excel、WPS 文件按文字内容排版" in res.output
    assert not (out / "I-1 思想政治建设.pdf").exists()  # one leaf asked: no level-I volume
    reader = PdfReader(out / "I-1 思想政治建设" / "II-1 加强学习.pdf")
    assert len(reader.pages) == 2 + 4 and "2019" not in reader.pages[1].extract_text()
    import openpyxl
    ws = openpyxl.load_workbook(out / "卷内目录.xlsx").active
    assert [c.value for c in ws[5]][5] == "1"  # 页号 from the binder
    res = CliRunner().invoke(main, ["export", "binder", str(years), "-o", str(years / "x")])
    assert res.exit_code == 2 and "在档案内" in res.output


def test_the_sample_binds_with_its_unreadable_files_listed(tmp_path):
    sample = copy_sample(tmp_path / "sample_archive")
    catalogue, _ = read(sample)
    result = build_binders(catalogue, tmp_path / "out", soffice=None)
    failed = {e.name for e, _ in result.failures}
    assert failed == {"02：安全教育培训.doc", "01：创建专栏照片.jpg"}
    assert {e.name for e in result.unbound} == {"01：创建活动汇总.docx", "01：业务培训.jpg"}
    bound = sum(len(v.entries) for v in catalogue.volumes if v.is_leaf)
    assert len(result.remarks) == bound


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice（soffice）未安装")
def test_libreoffice_converts_word_and_excel_files(years, tmp_path):
    catalogue, _ = read(years, years="2020")
    catalogue = catalogue.select(indicator="II-3")
    result = build_binders(catalogue, tmp_path, soffice=find_soffice())
    volume = catalogue.volumes[0]
    reader = PdfReader(volume_path(tmp_path, volume))
    sheet = next(e for e in volume.entries if e.ext == ".xlsx")
    first, last = result.pages[(sheet.year, sheet.path)]
    text = reader.pages[1 + first].extract_text()
    assert "张三" in text and "未安装 LibreOffice" not in text
    assert [e.name for e, _ in result.failures] == ["05：损坏的照片.jpg"]


def _photo(year: str, name: str) -> Piece:
    entry = Entry(year=year, path=f"I-1/II-1/{name}", indicator="II-1", kind="photo", title=name)
    return Piece(entry, photo=PhotoSlot(b"", (4, 3), ()))


def test_a_photo_of_another_year_starts_a_new_photo_page():
    plan = layout([_photo("2019年", "01.jpg"), _photo("2020年", "01.jpg"),
                   _photo("2020年", "02.jpg")])
    assert plan.pages == {("2019年", "I-1/II-1/01.jpg"): (1, 1),
                          ("2020年", "I-1/II-1/01.jpg"): (2, 2),
                          ("2020年", "I-1/II-1/02.jpg"): (2, 2)}
    assert plan.count == 2


def test_page_labels_match_the_stamped_page_numbers_and_outlines_open(bound):
    catalogue, _, dest = bound
    volume = next(v for v in catalogue.volumes if v.indicator == "II-1")
    reader = PdfReader(volume_path(dest, volume))
    assert reader.page_labels[:4] == ["封面", "目录1", "1", "2"]
    assert reader.page_labels[-1] == str(len(reader.pages) - 2)
    assert reader.page_mode == "/UseOutlines"
    joined = PdfReader(top_path(dest, ("I-1", "思想政治建设")))
    assert joined.page_labels[:3] == ["II-1 封面", "II-1 目录1", "II-1 1"]
    assert joined.page_mode == "/UseOutlines"


def test_the_remark_says_text_rendering_only_for_office_files(bound):
    catalogue, result, _ = bound
    remarks = {(y, path.rsplit("/", 1)[-1]): text for (y, path), text in result.remarks.items()}
    assert remarks[("2020年", "03：2020年学习制度.docx")] == NO_SOFFICE
    assert remarks[("2020年", "03:2020年7月1日 志愿者名单.txt")] == ""  # a text file is itself
    assert result.office == 4  # a docx and an xlsx in each year


def test_a_file_libreoffice_cannot_convert_says_what_the_scan_found(tmp_path):
    broken = tmp_path / "01：制度.docx"
    broken.write_bytes(b"PK not a zip")
    entry = Entry(year="", path="I-1/II-1/01：制度.docx", indicator="II-1", kind="document",
                  title="制度", source=broken,
                  findings=(Reason("FILE_UNREADABLE", "文件已损坏或不完整"),))
    assert _one(entry, {}, "soffice").failure == "无法转换（文件已损坏或不完整）"
    plain = Entry(year="", path="I-1/II-1/02：方案.docx", indicator="II-1", kind="document",
                  title="方案", source=broken)
    assert _one(plain, {}, "soffice").failure == "无法转换（LibreOffice 未能转换此文件）"


def test_a_long_caption_wraps_to_the_page_and_is_cut_at_its_last_line():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from archive_tool.export.fonts import cjk_font

    font, width = cjk_font(), 400.0
    long = "活动主题：" + "学习贯彻党的二十大精神暨文明单位创建推进会" * 3
    lines = caption_block(("活动时间：2020-03-05", long), font, width)
    assert lines[0] == "活动时间：2020-03-05" and len(lines) > 2
    assert all(stringWidth(line, font, CAPTION_SIZE) <= width for line in lines)
    assert "".join(lines[1:]) == long
    many = caption_block((long * 4,), font, width)
    assert len(many) == CAPTION_LINES and many[-1].endswith("…")


def test_labels_and_covers_say_the_years_each_binder_holds(tmp_path):
    root = make_years(tmp_path / "a")
    for old in (root / "2019年" / "I-2 志愿服务" / "II-3 学雷锋志愿服务").iterdir():
        old.unlink()
    catalogue, _ = read(root)
    dest = tmp_path / "out"
    text = PdfReader(write_labels(catalogue, dest)).pages[0].extract_text()
    assert text.count("2019年—2020年") == 2  # I-1 and II-1; I-2 and II-3 hold 2020 only
    assert text.count("2020年") == 4
    result = build_binders(catalogue.select(indicator="II-3"), dest, soffice=None)
    cover = PdfReader(result.written[0]).pages[0].extract_text()
    assert "年度：2020年" in cover and "2019" not in cover


def test_the_progress_bar_moves_as_far_as_a_step_reports(monkeypatch):
    """The binder reports once per leaf (done = files bound so far), not once per file."""
    import io
    import sys

    from archive_tool.cli import progress_callback

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    update = progress_callback("装订")
    update(4, 10, "II-1 加强学习")
    update(9, 10, "II-3 学雷锋志愿服务")
    assert "9/10" in screen.getvalue() and "2/10" not in screen.getvalue()
    update(10, 10, "II-5")
    assert "10/10" in screen.getvalue()
