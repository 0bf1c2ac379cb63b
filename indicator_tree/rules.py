"""Requirement text -> EvidenceRules.

Understands the phrasings of the seed tables:

- frequencies: 每月/每季度/每半年/每年 (开展) 至少 开展/组织/召开 N 次 -> ``any`` evidence, N per
  period; 至少开展 N 次 without 每 -> N over the whole window; periods the model lacks are
  counted over a period it has (see :func:`_frequency`: 每两个月 -> 3 per half year, 每周 -> 4
  per month);
- photos and clippings: N张现场照片 -> photo; N张样报图片 / 电视截屏 / 网络截图 -> clipping;
  photos always need a caption, clippings when the text says 注明;
- reports: 说明报告，400字左右 / 说明报告（400字左右） -> report of 300–600 characters (see
  :func:`word_range`); a length alone (工作总结，800字左右; 不少于1000字; 1500字以上) -> report too;
- documents: 提供……正式发文 / 发文 / 印发 / 文件 -> document, unless the clause asks for a report
  about it ("提供……清单的主要内容(说明报告，700字左右)");
- deadlines: 6月底, 于2020年4月底前完成, 2020年6月30日前 -> the date, in the window's year when
  the text gives none; each rule takes the deadline of its own clause, a deadline standing
  alone applies to the rules whose clause names none.

The text is NFKC-folded and folded from traditional to simplified script (OpenCC t2s) first.
Numbers may be digits (full-width too) or Chinese numerals 一 二 两 三 … 十 百 千.
A requirement from which nothing can be parsed asks for at least one document in the window,
of any kind (``kind="any"``, ``source="default"``); rules written in the tree file replace parsed ones entirely.
"""
from __future__ import annotations

import bisect
import calendar
import re
import unicodedata
from dataclasses import replace
from datetime import date

from .model import EvidenceRule

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUM = r"(\d+|[零〇一二两三四五六七八九十百千]+)"


def cn_number(token: str) -> int | None:
    """``"5"`` -> 5, ``"两"`` -> 2, ``"十二"`` -> 12, ``"八百"`` -> 800, ``"一千二百"`` -> 1200;
    None if not a number."""
    token = unicodedata.normalize("NFKC", token).strip()
    if token.isdigit():
        return int(token)
    if not token or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in token):
        return None
    if len(token) == 1 and token in _CN_DIGITS:
        return _CN_DIGITS[token]
    total, digit, last_unit = 0, None, 10_000
    for ch in token:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0:
                return None  # two digits in a row: "一二"
            digit = _CN_DIGITS[ch] if _CN_DIGITS[ch] else None
        else:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None  # "十十", "十百"
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def word_range(target: int) -> tuple[int, int]:
    """The accepted length of a report asked for "about ``target`` characters" (X字左右).

    Inspectors read 左右 loosely: three quarters of the target up to one and a half times it.
    400 -> (300, 600); 700 -> (525, 1050).
    """
    return (round(target * 0.75), round(target * 1.5))


_MONTHS = {"月": 1, "季度": 3, "季": 3, "半年": 6, "年度": 12, "年": 12}
_PERIOD_OF_MONTHS = {1: "month", 3: "quarter", 6: "half", 12: "year"}
_VERB = r"(?:要)?(?:组织开展|开展|组织|召开|举办|举行|进行|参加)?"
_FREQ_RE = re.compile(
    r"每\s*(?:" + NUM + r")?\s*个?\s*(半年|季度|季|年度|年|月|周|星期)\s*(?:度)?\s*" + _VERB
    + r"\s*(?:至少|不少于|最少)\s*" + _VERB + r"\s*" + NUM + r"\s*(?:次|场|期|回)"
)
_ONCE_RE = re.compile(
    r"(?<!每)(?:至少|不少于)\s*(?:组织开展|开展|组织|召开|举办|举行|进行)?\s*" + NUM
    + r"\s*(?:次|场)"
)
_PICTURE_RE = re.compile(
    NUM + r"\s*张\s*([^，,；;。（()）\d张]{0,12}?)(照片|图片|截屏|截图|图)"
)
_CLIPPING_WORDS = ("样报", "报纸", "截屏", "截图", "电视", "网页", "网络")
_REPORT_RE = re.compile(r"说明报告\s*[，,、：:（(]?\s*(?:约|不少于)?\s*(?:" + NUM
                        + r"\s*字\s*(左右|以上)?)?")
#: a length on its own ("工作总结，800字左右", "不少于1000字") asks for a written report too
_WORDS_RE = re.compile(r"(约|不少于|不低于)?\s*" + NUM + r"\s*字\s*(左右|以上)?")
#: 提供……正式发文 / 发文 / 印发… / 文件 within one clause. A clause whose ask is a report
#: ("提供本市应急减排措施清单的主要内容(说明报告，700字左右)") names the report's subject, not a
#: document; 制度, 方案, 计划, 清单 are things a report or a document is about, never an ask.
_DOCUMENT_RE = re.compile(r"提供[^。；;\n①-⑳]*?(正式发文|发文|印发|文件(?!精神))")
_REPORT_ASK_RE = re.compile(r"[（(]\s*说明报告")
#: clause boundaries: sentences, list items (①…), lines; sub-clauses also end at a comma
_CLAUSE_RE = re.compile(r"[。；;\n]|(?=[①-⑳])")
_SUBCLAUSE_RE = re.compile(r"[。；;\n，,]|(?=[①-⑳])")

_DEADLINE_PATTERNS = (
    re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*底"),
    re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|之前|以前)"),
)

_opencc = None


def fold(text: str) -> str:
    """What the parser reads: NFKC (full-width digits), traditional script folded to simplified
    (召開 -> 召开, 說明報告 -> 说明报告) by OpenCC ``t2s``."""
    global _opencc
    text = unicodedata.normalize("NFKC", text or "")
    if not text.isascii():
        if _opencc is None:
            import opencc

            _opencc = opencc.OpenCC("t2s")
        text = _opencc.convert(text)
    return text


def _deadlines(text: str, year: int | None) -> list[tuple[int, date]]:
    """Every deadline the text names, as (position, date), in text order."""
    found = []
    for kind, pattern in enumerate(_DEADLINE_PATTERNS):
        for match in pattern.finditer(text):
            y = int(match.group(1)) if match.group(1) else year
            month = int(match.group(2))
            if y is None or not 1 <= month <= 12 or not 1 <= y <= 9999:
                continue
            day = calendar.monthrange(y, month)[1] if kind == 0 else int(match.group(3))
            try:
                found.append((match.start(), date(y, month, day)))
            except ValueError:
                continue
    return sorted(found, key=lambda item: item[0])


def parse_deadline(text: str, year: int | None = None) -> date | None:
    """The first deadline a text names (``6月底`` -> June 30 of ``year``), or None."""
    found = _deadlines(fold(text), year)
    return found[0][1] if found else None


def _bounds(pattern: re.Pattern, text: str) -> list[int]:
    return [0] + [m.end() if m.end() > m.start() else m.start() for m in pattern.finditer(text)] \
        + [len(text) + 1]


def _part(bounds: list[int], pos: int) -> int:
    return bisect.bisect_right(bounds, pos) - 1


def _frequency(match: re.Match) -> EvidenceRule | None:
    """每月/每季度/每半年/每年 -> that period. Months the model has no period for are counted
    over the smallest period holding whole ones, so a unit that meets the text is never short:
    每两个月 -> 3 per half year, 每四个月 -> 3 per year, 每五个月 -> 2 per year, 每两年 -> the
    window. Weeks are approximated: 每周 -> 4 per month, 每两周 -> 2 per month (a month that
    starts and ends mid-week holds only three whole weeks)."""
    count = cn_number(match.group(3))
    every = cn_number(match.group(1)) if match.group(1) else 1
    if not count or not every:
        return None
    unit = match.group(2)
    if unit in ("周", "星期"):
        if every <= 4:
            return EvidenceRule(kind="any", min_count=count * (4 // every), period="month")
        return EvidenceRule(kind="any", min_count=count * max(1, 52 // every), period="year")
    months = every * _MONTHS[unit]
    if months > 12:
        return EvidenceRule(kind="any", min_count=count, period="window")
    for span in (1, 3, 6, 12):
        if span % months == 0:
            return EvidenceRule(kind="any", min_count=count * span // months,
                                period=_PERIOD_OF_MONTHS[span])
    return EvidenceRule(kind="any", min_count=count * (12 // months), period="year")


def _report_words(target: int | None, qualifier: str) -> tuple[int, int] | None:
    if not target:
        return None
    if qualifier in ("不少于", "不低于", "以上"):
        return (target, target * 3)
    return word_range(target)


def _matches(text: str) -> list[tuple[int, int, EvidenceRule]]:
    """(start, end, rule) for every rule phrase of the (folded) text, by kind: frequencies,
    pictures, reports, documents (the order rules are listed in)."""
    found: list[tuple[int, int, EvidenceRule]] = []
    captioned = "注明" in text
    periodic = [(m, rule) for m in _FREQ_RE.finditer(text) if (rule := _frequency(m))]
    found += [(m.start(), m.end(), rule) for m, rule in periodic]
    if not periodic:
        for match in _ONCE_RE.finditer(text):
            count = cn_number(match.group(1))
            if count:
                found.append((match.start(), match.end(),
                              EvidenceRule(kind="any", min_count=count, period="window")))
    for match in _PICTURE_RE.finditer(text):
        count = cn_number(match.group(1))
        if not count:
            continue
        what = match.group(2) + match.group(3)
        if any(word in what for word in _CLIPPING_WORDS):
            rule = EvidenceRule(kind="clipping", min_count=count, caption_required=captioned)
        else:
            rule = EvidenceRule(kind="photo", min_count=count, caption_required=True)
        found.append((match.start(), match.end(), rule))
    reports = []
    for match in _REPORT_RE.finditer(text):
        target = cn_number(match.group(1)) if match.group(1) else None
        qualifier = "不少于" if "不少于" in match.group(0) else (match.group(2) or "")
        reports.append((match.start(), match.end()))
        found.append((match.start(), match.end(),
                      EvidenceRule(kind="report", words=_report_words(target, qualifier))))
    for match in _WORDS_RE.finditer(text):
        target = cn_number(match.group(2))
        qualifier = match.group(1) or match.group(3)
        if not qualifier or not target or target < 50 \
                or any(s <= match.start(2) < e for s, e in reports):
            continue
        found.append((match.start(), match.end(),
                      EvidenceRule(kind="report", words=_report_words(target, qualifier))))
    clauses = _bounds(_CLAUSE_RE, text)
    for match in _DOCUMENT_RE.finditer(text):
        clause_end = clauses[_part(clauses, match.start()) + 1]
        if not _REPORT_ASK_RE.search(text, match.end(), clause_end):
            found.append((match.start(), match.end(), EvidenceRule(kind="document")))
    return found


def _parse(text: str, year: int | None) -> tuple[tuple[EvidenceRule, ...], date | None]:
    """The rules of a text, each with the deadline of its own clause, and the text's general
    deadline (the first one standing in a clause that asks for nothing, e.g. "6月底")."""
    text = fold(text)
    found = _matches(text)
    deadlines = _deadlines(text, year)
    clauses, subclauses = _bounds(_CLAUSE_RE, text), _bounds(_SUBCLAUSE_RE, text)
    asking = {_part(clauses, start) for start, _, _ in found}
    general = next((day for pos, day in deadlines if _part(clauses, pos) not in asking), None)
    merged: dict[tuple, EvidenceRule] = {}
    for start, end, rule in found:
        parts = range(_part(subclauses, start), _part(subclauses, max(start, end - 1)) + 1)
        own = [day for pos, day in deadlines if _part(subclauses, pos) in parts]
        if not own:  # the nearest deadline of the same clause
            clause = _part(clauses, start)
            near = sorted((min(abs(pos - start), abs(pos - end)), pos, day)
                          for pos, day in deadlines if _part(clauses, pos) == clause)
            own = [day for _, _, day in near]
        rule = _with_deadline(rule, own[0] if own else general)
        key = (rule.kind, rule.period, rule.words, rule.caption_required, rule.deadline)
        prev = merged.get(key)
        merged[key] = rule if prev is None else replace(prev, min_count=prev.min_count + rule.min_count)
    return tuple(merged.values()), general


def parse_rules(text: str, year: int | None = None) -> tuple[EvidenceRule, ...]:
    """Every rule the text states, merged by kind; empty when it states none.

    Each rule takes the deadline of its own clause ("提供正式发文（4月底前完成）；说明报告，400字
    左右（6月底前完成初稿）": the document by April 30, the report by June 30); a deadline standing
    alone ("……。6月底") applies to the rules whose clause names none.
    """
    return _parse(text, year)[0]


def _with_deadline(rule: EvidenceRule, deadline: date | None, source: str | None = None
                   ) -> EvidenceRule:
    return replace(rule, deadline=rule.deadline or deadline, source=source or rule.source)


#: what a requirement asks for when nothing in it parses: "at least one document", read as at
#: least one evidence file of any kind (a photo of a study session is evidence of the study)
DEFAULT_RULE = EvidenceRule(kind="any", min_count=1, period="window", source="default")


def rules_for(text: str, note: str = "", year: int | None = None, *,
              explicit: list[EvidenceRule] | None = None,
              deadline: date | None = None) -> tuple[EvidenceRule, ...]:
    """The rules of one requirement.

    Explicit rules (from the tree file) win, even an empty list (no evidence asked of the unit,
    e.g. a 部门评价 item). Otherwise the text and its note are parsed; when nothing parses, the
    requirement asks for at least one document. A requirement-level deadline applies to every
    rule that has none of its own.
    """
    if explicit is not None:
        return tuple(_with_deadline(r, deadline) for r in explicit)
    parsed, general = _parse(f"{text}\n{note}", year)
    if not parsed:
        return (_with_deadline(DEFAULT_RULE, deadline or general),)
    return tuple(_with_deadline(r, deadline) for r in parsed)


def requirement_deadline(text: str, note: str = "", year: int | None = None) -> date | None:
    """The deadline of a requirement as a whole, when its text gives one: the deadline standing
    alone ("……。6月底"), else the one every parsed rule shares; None when the rules' deadlines
    differ. Written back as the requirement's ``deadline`` it changes none of its rules."""
    parsed, general = _parse(f"{text}\n{note}", year)
    if general or not parsed:
        return general
    days = {rule.deadline for rule in parsed}
    return days.pop() if len(days) == 1 else None
