"""Where a report may be written (``check -o``), and writing it without harming evidence.

A report written over a file inside the archive would replace an evidence file (and be linted
as one next time); a symbolic link at the output path would carry the write somewhere else. So
an output path is refused when it lies inside the archive (its real place, links resolved), when
it is a symbolic link, or when it exists and is not a regular file; the report is written to a
temporary file beside the target and renamed over it (:func:`archive_tool.atomic.write_atomic`),
so a report cut short never leaves half a file, and the rename replaces the name itself, never
what a link there might point to.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Callable

from .atomic import write_atomic
from .errors import FileOperationError, UsageError, os_reason


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_output(path: Path, root: Path) -> Path:
    """``path`` with its folder's links resolved, when a report may be written there; else
    UsageError naming why (inside the archive at ``root``, a link, not a regular file)."""
    path = Path(os.path.abspath(path))
    real = Path(os.path.realpath(path.parent)) / path.name
    if _under(str(real), os.path.realpath(root)):
        raise UsageError(f"报告不能写在档案文件夹之内：{path}",
                         f"档案 {root} 中的文件都会被当作证明材料检查，报告也可能覆盖材料；"
                         "请写到档案之外，如 -o ../查缺报告.xlsx。")
    try:
        st = os.lstat(real)
    except FileNotFoundError:
        return real
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{os_reason(exc)}", "换一个输出路径。") from None
    if stat.S_ISLNK(st.st_mode):
        raise UsageError(f"输出路径是符号链接，不会跟随它写入：{path}",
                         "换一个文件名，或先删除这个链接。")
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"输出路径已存在且不是普通文件（文件夹、命名管道等）：{path}",
                         "换一个文件名。")
    return real


def write_output(path: Path, root: Path, content: bytes | Callable[[BinaryIO], None]) -> None:
    """Write a report to ``path`` (checked again, see :func:`check_output`) through a temporary
    file renamed over it; FileOperationError when the disk refuses."""
    real = check_output(path, root)
    try:
        write_atomic(real, content)
    except OSError as exc:
        raise FileOperationError(f"无法写入 {path}：{os_reason(exc)}",
                                 hint="检查文件夹是否存在、是否可写，或换一个文件名。") from None


class ReportFile:
    """A report's output file outside the archive at ``root``: checked when made (before any
    work is done), checked again when written."""

    def __init__(self, path: Path, root: Path):
        self.path, self.root = Path(path), Path(root)
        check_output(self.path, self.root)

    def write(self, content: bytes | str | Callable[[BinaryIO], None]) -> None:
        """Write ``content`` (bytes, text as UTF-8 ending in a newline, or a function writing
        to a binary file) through a temporary file renamed over the path."""
        if isinstance(content, str):
            content = (content if content.endswith("\n") else content + "\n").encode("utf-8")
        write_output(self.path, self.root, content)
