"""The gap report: the tree's evidence rules against the archive's Evidence records.

:func:`check` is a pure function over a scan result and its lint report: it never opens a file.
:func:`by_owner` regroups the report by 责任人 / 牵头处室. The model is in :mod:`.model`, the
calendar periods in :mod:`.periods`, the renderers in ``archive_tool.report.gap_*``.

How evidence is counted (copied into the README)
------------------------------------------------

**Which files a rule accepts.** A rule's kind accepts these evidence kinds:

=========  ==========================================================
rule kind  evidence kinds that count
=========  ==========================================================
photo      photo
clipping   clipping (样报、截屏、截图: an image or a document so named)
report     report (说明报告)
record     record (签到、记录、纪要)
document   document, report, record
any        every kind but ``other`` (photo, clipping, report, record, document, av)
=========  ==========================================================

One file counts toward *every* rule of its indicator that it qualifies for: a captioned photo
counts both for "4张现场照片" and for "每季度至少开展一次". Files are counted, not activities.

**When a file qualifies.** It lies in the indicator's own (leaf) folder, and

- no disqualifying lint finding: ``NAME_FORMAT``, ``PLACE_OUTSIDE``, ``PLACE_UNKNOWN_DIR`` (the file
  is inside a folder that matches no indicator), ``FILE_UNREADABLE``;
- a photo has a complete caption (no ``CAPTION_MISSING`` / ``CAPTION_NO_TIME`` /
  ``CAPTION_NO_ORGANIZER`` / ``CAPTION_NO_THEME``); any other image needs one only for a rule that
  asks for a caption;
- a report counted toward a report rule with a length has a character count inside that range
  (``REPORT_LENGTH``; a report whose length could not be read is given the benefit of the doubt);
- its date is known (``DATE_UNKNOWN``), inside the window (``DATE_OUTSIDE_WINDOW``), not after the
  report date (``DATE_AFTER_AS_OF``), and, when the rule has a deadline, on or before it
  (``AFTER_DEADLINE``). A photo whose caption is missing or has no time is listed under the
  caption rule only: writing the caption gives it its date.

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
periods are clipped to the span. A deadline outside the window (the table of an earlier year
used again) moves to the same day of the window's last year, and is dropped when even that
lies outside the window. On the report date (``as_of``) a period is

- ``not_due`` when it has not started, or when it is still in progress (the as-of date lies in
  it, last day included) and its minimum is not met yet;
- ``complete`` when at least the minimum was found (also while still in progress);
- ``partial`` when it is over with some but fewer than the minimum, ``missing`` with none.

So a deadline that has passed is judged; one not yet reached is ``complete`` when met and
``not_due`` otherwise.

**Rules, leaves, parents.** A rule with no due period is ``not_due``; all due periods complete ->
``complete``; nothing found in any due period -> ``missing``; else ``partial``. A leaf follows
from its rules the same way: no due rule -> ``not_due``; every due rule complete -> ``complete``;
nothing found in any due period of any due rule -> ``missing``; else ``partial``. A leaf that asks
for no evidence (an explicit empty rule list, e.g. 部门评价, or no requirements at all) is
``complete`` with ``assessed: false`` and is left out of the counts. A parent rolls up its leaves:
coverage is the share of its due leaves that are complete, its status is ``not_due`` when no leaf
is due, ``complete`` when all due leaves are, ``missing`` when all due leaves are missing, else
``partial``. Where the tree has scores, ``at_stake`` is the score of each due leaf that is not
complete, summed upwards; the points of a scored parent that its children's scores leave
unassigned are put at stake in proportion to its unscored children's due leaves that are not
complete (all of them when no child carries a score).

**Owners.** Each requirement is owned by its 责任人, else by its indicator's 责任人 and 牵头处室,
else by the nearest ancestor's. ``--by owner`` gives each owner the partial or missing rules of
the requirements they own, nobody else's.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Iterable

from ..errors import UsageError
from .files import CheckedFile, accepts
from .model import (CHECK_CODES, COMPLETE, COUNTED_ELSEWHERE, MISSING, NO_OWNER, NOT_DUE,
                    PARTIAL, STATUS_LABELS, STATUSES, GapReport, IndicatorGap, NotCounted,
                    OwnerGap, PeriodGap, RuleGap, _total_score)
from .periods import Period, label_of, periods

if TYPE_CHECKING:  # pragma: no cover
    from indicator_tree import EvidenceRule, Indicator, Requirement

    from ..evidence import Finding
    from ..lint import LintReport
    from ..scan import ScanResult

__all__ = ["CHECK_CODES", "COMPLETE", "MISSING", "NOT_DUE", "PARTIAL", "STATUSES",
           "STATUS_LABELS", "GapReport", "IndicatorGap", "NotCounted", "OwnerGap", "PeriodGap",
           "RuleGap", "accepts", "by_owner", "check"]

# ---- periods and statuses ---------------------------------------------------------------------
def _period_status(period: Period, found: int, need: int, as_of: date) -> str:
    if period.start > as_of:
        return NOT_DUE
    if found >= need:
        return COMPLETE
    if period.end >= as_of:
        return NOT_DUE
    return PARTIAL if found else MISSING


def _roll_up(statuses: list[str], found_any: bool) -> str:
    due = [s for s in statuses if s != NOT_DUE]
    if not due:
        return NOT_DUE
    if all(s == COMPLETE for s in due):
        return COMPLETE
    return PARTIAL if found_any else MISSING


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


def _rule_gap(req: "Requirement", number: int, owners: tuple[str, ...], rule: "EvidenceRule",
              files: list[CheckedFile], window: tuple[date, date], as_of: date,
              counted: set[str], rejected: dict[tuple[str, str], NotCounted]) -> RuleGap:
    start, end = window
    deadline = anchor_deadline(rule.deadline, window)
    cut = periods(rule.period, start, min(end, deadline) if deadline else end)
    found: dict[str, int] = defaultdict(int)
    total = 0
    for f in files:
        if not accepts(rule.kind, f.ev.kind):
            continue
        reasons = f.reasons(rule, deadline)
        if reasons:
            for code in reasons:
                key = (f.ev.path, code)
                if key not in rejected:
                    rejected[key] = f.not_counted(code, rule, deadline)
            continue
        found[label_of(rule.period, f.ev.date)] += 1
        total += 1
        counted.add(f.ev.path)
    gaps = tuple(PeriodGap(p.label, p.start, p.end, found[p.label], rule.min_count,
                           _period_status(p, found[p.label], rule.min_count, as_of))
                 for p in cut)
    due = [p for p in gaps if p.status != NOT_DUE]
    status = _roll_up([p.status for p in gaps], any(p.found for p in due))
    return RuleGap(text=replace(rule, deadline=deadline).describe(), requirement=req.text, kind=rule.kind,
                   period=rule.period, required=rule.min_count, found=total, status=status,
                   periods=gaps, deadline=deadline, words=rule.words,
                   caption_required=rule.caption_required, requirement_no=number,
                   owners=owners)


def _names(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups for name in group))


# ---- the tree ---------------------------------------------------------------------------------
class _Checker:
    def __init__(self, tree, files: dict[str, list[CheckedFile]], window: tuple[date, date],
                 as_of: date):
        self.tree = tree
        self.files = files
        self.window = window
        self.as_of = as_of
        self.counted: set[str] = set()

    def indicator(self, ind: "Indicator", parents: tuple[str, ...],
                  inherited: tuple[str, ...]) -> IndicatorGap:
        own = _names(ind.owners, ind.lead) or inherited
        gap = IndicatorGap(id=ind.id, name=ind.name, level=ind.level, status=NOT_DUE,
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
        rejected: dict[tuple[str, str], NotCounted] = {}
        counted: set[str] = set()
        for number, req in enumerate(ind.requirements, 1):
            owners = _names(req.owners) or own
            for rule in req.rules:
                gap.rules.append(_rule_gap(req, number, owners, rule, files, self.window,
                                           self.as_of, counted, rejected))
        self.counted |= counted
        gap.owners = _names(own if not gap.rules else (), *(r.owners for r in gap.rules))
        if not gap.rules:
            gap.status, gap.assessed = COMPLETE, False
            gap.at_stake = 0.0 if ind.score is not None else None
            gap.not_counted = [f.not_counted("NOT_ASSESSED") for f in files]
            return
        kinds = {rule.kind for rule in gap.rules}
        for f in files:
            if not any(accepts(kind, f.ev.kind) for kind in kinds):
                rejected[(f.ev.path, "KIND_NOT_ASKED")] = f.not_counted("KIND_NOT_ASKED")
        gap.not_counted = sorted((replace(n, message=f"{n.message}{COUNTED_ELSEWHERE}")
                                  if n.path in counted else n for n in rejected.values()),
                                 key=lambda n: n.path)
        due_rules = [r for r in gap.rules if r.status != NOT_DUE]
        found_any = any(p.found for r in due_rules for p in r.due_periods)
        gap.status = _roll_up([r.status for r in gap.rules], found_any)
        gap.leaves_due = int(gap.status != NOT_DUE)
        gap.leaves_complete = int(gap.status == COMPLETE)
        if ind.score is not None:
            gap.at_stake = ind.score if gap.status in (PARTIAL, MISSING) else 0.0

    def parent(self, ind: "Indicator", gap: IndicatorGap) -> None:
        leaves = [g for g in gap.walk() if g.is_leaf and g.assessed]
        gap.assessed = bool(leaves)
        gap.leaves_due = sum(c.leaves_due for c in gap.children)
        gap.leaves_complete = sum(c.leaves_complete for c in gap.children)
        if not leaves:
            gap.status = COMPLETE
        else:
            statuses = [leaf.status for leaf in leaves]
            due = [s for s in statuses if s != NOT_DUE]
            gap.status = (NOT_DUE if not due else COMPLETE if all(s == COMPLETE for s in due)
                          else MISSING if all(s == MISSING for s in due) else PARTIAL)
        scored = [c for c in gap.children if c.at_stake is not None]
        if ind.score is None:
            gap.at_stake = sum(c.at_stake for c in scored) if scored else None
            return
        # a scored parent: its scored children's stakes, and the points its children's scores
        # leave unassigned spread over the unscored children's due leaves that are not complete
        rest = [c for c in gap.children if c.at_stake is None]
        due = sum(c.leaves_due for c in rest)
        short = sum(c.leaves_due - c.leaves_complete for c in rest)
        remainder = max(0.0, ind.score - sum(_total_score(c) or 0 for c in scored))
        gap.at_stake = (sum(c.at_stake for c in scored)
                        + (remainder * short / due if due else 0.0))


def _findings_by_path(scan_result: "ScanResult", lint_report: "LintReport | None"
                      ) -> dict[str, dict[str, "Finding"]]:
    """path -> {rule id: finding}, from the lint report and the records' own findings; a file
    inside a reported unknown folder gets that folder's PLACE_UNKNOWN_DIR finding."""
    by_path: dict[str, dict[str, "Finding"]] = defaultdict(dict)
    unknown_dirs: dict[str, "Finding"] = {}
    for f in (lint_report.findings if lint_report is not None else ()):
        if f.rule == "PLACE_UNKNOWN_DIR":
            unknown_dirs[f.path] = f
        else:
            by_path[f.path].setdefault(f.rule, f)
    for ev in scan_result.evidence:
        for f in ev.findings:
            by_path[ev.path].setdefault(f.rule, f)
        for folder in ev.unknown_dirs:
            if folder in unknown_dirs:
                by_path[ev.path].setdefault("PLACE_UNKNOWN_DIR", unknown_dirs[folder])
                break
    return by_path


def check(scan_result: "ScanResult", lint_report: "LintReport | None", *, as_of: date,
          date_from: date | None = None, date_to: date | None = None) -> GapReport:
    """The gap report of a scan (of the whole archive) and its lint report on ``as_of``.

    The window is ``date_from``..``date_to`` where given, else the archive's (config) window,
    else the tree's. Raises :class:`UsageError` for a window that ends before it starts.
    """
    config = scan_result.config
    tree = config.tree
    start = date_from or getattr(config, "window_start", None) or tree.window_start
    end = date_to or getattr(config, "window_end", None) or tree.window_end
    if end < start:
        raise UsageError(f"考核期结束日期 {end} 早于开始日期 {start}",
                         hint="检查 --from 和 --to，例如 --from 2018-01-01 --to 2018-12-31。")
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
    checker = _Checker(tree, files, window, as_of)
    indicators = [checker.indicator(ind, (), ()) for ind in tree.indicators]
    return GapReport(as_of=as_of, window_start=start, window_end=end, indicators=indicators,
                     tree_id=tree.id, tree_title=tree.title,
                     unit=getattr(config, "unit", "") or "", outside=outside,
                     files=len(scan_result.evidence), counted=frozenset(checker.counted))


def by_owner(report: GapReport, statuses: Iterable[str] = (PARTIAL, MISSING)) -> list[OwnerGap]:
    """What each owner has to supply, in tree order: per leaf with one of ``statuses``, the
    rules of that owner's requirements with one of them (a requirement's 责任人, else
    the indicator's 责任人 / 牵头处室, else an ancestor's). A leaf shared by two owners is in both
    groups, each with its own rules; rules without any owner come last under ``（未指定责任人）``.
    """
    wanted = set(statuses)
    groups: dict[str, list[IndicatorGap]] = {}
    for leaf in report.leaves():
        if not leaf.assessed or leaf.status not in wanted:
            continue
        mine: dict[str, list[RuleGap]] = {}
        for rule in leaf.rules:
            if rule.status in wanted:
                for owner in rule.owners or (NO_OWNER,):
                    mine.setdefault(owner, []).append(rule)
        for owner, rules in mine.items():
            found = any(p.found for r in rules for p in r.due_periods)
            groups.setdefault(owner, []).append(
                replace(leaf, rules=rules, status=_roll_up([r.status for r in rules], found)))
    if NO_OWNER in groups:
        groups[NO_OWNER] = groups.pop(NO_OWNER)
    return [OwnerGap(owner, items) for owner, items in groups.items()]
