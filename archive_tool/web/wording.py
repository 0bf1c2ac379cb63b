"""The library's messages as the pages say them: the fixes of findings and of files that do not
count in the browser's words (a form on the file's page, not a command to type), and errors
without the command-line hints a browser's user cannot follow."""
from __future__ import annotations

from .library import shortened_name as shortened

__all__ = ["said", "shortened", "web_fix"]

#: what the file's page offers for a rule (the writers' forms and buttons)
_ON_THE_PAGE = {
    "CAPTION_": "在文件页面的「照片说明」中填写活动时间、主办单位、活动主题，点「写入说明」",
    "FOOTER_MISSING": "在文件页面点「在页脚加入文档名称」",
}
#: command-line wording in the library's fixes, and the browser's
_PHRASES = (
    ("（archive-tool caption set 可改写）", "（可在文件页面的「照片说明」中改写）"),
    ("用 archive-tool caption set ", "在文件页面的「照片说明」中"),
    ("运行 archive-tool index（或 archive-tool watch）识别其中的文字",
     "请档案组在运行网页版的电脑上运行 archive-tool index，识别其中的文字"),
    ("后运行 archive-tool index 识别文字", "后，由档案组运行 archive-tool index 识别文字"),
)
#: the part of a date fix that names a file to rename
_RENAME_NOTE = "（在文件页面用「改名」写入新主题）"


def web_fix(rule: str, fix: str) -> str:
    """How to fix a finding (or a file that does not count), in the browser."""
    for prefix, words in _ON_THE_PAGE.items():
        if rule.startswith(prefix) and "另存为" not in fix:
            return words
    if rule == "DATE_UNKNOWN" and "caption set" in fix:
        return _ON_THE_PAGE["CAPTION_"]
    for old, new in _PHRASES:
        fix = fix.replace(old, new)
    if "在文件名主题中写明" in fix and _RENAME_NOTE not in fix:
        fix += _RENAME_NOTE
    return fix


def said(error) -> str:
    """An ArchiveError as one line for a page: its message and its hint, unless the hint is
    a command to type (the page's own forms are the way there)."""
    hint = error.hint if "archive-tool " not in (error.hint or "") else ""
    return f"{error.message} {hint}".strip()

