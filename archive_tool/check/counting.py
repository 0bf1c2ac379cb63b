"""One rule of one leaf against its files: what counts per period, and each period's status.

:func:`rule_gap` is pure. A rule counts files, or, with ``each``, activities: the files of one
activity folder inside the leaf, else the files with the same date and theme (the caption's
theme for a photo), an activity counting when it has ``each`` files.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from indicator_tree.kinds import RULE_LABELS, accepts
from indicator_tree.rules.text import fold

from .files import CheckedFile, allows_standing
from .model import (COMPLETE, IN_PROGRESS, MISSING, NOT_STARTED, ActivityGap, NotCounted,
                    PeriodGap, RuleGap, StandingDoc)
from .periods import WINDOW_LABEL, Period, label_of, rule_periods

if TYPE_CHECKING:  # pragma: no cover
    from indicator_tree import EvidenceRule, Requirement


@dataclass(frozen=True)
class Judging:
    """What every rule is judged against: the window, the report date, the inspection day."""

    window: tuple[date, date]
    as_of: date
    inspection: date | None = None


@dataclass
class Rejections:
    """Files that do not count, once per (path, reason), with the owners of the rules they
    were turned down for."""

    items: dict[tuple[str, str], NotCounted] = field(default_factory=dict)
    owners: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def add(self, item: NotCounted, owners: tuple[str, ...] = ()) -> None:
        key = (item.path, item.rule)
        self.items.setdefault(key, item)
        self.owners.setdefault(key, set()).update(owners)

    def reject(self, f: CheckedFile, code: str, rule: "EvidenceRule", limit: date | None,
               owners: tuple[str, ...]) -> None:
        """``f`` does not count toward ``rule`` for ``code`` (its line is made once)."""
        key = (f.ev.path, code)
        if key not in self.items:
            self.items[key] = f.not_counted(code, rule, limit)
        self.owners.setdefault(key, set()).update(owners)

    def listed(self) -> list[NotCounted]:
        return [NotCounted(item.path, item.rule, item.message, item.fix,
                           tuple(sorted(self.owners.get(key, ()))))
                for key, item in self.items.items()]


# ---- statuses ---------------------------------------------------------------------------------
def period_status(period: Period, found: int, need: int, as_of: date) -> str:
    """complete when met (even before it ends); else not_started before its start, missing
    after its end, in_progress in between: its last day is part of it (due today)."""
    if found >= need:
        return COMPLETE
    if period.start > as_of:
        return NOT_STARTED
    if period.end < as_of:
        return MISSING
    return IN_PROGRESS


def roll_up(statuses) -> str:
    """A rule from its periods, a leaf from its rules, a parent from its leaves: missing when
    anything is, else in_progress when anything is, else complete when anything is (the rest
    not started yet), else not_started."""
    found = set(statuses)
    for status in (MISSING, IN_PROGRESS, COMPLETE):
        if status in found:
            return status
    return NOT_STARTED


def anchor_deadline(deadline: date | None, window: tuple[date, date]) -> date | None:
    """The deadline a rule has in ``window``.

    Trees give deadlines in their own year ("6月底" in a 2018 table is 2018-06-30). When the
    archive's window is another one (config ``window`` or ``--from``/``--to``: the same table used
    the next year), a deadline outside the window moves to the same day of the window's last
    year; one that still falls outside the window is dropped (the window's end rules).
    """
    if deadline is None:
        return None
    start, end = window
    if start <= deadline <= end:
        return deadline
    try:
        moved = deadline.replace(year=end.year)
    except ValueError:  # 29 February
        moved = deadline.replace(year=end.year, day=28)
    return moved if start <= moved <= end else None


# ---- activities -----------------------------------------------------------------------------
_NUMBERING = re.compile(r"[\s_\-—·]*(?:[（(]?\d{1,3}[)）]?|[（(][一二三四五六七八九十]+[)）]|"
                        r"之[一二三四五六七八九十]+)$")


#: words closing a caption's theme that name no activity of their own (学雷锋活动现场照片)
_GENERIC_TAIL = re.compile(r"(?:活动|现场|照片|图片|相片|剪影|掠影|合影|留影|集锦|情况|场景|实况)$")


def _theme_key(theme: str) -> str:
    """A theme as activities are told apart: folded (學雷鋒 is 学雷锋), without spaces, a
    trailing number (学雷锋2, （二）) or generic words (活动现场照片)."""
    key = "".join(fold(theme).split())
    while True:
        shorter = _GENERIC_TAIL.sub("", _NUMBERING.sub("", key))
        if shorter == key or not shorter:
            return key
        key = shorter


def _activity(f: CheckedFile) -> tuple[str, str]:
    """(key, label) of the activity a file belongs to."""
    ev = f.ev
    if ev.activity:
        return "folder:" + ev.activity, ev.activity.rsplit("/", 1)[-1]
    theme = ev.caption.theme if ev.caption is not None and ev.caption.theme else ev.theme
    theme = _NUMBERING.sub("", unicodedata.normalize("NFKC", theme).strip()) or theme
    return f"{f.day}|{_theme_key(theme)}", f"{f.day} {theme}"


def _same_activity(key: str, days: dict[str, list[str]]) -> str:
    """The key of an activity of the same day whose theme holds this one's, or the other way
    round (学雷锋志愿服务 and 学雷锋志愿服务进社区 on 3 March are one activity), else ``key``
    (``days``: the keys found so far by day, in the order found)."""
    day, theme = key.split("|", 1)
    for other in days.get(day, ()):
        other_theme = other.split("|", 1)[1]
        if theme in other_theme or other_theme in theme:
            return other
    return key


def _activities(rule: "EvidenceRule", label: str, files: list[CheckedFile]
                ) -> list[tuple[ActivityGap, list[CheckedFile]]]:
    groups: dict[str, tuple[str, list[CheckedFile]]] = {}
    days: dict[str, list[str]] = defaultdict(list)
    for f in files:
        key, name = _activity(f)
        if not key.startswith("folder:"):
            key = _same_activity(key, days)
            if key not in groups:
                days[key.split("|", 1)[0]].append(key)
        groups.setdefault(key, (name, []))[1].append(f)
    out = []
    for name, members in groups.values():
        day = min(f.day for f in members)
        out.append((ActivityGap(name, label, day, len(members), rule.each,
                                tuple(f.ev.path for f in members)), members))
    return sorted(out, key=lambda item: (item[0].date, item[0].label))


def _short_activity(activity: ActivityGap, rule: "EvidenceRule", path: str) -> NotCounted:
    what = f"{rule.unit}{RULE_LABELS[rule.kind]}"
    return NotCounted(path, "ACTIVITY_SHORT",
                      f"活动「{activity.label}」只有 {activity.files} {what}，每次活动需 "
                      f"{activity.required} {what}，这次活动不计入",
                      f"补齐这次活动的{RULE_LABELS[rule.kind]}（同一活动的照片注明相同的"
                      "活动时间和主题，或放在同一个以活动日期开头的子文件夹中）")


# ---- one rule -------------------------------------------------------------------------------
def _late(period: Period | None, inspection: date | None) -> tuple[str, date | None]:
    """(reason code, the day it is after) of a file dated after its period's end, or in a
    period that starts after the inspection day (``period`` None)."""
    if period is None:
        return "AFTER_INSPECTION", inspection
    return ("AFTER_INSPECTION" if period.ends == "inspection" else "AFTER_DEADLINE"), period.end


def _period_of(f: CheckedFile, kind: str, by_label: dict[str, Period]
               ) -> tuple[Period | None, bool]:
    """(period, named): the period a document's name names (2024年上半年工作总结) when it lies
    within one period of the rule, else the one holding the file's date. A document named for
    a period counts there when written after it (a summary), unless a cut-off or deadline ended
    the period (:func:`rule_gap`)."""
    span = f.span
    if span is not None:
        label = label_of(kind, span.start)
        if label == label_of(kind, span.end) and label in by_label:
            return by_label[label], True
    if f.ev.date is None:
        return None, False
    return by_label.get(label_of(kind, f.ev.date)), False


def rule_gap(req: "Requirement", number: int, owners: tuple[str, ...], rule: "EvidenceRule",
             files: list[CheckedFile], judging: Judging, counted: set[str],
             rejected: Rejections) -> RuleGap:
    """The gap of one rule; adds the files it counts to ``counted`` and the others to
    ``rejected``."""
    window = judging.window
    deadline = anchor_deadline(rule.deadline, window)
    cutoffs = tuple(sorted({d for d in (anchor_deadline(c, window) for c in rule.cutoffs) if d}))
    cut = rule_periods(rule.period, window[0], window[1], deadline=deadline, cutoffs=cutoffs,
                       inspection=judging.inspection)
    by_label = {p.label: p for p in cut}
    standing = allows_standing(rule)
    placed: dict[str, list[CheckedFile]] = defaultdict(list)
    for f in files:
        if not accepts(rule.kind, f.ev.kind):
            continue
        reasons = f.reasons(rule, deadline, standing)
        if reasons:
            for code in reasons:
                rejected.reject(f, code, rule, deadline, owners)
            continue
        # a document in force made before the window falls in the window's one period, 全期
        period, named = _period_of(f, rule.period, by_label)
        if period is None and f.ev.date is None:
            rejected.reject(f, "DATE_UNKNOWN", rule, None, owners)  # 2024年台账 for a monthly rule
        elif period is not None and (f.ev.date is None or f.ev.date <= period.end
                                     or (named and period.ends == "period")):
            placed[period.label].append(f)
        else:
            code, limit = _late(period, judging.inspection)
            rejected.reject(f, code, rule, limit, owners)
    found: dict[str, int] = {}
    activities: list[ActivityGap] = []
    mine: list[tuple[str, str]] = []
    for label, members in placed.items():
        if not rule.each:
            found[label] = len(members)
            mine += [(f.ev.path, label) for f in members]
            continue
        for activity, group in _activities(rule, label, members):
            activities.append(activity)
            if activity.complete:
                found[label] = found.get(label, 0) + 1
                mine += [(f.ev.path, label) for f in group]
            else:
                for f in group:
                    rejected.add(_short_activity(activity, rule, f.ev.path), owners)
    counted.update(path for path, _ in mine)
    gaps = tuple(_period_gap(p, found.get(p.label, 0), rule.min_count, judging) for p in cut)
    return RuleGap(text=replace(rule, deadline=deadline, cutoffs=cutoffs).describe(),
                   requirement=req.text, kind=rule.kind, period=rule.period,
                   required=rule.min_count, found=sum(found.values()),
                   status=roll_up(p.status for p in gaps), periods=gaps, deadline=deadline,
                   words=rule.words, caption_required=rule.caption_required,
                   requirement_no=number, owners=owners, each=rule.each, cutoffs=cutoffs,
                   unit=rule.unit, activities=tuple(activities), note=req.note,
                   standing=tuple(StandingDoc(f.ev.path, f.day)
                                  for f in placed.get(WINDOW_LABEL, ()) if f.standing),
                   counted=tuple(mine))


def _period_gap(period: Period, found: int, need: int, judging: Judging) -> PeriodGap:
    status = period_status(period, found, need, judging.as_of)
    short = status == MISSING or (status != COMPLETE and judging.inspection is not None)
    return PeriodGap(period.label, period.start, period.end, found, need, status,
                     days_left=(period.end - judging.as_of).days if status == IN_PROGRESS
                     else None, ends=period.ends, short=short)
