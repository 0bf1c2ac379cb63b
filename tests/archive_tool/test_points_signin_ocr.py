"""Scanned and photographed sign-in sheets read by the real OCR (the ocr extra): typed names in a
ruled grid, one photographed (tilted, noisy, JPEG), one scanned into an image-only PDF; the
signatures and departments found, an unknown name and a smudged one reported, each page read
once ever (a page stored before boxes were kept is read again once). OCR costs seconds a page:
three small pages in all."""
from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from archive_tool import ocr_run
from archive_tool.cli import main
from archive_tool.extract import ocr
from archive_tool.points import load_points
from archive_tool.points.ledger import collect
from archive_tool.points.signin import read_signin
from archive_tool.scan import scan
from archive_tool.store import Store

from .points_fixtures import leaf, points_archive
from .scan_pages import jpeg_bytes, scanned_pdf
from .signin_pages import photographed, sheet_image, smudge

pytestmark = pytest.mark.skipif(not ocr.available(),
                                reason="the ocr extra is not installed (pip install '.[ocr]')")
PHOTO = "03：4月学雷锋志愿服务签到表.jpg"
SCAN = "05：五四青年节签到表.pdf"


@pytest.fixture
def sheets(tmp_path):
    """A photographed sheet (张三丰 is on no roster, 徐震's name is smudged) and a scanned one
    (names written at the left of their cells, another face; 郭富永 without a department)."""
    root = points_archive(tmp_path)
    photo = sheet_image("4月学雷锋志愿服务", "2018年4月14日",
                        [("王峰", "办公室"), ("刘妍", "办公室"), ("秦增诗", "人事科"),
                         ("张三丰", "大气科"), ("徐震", "办公室")])
    smudge(photo, 5, 1, radius=4.5)  # too faint to be read
    (leaf(root, "II-8") / PHOTO).write_bytes(jpeg_bytes(photographed(photo, tilt=1.5), 35))
    paper = sheet_image("五四青年节", "2018年5月4日",
                        [("刘巍", "大气科"), ("杨燕", "机关党委"), ("曲丽娟", "机关党委"),
                         ("郭富永", "")], left_align=True, face_index=1)
    scanned_pdf(leaf(root, "II-4") / SCAN, [photographed(paper, tilt=-0.8, seed=2)])
    return root


@pytest.fixture
def pages_read(monkeypatch):
    """The pages the OCR worker is asked to read (the real worker does the reading)."""
    asked: list[str] = []
    real = ocr_run.Worker.page

    def page(self, path, ext, index, seconds):
        asked.append(f"{path.rsplit('/', 1)[-1]}#{index}")
        return real(self, path, ext, index, seconds)

    monkeypatch.setattr(ocr_run.Worker, "page", page)
    return asked


def ledger(root):
    return collect(load_points(root), scan(root).evidence)


def by_name(root, name):
    return next(ev for ev in scan(root).evidence if ev.name == name)


def test_signatures_and_departments_are_read_from_scans_each_page_once(sheets, pages_read):
    res = CliRunner().invoke(main, ["index", str(sheets), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert sorted(pages_read) == [f"{PHOTO}#0", f"{SCAN}#0"]  # index keeps the boxes
    scanned = read_signin(sheets, by_name(sheets, SCAN))
    assert [(s.name, s.department) for s in scanned.signatures] == [
        ("刘巍", "大气科"), ("杨燕", "机关党委"), ("曲丽娟", "机关党委"), ("郭富永", "")]
    assert (scanned.theme, scanned.date, scanned.read_by) == ("五四青年节", date(2018, 5, 4), "ocr")

    led = ledger(sheets)
    assert len(pages_read) == 2  # the points read no page again
    counted = sorted((e.person, e.department, float(e.points)) for e in led.entries)
    assert counted == [("刘妍", "办公室", 0.5), ("刘巍", "大气科", 0.5), ("曲丽娟", "机关党委", 0.5),
                       ("杨燕", "机关党委", 0.5), ("王峰", "办公室", 0.5), ("秦增诗", "人事科", 0.5),
                       ("郭富永", "大气科", 0.5)]
    assert {(e.date, e.activity) for e in led.entries} == {
        (date(2018, 4, 14), "4月学雷锋志愿服务"), (date(2018, 5, 4), "五四青年节")}
    assert {(e.source, e.recorded_by, e.note) for e in led.entries} == {
        ("signin_ocr", "签到表（文字识别）", "")}
    issues = sorted((i.rule, i.path.rsplit("/", 1)[-1], i.message) for i in led.issues)
    assert [(rule, path) for rule, path, _ in issues] == [("NAME_NOT_ON_ROSTER", PHOTO),
                                                          ("SHEET_OCR_UNSURE", PHOTO)]
    assert "「张三丰」不在人员名册中（扫描件第 1 页 第 5 行）" in issues[0][2]
    assert "第 6 行写了单位「办公室」，姓名没能识别出来，未计分" in issues[1][2]  # 徐震, smudged

    res = CliRunner().invoke(main, ["points", "list", str(sheets), "--year", "2018", "--format",
                                    "json"])
    sources = {e["source"] for e in json.loads(res.stdout)["entries"]}
    assert sources == {"signin_ocr"}


    # a page stored before boxes were kept serves search as it is; the points read it again once
    photo = by_name(sheets, PHOTO).content_hash
    with Store(sheets / ".archive") as store:
        ((key, page),) = store.content_of(photo, ocr.PAGE_KEY).items()
        store.put_content([(photo, key, {k: v for k, v in page.items()
                                         if k not in ("boxes", "size")})])
    pages_read.clear()
    assert by_name(sheets, PHOTO).ocr.status == ocr.DONE and not pages_read
    assert ledger(sheets).entries == led.entries and pages_read == [f"{PHOTO}#0"]
    assert ledger(sheets).entries == led.entries and pages_read == [f"{PHOTO}#0"]
