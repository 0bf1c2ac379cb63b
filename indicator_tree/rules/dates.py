"""Deadlines in requirement text: one date, or several cut-offs in one phrase.

- ``6月底`` / ``6月末`` (前), ``2020年4月底前``, ``6月30日前`` / ``之前`` / ``以前`` / ``止``,
  ``6月上旬`` / ``中旬`` / ``下旬`` (the 10th, the 20th, the month's last day); ``年底前``,
  ``一季度完成`` / ``第二季度末前``, ``上半年完成`` (the period's last day; with 前 or 完成 only:
  ``上半年、下半年各一次`` is a frequency);
- a day without 前 (``6月30日``) only where it is a deadline: followed by 完成 / 报送 / 上报 /
  提交, in a list ending in 前 (``6月30日、12月20日前``), or after a label (``完成时限：``,
  ``上报时间：``, ``截止日期：``); a day alone is an event (``3月5日学雷锋日``);
- several dates in one list (``2024年6月30日前、12月31日前``) are one group: per-period
  cut-offs; a date without its year takes the year of the date before it in the list;
- a date of a draft (``6月底前完成初稿``) is no deadline: the final text is not rejected after it;
- a submission lag (``每月5日前``, ``每季度末``, ``次月10日前``) names no month: no deadline.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_YEAR = r"(?:(\d{4})\s*年\s*)?"
_BEFORE = r"(?:前|之前|以前|止|为止)"
_DATE_RE = re.compile(
    _YEAR + r"(?:(\d{1,2})\s*月\s*(?:(底|末)|(上旬|中旬|下旬)|(\d{1,2})\s*[日号])|(年底|年末)"
    r"|(?<![每个])第?([一二三四1-4])\s*季度\s*(?:末|底)?|(?<![每个])(上|下)半年(?:末|底)?)")
_LABEL_RE = re.compile(r"(?:时间|时限|期限|截止日期|截止时间|完成日期|报送日期)\s*[:：]\s*$")
_DUE_AFTER_RE = re.compile(r"\s*(?:" + _BEFORE + r"|完成|报送|上报|提交|报)")
_LIST_SEP_RE = re.compile(r"\s*(?:" + _BEFORE + r")?\s*(?:[、,，和及与]|以及)\s*$")
_DRAFT_RE = re.compile(r"初稿|草稿|征求意见稿")


@dataclass(frozen=True)
class Due:
    """A deadline phrase: where it stands and its dates (two or more: per-period cut-offs)."""

    start: int
    end: int
    dates: tuple[date, ...]


def _day(match: re.Match, year: int) -> date | None:
    if match.group(7) or match.group(8):  # 一季度 / 上半年: the period's last day
        quarter = match.group(7)
        if quarter:
            month = 3 * (int(quarter) if quarter.isdigit() else "一二三四".index(quarter) + 1)
        else:
            month = 6 if match.group(8) == "上" else 12
        return date(year, month, calendar.monthrange(year, month)[1])
    month = int(match.group(2)) if match.group(2) else 12
    if not 1 <= month <= 12 or not 1 <= year <= 9999:
        return None
    last = calendar.monthrange(year, month)[1]
    if match.group(6) or match.group(3):
        return date(year, month, last)
    if match.group(4):
        return date(year, month, {"上旬": 10, "中旬": 20}.get(match.group(4), last))
    day = int(match.group(5))
    return date(year, month, day) if 1 <= day <= last else None


def _is_due(text: str, match: re.Match, listed: bool) -> bool:
    """Whether a date is a deadline rather than an event (see the module docstring)."""
    if match.group(6) or match.group(7) or match.group(8):  # 年底, 一季度, 上半年: with 前 / 完成
        return bool(_DUE_AFTER_RE.match(text, match.end()))
    if match.group(3) or match.group(4):  # 月底, 上旬
        return True
    if _DUE_AFTER_RE.match(text, match.end()) or listed:
        return True
    head = text[max(0, match.start() - 12):match.start()]
    return bool(_LABEL_RE.search(head))


def find_dues(text: str, year: int | None) -> list[Due]:
    """Every deadline phrase of ``text``, in text order; dates without a year take ``year``
    (or the year of the date before them in the same list); none when neither is known."""
    groups: list[list[re.Match]] = []
    for m in _DATE_RE.finditer(text):
        if groups and _LIST_SEP_RE.fullmatch(text[groups[-1][-1].end():m.start()] or "x"):
            groups[-1].append(m)
        else:
            groups.append([m])
    dues = []
    for group in groups:
        head = text[max(0, group[0].start() - 12):group[0].start()]
        listed = len(group) > 1 and bool(_DUE_AFTER_RE.match(text, group[-1].end())
                                         or _LABEL_RE.search(head))
        days, current = [], year
        for m in group:
            current = int(m.group(1)) if m.group(1) else current
            if current is None or not _is_due(text, m, listed) or _draft(text, m.end()):
                continue
            day = _day(m, current)
            if day:
                days.append(day)
        if days:
            dues.append(Due(group[0].start(), group[-1].end(), tuple(sorted(set(days)))))
    return dues


def _draft(text: str, end: int) -> bool:
    """A date followed, before the sub-clause ends, by 初稿: the date of a draft."""
    rest = re.split(r"[。；;,，\n]", text[end:end + 20], maxsplit=1)[0]
    return bool(_DRAFT_RE.search(rest))
