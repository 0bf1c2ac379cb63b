"""Evidence dates from real files: PDFs written with reportlab and re-dated with pypdf, docx made
with python-docx, photos made with Pillow, in the archive's own time zone."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from archive_tool.captions import write_caption
from archive_tool.captions.dates import find_date_or_month, month_in_window
from archive_tool.config import load_config
from archive_tool.dating import activity_folder_date, camera_datetime
from archive_tool.extract import extract
from archive_tool.extract.dates import first_real, placeholder
from archive_tool.lint import lint
from archive_tool.scan import scan

from ..conftest import new_archive

from .scan_fixtures import docx, jpeg, pdf

UNIT = "测试市生态环境局"
TREE = """
id: dates-2024
title: 日期测试指标
window: {start: 2024-01-01, end: 2024-12-31}
indicators:
  - id: I-1
    name: 思想政治建设
    children:
      - id: II-1
        name: 加强学习
        requirements:
          - text: 组织学习
            rules: [{kind: any, period: quarter}]
"""
BEIJING = timezone(timedelta(hours=8))


def make_archive(tmp_path: Path, extra: str = "") -> Path:
    root = new_archive(tmp_path, TREE, unit=UNIT, config=extra)
    return root


def study(root: Path) -> Path:
    return root / "I-1 思想政治建设" / "II-1 加强学习"


def dated_pdf(path: Path, creation: str) -> Path:
    """A reportlab PDF whose /CreationDate pypdf then sets to ``creation``."""
    pdf(path)
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.add_metadata({"/CreationDate": creation, "/ModDate": creation})
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


def records(root: Path) -> dict:
    return {ev.name: ev for ev in scan(root).evidence}


# ---- PDF and docx dates in the unit's time zone ---------------------------------------------
def test_a_pdf_made_at_midnight_beijing_time_is_dated_that_day(tmp_path):
    root = make_archive(tmp_path)
    dated_pdf(study(root) / "01：学习材料.pdf", "D:20240822000000+08'00'")
    dated_pdf(study(root) / "02：学习通知.pdf", "D:20240822003000")  # no offset: local
    assert PdfReader(study(root) / "01：学习材料.pdf").metadata["/CreationDate"] == \
        "D:20240822000000+08'00'"
    evs = records(root)
    assert (evs["01：学习材料.pdf"].date, evs["01：学习材料.pdf"].date_source) == \
        (date(2024, 8, 22), "pdf")
    assert evs["02：学习通知.pdf"].date == date(2024, 8, 22)


def test_the_archive_time_zone_decides_the_calendar_day(tmp_path):
    root = make_archive(tmp_path, "timezone: Europe/London\n")
    assert load_config(root).timezone == "Europe/London"
    dated_pdf(study(root) / "01：学习材料.pdf", "D:20240822000000+08'00'")
    assert records(root)["01：学习材料.pdf"].date == date(2024, 8, 21)  # 17:00 in London


def test_a_docx_saved_just_after_midnight_beijing_time_is_dated_that_day(tmp_path):
    root = make_archive(tmp_path)
    # python-docx writes core properties as UTC: 2024-03-31T20:00:00Z is 04:00 on 1 April
    path = docx(study(root) / "01：学习记录.docx", footer="01：学习记录",
                created=datetime(2024, 3, 31, 20, 0))
    assert "2024-03-31T20:00:00Z" in _core_xml(path)
    docx(study(root) / "02：学习心得.docx", footer="02：学习心得",
         created=datetime(2024, 3, 31, 16, 0, 30))  # 00:00:30 on 1 April
    evs = records(root)
    assert (evs["01：学习记录.docx"].date, evs["01：学习记录.docx"].date_source) == \
        (date(2024, 4, 1), "docx")
    assert evs["02：学习心得.docx"].date == date(2024, 4, 1)


def _core_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read("docProps/core.xml").decode("utf-8")


def test_python_docx_default_date_is_ignored_and_a_month_only_theme_dates_the_file(tmp_path):
    root = make_archive(tmp_path)
    made = docx(study(root) / "03：3月集中学习记录.docx", footer="03：3月集中学习记录")
    undated = docx(study(root) / "04：学习心得体会.docx", footer="04：学习心得体会")
    assert "2013-12-23T23:15:00Z" in _core_xml(made)  # python-docx's template date
    assert extract(made).created is None and extract(undated).created is None
    evs = records(root)
    assert (evs["03：3月集中学习记录.docx"].date,
            evs["03：3月集中学习记录.docx"].date_source) == (date(2024, 3, 1), "name")
    assert (evs["04：学习心得体会.docx"].date, evs["04：学习心得体会.docx"].date_source) == \
        (None, None)


def test_template_dates_and_epochs_are_no_dates():
    utc = timezone.utc
    assert placeholder(datetime(2013, 12, 23, 23, 15, tzinfo=utc)) == "python-docx 模板"
    assert placeholder(datetime(2006, 9, 16, tzinfo=utc)) == "Excel/WPS 表格模板"
    assert placeholder(datetime(2015, 6, 5, 18, 19, 34, tzinfo=utc)) == "Excel/WPS 表格模板"
    for epoch in (datetime(1970, 1, 1, 8, tzinfo=BEIJING), datetime(1980, 1, 1),
                  datetime(1601, 1, 1, tzinfo=utc), datetime(1899, 12, 30),
                  datetime(1904, 1, 1), datetime(1, 1, 1, tzinfo=BEIJING)):
        assert placeholder(epoch) == "纪元", epoch
    assert placeholder(datetime(2000, 1, 1, tzinfo=utc)) == "默认日期"  # reportlab invariant
    for real in (datetime(2013, 12, 23, 10, 0, tzinfo=utc), datetime(2000, 1, 1, 9, 30),
                 datetime(2024, 4, 1, 4, 0, tzinfo=BEIJING), datetime(1981, 1, 1)):
        assert placeholder(real) is None, real
    modified = datetime(2024, 5, 6, 1, 2, tzinfo=utc)
    assert first_real(datetime(2013, 12, 23, 23, 15, tzinfo=utc), modified) == modified
    assert first_real(None, datetime(1970, 1, 1)) is None


def test_a_pdf_with_a_reproducible_build_date_falls_back_to_its_name(tmp_path):
    root = make_archive(tmp_path)
    dated_pdf(study(root) / "01：2024年5月学习材料.pdf", "D:20000101000000+00'00'")
    dated_pdf(study(root) / "02：学习材料.pdf", "D:19700101000000Z")
    evs = records(root)
    assert evs["01：2024年5月学习材料.pdf"].date_source == "name"
    assert (evs["02：学习材料.pdf"].date, evs["02：学习材料.pdf"].date_source) == (None, None)


# ---- names without a year, camera names -----------------------------------------------------
WINDOW = (date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize("theme, expected", [
    ("3月集中学习记录", date(2024, 3, 1)),
    ("十二月支部会议", date(2024, 12, 1)),
    ("12月份工作总结", date(2024, 12, 1)),
    ("3月5日学雷锋", date(2024, 3, 5)),
    ("2023年3月集中学习", date(2023, 3, 1)),    # a year given is kept, even outside the window
    ("3个月专项整治", None), ("第3月", None), ("每3月一次", None), ("1-3月工作总结", None),
    ("2018.3版制度汇编", None), ("学习会", None),
])
def test_a_month_without_a_year_takes_the_window_year(theme, expected):
    assert find_date_or_month(theme, WINDOW) == expected


def test_a_month_in_two_years_of_the_window_is_no_date():
    assert month_in_window(3, (date(2023, 1, 1), date(2024, 12, 31))) is None
    assert month_in_window(2, (date(2024, 2, 15), date(2024, 12, 31))) == date(2024, 2, 15)
    assert find_date_or_month("3月学习", (date(2023, 1, 1), date(2024, 12, 31))) is None


@pytest.mark.parametrize("stem, expected", [
    ("IMG_20240712_093015", datetime(2024, 7, 12, 9, 30, 15)),
    ("VID_20240712_093015", datetime(2024, 7, 12, 9, 30, 15)),
    ("微信图片_20240605101122", datetime(2024, 6, 5, 10, 11, 22)),
    ("Screenshot_2024-07-12-09-30-15-123_com.tencent.mm", datetime(2024, 7, 12, 9, 30, 15)),
    ("Screenshot_20240712_093015_com.tencent.mm", datetime(2024, 7, 12, 9, 30, 15)),
    ("屏幕截图 2024-07-12 093015", datetime(2024, 7, 12, 9, 30, 15)),
    ("IMG20240712093015", datetime(2024, 7, 12, 9, 30, 15)),
    ("PXL_20240712_093015123", datetime(2024, 7, 12)),
    ("20240712_093015", datetime(2024, 7, 12, 9, 30, 15)),
    ("QQ图片20240605101122", datetime(2024, 6, 5, 10, 11, 22)),
    ("mmexport1718000000000", datetime(2024, 6, 10, 6, 13, 20, tzinfo=timezone.utc)),
    ("IMG_1234", None), ("DSC_0012", None), ("IMG_20241399_093015", None), ("学雷锋", None),
])
def test_camera_and_phone_names(stem, expected):
    assert camera_datetime(stem) == expected


def test_camera_named_files_are_dated_by_their_name_when_nothing_better_does(tmp_path):
    root = make_archive(tmp_path)
    folder = study(root)
    jpeg(folder / "IMG_20240712_093015.jpg")
    jpeg(folder / "微信图片_20240605101122.jpg")
    jpeg(folder / "Screenshot_20240712-093015.png".replace(".png", ".jpg"))
    (folder / "VID_20240712_093015.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    jpeg(folder / "05：IMG_20240301_080000.jpg", exif_date=date(2024, 2, 28))  # EXIF first
    write_caption(jpeg(folder / "06：IMG_20240301_080000.jpg"), date(2024, 3, 5), UNIT, "学雷锋")
    evs = records(root)
    expected = {"IMG_20240712_093015.jpg": (date(2024, 7, 12), "camera"),
                "微信图片_20240605101122.jpg": (date(2024, 6, 5), "camera"),
                "Screenshot_20240712-093015.jpg": (date(2024, 7, 12), "camera"),
                "VID_20240712_093015.mp4": (date(2024, 7, 12), "camera"),
                "05：IMG_20240301_080000.jpg": (date(2024, 2, 28), "exif"),
                "06：IMG_20240301_080000.jpg": (date(2024, 3, 5), "caption")}
    assert {name: (ev.date, ev.date_source) for name, ev in evs.items()} == expected
    # a WeChat export: milliseconds since 1970, UTC; 23:30 UTC is the next day in Beijing
    stamp = int(datetime(2024, 6, 9, 23, 30, tzinfo=timezone.utc).timestamp() * 1000)
    jpeg(folder / f"mmexport{stamp}.jpg")
    assert records(root)[f"mmexport{stamp}.jpg"].date == date(2024, 6, 10)


# ---- activity folders -----------------------------------------------------------------------
@pytest.mark.parametrize("name, expected", [
    ("2024-03 学雷锋", (True, date(2024, 3, 1))),
    ("2024-03-05 学雷锋", (True, date(2024, 3, 5))),
    ("2024年3月5日学雷锋", (True, date(2024, 3, 5))),
    ("20240305 学雷锋", (True, date(2024, 3, 5))),
    ("3月 学雷锋", (True, date(2024, 3, 1))),
    ("杂项", (False, None)), ("2024 学雷锋", (False, None)), ("01：学雷锋", (False, None)),
])
def test_activity_folder_names(name, expected):
    assert activity_folder_date(name, WINDOW) == expected


def test_an_activity_folder_inside_a_leaf_is_allowed_and_dates_its_files(tmp_path):
    root = make_archive(tmp_path)
    activity = study(root) / "2024-03 学雷锋"
    activity.mkdir()
    docx(activity / "01：活动记录.docx", footer="01：活动记录")       # python-docx: no date
    write_caption(jpeg(activity / "02：学雷锋.jpg"), date(2024, 3, 5), UNIT, "学雷锋")
    (study(root) / "杂项").mkdir()
    docx(study(root) / "杂项" / "01：杂项.docx", footer="01：杂项")
    result = scan(root)
    evs = {ev.name: ev for ev in result.evidence}
    record = evs["01：活动记录.docx"]
    assert (record.indicator_id, record.in_leaf, record.unknown_dirs) == ("II-1", True, ())
    assert record.activity.endswith("II-1 加强学习/2024-03 学雷锋")
    assert (record.date, record.date_source) == (date(2024, 3, 1), "folder")
    assert evs["02：学雷锋.jpg"].date_source == "caption"
    findings = lint(result).findings
    assert [(f.rule, f.path.rsplit("/", 1)[-1]) for f in findings] == \
        [("PLACE_UNKNOWN_DIR", "杂项")]
    assert "以活动日期开头的子文件夹" in findings[0].fix
