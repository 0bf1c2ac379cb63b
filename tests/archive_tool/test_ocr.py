"""Text recognition of scans with the real RapidOCR worker (the ocr extra): scanned-looking pages
rendered with a CJK font, read once ever, found by search, dated by what is printed on them;
a page over the time limit is a finding, never a stopped run; without the extra the tool says
how to get it. OCR costs seconds a page: the pages here are few and small."""
from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from archive_tool.cli import main
from archive_tool.extract import ocr
from archive_tool.extract.ocr import printed_date
from archive_tool.lint import lint
from archive_tool.scan import scan

from .scan_fixtures import leaf, make_archive
from .scan_pages import NOTICE, accuracy, jpeg_bytes, page_image, scanned_pdf
from .test_watch_support import running, wait_for

needs_ocr = pytest.mark.skipif(not ocr.available(),
                               reason="the ocr extra is not installed (pip install '.[ocr]')")
PAPER = ["大众日报", "2018年3月6日 星期二", "我市开展学雷锋志愿服务活动", "市民广场人头攒动"]


def set_ocr(root, **values):
    config = root / ".archive" / "config.yaml"
    extra = "ocr: {" + ", ".join(f"{k}: {v}" for k, v in values.items()) + "}\n"
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")


@pytest.fixture
def scans(tmp_path):
    """A two-page scanned 说明报告 (pages read: 1) and a photographed newspaper clipping."""
    root = make_archive(tmp_path)
    scanned_pdf(leaf(root, "II-2") / "02：志愿服务说明报告（扫描件）.pdf",
                [page_image(NOTICE), page_image(["附件：参加人员名单"], seed=2)])
    (leaf(root, "II-2") / "03：大众日报样报.jpg").write_bytes(
        jpeg_bytes(page_image(PAPER, tilt=-2, seed=3), quality=40))
    set_ocr(root, max_pages=1)
    return root


def by_name(root, name):
    return next(ev for ev in scan(root).evidence if ev.name == name)


@needs_ocr
def test_index_reads_each_page_once_and_search_finds_the_text(scans):
    res = CliRunner().invoke(main, ["index", str(scans), "--format", "json"])
    assert res.exit_code == 0, res.output
    first = json.loads(res.stdout)["ocr"]
    assert (first["files"], first["pages_read"], first["failed"]) == (2, 2, 0)
    report = by_name(scans, "02：志愿服务说明报告（扫描件）.pdf")
    assert accuracy("".join(NOTICE), report.text()) >= 0.98
    assert (report.date, report.date_source) == (date(2018, 3, 1), "ocr")  # the 落款
    clipping = by_name(scans, "03：大众日报样报.jpg")
    assert accuracy("".join(PAPER), clipping.recognised_text()) >= 0.98
    assert (clipping.date, clipping.date_source) == (date(2018, 3, 6), "ocr")  # the masthead
    # a warm re-index reads no page again
    again = json.loads(CliRunner().invoke(main, ["index", str(scans), "--format", "json"])
                       .stdout)["ocr"]
    assert again["pages_read"] == 0
    hits = json.loads(CliRunner().invoke(main, ["search", "市民广场", "--root", str(scans),
                                                "--format", "json"]).stdout)["hits"]
    assert {h["path"].rsplit("/", 1)[-1] for h in hits} == {
        "02：志愿服务说明报告（扫描件）.pdf", "03：大众日报样报.jpg"}
    found = {(f.rule, f.path.rsplit("/", 1)[-1]): f for f in lint(scan(scans)).findings}
    length = found[("REPORT_LENGTH", "02：志愿服务说明报告（扫描件）.pdf")]
    assert "扫描件，按识别出的文字计" in length.message  # its length is the recognised text's
    assert "只读取了前 1 页" in found[("FILE_OVER_LIMIT", "02：志愿服务说明报告（扫描件）.pdf")].message
    assert ("FILE_NO_TEXT", "02：志愿服务说明报告（扫描件）.pdf") not in found


@needs_ocr
def test_a_page_over_the_time_limit_is_a_finding_and_the_run_goes_on(scans):
    config = scans / ".archive" / "config.yaml"
    text = config.read_text(encoding="utf-8").replace("ocr: {max_pages: 1}\n", "")
    config.write_text(text + "ocr: {page_seconds: 0.001}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["index", str(scans), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["ocr"]["failed"] == 2
    found = {f.path.rsplit("/", 1)[-1]: f for f in lint(scan(scans)).findings
             if f.rule == "OCR_FAILED"}
    assert set(found) == {"02：志愿服务说明报告（扫描件）.pdf", "03：大众日报样报.jpg"}
    assert "超过 0.001 秒" in found["03：大众日报样报.jpg"].message


def test_without_the_extra_the_tool_says_once_how_to_get_it(scans, monkeypatch):
    monkeypatch.setattr("archive_tool.extract.ocr.available", lambda: False)
    res = CliRunner().invoke(main, ["index", str(scans)])
    assert res.exit_code == 0, res.output
    assert res.stderr.count(ocr.INSTALL_HINT) == 1
    assert "有 2 个扫描件" in res.stderr
    no_text = [f for f in lint(scan(scans)).findings if f.rule == "FILE_NO_TEXT"]
    assert len(no_text) == 1 and ocr.INSTALL_HINT in no_text[0].fix


@needs_ocr
def test_the_watcher_reads_a_scan_in_the_background(tmp_path):
    root = make_archive(tmp_path)
    with running(root, ocr=True) as run:
        name = "I-1 思想政治建设/II-2 志愿服务/04：网页截图.png"
        page_image(PAPER, tilt=0, noise=4).save(root / name)
        verdict = run.wait_verdict(name, count=1)
        wait_for(lambda: any(v.source == "ocr" for v in run.verdicts(name)), timeout=120,
                 message="the scan read in the background")
    assert verdict.source == "event"
    ev = by_name(root, "04：网页截图.png")
    assert ev.ocr.status == "done" and "学雷锋" in ev.recognised_text()


@pytest.mark.parametrize("lines, expected", [
    (NOTICE, date(2018, 3, 1)),                       # 落款; 活动时间：… is a value, not the date
    (PAPER, date(2018, 3, 6)),                        # a masthead with its weekday
    (["2018年3月1日", "2018年3月2日"], None),          # two dates alone on lines: no guess
    (["会议于2018年3月1日在市民广场召开，全体干部职工参加"], None),  # a date inside a sentence
])
def test_the_printed_date_is_one_date_alone_on_a_line(lines, expected):
    assert printed_date(lines) == expected
