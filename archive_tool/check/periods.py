"""Calendar periods of a window: months, quarters, halves, years, or the window itself.

Pure functions over dates. A period is clipped to the span it is cut from, so a window that
starts on 2018-02-15 has a first quarter ``2018Q1`` running from 02-15 to 03-31. Labels are
stable (JSON and tests use them): ``2018-03``, ``2018Q1``, ``2018H1``, ``2018``, ``全期``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

WINDOW_LABEL = "全期"
#: months per period kind (window has none: it is one period)
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date
    #: what ends the period: its calendar end or the span's ("period"), or an earlier
    #: "cutoff", "deadline" or "inspection" day
    ends: str = "period"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def _first_month(kind: str, day: date) -> int:
    size = _MONTHS[kind]
    return (day.month - 1) // size * size + 1


def label_of(kind: str, day: date) -> str:
    """The label of the ``kind`` period that contains ``day``."""
    if kind == "window":
        return WINDOW_LABEL
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    if kind == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if kind == "half":
        return f"{day.year}H{(day.month - 1) // 6 + 1}"
    if kind == "year":
        return str(day.year)
    raise ValueError(f"unknown period kind {kind!r}")


def _calendar_bounds(kind: str, day: date) -> tuple[date, date]:
    first = _first_month(kind, day)
    start = date(day.year, first, 1)
    last = first + _MONTHS[kind]
    end = (date(day.year + 1, 1, 1) if last > 12 else date(day.year, last, 1)) - timedelta(days=1)
    return start, end


def periods(kind: str, start: date, end: date) -> list[Period]:
    """The ``kind`` periods covering ``start``..``end`` (both inclusive), clipped to it."""
    if end < start:
        return []
    if kind == "window":
        return [Period(WINDOW_LABEL, start, end)]
    out: list[Period] = []
    day = start
    while day <= end:
        cal_start, cal_end = _calendar_bounds(kind, day)
        out.append(Period(label_of(kind, day), max(cal_start, start), min(cal_end, end)))
        day = cal_end + timedelta(days=1)
    return out


def rule_periods(kind: str, start: date, end: date, *, deadline: date | None = None,
                 cutoffs: tuple[date, ...] = (), inspection: date | None = None) -> list[Period]:
    """The periods a rule is judged on: ``kind`` periods of ``start``..``end`` (the window, cut
    at the rule's ``deadline``), each ending at the cut-off that falls inside it, and at the
    inspection day when that comes first; periods starting after the inspection day are left
    out (the inspectors never see them)."""
    out = []
    for period in periods(kind, start, min(end, deadline) if deadline else end):
        if inspection is not None and period.start > inspection:
            break
        last, ends = period.end, "deadline" if deadline and period.end == deadline else "period"
        # a cut-off on the period's last day still ends it as a cut-off: nothing dated later
        # counts there, even a summary that names the period (counting._period_of)
        cut = next((day for day in cutoffs if period.start <= day <= last), None)
        if cut is not None:
            last, ends = cut, "cutoff"
        if inspection is not None and inspection < last:
            last, ends = inspection, "inspection"
        out.append(Period(period.label, period.start, last, ends))
    return out
