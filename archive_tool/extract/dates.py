"""Document dates that are no evidence dates: template defaults and epochs.

A document's metadata date (docx core properties, PDF ``/CreationDate``) is a date only when a
person's program set it. Some programs write a fixed value instead: python-docx copies its
template's ``2013-12-23T23:15:00Z`` into every document it makes, the Excel and WPS 表格
templates carry theirs, and a writer with no clock (or a zeroed field) leaves an epoch. Such a
value would date a file years before the window (``DATE_OUTSIDE_WINDOW`` for a document made
last week), so it is dropped and the next source is tried (:func:`first_real`).

The list (documented in the README, tested):

- template instants, compared to the second in UTC: python-docx ``2013-12-23T23:15:00Z``;
  the Excel / WPS 表格 workbook templates ``2006-09-16T00:00:00Z`` and ``2015-06-05T18:19:34Z``;
- epochs, any time within a day of their midnight (an epoch written in local time is hours
  off): 0001-01-01, 1601-01-01 (Windows FILETIME), 1899-12-30 and 1900-01-01 (OLE / Excel),
  1904-01-01 (classic Mac OS), 1970-01-01 (Unix), 1980-01-01 (DOS and ZIP);
- ``2000-01-01T00:00:00`` exactly, UTC or local: the fixed date of PDF writers run in
  reproducible mode (reportlab ``invariant``) and of devices with an unset clock.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

#: fixed instants that templates copy into every document made from them (UTC)
TEMPLATE_INSTANTS = {
    datetime(2013, 12, 23, 23, 15, tzinfo=timezone.utc): "python-docx 模板",
    datetime(2006, 9, 16, tzinfo=timezone.utc): "Excel/WPS 表格模板",
    datetime(2015, 6, 5, 18, 19, 34, tzinfo=timezone.utc): "Excel/WPS 表格模板",
}
#: epochs: zero values of the date formats documents and devices use
EPOCH_DAYS = (date(1, 1, 1), date(1601, 1, 1), date(1899, 12, 30), date(1900, 1, 1),
              date(1904, 1, 1), date(1970, 1, 1), date(1980, 1, 1))
#: a clock-less default written at exactly midnight
MIDNIGHT_DEFAULTS = (datetime(2000, 1, 1),)


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)


def placeholder(value: datetime | None) -> str | None:
    """Why ``value`` is no evidence date (``"python-docx 模板"``, ``"纪元"``…), or None when it
    may be one."""
    if value is None:
        return None
    try:
        utc = _utc(value)
    except (OverflowError, ValueError):  # 0001-01-01 with a positive offset
        return "纪元"
    if utc.replace(microsecond=0) in TEMPLATE_INSTANTS:
        return TEMPLATE_INSTANTS[utc.replace(microsecond=0)]
    for day in EPOCH_DAYS:
        if abs(utc.date() - day) <= timedelta(days=1):
            return "纪元"
    if value.replace(tzinfo=None) in MIDNIGHT_DEFAULTS or utc.replace(tzinfo=None) in \
            MIDNIGHT_DEFAULTS:
        return "默认日期"
    return None


def first_real(*values: datetime | None) -> datetime | None:
    """The first of ``values`` (created, then modified) that is a date a person's program set."""
    return next((v for v in values if v is not None and placeholder(v) is None), None)
