"""Ledger entries and the issues found while the ledger is assembled (plain data)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

#: where an entry comes from
SOURCES = {"signin": "签到表", "signin_ocr": "签到表（文字识别）", "hand": "手工记录",
           "import": "台账导入"}

#: issue ids (stable: JSON and tests use them) and what they mean
ISSUES = {
    "NAME_NOT_ON_ROSTER": "签到表上的姓名不在人员名册中",
    "NAME_AMBIGUOUS": "签到表上的姓名对应名册中的多人",
    "DEPT_UNKNOWN": "科室单位不在名单中",
    "DEPT_MISMATCH": "签到表写的科室单位与名册不同（按名册计分）",
    "SIGNED_TWICE": "同一人在同一活动中签了两次（只计一次）",
    "SHEET_COPY": "同一份签到表存了两处（只计一次）",
    "SHEET_NO_DATE": "签到表没有活动日期",
    "SHEET_NO_NAMES": "签到表中没有找到签到名单",
    "SHEET_UNREADABLE": "签到表无法读取",
    "SHEET_NEEDS_OCR": "扫描或拍照的签到表需要文字识别（OCR）",
    "SHEET_OCR_UNSURE": "文字识别把握不大的签名或未读取的页（请核对，未计分）",
    "LEDGER_LINE_BAD": "积分台账中有无法读取的行",
    "CORRECTION_TARGET_MISSING": "更正所指的条目已不存在",
    "IMPORT_ROW_SKIPPED": "台账表格中有未导入的行",
    "IMPORT_ROW_REMOVED": "已导入的台账行在表格中已不存在",
}
WARNINGS = frozenset({"DEPT_MISMATCH", "SIGNED_TWICE", "SHEET_COPY", "SHEET_NEEDS_OCR",
                      "IMPORT_ROW_REMOVED"})


@dataclass(frozen=True)
class Entry:
    """One addition or deduction. ``points`` is signed and covers ``count`` occurrences."""

    id: str
    date: date
    department: str
    rule: str
    points: Decimal
    person: str = ""
    count: int = 1
    rank: str = ""
    level: str = ""
    #: the evidence, a path relative to the archive root ('' when there is only a note)
    evidence: str = ""
    note: str = ""
    recorded_by: str = ""
    #: when it was recorded (ISO time); '' for entries derived from sign-in sheets
    recorded_at: str = ""
    source: str = "hand"
    #: the id of the entry this one reverses (a correction), else ''
    reverses: str = ""
    #: an imported row's identity (file, sheet, content, occurrence), else ''
    key: str = ""
    #: for derived entries: the activity's theme and indicator
    activity: str = ""
    indicator: str = ""

    def to_dict(self) -> dict:
        data = {"id": self.id, "date": self.date.isoformat(), "department": self.department,
                "person": self.person, "rule": self.rule, "points": float(self.points),
                "count": self.count, "rank": self.rank, "level": self.level,
                "evidence": self.evidence, "note": self.note, "recorded_by": self.recorded_by,
                "recorded_at": self.recorded_at, "source": self.source,
                "reverses": self.reverses, "key": self.key, "activity": self.activity,
                "indicator": self.indicator}
        return data

    def stored(self) -> dict:
        """The ledger line: what ``to_dict`` gives, with the points as exact text."""
        data = self.to_dict()
        data["points"] = format(self.points.normalize(), "f")
        return {k: v for k, v in data.items() if v not in ("", None) or k in ("id", "rule")}

    @classmethod
    def from_dict(cls, data: dict) -> "Entry":
        """An entry from a ledger line; ValueError naming what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("不是一个 JSON 对象")
        try:
            points = Decimal(str(data["points"]))
            day = date.fromisoformat(str(data["date"]))
            entry = cls(id=str(data["id"]), date=day, department=str(data["department"]),
                        rule=str(data.get("rule") or ""), points=points)
        except KeyError as exc:
            raise ValueError(f"缺少字段 {exc.args[0]}") from None
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise ValueError(f"字段值无法识别（{exc}）") from None
        extra = {k: data[k] for k in ("person", "rank", "level", "evidence", "note",
                                      "recorded_by", "recorded_at", "source", "reverses", "key",
                                      "activity", "indicator") if data.get(k)}
        count = data.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError(f"count 应为正整数：{count!r}")
        return replace(entry, count=count, **{k: str(v) for k, v in extra.items()})


@dataclass(frozen=True)
class Issue:
    """Something the points run could not count, or counted with a caveat."""

    rule: str
    path: str
    message: str
    fix: str
    #: the activity's date when known (issues are shown with the period they fall in)
    date: date | None = None

    @property
    def severity(self) -> str:
        return "warning" if self.rule in WARNINGS else "error"

    def to_dict(self) -> dict:
        return {"rule": self.rule, "path": self.path, "severity": self.severity,
                "message": self.message, "fix": self.fix,
                "date": self.date.isoformat() if self.date else None}
