"""The gap report model: plain dataclasses with ``to_dict()`` giving the documented JSON.

Built by :func:`archive_tool.check.check`, read by the renderers in ``archive_tool.report.gap_*``.

JSON of ``archive-tool check --format json`` (stable; copied into the README)::

    {
      "as_of": "2024-10-15",
      "inspection": "2024-11-30" | null,   # the inspection day (迎检日)
      "window": {"start": "2024-01-01", "end": "2024-12-31"},
      "tree": {"id": "linyi-2018", "title": "…"},
      "summary": {
        "leaves": 40,           # leaf indicators
        "assessed": 38,         # leaves that ask for evidence
        "complete": 20, "missing": 4, "in_progress": 6, "not_started": 8,   # leaves, by status
        "not_assessed": 2,      # leaves that ask for nothing
        "due": 30,              # assessed leaves already started (complete, missing, in_progress)
        "coverage": 0.6667,     # complete / due, null when nothing is due
        "score": 100,           # total points (level-I scores, else their children's), or null
        "at_stake": 12.5,       # points of the short leaves (below), null without scores
        "short": 9,             # assessed leaves that are short: see "short" below
        "short_by_status": {"missing": 4, "in_progress": 3, "not_started": 2},
        "short_periods": 14,    # periods of rules that are short
        "files": 812,           # evidence files scanned
        "counted": 700,         # files counting toward at least one rule
        "not_counted": 90,      # files listed under an indicator that count toward no rule
        "outside": 3            # files outside every indicator folder
      },
      "indicators": [{
        "id": "II-4", "name": "…", "level": 2,
        "status": "complete|missing|in_progress|not_started|not_assessed",
        "short": true,          # evidence will be missing on the inspection day if nothing more
                                # is filed (without an inspection day: a period ended short)
        "owners": ["…"],        # 责任人 and 牵头处室 (a leaf: those of its rules); else inherited
        "assessed": true,       # false: asks for no evidence (status not_assessed)
        "score": 5, "at_stake": 5,                         # null when the tree has no scores
        "coverage": {"due": 3, "complete": 2, "ratio": 0.6667},   # leaves below (a leaf: 0/1)
        "rules": [{              # leaves only
          "text": "每季度至少 1 份活动材料", "requirement": "<the requirement text>",
          "note": "<its note: the table's 注 / 材料要求 / 完成时限>",
          "requirement_no": 1,   # the requirement's number in its indicator
          "owners": ["…"],       # the requirement's 责任人, else the indicator's (inherited)
          "kind": "photo|clipping|report|document|record|av|any",
          "period": "month|quarter|half|year|window",
          "required": 1,         # minimum per period (files, or activities when "each" is set)
          "each": 2 | null,      # files per activity: the rule counts activities
          "found": 3,            # what counts over the rule's whole span (files or activities)
          "status": "…", "deadline": "2024-06-30" | null, "cutoffs": ["2024-06-30"],
          "words": [300, 600] | null, "caption": true,
          "periods": [{"label": "2024Q3", "start": "2024-07-01", "end": "2024-09-30",
                       "found": 0, "required": 1, "status": "missing",
                       "needed": 1,              # what is still needed (0 when complete)
                       "days_left": null,        # in_progress: days to "end", 0 = due today
                       "ends": "period|cutoff|deadline|inspection",   # what "end" is
                       "short": true}],          # counted in summary.short_periods
          "activities": [{"label": "2024-03-05 学雷锋", "period": "2024Q1",
                          "date": "2024-03-05", "files": 1, "required": 2,
                          "complete": false, "paths": ["…"]}],   # rules with "each"
          "standing": [{"path": "…", "date": "2022-03-01"}]  # documents made before the window
                                                            # that are still in force
        }],
        "not_counted": [{"path": "<relative to the root>", "rule": "CAPTION_MISSING",
                         "message": "…", "fix": "…"}],
        "children": [ … the same shape … ]
      }],
      "outside": [{"path", "rule", "message", "fix"}]
    }

With ``--by owner`` ``indicators`` is replaced by ``"owners": [{"owner": "张三", "indicators":
[<leaf as above without "children", with "parents": ["I-1"]>]}]``, listing the leaves where the
owner has rules that are short or in progress, each with only those rules and the files of the
leaf that those rules (or none in particular) leave out. Period labels: ``2024-03``,
``2024Q1``, ``2024H1``, ``2024``, ``全期``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

COMPLETE, MISSING, IN_PROGRESS, NOT_STARTED, NOT_ASSESSED = (
    "complete", "missing", "in_progress", "not_started", "not_assessed")
STATUSES = (COMPLETE, MISSING, IN_PROGRESS, NOT_STARTED, NOT_ASSESSED)
STATUS_LABELS = {COMPLETE: "齐全", MISSING: "缺失", IN_PROGRESS: "进行中", NOT_STARTED: "未开始",
                 NOT_ASSESSED: "无需提交材料"}
#: one-character marks for a period or a status in tables
STATUS_MARKS = {COMPLETE: "✓", MISSING: "✗", IN_PROGRESS: "◐", NOT_STARTED: "…", NOT_ASSESSED: "—"}
#: statuses a leaf that is short can have, for the summary's short_by_status
SHORT_STATUSES = (MISSING, IN_PROGRESS, NOT_STARTED)

#: reason codes of check's own, next to the lint rule ids that disqualify a file
CHECK_CODES = {
    "DATE_UNKNOWN": "无法确定日期（照片说明、文件名、拍摄时间、文档属性中都没有）",
    "DATE_OUTSIDE_WINDOW": "日期不在考核期内",
    "DATE_AFTER_AS_OF": "日期晚于报告日期",
    "AFTER_DEADLINE": "日期晚于截止日期",
    "AFTER_INSPECTION": "日期晚于迎检日",
    "ACTIVITY_SHORT": "所属活动的材料不足，这次活动不计入",
    "KIND_NOT_ASKED": "本指标没有要求这类材料",
    "NOT_ASSESSED": "本指标无需提交材料（如部门评价），文件不计入",
}
#: added to a file's message when it counts toward another rule of the same indicator
COUNTED_ELSEWHERE = "（已计入本指标的其他要求）"
#: lint rules whose finding keeps a file from counting toward any rule of its indicator
DISQUALIFYING = ("NAME_FORMAT", "NAME_UNDECODABLE", "PLACE_OUTSIDE", "PLACE_UNKNOWN_DIR",
                 "FILE_UNREADABLE")
#: caption rules: they disqualify a photo for every rule, another image for captioned rules
CAPTION_RULES = ("CAPTION_MISSING", "CAPTION_NO_TIME", "CAPTION_NO_ORGANIZER", "CAPTION_NO_THEME")
#: a report outside a rule's length range does not count toward that rule
LENGTH_RULE = "REPORT_LENGTH"
NO_OWNER = "（未指定责任人）"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _points(value: float | None) -> float | int | None:
    if value is None:
        return None
    value = round(value, 1)
    return int(value) if float(value).is_integer() else value


def _total_score(ind: "IndicatorGap") -> float | None:
    """An indicator's score, or the sum of its children's where it has none."""
    if ind.score is not None:
        return ind.score
    parts = [t for t in (_total_score(c) for c in ind.children) if t is not None]
    return sum(parts) if parts else None


def _short_bucket(leaf: "IndicatorGap") -> str:
    """Why a short leaf is short, most urgent first: a period ended short (missing), one still
    open (in_progress), else only periods not started yet (not_started)."""
    return leaf.status if leaf.status in (MISSING, IN_PROGRESS) else NOT_STARTED


@dataclass(frozen=True)
class PeriodGap:
    """One period of a periodic rule (or the whole window) and what was found in it.

    ``end`` is the day the period is judged on and the last day its evidence may carry: the
    calendar end, else an earlier cut-off, deadline or inspection day (``ends`` says which)."""

    label: str
    start: date
    end: date
    found: int
    required: int
    status: str
    #: in_progress: days from the report date to ``end`` (0: due today); else None
    days_left: int | None = None
    ends: str = "period"
    #: counted as short: not complete, and judged (ended, or an inspection day is set)
    short: bool = False

    @property
    def needed(self) -> int:
        return 0 if self.status == COMPLETE else max(0, self.required - self.found)

    def to_dict(self) -> dict:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "found": self.found, "required": self.required, "status": self.status,
                "needed": self.needed, "days_left": self.days_left, "ends": self.ends,
                "short": self.short}


@dataclass(frozen=True)
class ActivityGap:
    """One activity of a rule that counts activities: its files in one period."""

    label: str
    period: str
    date: date
    files: int
    required: int
    paths: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.files >= self.required

    def to_dict(self) -> dict:
        return {"label": self.label, "period": self.period, "date": self.date.isoformat(),
                "files": self.files, "required": self.required, "complete": self.complete,
                "paths": list(self.paths)}


@dataclass(frozen=True)
class StandingDoc:
    """A document made before the window that counts because it stays in force (制度, 方案)."""

    path: str
    date: date

    def to_dict(self) -> dict:
        return {"path": self.path, "date": self.date.isoformat()}


@dataclass(frozen=True)
class RuleGap:
    """One evidence rule of a leaf: what counts, per period."""

    text: str
    requirement: str
    kind: str
    period: str
    #: the rule's minimum per period (files, or activities when ``each`` is set)
    required: int
    #: what counts over the whole span of the rule (window, cut at the deadline)
    found: int
    status: str
    periods: tuple[PeriodGap, ...] = ()
    #: the deadline in the report's window (a tree's "6月底" moves to the window's year)
    deadline: date | None = None
    words: tuple[int, int] | None = None
    caption_required: bool = False
    #: the requirement's number in its indicator (1-based): rules of one requirement share it
    requirement_no: int = 1
    #: who supplies it: the requirement's 责任人, else the indicator's (or an ancestor's)
    owners: tuple[str, ...] = ()
    #: files per activity; None when the rule counts files
    each: int | None = None
    cutoffs: tuple[date, ...] = ()
    unit: str = "份"
    activities: tuple[ActivityGap, ...] = ()
    standing: tuple[StandingDoc, ...] = ()
    #: (path, period label) of every file that counts toward the rule (the catalogue's
    #: "counts for"); not in the JSON, whose periods give the numbers
    counted: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    #: the requirement's note (the table's 注 / 材料具体要求 / 完成时限): what to file, in words
    note: str = ""

    @property
    def short(self) -> bool:
        return any(p.short for p in self.periods)

    def to_dict(self) -> dict:
        return {"text": self.text, "requirement": self.requirement, "note": self.note,
                "requirement_no": self.requirement_no, "owners": list(self.owners),
                "kind": self.kind, "period": self.period, "required": self.required,
                "each": self.each, "found": self.found, "status": self.status,
                "deadline": _iso(self.deadline), "cutoffs": [d.isoformat() for d in self.cutoffs],
                "words": list(self.words) if self.words else None,
                "caption": self.caption_required,
                "periods": [p.to_dict() for p in self.periods],
                "activities": [a.to_dict() for a in self.activities],
                "standing": [s.to_dict() for s in self.standing]}


@dataclass(frozen=True)
class NotCounted:
    """A file present under an indicator that does not count, and the rule that keeps it out."""

    path: str
    rule: str
    message: str
    fix: str = ""
    #: owners of the rules it does not count toward (empty: none in particular, e.g. a kind
    #: no rule asks for); ``--by owner`` shows it to them
    owners: tuple[str, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict:
        return {"path": self.path, "rule": self.rule, "message": self.message, "fix": self.fix}


@dataclass
class IndicatorGap:
    """An indicator of the tree with its status; leaves carry rules, parents roll up."""

    id: str
    name: str
    level: int
    status: str
    #: 责任人 and 牵头处室 (a leaf without its own inherits its nearest ancestor's)
    owners: tuple[str, ...] = ()
    score: float | None = None
    #: points of the short leaves below (None when the tree has no scores here)
    at_stake: float | None = None
    #: False for a leaf that asks for no evidence (explicit empty rule list, no requirements)
    assessed: bool = True
    #: a leaf: some rule is short; a parent: some leaf below is
    short: bool = False
    leaves_due: int = 0
    leaves_complete: int = 0
    leaves_short: int = 0
    rules: list[RuleGap] = field(default_factory=list)
    not_counted: list[NotCounted] = field(default_factory=list)
    children: list["IndicatorGap"] = field(default_factory=list)
    #: ids of the ancestors, top level first
    parents: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def coverage(self) -> float | None:
        """Share of due leaves below that are complete; None when nothing is due."""
        return self.leaves_complete / self.leaves_due if self.leaves_due else None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self, children: bool = True) -> dict:
        out = {"id": self.id, "name": self.name, "level": self.level, "status": self.status,
               "short": self.short, "owners": list(self.owners), "assessed": self.assessed,
               "score": _points(self.score), "at_stake": _points(self.at_stake),
               "coverage": {"due": self.leaves_due, "complete": self.leaves_complete,
                            "ratio": round(self.coverage, 4) if self.coverage is not None
                            else None},
               "rules": [r.to_dict() for r in self.rules],
               "not_counted": [n.to_dict() for n in self.not_counted]}
        if children:
            out["children"] = [c.to_dict() for c in self.children]
        else:
            out["parents"] = list(self.parents)
        return out


@dataclass
class OwnerGap:
    """What one owner (责任人 / 牵头处室) has to supply: their leaves that are short."""

    owner: str
    indicators: list[IndicatorGap]

    def to_dict(self) -> dict:
        return {"owner": self.owner,
                "indicators": [ind.to_dict(children=False) for ind in self.indicators]}


@dataclass
class GapReport:
    as_of: date
    window_start: date
    window_end: date
    indicators: list[IndicatorGap]
    tree_id: str = ""
    tree_title: str = ""
    unit: str = ""
    #: files outside every indicator folder (they count toward nothing)
    outside: list[NotCounted] = field(default_factory=list)
    files: int = 0
    #: paths of the files that count toward at least one rule
    counted: frozenset[str] = frozenset()
    #: the inspection day; None: periods are judged on the report date, only once ended
    inspection: date | None = None

    def walk(self):
        for ind in self.indicators:
            yield from ind.walk()

    def leaves(self) -> list[IndicatorGap]:
        return [ind for ind in self.walk() if ind.is_leaf]

    @property
    def ok(self) -> bool:
        """True when no leaf is short (the command's exit code 0): nothing will be missing on the
        inspection day, or without one, no period has ended short."""
        return not any(leaf.short for leaf in self.leaves())

    def summary(self) -> dict:
        leaves = [leaf for leaf in self.leaves() if leaf.assessed]
        counts = {status: sum(1 for leaf in self.leaves() if leaf.status == status)
                  for status in STATUSES}
        due = counts[COMPLETE] + counts[MISSING] + counts[IN_PROGRESS]
        short = [leaf for leaf in leaves if leaf.short]
        scores = [t for t in (_total_score(ind) for ind in self.indicators) if t is not None]
        stakes = [ind.at_stake for ind in self.indicators if ind.at_stake is not None]
        not_counted = {n.path for ind in self.walk() for n in ind.not_counted} - self.counted
        return {"leaves": len(self.leaves()), "assessed": len(leaves), **counts, "due": due,
                "coverage": round(counts[COMPLETE] / due, 4) if due else None,
                "score": _points(sum(scores)) if scores else None,
                "at_stake": _points(sum(stakes)) if stakes else None,
                "short": len(short),
                "short_by_status": {s: sum(1 for leaf in short if _short_bucket(leaf) == s)
                                    for s in SHORT_STATUSES},
                "short_periods": sum(1 for leaf in short for r in leaf.rules
                                     for p in r.periods if p.short),
                "files": self.files, "counted": len(self.counted),
                "not_counted": len(not_counted), "outside": len(self.outside)}

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "inspection": _iso(self.inspection),
                "window": {"start": self.window_start.isoformat(),
                           "end": self.window_end.isoformat()},
                "tree": {"id": self.tree_id, "title": self.tree_title},
                "summary": self.summary(),
                "indicators": [ind.to_dict() for ind in self.indicators],
                "outside": [n.to_dict() for n in self.outside]}

    def owners_dict(self, groups: list[OwnerGap]) -> dict:
        """The JSON of the ``--by owner`` view."""
        out = self.to_dict()
        del out["indicators"]
        out["owners"] = [g.to_dict() for g in groups]
        return out
