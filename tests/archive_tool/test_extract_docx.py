"""archive_tool.extract on real .docx files made with python-docx (and zipfile for broken ones)."""
from __future__ import annotations

import time
import zipfile
from datetime import datetime, timezone

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from archive_tool.extract import UnreadableFile, extract
from archive_tool.extract import docx as docx_reader
from archive_tool.word.package import OLE_MAGIC

W = nsdecls("w")


def _xml(fragment: str):
    return parse_xml(fragment)


def _field_footer(paragraph, text: str) -> None:
    """Put ``text`` in a w:fldSimple FILENAME field of a footer paragraph."""
    paragraph._p.append(_xml(
        f'<w:fldSimple {W} w:instr="FILENAME"><w:r><w:t>{text}</w:t></w:r></w:fldSimple>'))


@pytest.fixture
def report_docx(tmp_path):
    """Paragraphs, a table with a horizontal and a vertical merge, a nested table, a field."""
    doc = docx.Document()
    doc.core_properties.title = "六五环境日说明报告"
    doc.core_properties.created = datetime(2018, 3, 5, 4, 0, 0)
    doc.add_paragraph("一、活动概况")
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "时间"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "2018年6月5日"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "主办单位"
    table.cell(1, 1).text = "宣传处"
    inner = table.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内表甲"
    inner.cell(0, 1).text = "内表乙"
    body = doc.add_paragraph("二、活动内容：")
    body._p.append(_xml(f'<w:fldSimple {W} w:instr="DATE"><w:r><w:t>2018-06-05</w:t></w:r>'
                        f'</w:fldSimple>'))
    doc.add_paragraph("全体干部职工参加。")
    path = tmp_path / "01：说明报告.docx"
    doc.save(path)
    return path


def test_body_text_in_order_with_tables_once_each(report_docx):
    got = extract(report_docx)
    assert got.text.splitlines() == [
        "一、活动概况", "时间", "2018年6月5日", "主办单位", "宣传处", "内表甲", "内表乙",
        "二、活动内容：2018-06-05", "全体干部职工参加。"]
    assert got.text.count("2018年6月5日") == 1 and got.text.count("主办单位") == 1
    assert got.has_text_layer is True
    assert got.title == "六五环境日说明报告"
    assert got.created == datetime(2018, 3, 5, 4, 0, tzinfo=timezone.utc)
    assert got.char_count == 44  # 2018-06-05 is one word, 2018年6月5日 six
    assert got.footers == ()  # python-docx's template has no footer part


def test_field_hyperlink_deleted_and_instruction_text(tmp_path):
    doc = docx.Document()
    p = doc.add_paragraph("见")
    p._p.append(_xml(f'<w:hyperlink {W} xmlns:r="http://schemas.openxmlformats.org/'
                     f'officeDocument/2006/relationships" r:id="rId99"><w:r><w:t>附件一</w:t>'
                     f'</w:r></w:hyperlink>'))
    p._p.append(_xml(f'<w:del {W} w:id="1" w:author="a"><w:r><w:delText>删掉的</w:delText>'
                     f'</w:r></w:del>'))
    # a complex field: instruction skipped, result kept
    for xml in ('<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r {W}><w:instrText> PAGE </w:instrText></w:r>',
                '<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
                '<w:r {W}><w:t>第3页</w:t></w:r>',
                '<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'):
        p._p.append(_xml(xml.format(W=W)))
    path = tmp_path / "a.docx"
    doc.save(path)
    assert extract(path).text == "见附件一第3页"


def test_footer_plain_and_field(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("正文")
    _field_footer(doc.sections[0].footer.paragraphs[0], "01：创建领导小组文件")
    path = tmp_path / "01：创建领导小组文件.docx"
    doc.save(path)
    # python-docx's own Paragraph.text misses the field result: that is why we read the XML
    assert docx.Document(path).sections[0].footer.paragraphs[0].text == ""
    assert extract(path).footers == ("01：创建领导小组文件",)
    assert extract(path).footers == ("01：创建领导小组文件",)

    doc = docx.Document()
    doc.sections[0].footer.paragraphs[0].text = "02：学习记录"
    plain = tmp_path / "plain.docx"
    doc.save(plain)
    assert extract(plain).footers == ("02：学习记录",)


def test_two_sections_first_page_footer_and_linked_footer(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("第一节")
    first = doc.sections[0]
    first.footer.paragraphs[0].text = "默认页脚"
    first.different_first_page_header_footer = True
    first.first_page_footer.paragraphs[0].text = "首页页脚"
    second = doc.add_section()
    doc.add_paragraph("第二节")
    assert second.footer.is_linked_to_previous
    path = tmp_path / "linked.docx"
    doc.save(path)
    # the second section inherits both footers: each part once
    assert extract(path).footers == ("默认页脚", "首页页脚")
    assert extract(path).text == "第一节\n第二节"

    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = "第二节页脚"
    doc.save(path)
    assert extract(path).footers == ("默认页脚", "首页页脚", "第二节页脚")


def test_first_page_footer_ignored_unless_switched_on(tmp_path):
    doc = docx.Document()
    section = doc.sections[0]
    section.footer.paragraphs[0].text = "默认页脚"
    section.first_page_footer.paragraphs[0].text = "不显示的首页页脚"
    section.different_first_page_header_footer = False
    path = tmp_path / "a.docx"
    doc.save(path)
    assert extract(path).footers == ("默认页脚",)


def test_even_page_footer_needs_document_setting(tmp_path):
    doc = docx.Document()
    section = doc.sections[0]
    section.footer.paragraphs[0].text = "奇数页"
    section.even_page_footer.paragraphs[0].text = "偶数页"
    path = tmp_path / "a.docx"
    doc.save(path)
    assert extract(path).footers == ("奇数页",)
    doc.settings.odd_and_even_pages_header_footer = True
    doc.save(path)
    assert extract(path).footers == ("奇数页", "偶数页")


def test_text_box_in_footer_counted_once(tmp_path):
    doc = docx.Document()
    box = ('<w:r {W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml">'
           '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
           '<w:txbxContent><w:p><w:r><w:t>03：文本框页脚</w:t></w:r></w:p></w:txbxContent>'
           '</wps:txbx></wps:wsp></w:drawing></mc:Choice>'
           '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
           '<w:t>03：文本框页脚</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'
           '</mc:Fallback></mc:AlternateContent></w:r>').format(W=W)
    doc.sections[0].footer.paragraphs[0]._p.append(_xml(box))
    path = tmp_path / "a.docx"
    doc.save(path)
    assert extract(path).footers == ("03：文本框页脚",)


def test_no_core_properties_and_modified_fallback(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("正文")
    path = tmp_path / "a.docx"
    doc.save(path)
    _rewrite(path, drop={"docProps/core.xml"})
    got = extract(path)
    assert (got.title, got.created) == ("", None)

    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2019-07-01T09:30:00+08:00'
            '</dcterms:modified></cp:coreProperties>')
    _rewrite(path, add={"docProps/core.xml": core.encode()})
    assert extract(path).created == datetime(2019, 7, 1, 1, 30, tzinfo=timezone.utc)


def test_extension_case_and_docm(tmp_path, report_docx):
    upper = tmp_path / "A.DOCX"
    upper.write_bytes(report_docx.read_bytes())
    docm = tmp_path / "b.docm"
    docm.write_bytes(report_docx.read_bytes())
    assert extract(upper).text == extract(docm).text == extract(report_docx).text


# ---- broken files ---------------------------------------------------------------------------
def _rewrite(path, drop=(), add=None):
    """Rewrite a zip without the ``drop`` members and with ``add`` members."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if i.filename not in drop}
    members.update(add or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _reason(path) -> str:
    with pytest.raises(UnreadableFile) as info:
        extract(path)
    assert path.name in info.value.message
    return info.value.reason


def test_empty_file(tmp_path):
    path = tmp_path / "空.docx"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFile) as info:
        extract(path)
    assert info.value.reason == "empty"
    assert info.value.message == "「空.docx」文件为空（0 字节）：请重新复制原文件"


def test_corrupt_and_truncated(tmp_path, report_docx):
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"this is not a zip file at all" * 20)
    assert _reason(junk) == "corrupt"
    with pytest.raises(UnreadableFile) as info:
        extract(junk)
    assert "文件已损坏，无法打开：请用 Word 打开后另存为 .docx" in info.value.message

    data = report_docx.read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    assert _reason(cut) == "truncated"

    # a damaged member: the central directory is fine, the deflate stream is not
    garbled = tmp_path / "garbled.docx"
    with zipfile.ZipFile(report_docx) as zf:
        offset = zf.getinfo("word/document.xml").header_offset
    raw = bytearray(data)
    for i in range(offset + 80, offset + 400):
        raw[i] ^= 0x5A
    garbled.write_bytes(bytes(raw))
    assert _reason(garbled) == "corrupt"


def test_zip_that_is_not_a_docx(tmp_path):
    path = tmp_path / "其实是表格.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert _reason(path) == "corrupt"


def test_bad_xml_part(tmp_path, report_docx):
    _rewrite(report_docx, add={"word/document.xml": b"<w:document><w:body><w:p>"})
    assert _reason(report_docx) == "corrupt"


def test_ole2_doc_renamed_and_encrypted_docx(tmp_path):
    header = OLE_MAGIC + bytes(504)
    legacy = tmp_path / "旧文档.docx"
    legacy.write_bytes(header + "WordDocument".encode("utf-16-le") + bytes(2000))
    assert _reason(legacy) == "legacy"
    locked = tmp_path / "加密.docx"
    locked.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + bytes(2000))
    assert _reason(locked) == "encrypted"


def test_zip_bomb_rejected_fast(tmp_path):
    """A 60 MB member of zeros (deflate ~1030:1) and a 250 MB total: both refused from the
    zip directory alone, without inflating anything."""
    zeros = bytes(1024 * 1024)
    ratio_bomb = tmp_path / "ratio.docx"
    total_bomb = tmp_path / "total.docx"
    for path, megabytes, level in ((ratio_bomb, 60, 9), (total_bomb, 250, 1)):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<w:document/>")
            with zf.open("word/media/image1.png", "w", force_zip64=True) as member:
                for _ in range(megabytes):
                    member.write(zeros)
        assert path.stat().st_size < 3 * 1024 * 1024
    with zipfile.ZipFile(ratio_bomb) as zf:
        info = zf.getinfo("word/media/image1.png")
        assert info.file_size > 1000 * info.compress_size
    for path in (ratio_bomb, total_bomb):
        start = time.perf_counter()
        assert _reason(path) == "too_large"
        assert time.perf_counter() - start < 0.2


def test_entity_expansion_is_not_performed(tmp_path, report_docx):
    lol = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                     for p, c in zip("abcdefg", "bcdefgh"))
           + f']><w:document {W}><w:body><w:p><w:r><w:t>&h;正文</w:t></w:r></w:p></w:body>'
           f'</w:document>')
    _rewrite(report_docx, add={"word/document.xml": lol.encode()})
    start = time.perf_counter()
    try:
        text = extract(report_docx).text
    except UnreadableFile as exc:
        assert exc.reason == "corrupt"
    else:
        assert len(text) < 1000
    assert time.perf_counter() - start < 0.5


def test_missing_file_is_an_archive_error(tmp_path):
    from archive_tool.errors import ArchiveError
    with pytest.raises(ArchiveError):
        extract(tmp_path / "不存在.docx")



def test_strict_ooxml(tmp_path):
    """ISO 29500 Strict documents use other namespace URIs (Word: "Strict Open XML 文档")."""
    doc = docx.Document()
    doc.add_paragraph("严格格式正文")
    doc.sections[0].footer.paragraphs[0].text = "04：严格格式"
    path = tmp_path / "strict.docx"
    doc.save(path)
    swaps = [(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
              b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
             (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              b"http://purl.oclc.org/ooxml/officeDocument/relationships")]
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()
                 if n.startswith("word/") and n.endswith(".xml")}
    for name, data in parts.items():
        for old, new in swaps:
            data = data.replace(old, new)
        parts[name] = data
    _rewrite(path, add=parts)
    got = extract(path)
    assert (got.text, got.footers) == ("严格格式正文", ("04：严格格式",))


def test_threads_share_nothing(tmp_path, report_docx):
    from concurrent.futures import ThreadPoolExecutor
    expected = extract(report_docx)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: extract(report_docx), range(40)))
    assert all(r == expected for r in results)


def test_broken_core_properties_do_not_lose_the_text(tmp_path, report_docx):
    _rewrite(report_docx, add={"docProps/core.xml": b"<cp:coreProperties><oops"})
    got = extract(report_docx)
    assert got.text.startswith("一、活动概况")
    assert (got.title, got.created) == ("", None)


@pytest.mark.parametrize("raw, expected", [
    ("2018-03-05T04:00:00Z", datetime(2018, 3, 5, 4, 0, tzinfo=timezone.utc)),
    ("2018-03-05T12:00:00+08:00", datetime(2018, 3, 5, 4, 0, tzinfo=timezone.utc)),
    ("2018-03-05T04:00:00.123Z", datetime(2018, 3, 5, 4, 0, 0, 123000, tzinfo=timezone.utc)),
    ("2018-03-05", datetime(2018, 3, 5, tzinfo=timezone.utc)),
    ("2018-03", datetime(2018, 3, 1, tzinfo=timezone.utc)),
    ("2018", datetime(2018, 1, 1, tzinfo=timezone.utc)),
    ("0001-01-01T00:00:00+08:00", None),
    ("not a date", None),
    ("", None),
    (None, None),
])
def test_parse_w3cdtf(raw, expected):
    assert docx_reader.parse_w3cdtf(raw) == expected
