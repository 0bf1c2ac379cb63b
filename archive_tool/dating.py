"""Evidence dates: which source dates a file, as a calendar date of the unit's time zone.

A file's date is the first of these that answers (:func:`resolve`); ``Evidence.date_source``
names it and every report shows it:

=========  ==========================================================================
source     what
=========  ==========================================================================
caption    the photo caption's 活动时间
name       a date in the file name's theme: ``2018年3月5日``, ``2018.03.15``, ``20180305``;
           a month, ``2018年3月…`` (the 1st); without a year, ``3月5日…`` and ``3月…``
           take the one year that puts them inside the assessment window
ocr        a date printed alone on a line of a scan, as text recognition read it (a notice's
           落款, a newspaper's masthead; :func:`archive_tool.extract.ocr.printed_date`)
exif       the camera's EXIF DateTimeOriginal (the camera's clock: local time)
media      an audio or video file's recording date (QuickTime creation date, ID3 / RIFF
           recording date, the MP4 creation time in UTC), as the unit's calendar date
folder     the date an activity folder's name starts with (``2024-03-05 学雷锋``;
           ``2024-03 学雷锋`` gives the 1st)
docx, pdf  the document's creation date (else its modification date), turned into the
           unit's calendar date: docx properties are UTC, a PDF date with an offset is
           converted, one without is local. Template defaults and epochs are no dates
           (:mod:`archive_tool.extract.dates`)
camera     a camera or phone file name: ``IMG_20240712_093015``, ``VID_…``, ``PXL_…``,
           ``Screenshot_…``, ``微信图片_20240605101122``, ``QQ图片…``, ``屏幕截图 2024-07-12``,
           Samsung's ``20240712_093015``; ``mmexport1718000000000`` and
           ``wx_camera_…`` hold milliseconds since 1970 (UTC)
=========  ==========================================================================

A file's modification time is never an evidence date. Pure functions: nothing here reads a file.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

from .captions.dates import find_date_or_month, month_in_window

#: Evidence.date_source values, in the order they are tried
SOURCES = ("caption", "name", "ocr", "exif", "media", "folder", "docx", "pdf", "camera")

_CAMERA_PREFIX = (r"(?:IMG|VID|PXL|MVIMG|PANO|BURST\d*|DJI|DSC|photo|video|Screenshot|"
                  r"Screen\s?Recording|Screenrecorder|Snipaste|WIN|微信图片|微信截图|微信视频|"
                  r"QQ图片|QQ截图|QQ视频|QQ录屏|屏幕截图|截屏|截图|录屏)")
_STAMP = (r"(?P<y>(?:19|20)\d{2})[-_.]?(?P<m>[01]\d)[-_.]?(?P<d>[0-3]\d)"
          r"(?:[\s_\-]*(?P<H>[0-2]\d)[-_.:]?(?P<M>[0-5]\d)(?:[-_.:]?(?P<S>[0-5]\d))?)?(?!\d)")
_CAMERA = (re.compile(rf"^{_CAMERA_PREFIX}[\s_\-]*{_STAMP}", re.IGNORECASE),
           # Samsung and others: 20240712_093015
           re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)[\s_\-]"
                      r"(?P<H>[0-2]\d)(?P<M>[0-5]\d)(?P<S>[0-5]\d)(?!\d)"))
#: milliseconds since 1970 (UTC): WeChat's exports and camera
_EPOCH_MS = re.compile(r"^(?:mmexport|wx_camera_|microMsg\.)(?P<ms>1\d{12})(?!\d)", re.IGNORECASE)


def camera_datetime(stem: str) -> datetime | None:
    """The moment a camera- or phone-style file name records, or None. Aware (UTC) for the
    millisecond names, naive (the device's local time) for the others."""
    stem = unicodedata.normalize("NFKC", stem).strip()
    match = _EPOCH_MS.match(stem)
    if match:
        return datetime.fromtimestamp(int(match.group("ms")) / 1000, tz=timezone.utc)
    for pattern in _CAMERA:
        match = pattern.match(stem)
        if match:
            parts = match.groupdict()
            hms = [parts.get(k) or "0" for k in ("H", "M", "S")]
            try:
                return datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]),
                                *(int(v) for v in hms))
            except ValueError:
                return None
    return None


def local_day(value: datetime | str | None, zone: tzinfo) -> date | None:
    """The calendar date of ``value`` in ``zone``: an aware time is converted, a naive one is
    taken as local already. Text is ISO 8601 (as the scan cache keeps it)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if value.tzinfo is not None:
        try:
            value = value.astimezone(zone)
        except (OverflowError, ValueError):
            return None
    return value.date()


def today(zone: str | tzinfo) -> date:
    """Today's date in ``zone`` (an IANA name or a tzinfo): the default report date."""
    return datetime.now(ZoneInfo(zone) if isinstance(zone, str) else zone).date()


# ---- activity folders -----------------------------------------------------------------------
_FOLDER_DATE = re.compile(
    r"^\s*(?:(?P<y>(?:19|20)\d{2})\s*(?:[-._/]\s*|年\s*)(?P<m>[01]?\d)\s*"
    r"(?:(?:[-._/]|月)\s*(?P<d>[0-3]?\d)\s*[日号]?|月)?"
    r"|(?P<y2>(?:19|20)\d{2})(?P<m2>[01]\d)(?P<d2>[0-3]\d)?"
    r"|(?P<m3>[01]?\d)\s*月\s*(?:(?P<d3>[0-3]?\d)\s*[日号])?)(?!\d)")


def activity_folder_date(name: str, window: tuple[date, date] | None = None
                         ) -> tuple[bool, date | None]:
    """Whether a folder name starts with an activity's date (``2024-03-05 学雷锋``,
    ``2024-03 学雷锋``, ``2024年3月5日学雷锋``, ``20240305 学雷锋``, ``3月 学雷锋``), and that
    date (the 1st for a month; a year-less one in the window's year, else None)."""
    match = _FOLDER_DATE.match(unicodedata.normalize("NFKC", name))
    if not match:
        return False, None
    g = match.groupdict()
    year, month, day = g["y"] or g["y2"], g["m"] or g["m2"] or g["m3"], g["d"] or g["d2"] or g["d3"]
    if not 1 <= int(month) <= 12:
        return False, None
    if year is None:
        if window is None:
            return True, None
        if day is None:
            return True, month_in_window(int(month), window)
        return True, find_date_or_month(f"{int(month)}月{int(day)}日", window)
    try:
        return True, date(int(year), int(month), int(day or 1))
    except ValueError:
        return True, None


# ---- periods named in a theme ----------------------------------------------------------------
_YEAR_PART = r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*度?\s*)?"
_HALF_RE = re.compile(_YEAR_PART + r"(?P<h>上|下)\s*半\s*年")
_QUARTER_RE = re.compile(r"(?:(?P<y>(?:19|20)\d{2})\s*(?:年\s*度?\s*|[-_ ]?(?=Q)))?"
                         r"(?:第\s*(?P<q1>[一二三四1-4])\s*季度?|(?P<q2>[一二三四1-4])\s*季度|(?<![A-Za-z])Q(?P<q3>[1-4]))"
                         r"(?!\d)", re.IGNORECASE)
#: a year alone: 2024年度, 2024年创建工作总结; not 2024年3月, 2018年以来, 2023-2024年, 2024年底
_YEAR_RE = re.compile(r"(?<![\d\-—–~～至到])(?P<y>(?:19|20)\d{2})\s*年\s*(?P<d>度)?"
                      r"(?!\s*(?:\d|[一二三四五六七八九十]+\s*月|以来|以前|之前|至|到|[-—–~～]|底|初|末|中|上半|"
                      r"下半|第|[一二三四]\s*季))")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True)
class Span:
    """A period a file's theme names (``2024年上半年``, ``二季度``, ``2024年度``): the file is
    about that period, whatever day it was written."""

    start: date
    end: date
    text: str


def _span_year(match: re.Match, day: date | None, window: tuple[date, date]) -> int | None:
    """A half's or quarter's year: written, else the file's, else the window's (one year)."""
    if match.group("y"):
        return int(match.group("y"))
    if day is not None:
        return day.year
    return window[0].year if window[0].year == window[1].year else None


def named_span(theme: str, window: tuple[date, date], day: date | None = None) -> Span | None:
    """The half year, quarter or year a theme names, or None. A half or quarter without a year
    takes the year of the file's ``day``, else the window's (when it is one year)."""
    text = unicodedata.normalize("NFKC", theme)
    if "年" not in text and "季" not in text and "Q" not in text.upper():
        return None
    text = text.replace("半年度", "半年")
    for pattern in (_HALF_RE, _QUARTER_RE, _YEAR_RE):
        found = {_span(match, pattern, day, window) for match in pattern.finditer(text)}
        if found:  # 2023年工作总结及2024年工作计划 names two years: none
            return found.pop() if len(found) == 1 and None not in found else None
    return None


def _span(match: re.Match, pattern: re.Pattern, day: date | None, window: tuple[date, date]
          ) -> Span | None:
    year = _span_year(match, day, window) if pattern is not _YEAR_RE else int(match.group("y"))
    if year is None or not 1900 <= year <= 2100:
        return None
    if pattern is _YEAR_RE:
        first, last = 1, 12
    elif pattern is _HALF_RE:
        first, last = (1, 6) if match.group("h") == "上" else (7, 12)
    else:
        q = next(g for g in match.group("q1", "q2", "q3") if g)
        last = 3 * (_QUARTERS.get(q) or int(q))
        first = last - 2
    return Span(date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]),
                match.group(0).strip())


# ---- the order of sources -------------------------------------------------------------------
def resolve(*, caption_time: date | None, theme: str, ext: str, exif: date | None,
            folder: date | None, created: str | None, window: tuple[date, date],
            zone: tzinfo, printed: date | None = None, media: str | None = None
            ) -> tuple[date | None, str | None]:
    """(date, source) of one file: the first source of :data:`SOURCES` that answers."""
    camera = camera_datetime(theme) if theme else None
    if caption_time is not None:
        return caption_time, "caption"
    # a camera's name is no date a person wrote: it comes last
    named = find_date_or_month(theme, window) if theme and camera is None else None
    if named is not None:
        return named, "name"
    if printed is not None:
        return printed, "ocr"
    if exif is not None:
        return exif, "exif"
    recorded = local_day(media, zone) if media else None
    if recorded is not None:
        return recorded, "media"
    if folder is not None:
        return folder, "folder"
    kind = "docx" if ext in (".docx", ".docm") else "pdf" if ext == ".pdf" else None
    if kind and created:
        day = local_day(created, zone)
        if day is not None:
            return day, kind
    if camera is not None:
        return local_day(camera, zone), "camera"
    return None, None
