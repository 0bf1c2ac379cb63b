"""archive_tool.extract on real PDFs made with reportlab and pypdf."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from archive_tool.extract import UnreadableFile, extract
from archive_tool.extract import pdf as pdf_reader
from archive_tool.extract.pdf import parse_pdf_date

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
BEIJING = timezone(timedelta(hours=8))


def make_pdf(pages: list[list[str]], title: str = "") -> bytes:
    """A PDF with one Chinese-capable line per string, one list per page."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    if title:
        c.setTitle(title)
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(72, 760 - 20 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def rewrite(data: bytes, metadata: dict | None = None, encrypt: dict | None = None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    if metadata:
        writer.add_metadata(metadata)
    if encrypt:
        writer.encrypt(**encrypt)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def report_pdf(tmp_path):
    data = make_pdf([["六五环境日活动说明报告", "Hello world 2018 年"], ["第二页：全体职工参加。"]],
                    title="说明报告")
    path = tmp_path / "02：说明报告.pdf"
    path.write_bytes(rewrite(data, {"/CreationDate": "D:20180305120000+08'00'",
                                    "/ModDate": "D:20190101000000Z"}))
    return path


def test_text_title_date_pages(report_pdf):
    got = extract(report_pdf)
    assert "六五环境日活动说明报告" in got.text
    assert "Hello world 2018 年" in got.text
    assert "第二页：全体职工参加。" in got.text
    assert got.footers == ()
    assert got.has_text_layer is True
    assert got.title == "说明报告"
    assert got.created == datetime(2018, 3, 5, 12, 0, tzinfo=BEIJING)
    assert got.pages == 2
    # 11 + (Hello world 2018 年 = 4) + 11
    assert got.char_count == 26


def test_mod_date_when_no_creation_date(tmp_path):
    writer = PdfWriter()  # unlike reportlab, writes no /CreationDate
    for page in PdfReader(io.BytesIO(make_pdf([["正文"]]))).pages:
        writer.add_page(page)
    writer.add_metadata({"/ModDate": "D:20190102030405Z"})
    path = tmp_path / "a.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    assert "/CreationDate" not in PdfReader(path).metadata
    got = extract(path)
    assert (got.created, got.title, got.text) == (
        datetime(2019, 1, 2, 3, 4, 5, tzinfo=timezone.utc), "", "正文")


def test_spaces_between_cjk_glyphs_removed_latin_kept(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdf([["六 五 环 境 日", "Hello  world again 2018 年"], ["第二页"]]))
    # what pypdf gives, and what we make of it: CJK gaps (spaces, line and page breaks) closed
    assert PdfReader(path).pages[0].extract_text().startswith("六 五 环 境 日\n")
    assert extract(path).text == "六五环境日\nHello  world again 2018 年第二页"


@pytest.mark.parametrize("algorithm", ["AES-128", "RC4-128", "AES-256"])
def test_encrypted_with_user_password(tmp_path, algorithm):
    path = tmp_path / "加密.pdf"
    path.write_bytes(rewrite(make_pdf([["机密"]]),
                             encrypt={"user_password": "secret", "owner_password": "owner",
                                      "algorithm": algorithm}))
    with pytest.raises(UnreadableFile) as info:
        extract(path)
    assert info.value.reason == "encrypted"
    assert info.value.message == "「加密.pdf」PDF 已加密：请导出无密码的副本"


def test_encrypted_with_empty_user_password_is_read(tmp_path):
    path = tmp_path / "限制打印.pdf"
    path.write_bytes(rewrite(make_pdf([["只限制了打印"]]),
                             encrypt={"user_password": "", "owner_password": "owner",
                                      "algorithm": "AES-128"}))
    assert PdfReader(path).is_encrypted
    assert extract(path).text == "只限制了打印"


def test_image_only_pdf_has_no_text_layer(tmp_path):
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFillColorRGB(0.2, 0.4, 0.6)
    c.rect(100, 100, 300, 400, fill=1)
    c.circle(300, 600, 50, fill=1)
    c.showPage()
    c.save()
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(buf.getvalue())
    got = extract(path)
    assert (got.text, got.has_text_layer, got.char_count, got.pages) == ("", False, 0, 1)


def test_page_and_text_caps(tmp_path, monkeypatch):
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf([[f"第{i}页"] for i in range(5)]))
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    got = extract(path)
    assert "第1页" in got.text and "第2页" not in got.text
    assert got.pages == 5
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2000)
    monkeypatch.setattr(pdf_reader, "MAX_TEXT", 6)
    assert len(extract(path).text) <= 6


def raw_pdf(info: bytes, extra: list[bytes] = ()) -> bytes:
    """A hand-made one-page PDF (no text) with the given /Info dictionary, as object 4."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>", info, *extra]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _octal(data: bytes) -> bytes:
    return b"".join(b"\\%03o" % byte for byte in data)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_title_in_local_encoding_and_indirect_date(tmp_path, encoding):
    """Chinese tools write GBK or UTF-8 bytes where PDF wants PDFDocEncoding or UTF-16."""
    title = _octal("六五环境日说明报告".encode(encoding))
    path = tmp_path / "a.pdf"
    path.write_bytes(raw_pdf(b"<< /Title (" + title + b") /CreationDate 5 0 R >>",
                             [b"(D:20180305120000+08'00')"]))
    got = extract(path)
    assert got.title == "六五环境日说明报告"
    assert got.created == datetime(2018, 3, 5, 12, 0, tzinfo=BEIJING)
    assert (got.pages, got.has_text_layer) == (1, False)


def test_plain_latin_title_untouched(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(raw_pdf(b"<< /Title (Caf\\351 report) >>"))
    assert extract(path).title == "Café report"


def _reason(path) -> str:
    with pytest.raises(UnreadableFile) as info:
        extract(path)
    assert path.name in info.value.message
    return info.value.reason


def test_empty_corrupt_truncated(tmp_path, report_pdf):
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    assert _reason(empty) == "empty"

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"definitely not a pdf\n" * 50)
    assert _reason(junk) == "corrupt"

    data = report_pdf.read_bytes()
    for fraction in (0.2, 0.5, 0.9):
        cut = tmp_path / f"cut{fraction}.pdf"
        cut.write_bytes(data[: int(len(data) * fraction)])
        assert _reason(cut) == "truncated"


def test_docx_named_pdf_is_corrupt(tmp_path):
    import docx
    doc = docx.Document()
    doc.add_paragraph("正文")
    path = tmp_path / "其实是Word.pdf"
    doc.save(path)
    assert _reason(path) == "corrupt"


@pytest.mark.parametrize("raw, expected", [
    ("D:20180305120000+08'00'", datetime(2018, 3, 5, 12, 0, tzinfo=BEIJING)),
    ("D:20180305120000+08'00", datetime(2018, 3, 5, 12, 0, tzinfo=BEIJING)),
    ("D:20180305120000-05'30'", datetime(2018, 3, 5, 12, 0,
                                         tzinfo=timezone(-timedelta(hours=5, minutes=30)))),
    ("D:20180305120000Z", datetime(2018, 3, 5, 12, 0, tzinfo=timezone.utc)),
    ("D:20180305120000Z00'00'", datetime(2018, 3, 5, 12, 0, tzinfo=timezone.utc)),
    ("D:20180305", datetime(2018, 3, 5)),
    ("20180305120000", datetime(2018, 3, 5, 12, 0)),
    ("D:2018", datetime(2018, 1, 1)),
    ("D:20181305120000", None),
    ("yesterday", None),
    ("", None),
    (None, None),
])
def test_parse_pdf_date(raw, expected):
    assert parse_pdf_date(raw) == expected
