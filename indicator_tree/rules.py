"""Requirement text -> EvidenceRules.

Understands the phrasings of the seed tables:

- frequencies: 每月/每季度/每半年/每年 至少 开展/组织/召开 N 次 -> ``any`` evidence, N per period;
  至少开展 N 次 without 每 -> N over the whole window;
- photos and clippings: N张现场照片 -> photo; N张样报图片 / 电视截屏 / 网络截图 -> clipping;
  photos always need a caption, clippings when the text says 注明;
- reports: 说明报告，400字左右 -> report of 300–600 characters (see :func:`word_range`);
- documents: 提供……正式发文 / 文件 -> document;
- deadlines: 6月底, 于2020年4月底前完成, 2020年6月30日前 -> the date, in the window's year when
  the text gives none.

Numbers may be digits (full-width too) or Chinese numerals 一 二 两 三 … 十 … 九十九.
A requirement from which nothing can be parsed asks for at least one document in the window,
of any kind (``kind="any"``, ``source="default"``); rules written in the tree file replace parsed ones entirely.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from .model import EvidenceRule

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
NUM = r"(\d+|[零〇一二两三四五六七八九十]+)"


def cn_number(token: str) -> int | None:
    """``"5"`` -> 5, ``"两"`` -> 2, ``"十二"`` -> 12, ``"二十"`` -> 20; None if not a number."""
    token = unicodedata.normalize("NFKC", token).strip()
    if token.isdigit():
        return int(token)
    if not token or any(ch not in _CN_DIGITS and ch != "十" for ch in token):
        return None
    if "十" in token:
        tens, _, ones = token.partition("十")
        if "十" in ones:
            return None
        high = _CN_DIGITS.get(tens, None) if tens else 1
        low = _CN_DIGITS.get(ones, None) if ones else 0
        if high is None or low is None:
            return None
        return high * 10 + low
    if len(token) == 1:
        return _CN_DIGITS[token]
    return None


def word_range(target: int) -> tuple[int, int]:
    """The accepted length of a report asked for "about ``target`` characters" (X字左右).

    Inspectors read 左右 loosely: three quarters of the target up to one and a half times it.
    400 -> (300, 600); 700 -> (525, 1050).
    """
    return (round(target * 0.75), round(target * 1.5))


_PERIODS = {"月": "month", "季度": "quarter", "季": "quarter", "半年": "half", "年": "year",
            "年度": "year"}
_FREQ_RE = re.compile(
    r"每\s*(半年|季度|季|年度|年|月)\s*(?:度)?\s*(?:至少|不少于|最少)\s*"
    r"(?:要)?(?:组织开展|开展|组织|召开|举办|举行|进行|参加)?\s*" + NUM + r"\s*(?:次|场|期|回)"
)
_ONCE_RE = re.compile(
    r"(?<!每)(?:至少|不少于)\s*(?:组织开展|开展|组织|召开|举办|举行|进行)?\s*" + NUM
    + r"\s*(?:次|场)"
)
_PICTURE_RE = re.compile(
    NUM + r"\s*张\s*([^，,；;。（()）\d张]{0,12}?)(照片|图片|截屏|截图|图)"
)
_CLIPPING_WORDS = ("样报", "报纸", "截屏", "截图", "电视", "网页", "网络")
_REPORT_RE = re.compile(r"说明报告\s*[，,、：:]?\s*(?:约|不少于)?\s*(?:" + NUM + r"\s*字\s*(左右)?)?")
#: 提供……正式发文 within one sentence / one numbered item (①②…), so it never borrows words
#: from the next item
_DOCUMENT_RE = re.compile(r"提供[^。；;①②③④⑤⑥⑦⑧⑨⑩]*?(正式发文|发文|文件|制度|方案|计划|清单)")

_DEADLINE_PATTERNS = (
    re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*底"),
    re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|之前|以前)"),
)


def parse_deadline(text: str, year: int | None = None) -> date | None:
    """The deadline a text names (``6月底`` -> June 30 of ``year``), or None."""
    text = unicodedata.normalize("NFKC", text or "")
    for pattern in _DEADLINE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        y = int(match.group(1)) if match.group(1) else year
        if y is None:
            continue
        month = int(match.group(2))
        if not 1 <= month <= 12:
            continue
        if pattern is _DEADLINE_PATTERNS[0]:
            day = calendar.monthrange(y, month)[1]
        else:
            day = int(match.group(3))
        try:
            return date(y, month, day)
        except ValueError:
            continue
    return None


def parse_rules(text: str, year: int | None = None) -> tuple[EvidenceRule, ...]:
    """Every rule the text states, merged by kind; empty when it states none."""
    text = unicodedata.normalize("NFKC", text or "")
    found: list[EvidenceRule] = []
    captioned = "注明" in text

    periodic = list(_FREQ_RE.finditer(text))
    for match in periodic:
        count = cn_number(match.group(2))
        if count:
            found.append(EvidenceRule(kind="any", min_count=count,
                                      period=_PERIODS[match.group(1)]))
    if not periodic:
        for match in _ONCE_RE.finditer(text):
            count = cn_number(match.group(1))
            if count:
                found.append(EvidenceRule(kind="any", min_count=count, period="window"))

    for match in _PICTURE_RE.finditer(text):
        count = cn_number(match.group(1))
        if not count:
            continue
        what = match.group(2) + match.group(3)
        if any(word in what for word in _CLIPPING_WORDS):
            found.append(EvidenceRule(kind="clipping", min_count=count,
                                      caption_required=captioned))
        else:
            found.append(EvidenceRule(kind="photo", min_count=count, caption_required=True))

    for match in _REPORT_RE.finditer(text):
        words = None
        if match.group(1):
            target = cn_number(match.group(1))
            if target:
                words = word_range(target) if match.group(2) or "约" in match.group(0) \
                    else (target, target * 3) if "不少于" in match.group(0) else word_range(target)
        found.append(EvidenceRule(kind="report", words=words))

    for _ in _DOCUMENT_RE.finditer(text):
        found.append(EvidenceRule(kind="document"))

    deadline = parse_deadline(text, year)
    merged: dict[tuple, EvidenceRule] = {}
    for rule in found:
        key = (rule.kind, rule.period, rule.words, rule.caption_required)
        if key in merged:
            prev = merged[key]
            merged[key] = EvidenceRule(kind=prev.kind, min_count=prev.min_count + rule.min_count,
                                       period=prev.period, words=prev.words,
                                       caption_required=prev.caption_required)
        else:
            merged[key] = rule
    return tuple(_with_deadline(r, deadline) for r in merged.values())


def _with_deadline(rule: EvidenceRule, deadline: date | None, source: str | None = None
                   ) -> EvidenceRule:
    return EvidenceRule(kind=rule.kind, min_count=rule.min_count, period=rule.period,
                        words=rule.words, deadline=rule.deadline or deadline,
                        caption_required=rule.caption_required,
                        source=source or rule.source)


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
    parsed = parse_rules(f"{text}\n{note}", year)
    if not parsed:
        fallback_deadline = deadline or parse_deadline(f"{text}\n{note}", year)
        return (_with_deadline(DEFAULT_RULE, fallback_deadline),)
    return tuple(_with_deadline(r, deadline) for r in parsed)
