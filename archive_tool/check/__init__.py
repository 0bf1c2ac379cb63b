"""The gap report: the tree's evidence rules against the archive's Evidence records.

:func:`check` is a pure function over a scan result and its lint report: it never opens a file.
:func:`by_owner` regroups the report by 责任人 / 牵头处室. The model is in :mod:`.model`, the
calendar periods in :mod:`.periods`, one rule's counting in :mod:`.counting`, several years in
:mod:`.years`, the renderers in ``archive_tool.report.gap_*``.

How evidence is counted (copied into the README)
------------------------------------------------

**Which files a rule accepts.** Rule kinds and file kinds come from one vocabulary
(``indicator_tree.rules.nouns``: a file named with a noun is of the kind a requirement naming
that noun asks for), and a rule accepts files of its own kind only (the kinds, their names and
this table: ``indicator_tree.kinds``):

=========  ==========================================================
rule kind  evidence kinds that count
=========  ==========================================================
photo      photo
clipping   clipping (样报、截屏、截图、报道: an image or a document so named)
report     report (说明报告、总结、报告、心得体会 …)
record     record (记录、纪要、签到表、台账 …)
document   document (方案、制度、通知、正式发文 …, or a document naming none)
av         av (音像资料)
any        every kind but ``other`` (photo, clipping, report, record, document, av)
=========  ==========================================================

One file counts toward *every* rule of its indicator that it qualifies for: a captioned photo
counts both for "4张现场照片" and for "每季度至少开展一次". A file whose kind no rule of its
indicator asks for is told what the indicator asks for and where its kind is asked
(:mod:`.misfiled`).

**Named periods.** A document dated by its properties, or not dated, counts in the period its
name names (``2024年上半年工作总结``, ``二季度会议记录``, ``2024年台账``:
:func:`archive_tool.dating.named_span`) when that lies within one period of the rule, also when
written after it, unless the period ended at a cut-off or deadline.

**Activities.** A rule with ``each`` ("每次提供现场照片2张") counts activities, not files: an
activity is the files of one activity folder inside the leaf (``II-4 志愿服务/2024-03 学雷锋/``),
else the files with the same date and theme (a photo's caption theme; a trailing number such as
``学雷锋2`` or ``（二）`` is ignored). It counts in its period when it has ``each`` qualifying
files there; the files of an activity that has fewer are listed with ``ACTIVITY_SHORT``.

**When a file qualifies.** It lies in the indicator's own (leaf) folder or an activity folder
inside it, and

- no disqualifying lint finding: ``NAME_FORMAT``, ``PLACE_OUTSIDE``, ``PLACE_UNKNOWN_DIR`` (the file
  is inside a folder that matches no indicator), ``FILE_UNREADABLE``;
- a photo has a complete caption (no ``CAPTION_MISSING`` / ``CAPTION_NO_TIME`` /
  ``CAPTION_NO_ORGANIZER`` / ``CAPTION_NO_THEME``); any other image needs one only for a rule that
  asks for a caption;
- a report counted toward a report rule with a length has a character count inside that range
  (``REPORT_LENGTH``; a report whose length could not be read is given the benefit of the doubt);
- its date is known (``DATE_UNKNOWN``), inside the window (``DATE_OUTSIDE_WINDOW``), not after the
  report date (``DATE_AFTER_AS_OF``), not after the rule's deadline or its period's cut-off
  (``AFTER_DEADLINE``) and not after the inspection day (``AFTER_INSPECTION``). A photo whose
  caption is missing or has no time is listed under the caption rule only: writing the caption
  gives it its date.

**Documents in force.** A document that stays in force once made (its theme names a 制度, 办法,
规定, 细则, 章程, 方案, 规划, 机制 … or carries a document number such as ``〔2022〕12号``) and
is dated before the window counts toward a rule asking for a document (or anything) once in the
window; the report lists it under the rule as made before the window and still in force.

Warnings do not disqualify (``NAME_ASCII_COLON``, ``CAPTION_DATE_MISMATCH``, ``FILE_NO_TEXT``,
``FILE_LEGACY_FORMAT``), nor do ``NAME_SEQ_DUP`` and ``FOOTER_MISSING``: the file is there, its
name or footer needs fixing.

A file that does not count toward a rule whose kind it matches is listed under its indicator as
已提交但不计入, once per reason code (a lint rule id or one of the codes above); when it counts
toward another rule of the same indicator, its line says so. A file whose kind no rule of its
indicator asks for is listed with ``KIND_NOT_ASKED``, a file in a leaf that asks for nothing
(部门评价) with ``NOT_ASSESSED``. Files bound to a parent indicator (``PLACE_OUTSIDE``) are listed
under that parent; files outside every indicator folder are listed in the report's ``outside``
list. Every file scanned is counted, listed, or outside.

**Periods.** A rule is counted per period of its span: month (``2018-03``), quarter (``2018Q1``),
half (``2018H1``), year (``2018``) or the whole span (``全期``). The span is the window (the
tree's, or ``--from``/``--to``), cut at the rule's deadline when the deadline falls inside it;
periods are clipped to the span. A deadline (or cut-off) outside the window (the table of an
earlier year used again) moves to the same day of the window's last year, and is dropped when
even that lies outside the window. A period ends at its cut-off when the rule has one inside it
(``cutoffs``), and at the inspection day when that comes first; periods that start after the
inspection day are left out. A period's end is the day it is judged on and the last date its
evidence may carry. On the report date (``as_of``) a period is

- ``complete`` when at least the minimum was found (also before it ends);
- ``not_started`` when it starts after the report date;
- ``missing`` when it ended before the report date with less than the minimum (the report shows
  what was found: ``2018Q2 ✗ 1/2``);
- ``in_progress`` when the report date lies in it, its last day included (then it is due
  today), with what is still needed and the days left to its end.

**Rules, leaves, parents.** A rule is ``missing`` when any period is, else ``in_progress`` when
any is, else ``complete`` when any period is (the others not started yet), else
``not_started``. A leaf rolls up its rules, a parent its assessed leaves, the same way. A leaf
that asks for no evidence (an explicit empty rule list, e.g. 部门评价, or no requirements at
all) is ``not_assessed``, never a gap; a parent with only such leaves too.

**Short, and the inspection day.** A period is *short* when it is not complete and is judged:
with an inspection day (config ``inspection``, ``--inspection``) every period not complete is
short, for it will be short on that day if nothing more is filed; without one only a period that
ended short (``missing``) is. A leaf is short when one of its periods is; the summary leads with
the short leaves, by why (a period ended short, one still open, only periods not started), and
the exit code is 1 when any leaf is short. Coverage is the share of started leaves (complete,
missing, in progress) that are complete. Where the tree has scores, ``at_stake`` is the score of
each short leaf, summed upwards; the points of a scored parent that its children's scores leave
unassigned are put at stake in proportion to its unscored children's short leaves among their
assessed ones.

**Owners.** Each requirement is owned by its 责任人, else by its indicator's 责任人 and 牵头处室,
else by the nearest ancestor's. ``--by owner`` gives each owner, per leaf, the rules of the
requirements they own that are short or in progress (nobody else's), and the files of the leaf
that do not count toward those rules or toward no rule in particular, with the fix.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Iterable

from indicator_tree.kinds import accepts

from ..collector import building_records
from ..errors import UsageError
from .counting import Judging, Rejections, anchor_deadline, roll_up, rule_gap
from .files import CheckedFile
from .misfiled import kind_homes, not_asked
from .model import (CHECK_CODES, COMPLETE, COUNTED_ELSEWHERE, IN_PROGRESS, MISSING, NO_OWNER,
                    NOT_ASSESSED, NOT_STARTED, STATUS_LABELS, STATUSES, GapReport,
                    IndicatorGap, NotCounted, OwnerGap, PeriodGap, RuleGap, _total_score)

if TYPE_CHECKING:  # pragma: no cover
    from indicator_tree import Indicator

    from ..evidence import Finding
    from ..lint import LintReport
    from ..scan import ScanResult

__all__ = ["CHECK_CODES", "COMPLETE", "IN_PROGRESS", "MISSING", "NOT_ASSESSED", "NOT_STARTED",
           "STATUSES", "STATUS_LABELS", "GapReport", "IndicatorGap", "NotCounted", "OwnerGap",
           "PeriodGap", "RuleGap", "accepts", "anchor_deadline", "by_owner", "check"]


def _names(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups for name in group))


def _leaves(gap: IndicatorGap) -> int:
    return sum(1 for g in gap.walk() if g.is_leaf and g.assessed)


# ---- the tree ---------------------------------------------------------------------------------
class _Checker:
    def __init__(self, files: dict[str, list[CheckedFile]], judging: Judging,
                 homes: dict[str, list["Indicator"]]):
        self.files = files
        self.judging = judging
        self.homes = homes
        self.counted: set[str] = set()

    def indicator(self, ind: "Indicator", parents: tuple[str, ...],
                  inherited: tuple[str, ...]) -> IndicatorGap:
        own = _names(ind.owners, ind.lead) or inherited
        gap = IndicatorGap(id=ind.id, name=ind.name, level=ind.level, status=NOT_STARTED,
                           owners=own, score=ind.score, parents=parents)
        files = self.files.get(ind.id, [])
        if ind.is_leaf:
            self.leaf(ind, gap, files, own)
        else:
            gap.not_counted = [f.outside_leaf() for f in files]
            gap.children = [self.indicator(child, parents + (ind.id,), own)
                            for child in ind.children]
            self.parent(ind, gap)
        return gap

    def leaf(self, ind: "Indicator", gap: IndicatorGap, files: list[CheckedFile],
             own: tuple[str, ...]) -> None:
        """Each requirement's rules are owned by its 责任人, else by the indicator's."""
        rejected = Rejections()
        counted: set[str] = set()
        for number, req in enumerate(ind.requirements, 1):
            owners = _names(req.owners) or own
            for rule in req.rules:
                gap.rules.append(rule_gap(req, number, owners, rule, files, self.judging,
                                          counted, rejected))
        self.counted |= counted
        gap.owners = _names(own if not gap.rules else (), *(r.owners for r in gap.rules))
        if not gap.rules:
            gap.status, gap.assessed = NOT_ASSESSED, False
            gap.at_stake = 0.0 if ind.score is not None else None
            gap.not_counted = [f.not_counted("NOT_ASSESSED") for f in files]
            return
        kinds = {rule.kind for rule in gap.rules}
        for f in files:
            if not any(accepts(kind, f.ev.kind) for kind in kinds):
                rejected.add(not_asked(f, ind, kinds, self.homes))
        gap.not_counted = sorted((replace(n, message=f"{n.message}{COUNTED_ELSEWHERE}")
                                  if n.path in counted else n for n in rejected.listed()),
                                 key=lambda n: n.path)
        gap.status = roll_up(r.status for r in gap.rules)
        gap.short = any(r.short for r in gap.rules)
        gap.leaves_due = int(gap.status in (COMPLETE, MISSING, IN_PROGRESS))
        gap.leaves_complete = int(gap.status == COMPLETE)
        gap.leaves_short = int(gap.short)
        if ind.score is not None:
            gap.at_stake = ind.score if gap.short else 0.0

    def parent(self, ind: "Indicator", gap: IndicatorGap) -> None:
        leaves = [g for g in gap.walk() if g.is_leaf and g.assessed]
        gap.assessed = bool(leaves)
        gap.leaves_due = sum(c.leaves_due for c in gap.children)
        gap.leaves_complete = sum(c.leaves_complete for c in gap.children)
        gap.leaves_short = sum(c.leaves_short for c in gap.children)
        gap.short = bool(gap.leaves_short)
        gap.status = roll_up(leaf.status for leaf in leaves) if leaves else NOT_ASSESSED
        scored = [c for c in gap.children if c.at_stake is not None]
        if ind.score is None:
            gap.at_stake = sum(c.at_stake for c in scored) if scored else None
            return
        # a scored parent: its scored children's stakes, and the points its children's scores
        # leave unassigned spread over the unscored children's assessed leaves that are short
        rest = [c for c in gap.children if c.at_stake is None]
        assessed = sum(_leaves(c) for c in rest)
        short = sum(c.leaves_short for c in rest)
        remainder = max(0.0, ind.score - sum(_total_score(c) or 0 for c in scored))
        gap.at_stake = (sum(c.at_stake for c in scored)
                        + (remainder * short / assessed if assessed else 0.0))


def _findings_by_path(scan_result: "ScanResult", lint_report: "LintReport | None"
                      ) -> dict[str, dict[str, "Finding"]]:
    """path -> {rule id: finding}, from the lint report (the one channel findings travel by); a
    file inside a reported unknown folder gets that folder's PLACE_UNKNOWN_DIR finding."""
    by_path: dict[str, dict[str, "Finding"]] = defaultdict(dict)
    unknown_dirs: dict[str, "Finding"] = {}
    for f in (lint_report.findings if lint_report is not None else ()):
        if f.rule == "PLACE_UNKNOWN_DIR":
            unknown_dirs[f.path] = f
        else:
            by_path[f.path].setdefault(f.rule, f)
    for ev in scan_result.evidence:
        for folder in ev.unknown_dirs:
            if folder in unknown_dirs:
                by_path[ev.path].setdefault("PLACE_UNKNOWN_DIR", unknown_dirs[folder])
                break
    return by_path


@building_records
def check(scan_result: "ScanResult", lint_report: "LintReport | None", *, as_of: date,
          date_from: date | None = None, date_to: date | None = None,
          inspection: date | None = None) -> GapReport:
    """The gap report of a scan (of the whole archive) and its lint report on ``as_of``.

    The window is ``date_from``..``date_to`` where given, else the archive's (config) window,
    else the tree's; the inspection day is ``inspection``, else the config's. Raises
    :class:`UsageError` for a window that ends before it starts or an inspection day before it.
    """
    config = scan_result.config
    tree = config.tree
    start = date_from or getattr(config, "window_start", None) or tree.window_start
    end = date_to or getattr(config, "window_end", None) or tree.window_end
    if end < start:
        raise UsageError(f"考核期结束日期 {end} 早于开始日期 {start}",
                         hint="检查 --from 和 --to，例如 --from 2018-01-01 --to 2018-12-31。")
    inspection = inspection or getattr(config, "inspection", None)
    if inspection is not None and inspection < start:
        raise UsageError(f"迎检日 {inspection} 早于考核期开始日期 {start}",
                         hint="检查 --inspection 或档案配置中的 inspection（迎检日应在考核期内或"
                              "之后）。")
    window = (start, end)
    by_path = _findings_by_path(scan_result, lint_report)
    files: dict[str, list[CheckedFile]] = defaultdict(list)
    outside: list[NotCounted] = []
    for ev in scan_result.evidence:
        f = CheckedFile(ev, by_path.get(ev.path, {}), window, as_of)
        if ev.indicator_id is None or tree.get(ev.indicator_id) is None:
            outside.append(f.outside_leaf())
        else:
            files[ev.indicator_id].append(f)
    checker = _Checker(files, Judging(window, as_of, inspection), kind_homes(tree))
    indicators = [checker.indicator(ind, (), ()) for ind in tree.indicators]
    return GapReport(as_of=as_of, window_start=start, window_end=end, indicators=indicators,
                     tree_id=tree.id, tree_title=tree.title,
                     unit=getattr(config, "unit", "") or "", outside=outside,
                     files=len(scan_result.evidence), counted=frozenset(checker.counted),
                     inspection=inspection)


def _wanted(rule: RuleGap) -> bool:
    """A rule an owner is chased for: short, or still in progress."""
    return rule.short or rule.status in (MISSING, IN_PROGRESS)


def by_owner(report: GapReport) -> list[OwnerGap]:
    """What each owner has to supply, in tree order: per leaf, the rules of that owner's
    requirements that are short or in progress (a requirement's 责任人, else the indicator's
    责任人 / 牵头处室, else an ancestor's), and the leaf's files that do not count toward those
    rules or toward no rule in particular. A leaf shared by two owners is in both groups, each
    with its own rules; rules without any owner come last under ``（未指定责任人）``.
    """
    groups: dict[str, list[IndicatorGap]] = {}
    for leaf in report.leaves():
        if not leaf.assessed:
            continue
        mine: dict[str, list[RuleGap]] = {}
        for rule in leaf.rules:
            if _wanted(rule):
                for owner in rule.owners or (NO_OWNER,):
                    mine.setdefault(owner, []).append(rule)
        for owner, rules in mine.items():
            files = [n for n in leaf.not_counted if not n.owners or owner in n.owners]
            groups.setdefault(owner, []).append(
                replace(leaf, rules=rules, status=roll_up(r.status for r in rules),
                        short=any(r.short for r in rules), not_counted=files))
    if NO_OWNER in groups:
        groups[NO_OWNER] = groups.pop(NO_OWNER)
    return [OwnerGap(owner, items) for owner, items in groups.items()]
