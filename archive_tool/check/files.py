"""One file as the gap report sees it: which rules it can count toward, and why not.

:class:`CheckedFile` is computed once per Evidence record; :meth:`CheckedFile.reasons` lists the
reason codes (lint rule ids or :data:`~.model.CHECK_CODES`) that keep it from counting toward one
rule, :meth:`CheckedFile.not_counted` turns a code into the line the report shows.
"""
from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from indicator_tree.kinds import RULE_LABELS
from indicator_tree.model import PERIOD_LABELS

from ..dating import named_span
from ..evidence import report_noun
from .model import CAPTION_RULES, CHECK_CODES, DISQUALIFYING, LENGTH_RULE, NotCounted

if TYPE_CHECKING:  # pragma: no cover
    from indicator_tree import EvidenceRule

    from ..evidence import Evidence, Finding

#: where an evidence date came from (Evidence.date_source), for the report's messages
DATE_SOURCES = {
    "caption": "取自照片说明",
    "name": "取自文件名",
    "ocr": "取自扫描件上印的日期（文字识别）",
    "exif": "取自照片的拍摄时间",
    "media": "取自音视频文件记录的录制时间",
    "folder": "取自活动文件夹名",
    "docx": "取自 Word 文档属性中的创建时间",
    "pdf": "取自 PDF 文档属性中的创建时间",
    "camera": "取自相机或手机生成的文件名",
}
#: how to correct a wrong date, by where it came from
_DATE_FIXES = {
    "caption": "核对照片说明中的活动时间（archive-tool caption set 可改写）",
    "name": "核对文件名中的日期",
    "exif": "拍摄时间不对时，用 archive-tool caption set 写入活动时间（照片说明优先于拍摄时间）",
    "folder": "核对活动文件夹名开头的日期",
    "ocr": "扫描件上印的日期不是活动日期时，在文件名主题中写明日期（文件名中的日期优先）",
    "media": "录制时间不对时，用 archive-tool caption set 写入活动时间（说明优先于录制时间）",
    "camera": "文件名中的拍摄时间不是活动日期时，在文件名主题中写明日期，或用 archive-tool caption set "
              "写入活动时间",
}
#: a document that stays in force once made (制度, 方案, 正式发文): one made before the window
#: counts toward a rule asking for such a document in the window (:func:`allows_standing`)
STANDING_WORDS = ("制度", "办法", "规定", "规则", "细则", "章程", "方案", "规划", "守则", "公约",
                  "准则", "条例", "机制", "实施意见", "正式发文", "印发")
#: a document number: 〔2022〕12号, [2022]3号, （2022）5号
_DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d+\s*号")


def standing_document(ev: "Evidence") -> bool:
    """True for a document that stays in force: its theme names a 制度, 方案, 办法 … or carries
    a document number (正式发文)."""
    return ev.kind == "document" and (any(word in ev.theme for word in STANDING_WORDS)
                                      or _DOC_NUMBER.search(ev.theme) is not None)


def allows_standing(rule: "EvidenceRule") -> bool:
    """A rule satisfied by a document in force: once in the window, a document (or anything)."""
    return rule.kind in ("document", "any") and rule.period == "window" and not rule.each
_DATE_FIX_DOCUMENT = "文件属性中的创建时间不是活动日期时，在文件名主题中写明日期，如「01：2018年3月5日 主题」（文件名中的日期优先）"


_WHICH = {"month": "哪个月", "quarter": "哪个季度", "half": "上半年还是下半年", "year": "哪一年"}


def _dated(ev: "Evidence") -> str:
    where = DATE_SOURCES.get(ev.date_source or "")
    return f"日期 {ev.date}（{where}）" if where else f"日期 {ev.date} "


#: date sources that say when a document was written, not what it is about: there the period
#: its name names (上半年, 二季度, 2024年度) decides where it counts (:func:`named_span`)
_WRITTEN = (None, "docx", "pdf", "ocr")  # a printed 落款 date is when it was written too


class CheckedFile:
    """What check needs to know about one Evidence record, computed once.

    ``span`` is the period the name of a document names (``2024年上半年工作总结``: the first
    half, though written on July 3), None for a file dated by a caption, a name's date, a
    camera or a folder; ``day`` is the file's date, else the first day of its ``span``."""

    __slots__ = ("ev", "general", "caption", "date_code", "date_message", "findings", "standing",
                 "span", "day")

    def __init__(self, ev: "Evidence", findings: dict[str, "Finding"], window: tuple[date, date],
                 as_of: date):
        self.ev = ev
        self.findings = findings
        self.general = [r for r in DISQUALIFYING if r in findings]
        self.caption = [r for r in CAPTION_RULES if r in findings]
        self.date_code = self.date_message = None
        span = self.span = (named_span(ev.theme, window, ev.date) if ev.date_source in _WRITTEN
                            else None)
        self.day = ev.date or (span.start if span else None)
        self.standing = (self.day is not None and (span.end if span else self.day) < window[0]
                         and standing_document(ev))
        if self.day is None:
            # unreadable (or a name that cannot be read) says it all: no second reason
            if "FILE_UNREADABLE" not in findings and "NAME_UNDECODABLE" not in findings:
                self.date_code = "DATE_UNKNOWN"
                self.date_message = CHECK_CODES["DATE_UNKNOWN"]
        elif span and not (span.end >= window[0] and span.start <= window[1]):
            self.date_code = "DATE_OUTSIDE_WINDOW"  # 2023年度工作总结, written in January 2024
            self.date_message = f"文件名写明「{span.text}」，不在考核期（{window[0]} 至 {window[1]}）内"
        elif ev.date is None:
            pass  # dated by its name's period alone: where it counts is decided per rule
        elif not window[0] <= ev.date <= window[1] and not (
                span and window[0] <= span.start and span.end <= window[1]):  # 2024年度计划 of
            # December 2023 is the 2024 plan: its name's period decides where it counts
            self.date_code = "DATE_OUTSIDE_WINDOW"
            self.date_message = f"{_dated(ev)}不在考核期（{window[0]} 至 {window[1]}）内"
        elif ev.date > as_of:
            self.date_code = "DATE_AFTER_AS_OF"
            self.date_message = f"{_dated(ev)}晚于报告日期 {as_of}"

    def reasons(self, rule: "EvidenceRule", deadline: date | None,
                standing: bool = False) -> list[str]:
        """Why this file does not count toward ``rule`` with ``deadline`` (empty when it does).
        ``standing``: the rule takes a document in force made before the window
        (:attr:`standing` tells whether this file is one)."""
        ev = self.ev
        out = list(self.general)
        captioned = bool(self.caption) and (ev.kind == "photo" or rule.caption_required)
        if captioned:
            out += self.caption
        if (rule.kind == "report" and rule.words and ev.char_count is not None
                and not rule.words[0] <= ev.char_count <= rule.words[1]):
            out.append(LENGTH_RULE)
        if self.date_code == "DATE_UNKNOWN" and captioned:
            pass  # the caption's fix gives the date too: one reason, one fix
        elif self.standing and standing:
            pass
        elif self.date_code:
            out.append(self.date_code)
        elif deadline and ev.date is not None and ev.date > deadline:
            out.append("AFTER_DEADLINE")
        return out

    def _date_fix(self, default: str) -> str:
        source = self.ev.date_source or ""
        if source in ("docx", "pdf"):
            return f"{default}；{_DATE_FIX_DOCUMENT}"
        return f"{default}；{_DATE_FIXES[source]}" if source in _DATE_FIXES else default

    def not_counted(self, code: str, rule: "EvidenceRule | None" = None,
                    deadline: date | None = None) -> NotCounted:
        ev = self.ev
        finding = self.findings.get(code)
        if finding is not None:
            return NotCounted(ev.path, code, finding.message, finding.fix)
        if code == LENGTH_RULE and rule is not None and rule.words:
            lo, hi = rule.words
            return NotCounted(ev.path, code,
                              f"{report_noun(ev.theme)} {ev.char_count} 字，要求 {lo}–{hi} 字",
                              f"{'精简' if ev.char_count > hi else '补充'}内容至 {lo}–{hi} 字")
        if code == "DATE_UNKNOWN" and self.span is not None and rule is not None:
            return NotCounted(ev.path, code, f"文件名只写明「{self.span.text}」，无法确定属于"
                              f"{_WHICH.get(rule.period, '哪一期')}（{PERIOD_LABELS[rule.period]}计）",
                              "在文件名主题中写明月份或日期，如「01：2024年3月 主题」")
        if code == "DATE_UNKNOWN":
            fix = ("用 archive-tool caption set 写入带活动时间的照片说明" if ev.kind == "photo"
                   else "在文件名主题中写明日期，如「01：2018年3月5日 主题」")
            return NotCounted(ev.path, code, self.date_message, fix)
        if code == "DATE_OUTSIDE_WINDOW":
            return NotCounted(ev.path, code, self.date_message,
                              self._date_fix("考核期以外的材料不计入本次测评"))
        if code == "DATE_AFTER_AS_OF":
            return NotCounted(ev.path, code, self.date_message,
                              self._date_fix("报告日期之后的材料不计入"))
        if code == "AFTER_DEADLINE":
            return NotCounted(ev.path, code,
                              f"{_dated(ev)}晚于{RULE_LABELS[rule.kind]}的截止日期 {deadline}",
                              self._date_fix("截止日期前的材料才计入"))
        if code == "AFTER_INSPECTION":
            return NotCounted(ev.path, code, f"{_dated(ev)}晚于迎检日 {deadline}",
                              self._date_fix("迎检日之后的材料测评组看不到，不计入"))
        if code == "NOT_ASSESSED":
            return NotCounted(ev.path, code, CHECK_CODES[code],
                              "核对文件是否放错了指标文件夹；本指标的材料由测评组另行评价")
        if code == "PLACE_OUTSIDE":
            return NotCounted(ev.path, code, "文件不在末级指标文件夹内", "移到对应的末级指标文件夹")
        if code == "PLACE_UNKNOWN_DIR":
            return NotCounted(ev.path, code, "文件所在的文件夹不对应任何指标",
                              "把文件移到对应的指标文件夹")
        return NotCounted(ev.path, code, code)

    def outside_leaf(self) -> NotCounted:
        """The line of a file bound to a parent indicator or to no indicator at all."""
        code = next((r for r in ("PLACE_OUTSIDE", "PLACE_UNKNOWN_DIR") if r in self.findings),
                    "PLACE_OUTSIDE")
        return self.not_counted(code)
