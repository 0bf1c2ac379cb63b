"""What is inside the files: photo captions, Word footers, report length, unreadable files."""
from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from ..captions.parse import MAX_CAPTION
from ..evidence import IMAGE_EXTS, LEGACY_EXTS, UNDECODABLE_NAME, Evidence, Finding, report_noun
from ..fix import commands as fix_commands
from ..naming import split_ext
from ..word import carries_name
from .context import ERROR, WARNING, LintContext, rule

#: caption and camera dates further apart than this are reported
DATE_TOLERANCE = timedelta(days=3)

# ---- captions -------------------------------------------------------------------------------
def _caption_command(ctx: LintContext, ev: Evidence, when=None) -> str:
    cap = ev.caption
    when = when or (cap.time if cap and cap.time else ev.exif_date or ev.date)
    organizer = (cap.organizer if cap and cap.organizer else ctx.result.config.unit)
    theme = cap.theme if cap and cap.theme else ev.theme
    return fix_commands.caption_set(ctx.command_path(ev.path), when, organizer, theme)

@rule("CAPTION_MISSING", ERROR, "图片没有说明")
def caption_missing(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.ext in IMAGE_EXTS and ev.caption is None and not ev.error:
            yield ctx.finding("CAPTION_MISSING", ev.path,
                              "图片没有说明（需注明活动时间、主办单位、活动主题）",
                              _caption_command(ctx, ev))

_PART_RULES = (("time", "CAPTION_NO_TIME", "活动时间"),
               ("organizer", "CAPTION_NO_ORGANIZER", "主办单位"),
               ("theme", "CAPTION_NO_THEME", "活动主题"))

def _caption_part(rule_id: str):
    part, _, label = next(p for p in _PART_RULES if p[1] == rule_id)

    def check(ctx: LintContext) -> Iterable[Finding]:
        for ev in ctx.result.evidence:  # audio and video: a title tag need not be a caption
            if ev.caption is not None and ev.caption.lacks(part) and ev.ext in IMAGE_EXTS:
                message = f"图片说明缺少{label}：「{ev.caption.text[:40]}」"
                if part == "time" and ev.caption.time_text:
                    message = (f"图片说明中的活动时间「{ev.caption.time_text}」不是完整的日期"
                               f"（缺少年份或日）：「{ev.caption.text[:40]}」")
                yield ctx.finding(rule_id, ev.path, message, _caption_command(ctx, ev))
    return check

for _part, _rule_id, _label in _PART_RULES:
    rule(_rule_id, ERROR, f"图片说明缺少{_label}")(_caption_part(_rule_id))

@rule("CAPTION_DATE_MISMATCH", WARNING, "说明日期与拍摄日期不符")
def caption_date_mismatch(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        cap = ev.caption
        if cap and cap.time and ev.exif_date and abs(cap.time - ev.exif_date) > DATE_TOLERANCE:
            yield ctx.finding(
                "CAPTION_DATE_MISMATCH", ev.path,
                f"说明中的活动时间 {cap.time} 与相机记录的拍摄日期 {ev.exif_date} 相差 "
                f"{abs((cap.time - ev.exif_date).days)} 天",
                "核对活动时间；说明有误时运行：" + _caption_command(ctx, ev, ev.exif_date))

@rule("CAPTION_TOO_LONG", WARNING, "图片说明过长，只读取了开头")
def caption_too_long(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.caption is not None and ev.caption.cut_from:
            yield ctx.finding(
                "CAPTION_TOO_LONG", ev.path,
                f"说明文字过长（{ev.caption.cut_from} 字），只读取了前 {MAX_CAPTION} 字",
                "说明只需写明活动时间、主办单位、活动主题（几十到几百字）；精简后重新写入："
                + fix_commands.caption_set(
                    ctx.command_path(ev.path), ev.caption.time or ev.exif_date or ev.date,
                    ev.caption.organizer[:50] or ctx.result.config.unit, ev.theme))

# ---- documents ------------------------------------------------------------------------------
@rule("FOOTER_MISSING", ERROR, "Word 文档页脚没有文档名称")
def footer_missing(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        legacy = ev.ext in (".doc", ".wps") and ev.char_count is not None  # read by LibreOffice
        if (ev.ext not in (".docx", ".docm") and not legacy) or ev.error \
                or ev.name_problem == "no_number":
            continue
        named = ev.footer_named  # judged when the record was built (None: a record made here)
        if named if named is not None else carries_name(ev.footers, ev.name):
            continue
        stem = split_ext(ev.name)[0]
        fix = (f"在 Word/WPS 中于页脚插入「{stem}」（右对齐），并另存为 .docx" if legacy else
               f"在 Word 中于页脚插入「{stem}」（右对齐），或运行："
               f"{fix_commands.footer_fix(ctx.command_path(ev.path))}")
        yield ctx.finding("FOOTER_MISSING", ev.path, f"页脚中没有文档名称「{stem}」", fix)


@rule("REPORT_LENGTH", ERROR, "说明报告字数不符合要求")
def report_length(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.kind != "report" or ev.char_count is None or ev.error or not ev.indicator_id:
            continue
        indicator = ctx.tree.get(ev.indicator_id)
        reports = [r.words for _, r in indicator.rules() if r.kind == "report"]
        ranges = [words for words in reports if words]
        # a report of any length is asked too (提供活动方案和总结): this one may be that one
        if not ranges or len(ranges) < len(reports) \
                or any(lo <= ev.char_count <= hi for lo, hi in ranges):
            continue
        lo, hi = min(ranges, key=lambda w: abs((w[0] + w[1]) / 2 - ev.char_count))
        verb = "精简" if ev.char_count > hi else "补充"
        if ev.has_text_layer is False and not (ev.ocr and ev.ocr.pages_read):
            yield ctx.finding("REPORT_LENGTH", ev.path,
                              f"{report_noun(ev.theme)}是扫描件，还没有识别文字，无法核对字数（要求 {lo}–{hi} 字）",
                              scan_text_fix(ev))
            continue
        scanned = "（扫描件，按识别出的文字计）" if ev.has_text_layer is False else ""
        yield ctx.finding("REPORT_LENGTH", ev.path,
                          f"{report_noun(ev.theme)} {ev.char_count} 字{scanned}，要求 {lo}–{hi} 字",
                          f"{verb}内容至 {lo}–{hi} 字（汉字、全角字符各计 1 字，连续的英文字母或"
                          "数字计 1 字）")

@rule("FILE_UNREADABLE", ERROR, "文件损坏、加密或不完整")
def file_unreadable(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.error and ev.error != UNDECODABLE_NAME:
            yield ctx.finding("FILE_UNREADABLE", ev.path,
                              ev.error_message or "文件无法读取",
                              ev.error_hint or "用原程序打开后重新保存，或从原始来源重新复制")
    for path, why in ctx.result.unreadable_dirs:
        yield ctx.finding("FILE_UNREADABLE", path, f"文件夹无法读取（{why}），其中的文件没有检查",
                          "检查文件夹的权限；路径太长时把文件夹名改短或减少嵌套层数")

@rule("FILE_OVER_LIMIT", WARNING, "文件超出读取上限，只读取了一部分")
def file_over_limit(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        for limit in ev.limits:
            yield ctx.finding("FILE_OVER_LIMIT", ev.path, limit,
                              "检索和字数只涵盖已读取的部分；如需全文检索，请拆分文件或另存为较小的文件")


def scan_text_fix(ev: Evidence) -> str:
    """How the text of a scan gets read, as far as this machine allows."""
    from ..extract.ocr import INSTALL_HINT, PENDING, UNAVAILABLE

    status = ev.ocr_status
    if status == UNAVAILABLE:
        return (f"安装文字识别组件（{INSTALL_HINT}）后运行 archive-tool index 识别文字；"
                "或另附 Word 版本")
    if status == PENDING:
        return "运行 archive-tool index（或 archive-tool watch）识别其中的文字"
    return "用 OCR 生成带文字层的 PDF（如 WPS「PDF 转文字」），或另附 Word 版本"


@rule("FILE_NO_TEXT", WARNING, "PDF 没有文字层")
def file_no_text(ctx: LintContext) -> Iterable[Finding]:
    from ..extract.ocr import DONE, FAILED

    for ev in ctx.result.evidence:
        if ev.ext != ".pdf" or ev.has_text_layer is not False or ev.error:
            continue
        status = ev.ocr_status
        if status == FAILED or (status == DONE and ev.ocr.has_text):
            continue  # OCR_FAILED says why, or the recognised text is searched
        what = ("文字识别也没有读出文字" if status == DONE
                else "尚未识别文字" if status == "pending" else "无法检索内容")
        yield ctx.finding("FILE_NO_TEXT", ev.path, f"PDF 没有文字层（扫描件），{what}",
                          scan_text_fix(ev) if status != DONE else
                          "核对扫描件是否清晰、方向是否正确；或另附 Word 版本")

@rule("FILE_LEGACY_FORMAT", WARNING, "旧格式文件")
def file_legacy_format(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.ext in LEGACY_EXTS and ev.char_count is None:  # not read through LibreOffice
            new_ext = {".xls": ".xlsx", ".et": ".xlsx", ".ppt": ".pptx", ".dps": ".pptx"}.get(
                ev.ext, ".docx")
            yield ctx.finding("FILE_LEGACY_FORMAT", ev.path,
                              f"{ev.ext} 是旧格式，无法读取内容和页脚",
                              f"用 Word/WPS 打开并另存为 {new_ext}（在运行 archive-tool 的电脑上"
                              "安装 LibreOffice 后，旧格式也能读取）")
