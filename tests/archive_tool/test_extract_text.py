"""archive_tool.extract: plain text files, character counting, dispatch by extension."""
from __future__ import annotations

import codecs

import pytest

from archive_tool.extract import (SUPPORTED, Extracted, UnreadableFile, count_chars, extract,
                                  squeeze_cjk_spaces)
from archive_tool.extract import text as text_reader

SAMPLE = "关于开展“学雷锋”志愿服务活动的通知\r\n各处室：请于6月底前报送。\r\n"


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("gb18030", b""),
    ("gbk", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "通知.txt"
    path.write_bytes(prefix + SAMPLE.encode(encoding))
    got = extract(path)
    assert got.text == "关于开展“学雷锋”志愿服务活动的通知\n各处室：请于6月底前报送。"
    assert got.char_count == count_chars(got.text) == 31
    assert (got.footers, got.has_text_layer, got.title, got.created, got.pages) == (
        (), True, "", None, None)


def test_odd_bytes_never_raise(tmp_path):
    path = tmp_path / "乱码.txt"
    path.write_bytes("正常的中文".encode("gb18030") + b"\xff\xfe\x80\x00" + b"abc")
    got = extract(path)
    assert got.text.startswith("正常的中文") and "abc" in got.text
    # a mostly-UTF-8 file with one bad byte keeps its UTF-8 reading
    path.write_bytes("第一段说明文字".encode() + b"\xff" + "第二段".encode())
    assert extract(path).text == "第一段说明文字\ufffd第二段"


def test_cut_multibyte_character_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(text_reader, "MAX_BYTES", 10)
    path = tmp_path / "长.txt"
    path.write_bytes("一二三四五六七八".encode())  # 24 bytes: the cap cuts the fourth character
    assert extract(path).text == "一二三"


def test_empty_text_file(tmp_path):
    path = tmp_path / "空.txt"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFile) as info:
        extract(path)
    assert info.value.reason == "empty"
    assert info.value.message == "「空.txt」文件为空（0 字节）：请重新复制原文件"
    blank = tmp_path / "blank.md"
    blank.write_text("  \n\n", encoding="utf-8")
    assert extract(blank) == Extracted(text="", char_count=0, has_text_layer=False)


def test_md_and_csv(tmp_path):
    md = tmp_path / "记录.MD"
    md.write_text("# 标题\n\n正文 text", encoding="utf-8")
    assert extract(md).text == "# 标题\n\n正文 text"
    csv = tmp_path / "签到.csv"
    csv.write_bytes("姓名,处室\n张三,办公室\n".encode("gbk"))
    assert extract(csv).text == "姓名,处室\n张三,办公室"


def test_unsupported_extension(tmp_path):
    assert SUPPORTED == {".docx", ".docm", ".pdf", ".txt", ".md", ".csv"}
    for name in ("旧.doc", "表.xls", "a.wps", "noext"):
        path = tmp_path / name
        path.write_bytes(b"x")
        with pytest.raises(ValueError):
            extract(path)


def test_unreadable_file_reasons_are_checked():
    with pytest.raises(ValueError):
        UnreadableFile("a.pdf", "broken")
    err = UnreadableFile("dir/01：报告.docx", "corrupt")
    assert err.message == "「01：报告.docx」文件已损坏，无法打开：请用 Word 打开后另存为 .docx，或从原始来源重新复制"
    assert err.hint.startswith("请用 Word")
    assert err.reason == "corrupt" and err.path.name == "01：报告.docx"


# ---- counting -------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # what Word's 字数 says (中文字符和朝鲜语单词 + 非中文单词)
    ("二〇一八年，我们开展了“学雷锋”活动。", 19),
    ("使用 Word 2016 统计。", 7),
    ("COVID-19 防控", 3),
    ("2018年6月5日", 6),
    ("hello, world!", 2),
    ("网址 www.gov.cn 和 3.5 万元", 7),
    ("《中华人民共和国宪法》【第一条】", 16),
    ("省略号……破折号——", 10),
    ("全角数字２０１８", 8),
    ("　　第一条 ", 3),
    ("①学习 ②宣传", 6),
    ("𠀀𪚥", 2),  # extension B ideographs
    ("﨑", 1),  # compatibility ideograph
    ("a - b ; c", 3),
    ("", 0),
    (" \t\n", 0),
])
def test_count_chars(text, expected):
    assert count_chars(text) == expected


def test_count_chars_report_length():
    para = "为深入贯彻落实文明单位创建工作要求，我单位于2018年6月5日组织开展了环境保护主题宣传活动。"
    assert count_chars(para) == len(para) - 4 + 1  # "2018" is one word
    assert count_chars(para * 10) == 10 * count_chars(para)


def test_squeeze_cjk_spaces():
    assert squeeze_cjk_spaces("六 五 环 境\n日") == "六五环境日"
    assert squeeze_cjk_spaces("Hello world 2018 年 6 月") == "Hello world 2018 年 6 月"
    assert squeeze_cjk_spaces("通知 ， 请 参加 。") == "通知，请参加。"
