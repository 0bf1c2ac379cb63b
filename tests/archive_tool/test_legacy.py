"""Legacy documents read through LibreOffice where it is installed (a real .doc and .xls made by
LibreOffice itself), FILE_LEGACY_FORMAT elsewhere, and FILE_EMPTY for a document with nothing
in it."""
from __future__ import annotations

import subprocess

import pytest
from openpyxl import Workbook

from archive_tool.extract.legacy import soffice
from archive_tool.lint import lint
from archive_tool.scan import scan

from .scan_fixtures import docx, leaf, make_archive

REPORT_TEXT = "本局组织开展学雷锋志愿服务活动，" * 25  # 400 characters

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")


def convert(source, target_ext):
    """The file LibreOffice saves in an older format (``doc``, ``xls``) beside ``source``."""
    subprocess.run([soffice(), "--headless", "--norestore", "--convert-to", target_ext,
                    "--outdir", str(source.parent), str(source)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    source.unlink()
    return source.with_suffix("." + target_ext)


def rules(root):
    return {(f.rule, f.path.rsplit("/", 1)[-1]) for f in lint(scan(root)).findings}


@needs_soffice
def test_doc_and_xls_are_read_through_libreoffice_once(tmp_path):
    root = make_archive(tmp_path)
    folder = leaf(root, "II-2")
    doc = convert(docx(folder / "01：志愿服务说明报告.docx", body=REPORT_TEXT,
                       footer="01：志愿服务说明报告"), "doc")
    book = Workbook()
    book.active.append(["姓名", "科室"])
    book.active.append(["张晓明", "办公室"])
    book.save(folder / "02：志愿者名单.xlsx")
    convert(folder / "02：志愿者名单.xlsx", "xls")
    records = {ev.name: ev for ev in scan(root).evidence}
    report = records[doc.name]
    assert report.footers and "01：志愿服务说明报告" in report.footers[0]
    assert report.char_count == 400
    assert "张晓明" in records["02：志愿者名单.xls"].text()
    found = rules(root)
    assert not {r for r in found if r[0] in ("FILE_LEGACY_FORMAT", "FOOTER_MISSING",
                                              "REPORT_LENGTH")}


def test_without_libreoffice_a_legacy_file_says_how_to_save_it(tmp_path, monkeypatch):
    monkeypatch.setattr("archive_tool.extract.legacy.soffice", lambda: None)
    root = make_archive(tmp_path)
    (leaf(root, "II-1") / "01：旧文件.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    found = [f for f in lint(scan(root)).findings if f.rule == "FILE_LEGACY_FORMAT"]
    assert len(found) == 1 and "另存为 .docx" in found[0].fix


def test_a_valid_document_with_nothing_in_it_is_file_empty(tmp_path):
    root = make_archive(tmp_path)
    folder = leaf(root, "II-1")
    docx(folder / "01：空白.docx", body="", footer="01：空白")
    (folder / "02：空白.txt").write_text("  \n\n", encoding="utf-8")
    photos = docx(folder / "03：活动照片.docx", body="", footer="03：活动照片")
    from docx import Document
    from PIL import Image

    Image.new("RGB", (200, 100), (10, 120, 200)).save(tmp_path / "p.png")
    document = Document(photos)
    document.add_picture(str(tmp_path / "p.png"))
    document.save(photos)  # pictures and no text: not empty
    found = {f.path.rsplit("/", 1)[-1] for f in lint(scan(root)).findings if f.rule == "FILE_EMPTY"}
    assert found == {"01：空白.docx", "02：空白.txt"}
