"""Scans whose text recognition failed, and documents with nothing in them."""
from __future__ import annotations

from typing import Iterable

from ..evidence import Finding
from .context import WARNING, LintContext, rule


@rule("OCR_FAILED", WARNING, "扫描件的文字识别失败")
def ocr_failed(ctx: LintContext) -> Iterable[Finding]:
    from ..extract.ocr import FAILED

    for ev in ctx.result.evidence:
        if ev.ocr_status == FAILED:
            read = (f"；前 {ev.ocr.pages_read} 页已识别，可以检索" if ev.ocr.pages_read else "")
            yield ctx.finding("OCR_FAILED", ev.path,
                              f"文字识别失败（{ev.ocr.reason}）{read}，其余内容无法检索",
                              "核对文件能否正常打开；扫描件可重新扫描或另存为 PDF 后替换，"
                              "或另附 Word 版本")


@rule("FILE_EMPTY", WARNING, "文件中没有内容")
def file_empty(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.empty and not ev.error:
            yield ctx.finding("FILE_EMPTY", ev.path, "文件能打开，但其中没有任何文字或图片",
                              "核对是否保存了错误的版本（如未保存就关闭的新文档），用有内容的文件替换")
