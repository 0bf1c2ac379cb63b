"""The gap report model: plain dataclasses with ``to_dict()`` giving the documented JSON.

Built by :func:`archive_tool.check.check`, read by the renderers in ``archive_tool.report.gap_*``.

JSON of ``archive-tool check --format json`` (stable; copied into the README)::

    {
      "as_of": "2018-10-15",
      "window": {"start": "2018-01-01", "end": "2018-12-31"},
      "tree": {"id": "linyi-2018", "title": "…"},
      "summary": {
        "leaves": 40,           # leaf indicators
        "assessed": 38,         # leaves that ask for evidence
        "due": 30,              # assessed leaves whose status is not not_due
        "complete": 20, "partial": 6, "missing": 4, "not_due": 8,
        "coverage": 0.6667,     # complete / due, null when nothing is due
        "score": 100,           # total points (level-I scores, else their children's), or null
        "at_stake": 12.5,       # points of due leaves not complete, null without scores
        "files": 812,           # evidence files scanned
        "counted": 700,         # files counting toward at least one rule
        "not_counted": 90,      # files listed under an indicator that count toward no rule
        "outside": 3            # files outside every indicator folder
      },
      "indicators": [{
        "id": "II-4", "name": "…", "level": 2,
        "status": "complete|partial|missing|not_due",
        "owners": ["…"],        # 责任人 and 牵头处室 (a leaf: those of its rules); else inherited
        "assessed": true,       # false: asks for no evidence (status complete, not counted)
        "score": 5, "at_stake": 5,                         # null when the tree has no scores
        "coverage": {"due": 3, "complete": 2, "ratio": 0.6667},   # leaves below (a leaf: 0/1)
        "rules": [{              # leaves only
          "text": "每季度至少 1 份活动材料", "requirement": "<the requirement text>",
          "requirement_no": 1,   # the requirement's number in its indicator
          "owners": ["…"],       # the requirement's 责任人, else the indicator's (inherited)
          "kind": "photo|clipping|report|document|record|any",
          "period": "month|quarter|half|year|window",
          "required": 1,         # minimum per period
          "found": 3,            # qualifying files over the rule's whole span
          "status": "…", "deadline": "2018-06-30" | null, "words": [300, 600] | null,
          "caption": true,
          "periods": [{"label": "2018Q3", "start": "2018-07-01", "end": "2018-09-30",
                       "found": 0, "required": 1, "status": "missing"}]
        }],
        "not_counted": [{"path": "<relative to the root>", "rule": "CAPTION_MISSING",
                         "message": "…", "fix": "…"}],
        "children": [ … the same shape … ]
      }],
      "outside": [{"path", "rule", "message", "fix"}]
    }

With ``--by owner`` ``indicators`` is replaced by ``"owners": [{"owner": "张三", "indicators":
[<leaf as above without "children", with "parents": ["I-1"]>]}]``, listing the due leaves that
are partial or missing, each with only the owner's own rules that are partial or missing (its
``status`` is that of those rules). Period labels: ``2018-03``, ``2018Q1``, ``2018H1``, ``2018``, ``全期``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

COMPLETE, PARTIAL, MISSING, NOT_DUE = "complete", "partial", "missing", "not_due"
STATUSES = (COMPLETE, PARTIAL, MISSING, NOT_DUE)
STATUS_LABELS = {COMPLETE: "齐全", PARTIAL: "不足", MISSING: "缺失", NOT_DUE: "未到期"}
#: one-character marks for a period or a status in tables
STATUS_MARKS = {COMPLETE: "✓", PARTIAL: "◐", MISSING: "✗", NOT_DUE: "…"}

#: reason codes of check's own, next to the lint rule ids that disqualify a file
CHECK_CODES = {
    "DATE_UNKNOWN": "无法确定日期（照片说明、文件名、拍摄时间、文档属性中都没有）",
    "DATE_OUTSIDE_WINDOW": "日期不在考核期内",
    "DATE_AFTER_AS_OF": "日期晚于报告日期",
    "AFTER_DEADLINE": "日期晚于截止日期",
    "KIND_NOT_ASKED": "本指标没有要求这类材料",
    "NOT_ASSESSED": "本指标无需提交材料（如部门评价），文件不计入",
}
#: added to the message of a file that does not count toward one rule but counts toward another
#: of the same indicator
COUNTED_ELSEWHERE = "（已计入本指标的其他要求）"
#: lint rules whose finding keeps a file from counting toward any rule of its indicator
DISQUALIFYING = ("NAME_FORMAT", "NAME_UNDECODABLE", "PLACE_OUTSIDE", "PLACE_UNKNOWN_DIR",
                 "FILE_UNREADABLE")
#: caption rules: they disqualify a photo for every rule, any other image for rules asking
#: for a caption
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


@dataclass(frozen=True)
class PeriodGap:
    """One period of a periodic rule (or the whole window) and what was found in it."""

    label: str
    start: date
    end: date
    found: int
    required: int
    status: str

    def to_dict(self) -> dict:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "found": self.found, "required": self.required, "status": self.status}


@dataclass(frozen=True)
class RuleGap:
    """One evidence rule of a leaf: how many qualifying files, per period."""

    text: str
    requirement: str
    kind: str
    period: str
    #: the rule's minimum per period
    required: int
    #: qualifying files over the whole span of the rule (window, cut at the deadline)
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

    @property
    def due_periods(self) -> tuple[PeriodGap, ...]:
        return tuple(p for p in self.periods if p.status != NOT_DUE)

    def to_dict(self) -> dict:
        return {"text": self.text, "requirement": self.requirement,
                "requirement_no": self.requirement_no, "owners": list(self.owners),
                "kind": self.kind,
                "period": self.period, "required": self.required, "found": self.found,
                "status": self.status, "deadline": _iso(self.deadline),
                "words": list(self.words) if self.words else None,
                "caption": self.caption_required,
                "periods": [p.to_dict() for p in self.periods]}


@dataclass(frozen=True)
class NotCounted:
    """A file present under an indicator that does not count, and the rule that keeps it out."""

    path: str
    rule: str
    message: str
    fix: str = ""

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
    #: points of due, not complete leaves below (None when the tree has no scores here)
    at_stake: float | None = None
    #: False for a leaf that asks for no evidence (explicit empty rule list, no requirements)
    assessed: bool = True
    leaves_due: int = 0
    leaves_complete: int = 0
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
               "owners": list(self.owners), "assessed": self.assessed,
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
    """What one owner (责任人 / 牵头处室) has to supply: their leaves that are not complete."""

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

    def walk(self):
        for ind in self.indicators:
            yield from ind.walk()

    def leaves(self) -> list[IndicatorGap]:
        return [ind for ind in self.walk() if ind.is_leaf]

    @property
    def ok(self) -> bool:
        """True when every due leaf is complete (the command's exit code 0)."""
        return all(leaf.status in (COMPLETE, NOT_DUE) for leaf in self.leaves())

    def summary(self) -> dict:
        leaves = [leaf for leaf in self.leaves() if leaf.assessed]
        counts = {status: sum(1 for leaf in leaves if leaf.status == status)
                  for status in STATUSES}
        due = len(leaves) - counts[NOT_DUE]
        scores = [t for t in (_total_score(ind) for ind in self.indicators) if t is not None]
        stakes = [ind.at_stake for ind in self.indicators if ind.at_stake is not None]
        not_counted = {n.path for ind in self.walk() for n in ind.not_counted} - self.counted
        return {"leaves": len(self.leaves()), "assessed": len(leaves), "due": due, **counts,
                "coverage": round(counts[COMPLETE] / due, 4) if due else None,
                "score": _points(sum(scores)) if scores else None,
                "at_stake": _points(sum(stakes)) if stakes else None,
                "files": self.files, "counted": len(self.counted),
                "not_counted": len(not_counted), "outside": len(self.outside)}

    def to_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(),
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
