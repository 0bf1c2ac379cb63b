"""``footer fix``: put the document name in the footers of .docx files that lack it.

What changes inside a file is :mod:`archive_tool.word.footer_add` (the footers that show, read
as lint reads them). Here: which files may be changed (inside the archive, not through a
symbolic link out of it, a regular .docx), one undo transaction for all of them, each file
written to a synced temporary file beside it and renamed over it.
"""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..atomic import write_atomic
from ..errors import ArchiveError, FileOperationError, UsageError, os_reason
from ..places import inside_archive
from ..undo import UndoLog
from ..word import FooterChanges, plan_footer

DOCX_EXTS = (".docx", ".docm")
LEGACY_EXTS = (".doc", ".wps", ".dot", ".wpt", ".rtf")
_RESAVE = "用 Word 打开后另存为 .docx，再运行 archive-tool footer fix。"


@dataclass(frozen=True)
class FooterFixed:
    """A file whose footers now carry its name."""

    path: Path
    name: str
    #: footer parts that got a paragraph with the name
    edited: tuple[str, ...] = ()
    #: footer parts created (and referenced from document.xml), as "word/footer3.xml（首页页脚）"
    added: tuple[str, ...] = ()


@dataclass
class FooterFixResult:
    fixed: list[FooterFixed] = field(default_factory=list)
    #: files whose footers already carried the name: not touched
    unchanged: list[Path] = field(default_factory=list)
    #: files that could not be fixed, with the error saying why and what to do
    failed: list[tuple[Path, ArchiveError]] = field(default_factory=list)


def _plan(path: Path) -> FooterChanges | None:
    """What adding the name changes in one file (nothing written); None when nothing lacks it."""
    ext = path.suffix.lower()
    if ext in LEGACY_EXTS:
        raise UsageError(f"「{path.name}」是旧格式（{ext}），无法添加页脚",
                         "用 Word 或 WPS 打开，另存为 .docx 后再运行 archive-tool footer fix。")
    if ext not in DOCX_EXTS:
        raise UsageError(f"「{path.name}」不是 Word 文档（.docx），无法添加页脚",
                         "只能处理 .docx 文件；其他文件请在原程序中添加页脚。")
    if not path.is_file():
        if path.exists():
            raise FileOperationError(f"不是普通文件（可能是命名管道、设备或文件夹）：{path}",
                                     "只能处理普通的 .docx 文件。")
        raise FileOperationError(f"文件不存在：{path}", "检查文件路径是否正确。")
    try:
        return plan_footer(path)
    except OSError as exc:
        raise FileOperationError(f"无法读取「{path.name}」：{os_reason(exc)}",
                                 "确认文件存在且有读取权限后重试") from exc
    except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FileOperationError(f"「{path.name}」的内容无法解析（{type(exc).__name__}）",
                                 _RESAVE) from exc


def fix_footer(root: str | os.PathLike, paths) -> FooterFixResult:
    """Add the document name to the footers of ``paths`` (files inside the archive at ``root``)
    that lack it. One undo transaction ("footer fix") covers every file changed; a file that
    cannot be fixed is reported in ``failed`` and the others are still done."""
    log = UndoLog(root)
    result = FooterFixResult()
    plans: list[FooterChanges] = []
    for raw in paths:
        path = Path(os.path.abspath(raw))
        try:
            path = inside_archive(log.root, path)  # never through a link out of the archive
            log.relative(path)
            planned = _plan(path)
        except ArchiveError as exc:
            result.failed.append((path, exc))
            continue
        if planned is None:
            result.unchanged.append(path)
        else:
            plans.append(planned)
    if not plans:
        return result
    with log.transaction("footer fix") as tx:
        for changes in plans:
            tx.record_modify(changes.path)
            try:
                write_atomic(changes.path, changes.write,
                             on_ready=lambda digest, p=changes.path: tx.record_written(p, digest))
            except OSError as exc:
                result.failed.append((changes.path, FileOperationError(
                    f"无法写入「{changes.path.name}」：{os_reason(exc)}",
                    "关闭正在打开此文件的 Word/WPS，确认有写权限后重试。")))
                continue
            result.fixed.append(FooterFixed(changes.path, changes.name, tuple(changes.edited),
                                            tuple(changes.added)))
    return result
