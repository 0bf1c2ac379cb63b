"""Text folding and dates in captions.

Captions are matched on a folded copy of the text: every character NFKC-normalised (full-width
digits and colons become ASCII) and the traditional characters of the label and organizer word
lists mapped to simplified ones. Folding keeps one folded character per original position where
it can, and an index map leads every span back to the original, so what the user typed is what
comes out.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

# traditional -> simplified, limited to the characters of the word lists in this package
_TRAD = ("時时間间辦办單单題题動动組组織织內内稱称點点參参與与員员攝摄備备註注處处隊队館馆會会"
         "黨党團团區区協协學学聯联務务議议舉举開开進进導导習习傳传書书報报講讲談谈運运現现場场"
         "話话發发見见圖图閱阅覽览體体檔档資资農农鄉乡鎮镇縣县廳厅門门醫医衛卫環环願愿愛爱幫帮"
         "關关們们際际練练戰战這这為为對对將将於于攜携訪访問问識识讀读從从營营結结業业歡欢節节"
         "紀纪錄录號号據据訓训賽赛競竞頒颁獎奖禮礼觀观啟启總总級级屬属設设計计廠厂電电銀银證证"
         "監监審审檢检質质稅税統统郵邮執执構构濟济國国邊边陽阳慶庆蘇苏陸陆詢询護护語语範范壇坛"
         "題题館馆誌志軍军設设鄰邻裡里莊庄廟庙樓楼灣湾島岛築筑屆届歷历個个辭辞聽听說说講讲讚赞"
         "庫库產产畫画戲戏劇剧藝艺術术員员課课級级實实驗验幹干")
_TRAD_MAP = {ord(_TRAD[i]): _TRAD[i + 1] for i in range(0, len(_TRAD), 2)}


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of its original character."""
    if unicodedata.is_normalized("NFKC", text):  # the usual case: one for one, in C
        return text.translate(_TRAD_MAP), list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = _FOLDED.get(ch)
        if folded is None:
            folded = _FOLDED[ch] = unicodedata.normalize("NFKC", ch).translate(_TRAD_MAP)
        out.append(folded)
        if len(folded) == 1:
            index.append(i)
        else:
            index.extend([i] * len(folded))
    return "".join(out), index


#: characters folded so far (a few thousand distinct ones in an archive's captions)
_FOLDED: dict[str, str] = {}


def original_span(index: list[int], text: str, start: int, end: int) -> str:
    """The original text behind the folded span [start, end)."""
    if start >= end:
        return ""
    begin = index[start]
    stop = index[end] if end < len(index) else len(text)
    return text[begin:stop]


# ---- dates ---------------------------------------------------------------------------------
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "一": 1, "二": 2, "两": 2, "三": 3,
              "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇零○Oo一二三四五六七八九]{4}"
_CN_SMALL = "(?:[一二三]?十[一二三四五六七八九]?|廿[一二三四五六七八九]?|卅一?|[一二三四五六七八九])"


def _cn_number(text: str) -> int:
    """一 … 三十一 (also 廿, 卅) -> int."""
    if text.startswith("廿"):
        return 20 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    if text.startswith("卅"):
        return 30 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(ch in _CN_DIGITS for ch in text):  # a year: 二〇一八
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    return _cn_number(text)


_Y = rf"(?P<y>(?<!\d)(?:19|20)\d{{2}}|{_CN_YEAR})"
_M = rf"(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])"
_D = rf"(?P<d>\d{{1,2}}|{_CN_SMALL})"
#: what may follow a date and belongs to it: a range end, a weekday, a time of day
_TAIL = (r"(?:\s*(?:至|到|-|~|—|－)\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号]?)?"
         r"(?:\s*[(（]?(?:星期|周|礼拜)[一二三四五六日天][)）]?)?"
         r"(?:\s*(?:上午|下午|晚上|早上|中午|傍晚|凌晨|全天))?"
         r"(?:\s*\d{1,2}\s*[:：时点]\s*(?:\d{1,2}\s*分?)?)?")
_DATE_PATTERNS = (
    re.compile(rf"{_Y}\s*年\s*{_M}\s*月\s*(?:{_D}\s*[日号]?)?{_TAIL}"),
    re.compile(rf"(?<![\d.])(?P<y>(?:19|20)\d{{2}})(?P<sep>[./\-])(?P<m>\d{{1,2}})"
               rf"(?:(?P=sep)(?P<d>\d{{1,2}}))?(?![\d])(?![./\-]\d){_TAIL}"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])"
               r"(?!\d)"),
)


#: a month and day without a year: 3月5日, 三月五日, 3月5号 (the 日/号 is required)
_MONTH_DAY = re.compile(rf"(?<![\d年.])(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])\s*月\s*"
                        rf"(?P<d>\d{{1,2}}|{_CN_SMALL})\s*[日号]{_TAIL}")


def month_day_spans(folded: str) -> list[tuple[int, int, int, int]]:
    """Every month and day written without a year, as (start, end, month, day)."""
    found = []
    for match in _MONTH_DAY.finditer(folded):
        month, day = _number(match.group("m")), _number(match.group("d"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append((match.start(), match.end(), month, day))
    return found


def in_window(month: int, day: int, window: tuple[date, date] | None) -> date | None:
    """The date of a year-less 3月5日 in the assessment ``window`` (start, end): the one year
    that puts it inside the window, or None when there is no window, none or several do."""
    if window is None:
        return None
    start, end = window
    hits = []
    for year in range(start.year, end.year + 1):
        try:
            day_in_year = date(year, month, day)
        except ValueError:
            continue
        if start <= day_in_year <= end:
            hits.append(day_in_year)
    return hits[0] if len(hits) == 1 else None


def date_spans(folded: str) -> list[tuple[int, int, date | None]]:
    """Every date in folded text as (start, end, date); date is None for a month without a day or
    an impossible date (2018年2月30日). Sorted by position, not overlapping."""
    found: list[tuple[int, int, date | None]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            year = _number(match.group("y"))
            month = _number(match.group("m"))
            day = match.group("d")
            value = None
            if day is not None and 1900 <= year <= 2100:
                try:
                    value = date(year, month, _number(day))
                except ValueError:
                    value = None
            elif day is None and not 1 <= month <= 12:
                continue
            if day is None and pattern is not _DATE_PATTERNS[0]:
                # "2018.3" and "2018-3" are too often version or document numbers
                continue
            end = match.end() if day is not None else match.end("m") + (
                1 if folded[match.end("m"):match.end("m") + 1] == "月" else 0)
            found.append((start, end, value))
            taken.append((start, end))
    found.sort()
    return found


def find_date(text: str) -> date | None:
    """The first complete date in ``text`` (2018年3月5日, 2018.3.5, 2018-03-05, 2018/3/5,
    二〇一八年三月五日, 20180305, full-width digits), or None."""
    folded, _ = fold(text)
    for _start, _end, value in date_spans(folded):
        if value is not None:
            return value
    return None


def find_date_or_month(text: str, window: tuple[date, date] | None = None) -> date | None:
    """A file name's date, folding the text once: :func:`find_date`, else :func:`find_month`;
    with an assessment ``window``, else a month and day without a year (``3月5日``), else a
    month alone (``3月集中学习``, ``十二月``), each in the one year that puts it inside the
    window (:func:`in_window`, :func:`month_in_window`)."""
    folded, _ = fold(text)
    for _start, _end, value in date_spans(folded):
        if value is not None:
            return value
    found = _month_in(folded)
    if found is not None or window is None:
        return found
    for _start, _end, month, day in month_day_spans(folded):
        return in_window(month, day, window)
    match = _MONTH_ALONE.search(folded)
    return month_in_window(_number(match.group("m")), window) if match else None


#: a month without a year or a day: 3月, 03月, 三月, 十二月, 3月份; not 3个月, 第3月, 每3月, 2018年3月
_MONTH_ALONE = re.compile(r"(?<![\d年.\-/第每个几半近前后数])(?P<m>1[0-2]|0?[1-9]|十[一二]?|"
                          r"[一二三四五六七八九])\s*月(?![\d一二三四五六七八九十廿卅]+\s*[日号])")


def month_in_window(month: int, window: tuple[date, date]) -> date | None:
    """The first day of ``month`` (of the window's start when the window starts within it) in the
    one year whose ``month`` overlaps ``window``, or None when none or several do."""
    start, end = window
    hits = []
    for year in range(start.year, end.year + 1):
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1)  # the next month's first day
        if first <= end and last > start:
            hits.append(max(first, start))
    return hits[0] if len(hits) == 1 else None


def find_month(text: str) -> date | None:
    """The first month named without a day (``2018年3月党组会议纪要``) as the 1st of that month,
    or None: enough to count the file in its month, quarter and year. Only the 年/月 form is
    read: ``2018.3`` and ``2018-3`` are too often document or version numbers."""
    return _month_in(fold(text)[0])


def _month_in(folded: str) -> date | None:
    for match in _DATE_PATTERNS[0].finditer(folded):
        if match.group("d") is not None:
            continue
        year, month = _number(match.group("y")), _number(match.group("m"))
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    return None


def parse_date(text: str) -> date | None:
    """``text`` as a date when the whole of it is one (a command-line ``--time``), else None."""
    folded, _ = fold(text.strip())
    spans = date_spans(folded)
    if len(spans) == 1 and spans[0][2] is not None and spans[0][0] == 0 \
            and not folded[spans[0][1]:].strip(" 日号"):
        return spans[0][2]
    return None


def format_date(value: date) -> str:
    """2018年3月5日 (no leading zeros, as people write it)."""
    return f"{value.year}年{value.month}月{value.day}日"
