"""Frequencies: how often something is done, as (period, occurrences per period).

Families (with or without 至少 / 不少于 / 以上, digits or Chinese numerals):

- 每月 / 每季度 / 每半年 / 每年(度) / 每双月 / 每N个月 / 每周 … N次 (场 期 回 轮 批), the count
  anywhere in the same sub-clause (每年对全局职工进行一次…); without a count, a verb right after
  the marker means once (每月组织集中学习, 领导班子每年专题研究…); a marker with neither is a
  period for the materials that follow (全年提供照片不少于12张);
- 全年 / 年内 / 年度内 … N次 -> per year; 一年两次, 半年一次, 两个月一次, 一周一次;
  上半年、下半年各一次 -> per half; 按季度 / 按月 + a verb -> once per period; N次/季度;
- 至少 N 次, 开展 N 次, N 次以上 without a period -> N in the whole window.

Periods the model has no name for are counted over one it has, so that a unit doing what the
text says is never short: 每两个月 -> 3 per half year, 每四个月 -> 3 per year, 每两年 -> 1 in
the window; weeks are approximated: 每周 -> 4 per month, 每两周 -> 2 per month.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import AT_LEAST, NUM, cn_number

_TIMES = r"(?:次|场|期|回|轮|批)"
VERB = (r"(?:组织开展|集中开展|开展|组织|召开|举办|举行|进行|参加|参与|集中学习|学习|专题研究|研究|"
        r"宣讲|培训|慰问|走访|检查|督查|更新|编发|刊发|发布|报送|上报|讲评|考核|演练|评选|"
        r"评比|播放|张贴|制作|出版|提供|召集|发表|编印|汇报)")
_UNIT = r"(半年|季度|季|年度|年|月度|月|双月|周|星期)"
_LOOK = r"[^,，。；;\n每]{0,20}?" + AT_LEAST + r"?\s*" + NUM + r"\s*" + _TIMES
_COUNT_RE = re.compile(_LOOK)
_MATERIAL_COUNT_RE = re.compile(r"[^,，。；;\n每]{0,20}?" + AT_LEAST + r"?\s*" + NUM
                                + r"\s*[张幅份篇段部条期套本册组个]")
_EVERY_RE = re.compile(r"每\s*(?:" + NUM + r")?\s*个?\s*" + _UNIT)
_YEARLY_RE = re.compile(r"(?<![\d〇零一二三四五六七八九十今去明上下近前])(全年|年内|年度内)(?!性)")
_RATIO_RE = re.compile(r"(?<![每\d上下近前后])(?:(\d{1,2}|[一二两三四五六七八九十]+)\s*个?\s*)?(月|季度|季|半年|年|周)\s*"
                       + NUM + r"\s*" + _TIMES)
_HALVES_RE = re.compile(r"上\s*(?:半年)?\s*[、和及与]?\s*下半年\s*(?:各|分别)[^,，。；;\n]{0,10}?"
                        + NUM + r"\s*" + _TIMES)
_BY_RE = re.compile(r"(?:按|逐)\s*(月|季度|季|半年|年度|年)\s*度?\s*(?=" + VERB + ")")
_SLASH_RE = re.compile(NUM + r"\s*次\s*/\s*" + _UNIT)
_WINDOW_RE = re.compile(
    r"(?<![每第各])(?:" + AT_LEAST + r"\s*(?:" + VERB + r"\s*)?" + NUM + r"\s*" + _TIMES
    + r"|" + VERB + r"\s*" + NUM + r"\s*(?:次|场|回|轮)(?:以上)?|" + NUM + r"\s*(?:次|场)以上)"
    + r"(?!\s*(?:会议|全会|代表大会|党代会))")
_MONTHS = {"月": 1, "月度": 1, "双月": 2, "季度": 3, "季": 3, "半年": 6, "年度": 12, "年": 12}
_PERIOD_OF_MONTHS = {1: "month", 3: "quarter", 6: "half", 12: "year"}


@dataclass(frozen=True)
class Freq:
    """A frequency phrase: occurrences per period; ``count`` None is a bare period marker."""

    start: int
    end: int
    period: str
    count: int | None


def per_period(every: int, unit: str, count: int) -> tuple[str, int]:
    """(period, occurrences) for "``count`` times every ``every`` ``unit``" (see the module)."""
    if unit in ("周", "星期"):
        return ("month", count * (4 // every)) if every <= 4 else ("year", count * max(1, 52 // every))
    months = every * _MONTHS[unit]
    if months > 12:
        return "window", count
    for span in (1, 3, 6, 12):
        if span % months == 0:
            return _PERIOD_OF_MONTHS[span], count * span // months
    return "year", count * (12 // months)


def _after(text: str, end: int) -> tuple[int | None, int] | None:
    """The count following a period marker in its sub-clause, or 1 when a verb follows right
    away, or None when a count of materials does (每季度4张照片); None when nothing does (全年总结
    is a kind of summary, not a period)."""
    match = _COUNT_RE.match(text, end)
    if match and (count := cn_number(match.group(1))):
        return count, match.end()
    if re.match(r"[^,，。；;\n]{0,20}?" + VERB, text[end:end + 24]):
        return 1, end
    if _MATERIAL_COUNT_RE.match(text, end):
        return None, end
    return None


def _marked(text: str) -> list[Freq]:
    found = []
    for m in _EVERY_RE.finditer(text):
        every = cn_number(m.group(1)) if m.group(1) else 1
        following = _after(text, m.end())
        if every and following:
            count, end = following
            period, n = per_period(every, m.group(2), count or 1)
            found.append(Freq(m.start(), end, period, n if count else None))
    for m in _YEARLY_RE.finditer(text):
        if following := _after(text, m.end()):
            found.append(Freq(m.start(), following[1], "year", following[0]))
    return found


def _counted(text: str) -> list[Freq]:
    found = []
    for m in _RATIO_RE.finditer(text):
        every = cn_number(m.group(1)) if m.group(1) else (1 if m.group(2) == "半年" else None)
        count = cn_number(m.group(3))
        if every and count:
            found.append(Freq(m.start(), m.end(), *per_period(every, m.group(2), count)))
    for m in _HALVES_RE.finditer(text):
        if count := cn_number(m.group(1)):
            found.append(Freq(m.start(), m.end(), "half", count))
    for m in _BY_RE.finditer(text):
        found.append(Freq(m.start(), m.end(), *per_period(1, m.group(1), 1)))
    for m in _SLASH_RE.finditer(text):
        if count := cn_number(m.group(1)):
            found.append(Freq(m.start(), m.end(), *per_period(1, m.group(2), count)))
    return found


def find_frequencies(text: str) -> list[Freq]:
    """Every frequency phrase of the (folded) text, in text order, overlaps resolved in favour
    of the phrase found first (periodic ones before those over the window)."""
    found: list[Freq] = []
    for freq in _counted(text) + _marked(text):
        if not any(f.start < freq.end and freq.start < f.end for f in found):
            found.append(freq)
    for m in _WINDOW_RE.finditer(text):
        number = next(g for g in m.groups() if g)
        count = cn_number(number)
        if count and not any(f.start < m.end() and m.start() < f.end for f in found):
            found.append(Freq(m.start(), m.end(), "window", count))
    return sorted(found, key=lambda f: f.start)
