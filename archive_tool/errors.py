"""The library's exception family. The CLI turns these into one-line messages, exit 2.

:class:`UnreadableFile` is how a reader says a file cannot be read; a scan turns it into the
file's ``error`` (rule FILE_UNREADABLE) and goes on."""
from __future__ import annotations

from pathlib import Path

from indicator_tree.errors import os_reason

__all__ = ["ArchiveError", "ConfigError", "FileOperationError", "IndexBusyError",
           "NotAnArchiveError", "REASONS", "UnreadableFile", "UsageError", "os_reason"]


class ArchiveError(Exception):
    """An expected failure: a message for the user and a concrete fix."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(ArchiveError):
    """The archive's configuration is missing or wrong."""


class NotAnArchiveError(ConfigError):
    """No ``.archive/`` folder above the given path."""


class UsageError(ArchiveError):
    """An argument that cannot work (unknown indicator, bad date …)."""


class FileOperationError(ArchiveError):
    """A file could not be read, written, renamed or restored."""


class IndexBusyError(ArchiveError):
    """Another process holds the search index and did not let go in time."""


#: why a file could not be read (``UnreadableFile.reason``; also the Evidence ``error`` value)
REASONS = ("corrupt", "encrypted", "truncated", "empty", "too_large", "legacy")

#: (problem, fix) per reason and file family; "*" is the fallback family
_MESSAGES: dict[tuple[str, str], tuple[str, str]] = {
    ("corrupt", "docx"): ("文件已损坏，无法打开", "请用 Word 打开后另存为 .docx，或从原始来源重新复制"),
    ("corrupt", "pdf"): ("PDF 已损坏，无法打开", "请从原始来源重新导出或复制 PDF"),
    ("corrupt", "*"): ("文件已损坏，无法打开", "请用原程序打开后重新保存，或从原始来源重新复制"),
    ("truncated", "docx"): ("文件不完整（可能复制中断）", "请从原始来源重新复制，或用 Word 打开后另存为 .docx"),
    ("truncated", "pdf"): ("PDF 不完整（可能复制或下载中断）", "请从原始来源重新复制或重新导出 PDF"),
    ("truncated", "*"): ("文件不完整（可能复制中断）", "请从原始来源重新复制"),
    ("encrypted", "docx"): ("Word 文档已加密", "请在 Word 中去掉密码后另存为 .docx"),
    ("encrypted", "pdf"): ("PDF 已加密", "请导出无密码的副本"),
    ("encrypted", "*"): ("文件已加密", "请导出无密码的副本"),
    ("empty", "*"): ("文件为空（0 字节）", "请重新复制原文件"),
    ("too_large", "*"): ("文件异常（解压后过大，疑似压缩炸弹）", "请用原程序重新导出或另存此文件"),
    ("legacy", "docx"): ("文件实为旧版 Word（.doc）格式，扩展名不符", "请用 Word 打开后另存为 .docx"),
    ("legacy", "*"): ("旧版格式文件，无法读取", "请用原程序打开后另存为新格式"),
}


def _family(name: str) -> str:
    ext = Path(name).suffix.lower()
    if ext in (".docx", ".docm"):
        return "docx"
    if ext == ".pdf":
        return "pdf"
    return "*"


class UnreadableFile(ArchiveError):
    """A document that cannot be read: corrupt, encrypted, truncated, empty, too large or legacy.

    ``reason`` is one of :data:`REASONS`; ``message`` names the file and says what to do, e.g.
    ``「01：会议纪要.pdf」PDF 已加密：请导出无密码的副本``; ``hint`` is the fix alone.
    """

    def __init__(self, path: str | Path, reason: str, problem: str = "", fix: str = ""):
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}; expected one of {REASONS}")
        name = Path(path).name
        family = _family(name)
        default = _MESSAGES.get((reason, family)) or _MESSAGES[(reason, "*")]
        problem, fix = problem or default[0], fix or default[1]
        super().__init__(f"「{name}」{problem}：{fix}", fix)
        self.path = Path(path)
        self.reason = reason
        #: what is wrong, without the file's name (for a report that names the file already)
        self.problem = problem
