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
已提交但不计入, once per reason code (a lint rule id or one of the codes above). A file whose kind no
rule of its indicator asks for is listed with ``KIND_NOT_ASKED``. Files bound to a parent
indicator (``PLACE_OUTSIDE``) are listed under that parent; files outside every indicator folder
are listed in the report's ``outside`` list.

**Periods.** A rule is counted per period of its span: month (``2018-03``), quarter (``2018Q1``),
half (``2018H1``), year (``2018``) or the whole span (``全期``). The span is the window (the
tree's, or ``--from``/``--to``), cut at the rule's deadline when the deadline falls inside it;
periods are clipped to the span. On the report date (``as_of``) a period is

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
complete, summed upwards; a scored parent whose leaves carry no score puts its score at stake in
proportion to its due leaves that are not complete.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Iterable

from indicator_tree.model import KIND_LABELS as RULE_KIND_LABELS

from ..errors import UsageError
from ..evidence import KIND_LABELS
from .model import (CAPTION_RULES, CHECK_CODES, COMPLETE, DISQUALIFYING, LENGTH_RULE, MISSING,
                    NO_OWNER, NOT_DUE, PARTIAL, STATUS_LABELS, STATUSES, GapReport, IndicatorGap,
                    NotCounted, OwnerGap, PeriodGap, RuleGap)
from .periods import Period, label_of, periods

if TYPE_CHECKING:  # pragma: no cover
    from indicator_tree import EvidenceRule, Indicator, Requirement

    from ..evidence import Evidence, Finding
    from ..lint import LintReport
    from ..scan import ScanResult

__all__ = ["CHECK_CODES", "COMPLETE", "MISSING", "NOT_DUE", "PARTIAL", "STATUSES",
           "STATUS_LABELS", "GapReport", "IndicatorGap", "NotCounted", "OwnerGap", "PeriodGap",
           "RuleGap", "accepts", "by_owner", "check"]

#: rule kind -> evidence kinds that count toward it
ACCEPTS = {
    "photo": frozenset({"photo"}),
    "clipping": frozenset({"clipping"}),
    "report": frozenset({"report"}),
    "record": frozenset({"record"}),
    "document": frozenset({"document", "report", "record"}),
    "any": frozenset({"photo", "clipping", "report", "record", "document", "av"}),
}


def accepts(rule_kind: str, evidence_kind: str) -> bool:
    """True when a file of ``evidence_kind`` can count toward a rule of ``rule_kind``."""
    return evidence_kind in ACCEPTS.get(rule_kind, ())


# ---- one file ---------------------------------------------------------------------------------
class _File:
    """What check needs to know about one Evidence record, computed once."""

    __slots__ = ("ev", "general", "caption", "date_code", "date_message", "findings")

    def __init__(self, ev: "Evidence", findings: dict[str, "Finding"], window: tuple[date, date],
                 as_of: date):
        self.ev = ev
        self.findings = findings
        self.general = [r for r in DISQUALIFYING if r in findings]
        self.caption = [r for r in CAPTION_RULES if r in findings]
        self.date_code = self.date_message = None
        if ev.date is None:
            if "FILE_UNREADABLE" not in findings:  # unreadable says it all: no second reason
                self.date_code = "DATE_UNKNOWN"
                self.date_message = CHECK_CODES["DATE_UNKNOWN"]
        elif not window[0] <= ev.date <= window[1]:
            self.date_code = "DATE_OUTSIDE_WINDOW"
            self.date_message = f"日期 {ev.date} 不在考核期（{window[0]} 至 {window[1]}）内"
        elif ev.date > as_of:
            self.date_code = "DATE_AFTER_AS_OF"
            self.date_message = f"日期 {ev.date} 晚于报告日期 {as_of}"

    def reasons(self, rule: "EvidenceRule") -> list[str]:
        """Why this file does not count toward ``rule`` (empty when it counts)."""
        ev = self.ev
        out = list(self.general)
        captioned = bool(self.caption) and (ev.kind == "photo" or rule.caption_required)
        if captioned:
            out += self.caption
        if (rule.kind == "report" and rule.words and ev.char_count is not None
                and not rule.words[0] <= ev.char_count <= rule.words[1]):
            out.append(LENGTH_RULE)
        if self.date_code == "DATE_UNKNOWN" and captioned:
            pass  # the caption's fix gives the date too: one reason, one fix
        elif self.date_code:
            out.append(self.date_code)
        elif rule.deadline and ev.date > rule.deadline:
            out.append("AFTER_DEADLINE")
        return out

    def not_counted(self, code: str, rule: "EvidenceRule | None" = None) -> NotCounted:
        ev = self.ev
        finding = self.findings.get(code)
        if finding is not None:
            return NotCounted(ev.path, code, finding.message, finding.fix)
        if code == LENGTH_RULE and rule is not None and rule.words:
            lo, hi = rule.words
            return NotCounted(ev.path, code, f"说明报告 {ev.char_count} 字，要求 {lo}–{hi} 字",
                              f"{'精简' if ev.char_count > hi else '补充'}内容至 {lo}–{hi} 字")
        if code == "DATE_UNKNOWN":
            fix = ("用 archive-tool caption set 写入带活动时间的照片说明" if ev.kind == "photo"
                   else "在文件名主题中写明日期，如「01：2018年3月5日 主题」")
            return NotCounted(ev.path, code, self.date_message, fix)
        if code == "DATE_OUTSIDE_WINDOW":
            return NotCounted(ev.path, code, self.date_message,
                              "核对日期；考核期以外的材料不计入本次测评")
        if code == "DATE_AFTER_AS_OF":
            return NotCounted(ev.path, code, self.date_message,
                              "报告日期之后的材料不计入；如日期写错请更正")
        if code == "AFTER_DEADLINE":
            return NotCounted(ev.path, code,
                              f"日期 {ev.date} 晚于{RULE_KIND_LABELS[rule.kind]}的截止日期 "
                              f"{rule.deadline}",
                              "截止日期前的材料才计入；如日期有误请更正")
        if code == "KIND_NOT_ASKED":
            return NotCounted(ev.path, code,
                              f"{CHECK_CODES[code]}（{KIND_LABELS.get(ev.kind, ev.kind)}）",
                              "核对文件是否放错了指标文件夹，或文件名主题是否写明了材料类型")
        if code == "PLACE_OUTSIDE":
            return NotCounted(ev.path, code, "文件不在末级指标文件夹内", "移到对应的末级指标文件夹")
        if code == "PLACE_UNKNOWN_DIR":
            return NotCounted(ev.path, code, "文件所在的文件夹不对应任何指标",
                              "把文件移到对应的指标文件夹")
        return NotCounted(ev.path, code, code)


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


def _rule_gap(req: "Requirement", rule: "EvidenceRule", files: list[_File],
              window: tuple[date, date], as_of: date,
              counted: set[str], rejected: dict[tuple[str, str], NotCounted]) -> RuleGap:
    start, end = window
    span_end = max(start, min(end, rule.deadline)) if rule.deadline else end
    cut = periods(rule.period, start, span_end)
    found: dict[str, int] = defaultdict(int)
    total = 0
    for f in files:
        if not accepts(rule.kind, f.ev.kind):
            continue
        reasons = f.reasons(rule)
        if reasons:
            for code in reasons:
                key = (f.ev.path, code)
                if key not in rejected:
                    rejected[key] = f.not_counted(code, rule)
            continue
        found[label_of(rule.period, f.ev.date)] += 1
        total += 1
        counted.add(f.ev.path)
    gaps = tuple(PeriodGap(p.label, p.start, p.end, found[p.label], rule.min_count,
                           _period_status(p, found[p.label], rule.min_count, as_of))
                 for p in cut)
    due = [p for p in gaps if p.status != NOT_DUE]
    status = _roll_up([p.status for p in gaps], any(p.found for p in due))
    return RuleGap(text=rule.describe(), requirement=req.text, kind=rule.kind,
                   period=rule.period, required=rule.min_count, found=total, status=status,
                   periods=gaps, deadline=rule.deadline, words=rule.words,
                   caption_required=rule.caption_required)


# ---- the tree ---------------------------------------------------------------------------------
class _Checker:
    def __init__(self, tree, files: dict[str, list[_File]], window: tuple[date, date],
                 as_of: date):
        self.tree = tree
        self.files = files
        self.window = window
        self.as_of = as_of
        self.counted: set[str] = set()

    def indicator(self, ind: "Indicator", parents: tuple[str, ...],
                  inherited: tuple[str, ...]) -> IndicatorGap:
        owners = ind.all_owners() or inherited
        gap = IndicatorGap(id=ind.id, name=ind.name, level=ind.level, status=NOT_DUE,
                           owners=owners, score=ind.score, parents=parents)
        files = self.files.get(ind.id, [])
        if ind.is_leaf:
            self.leaf(ind, gap, files)
        else:
            gap.not_counted = [self._outside_leaf(f) for f in files]
            gap.children = [self.indicator(child, parents + (ind.id,), owners)
                            for child in ind.children]
            self.parent(ind, gap)
        return gap

    @staticmethod
    def _outside_leaf(f: _File) -> NotCounted:
        code = next((r for r in ("PLACE_OUTSIDE", "PLACE_UNKNOWN_DIR") if r in f.findings),
                    "PLACE_OUTSIDE")
        return f.not_counted(code)

    def leaf(self, ind: "Indicator", gap: IndicatorGap, files: list[_File]) -> None:
        rejected: dict[tuple[str, str], NotCounted] = {}
        pairs = list(ind.rules())
        for req, rule in pairs:
            gap.rules.append(_rule_gap(req, rule, files, self.window, self.as_of, self.counted,
                                       rejected))
        if not pairs:
            gap.status, gap.assessed = COMPLETE, False
            gap.at_stake = 0.0 if ind.score is not None else None
            return
        kinds = {rule.kind for _, rule in pairs}
        for f in files:
            if not any(accepts(kind, f.ev.kind) for kind in kinds):
                rejected[(f.ev.path, "KIND_NOT_ASKED")] = f.not_counted("KIND_NOT_ASKED")
        gap.not_counted = sorted(rejected.values(), key=lambda n: n.path)
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
        stakes = [c.at_stake for c in gap.children if c.at_stake is not None]
        if stakes:
            gap.at_stake = sum(stakes)
        elif ind.score is not None:
            gap.at_stake = (ind.score * (gap.leaves_due - gap.leaves_complete) / gap.leaves_due
                            if gap.leaves_due else 0.0)


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
    files: dict[str, list[_File]] = defaultdict(list)
    outside: list[NotCounted] = []
    for ev in scan_result.evidence:
        f = _File(ev, by_path.get(ev.path, {}), window, as_of)
        if ev.indicator_id is None or tree.get(ev.indicator_id) is None:
            outside.append(_Checker._outside_leaf(f))
        else:
            files[ev.indicator_id].append(f)
    checker = _Checker(tree, files, window, as_of)
    indicators = [checker.indicator(ind, (), ()) for ind in tree.indicators]
    return GapReport(as_of=as_of, window_start=start, window_end=end, indicators=indicators,
                     tree_id=tree.id, tree_title=tree.title,
                     unit=getattr(config, "unit", "") or "", outside=outside,
                     files=len(scan_result.evidence), counted=frozenset(checker.counted))


def by_owner(report: GapReport, statuses: Iterable[str] = (PARTIAL, MISSING)) -> list[OwnerGap]:
    """Leaves with one of ``statuses`` grouped by owner, in tree order; a leaf with two owners
    is in both groups; leaves without any owner come last under ``（未指定责任人）``."""
    wanted = set(statuses)
    groups: dict[str, list[IndicatorGap]] = {}
    for leaf in report.leaves():
        if not leaf.assessed or leaf.status not in wanted:
            continue
        for owner in leaf.owners or (NO_OWNER,):
            groups.setdefault(owner, []).append(leaf)
    if NO_OWNER in groups:
        groups[NO_OWNER] = groups.pop(NO_OWNER)
    return [OwnerGap(owner, items) for owner, items in groups.items()]
