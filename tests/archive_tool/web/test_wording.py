"""The library's fixes and errors as the pages say them (archive_tool.web.wording)."""
from __future__ import annotations

from archive_tool import UsageError
from archive_tool.web.wording import said, shortened, web_fix


def test_a_caption_fix_points_to_the_form():
    assert "照片说明" in web_fix("CAPTION_MISSING", "用 archive-tool caption set 写入说明")
    assert "在页脚加入文档名称" in web_fix("FOOTER_MISSING", "运行 archive-tool footer fix")


def test_a_fix_that_needs_another_program_is_kept():
    fix = "用 WPS 打开后另存为 .docx"
    assert web_fix("FOOTER_MISSING", fix) == fix


def test_a_date_fix_names_the_rename_on_the_page():
    words = web_fix("DATE_UNKNOWN", "在文件名主题中写明活动日期")
    assert words.startswith("在文件名主题中写明活动日期") and "「改名」" in words
    assert "照片说明" in web_fix("DATE_UNKNOWN", "用 archive-tool caption set 写入活动时间")


def test_said_drops_a_hint_that_is_a_command():
    assert said(UsageError("文件已存在", hint="运行 archive-tool undo 撤销")) == "文件已存在"
    assert said(UsageError("文件已存在", hint="请换一个主题。")) == "文件已存在 请换一个主题。"


def test_shortened_keeps_both_ends():
    name = "关于" + "创建" * 40 + "的通知.docx"
    short = shortened(name)
    assert len(short) <= 40 and short.startswith("关于创建") and short.endswith("的通知.docx")
    assert shortened("01：学习会.jpg") == "01：学习会.jpg"
