"""A sign-in table rebuilt from OCR boxes, without running OCR: pages of boxes laid out as a
photographed sheet leaves them (tilted either way, rows of uneven height, names written at the
left of a cell, two cells read as one box, a label read apart from its value, a table running
onto a second page), and what the points make of low recognition scores."""
from __future__ import annotations

import math
from datetime import date

import pytest
from PIL import Image

from archive_tool.extract import ocr
from archive_tool.extract.ocr_layout import page_boxes, tilt
from archive_tool.points import load_points
from archive_tool.points.ledger import collect
from archive_tool.points.signin import SCAN_READERS, parse_blocks
from archive_tool.points.signin_ocr import sheet_blocks, stored_pages
from archive_tool.scan import scan
from archive_tool.store import Store

from .points_fixtures import leaf, points_archive

#: the centres of the columns 序号, 姓名, 单位（部门）, 职务, 签名 on the paper
CENTRES = (140, 300, 580, 840, 1030)
HEIGHTS = (60, 92, 58, 110, 66, 75)  # rows of uneven height, header first


def page(cells, degrees: float = 0.0) -> dict:
    """A stored page whose boxes are ``cells`` (text, left, top, score) on the paper, 34 px a
    character and 40 px high, turned by ``degrees`` (positive: lines run down to the right)."""
    turn = math.radians(degrees)
    cos, sin = math.cos(turn), math.sin(turn)
    boxes = []
    for text, left, top, score in cells:
        width = 34 * len(text)
        corners = [(left, top), (left + width, top), (left + width, top + 40), (left, top + 40)]
        boxes.append([text, [v for x, y in corners for v in (x * cos - y * sin, x * sin + y * cos)],
                      score])
    return {"lines": [c[0] for c in cells], "pages": 1, "boxes": boxes, "size": [1240, 1754]}


def centred(text: str, col: int, top: float, score: float = 0.99):
    return (text, CENTRES[col] - 17 * len(text), top, score)


def grid(rows, *, left_dept: bool = False, start: float = 320):
    """The header and ``rows`` (姓名, 单位) as boxes, each row's text at its own height."""
    cells = [centred(h, c, start + 10) for c, h in enumerate(("序号", "姓名", "单位（部门）",
                                                              "职务", "签名"))]
    top = start + HEIGHTS[0]
    for number, (name, dept) in enumerate(rows, 1):
        height = HEIGHTS[number % len(HEIGHTS)]
        middle = top + (height - 40) / 2 + (6 if number % 2 else -5)  # not quite centred
        cells.append(centred(str(number), 0, middle))
        cells.append(centred(name, 1, middle))
        if dept:
            cells.append((dept, 445, middle, 0.99) if left_dept else centred(dept, 2, middle))
        top += height
    return cells


TOP = [("4月学雷锋志愿服务签到表", 400, 60, 0.99), ("活动主题4月学雷锋志愿服务", 100, 150, 0.98),
       ("时间：", 100, 220, 0.99), ("2018年4月14日", 210, 220, 0.99)]
ROWS = [("王峰", "办公室"), ("刘妍", ""), ("秦增诗", "人事科"), ("刘巍", "大气科"),
        ("机关党委全体", ""), ("郭富永", "大气科")]


@pytest.mark.parametrize("degrees", [-4.0, 0.0, 2.5])
def test_a_tilted_grid_with_uneven_rows_gives_its_rows_and_lines(degrees):
    blocks = sheet_blocks([page(TOP + grid(ROWS, left_dept=True), degrees)])
    values, signatures, whole = parse_blocks(blocks)
    assert values == {"theme": "4月学雷锋志愿服务", "date": "2018年4月14日"}
    assert [(s.name, s.department, s.where) for s in signatures] == [
        ("王峰", "办公室", "扫描件第 1 页 第 2 行"), ("刘妍", "", "扫描件第 1 页 第 3 行"),
        ("秦增诗", "人事科", "扫描件第 1 页 第 4 行"), ("刘巍", "大气科", "扫描件第 1 页 第 5 行"),
        ("郭富永", "大气科", "扫描件第 1 页 第 7 行")]
    assert whole == ["机关党委"]
    assert abs(tilt([[(x, y) for x, y in zip(b[1][::2], b[1][1::2])]
                     for b in page(TOP, degrees)["boxes"]]) - math.radians(degrees)) < 1e-6


def test_two_cells_read_as_one_box_are_cut_apart():
    cells = [("|序号姓名", 106, 330, 0.99), centred("单位（部门）", 2, 330)]  # a grid line read as |
    cells += [centred("1", 0, 400), ("刘巍　　　　大气科", 255, 400, 0.97),  # across two cells
              centred("2", 0, 470), centred("杨燕|", 1, 470), centred("机关党委", 2, 470)]
    values, signatures, _ = parse_blocks(sheet_blocks([page(cells, 1.0)]))
    assert [(s.name, s.department, s.score) for s in signatures] == [
        ("刘巍", "大气科", 0.97), ("杨燕", "机关党委", 0.99)]


def test_a_table_goes_on_onto_a_page_without_a_header():
    first = page(TOP + grid(ROWS[:2]))
    second = page([centred("3", 0, 80), centred("徐震", 1, 80), centred("办公室", 2, 80),
                   ("整体参加：人事科", 100, 400, 0.99)], -1.5)
    values, signatures, whole = parse_blocks(sheet_blocks([first, second]))
    assert [(s.name, s.department, s.where) for s in signatures][-1] == (
        "徐震", "办公室", "扫描件第 2 页 第 2 行")
    assert whole == ["人事科"]


def test_low_scores_and_unread_names_are_reported_not_counted(tmp_path, monkeypatch):
    root = points_archive(tmp_path)
    Image.new("RGB", (60, 40), "white").save(leaf(root, "II-8") / "01：学雷锋签到表.jpg")
    rows = grid([("王峰", "办公室"), ("王锋", "办公室"), ("", "人事科"), ("刘巍", "大气科")])
    rows = [(t, x, y, 0.62) if t == "王锋" else (t, x, y, s) for t, x, y, s in rows]
    blocks = sheet_blocks([page(TOP + rows, 1.0)])
    monkeypatch.setitem(SCAN_READERS, ".jpg", lambda archive, ev: blocks)
    led = collect(load_points(root), scan(root).evidence)
    assert sorted((e.person, e.source) for e in led.entries) == [("刘巍", "signin_ocr"),
                                                                ("王峰", "signin_ocr")]
    assert {e.date for e in led.entries} == {date(2018, 4, 14)}
    assert sorted((i.rule, i.message) for i in led.issues) == [
        ("SHEET_OCR_UNSURE", "「王锋」是文字识别把握不大的结果（可信度 0.62，扫描件第 1 页 第 3 行），未计分"),
        ("SHEET_OCR_UNSURE", "扫描件第 1 页 第 4 行写了单位「人事科」，姓名没能识别出来，未计分")]
    assert all(i.severity == "error" for i in led.issues)


def test_pages_stored_without_boxes_are_not_enough_for_a_table(tmp_path):
    (tmp_path / ".archive").mkdir()
    with Store(tmp_path / ".archive") as store:
        old = {"lines": ["姓名"], "pages": 2, "seconds": 2.1}  # stored before boxes were kept
        new = page(grid(ROWS[:1]))
        new["pages"] = 2
        store.put_content([("h1", f"{ocr.PAGE_KEY}0000", new), ("h1", f"{ocr.PAGE_KEY}0001", old)])
        assert stored_pages(store, "h1", 20) == (None, 2)
        assert stored_pages(store, "h1", 1) == ([new], 2)  # the page limit reads only the first
        assert stored_pages(store, "h2", 20) == (None, None)
    assert not ocr.has_boxes(old) and ocr.has_boxes(new) and page_boxes(old) == []


def cache(root, name: str, rows: list[tuple[str, dict]]) -> None:
    """Store content-cache rows (key suffix, value) for the file ``name`` as OCR would."""
    ev = next(ev for ev in scan(root).evidence if ev.name == name)
    with Store(root / ".archive") as store:
        store.put_content([(ev.content_hash, key, value) for key, value in rows])


@pytest.fixture
def no_worker(monkeypatch):
    """Fails the test if the OCR worker is asked for a page: the cache must be enough."""
    from archive_tool import ocr_run

    def page(*args, **kwargs):
        raise AssertionError("the OCR worker was asked to read a page")

    monkeypatch.setattr(ocr_run.Worker, "page", page)


@pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")
def test_pages_beyond_the_limit_and_a_failed_scan_are_reported(tmp_path, no_worker):
    root = points_archive(tmp_path)
    config = root / ".archive" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "ocr: {max_pages: 1}\n",
                      encoding="utf-8")
    folder = leaf(root, "II-8")
    Image.new("RGB", (60, 40), "white").save(folder / "01：学雷锋签到表.jpg")
    Image.new("RGB", (80, 40), "white").save(folder / "02：植树签到表.jpg")
    first = page(TOP + grid(ROWS[:2]))
    first["pages"] = 3
    cache(root, "01：学雷锋签到表.jpg", [(f"{ocr.PAGE_KEY}0000", first)])
    cache(root, "02：植树签到表.jpg", [(ocr.SUMMARY_KEY, {"status": "failed", "pages_read": 0,
                                                       "reason": "第 1 页识别超过 60 秒"})])
    led = collect(load_points(root), scan(root).evidence)
    assert sorted(e.person for e in led.entries) == ["刘妍", "王峰"]
    assert sorted((i.rule, i.path.rsplit("/", 1)[-1], i.message) for i in led.issues) == [
        ("SHEET_OCR_UNSURE", "01：学雷锋签到表.jpg",
         "共 3 页，文字识别只读取了前 1 页（配置 ocr.max_pages），其余页上的签名未计分"),
        ("SHEET_UNREADABLE", "02：植树签到表.jpg",
         "文字识别失败（第 1 页识别超过 60 秒），签到名单未读取，未计分")]
