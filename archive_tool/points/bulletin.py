"""The quarterly or annual bulletin (积分通报): scores per department, the ranking, the honours.

Pure: it takes the ledger and the setup and computes, per department, the additions and
deductions of the period, the net, the per-capita score, the ranking by it, and the year's
running total (基本分 + everything from 1 January to the period's end). Seed 000: "“文明科室”
评选以科室单位人均得分作为依据"; each quarter the top three become 文明科室. The per-capita
score is the period's net points ÷ headcount (``per_capita: net``; with ``total`` it is the
running total ÷ headcount). Equal per-capita scores share a rank; a department is honoured
when its rank is within ``honours.top`` and it earned points in the period (net > 0), so ties
at the boundary can honour more than three. Amounts are exact (decimals, fractions for the
ranking); shown rounded to two places.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..errors import UsageError
from .entries import Entry, Issue
from .ledger import Ledger
from .roster import PointsSetup

_QUARTERS = ("一", "二", "三", "四")


@dataclass(frozen=True)
class Span:
    """The period of a bulletin."""

    kind: str  # quarter | year
    label: str  # 2018Q2 / 2018
    title: str  # 2018年第二季度 / 2018年度
    start: date
    end: date

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def quarter_span(text: str) -> Span:
    """``2018Q2`` (also ``2018-Q2``, ``2018q2``, ``2018年第二季度``) -> its span."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    match = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", folded) or re.fullmatch(
        r"(\d{4})年第?([1-4一二三四])季度?", folded)
    if not match:
        raise UsageError(f"季度「{text}」无法识别", "写成 2018Q2（2018 年第二季度）。")
    year, q = int(match.group(1)), match.group(2)
    number = int(q) if q.isdigit() else _QUARTERS.index(q) + 1
    start = date(year, 3 * number - 2, 1)
    end = date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1)
    return Span("quarter", f"{year}Q{number}", f"{year}年第{_QUARTERS[number - 1]}季度", start,
                date.fromordinal(end.toordinal() - 1))


def year_span(year: int) -> Span:
    if not 1900 <= year <= 2100:
        raise UsageError(f"年度「{year}」无法识别", "写成 2018。")
    return Span("year", str(year), f"{year}年度", date(year, 1, 1), date(year, 12, 31))


def round2(value: Decimal | Fraction) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DepartmentScore:
    name: str
    size: int
    additions: Decimal
    deductions: Decimal  # a positive amount
    #: running total: the base plus every entry from 1 January to the end of the period
    total: Decimal
    per_capita: Fraction
    #: rank by per-capita score (the one that counts) and by the period's points alone
    rank: int
    points_rank: int
    honoured: bool
    entries: tuple[Entry, ...]

    @property
    def net(self) -> Decimal:
        return self.additions - self.deductions

    def to_dict(self) -> dict:
        return {"department": self.name, "size": self.size, "additions": float(self.additions),
                "deductions": float(self.deductions), "net": float(self.net),
                "total": float(self.total), "per_capita": float(round2(self.per_capita)),
                "rank": self.rank, "points_rank": self.points_rank, "honoured": self.honoured,
                "entries": [e.id for e in self.entries]}


@dataclass(frozen=True)
class Bulletin:
    unit: str
    span: Span
    setup: PointsSetup
    departments: tuple[DepartmentScore, ...]  # in ranking order
    entries: tuple[Entry, ...]  # of the period, by date
    issues: tuple[Issue, ...]  # of the period, and undated ones
    reversed: frozenset[str]

    @property
    def honoured(self) -> tuple[DepartmentScore, ...]:
        return tuple(d for d in self.departments if d.honoured)

    @property
    def ok(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    def to_dict(self) -> dict:
        rules = self.setup.rules
        return {
            "unit": self.unit, "period": {"kind": self.span.kind, "label": self.span.label,
                                          "title": self.span.title,
                                          "start": self.span.start.isoformat(),
                                          "end": self.span.end.isoformat()},
            "rules": {"id": rules.id, "title": rules.title, "base": float(rules.base),
                      "per_capita": rules.per_capita, "honours": rules.honours_title},
            "ranking": [d.to_dict() for d in self.departments],
            "honoured": [d.name for d in self.honoured],
            "entries": [dict(e.to_dict(), reversed=e.id in self.reversed) for e in self.entries],
            "issues": [i.to_dict() for i in self.issues],
            "summary": {"departments": len(self.departments), "entries": len(self.entries),
                        "issues": len(self.issues),
                        "errors": sum(1 for i in self.issues if i.severity == "error")},
        }


def _competition(keys: list[Fraction | Decimal]) -> list[int]:
    """1, 1, 3 … ranks of values already sorted best first."""
    ranks: list[int] = []
    for pos, value in enumerate(keys):
        ranks.append(ranks[-1] if pos and value == keys[pos - 1] else pos + 1)
    return ranks


def _is_addition(rules, entry: Entry) -> bool:
    """Whether an entry counts among the additions: its item is an addition (a correction of
    an addition lowers the additions, it is no deduction); an entry without an item by its
    sign (a correction by its target's)."""
    item = rules.item(entry.rule) if entry.rule else None
    if item is not None:
        return item.kind == "add"
    return (entry.points > 0) != bool(entry.reverses)


def build_bulletin(setup: PointsSetup, ledger: Ledger, span: Span, unit: str = "") -> Bulletin:
    """Score every department of the roster over ``span``."""
    rules = setup.rules
    year_start = date(span.start.year, 1, 1)
    rows = []
    for order, dept in enumerate(setup.roster.departments):
        own = [e for e in ledger.entries if e.department == dept.name]
        period = tuple(e for e in own if e.date in span)
        adds = sum((e.points for e in period if _is_addition(rules, e)), Decimal(0))
        deducts = -sum((e.points for e in period if not _is_addition(rules, e)), Decimal(0))
        total = rules.base + sum((e.points for e in own if year_start <= e.date <= span.end),
                                 Decimal(0))
        scored = adds - deducts if rules.per_capita == "net" else total
        rows.append((Fraction(scored) / dept.size, adds - deducts, order, dept, adds, deducts,
                     total, period))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2]))
    ranks = _competition([r[0] for r in rows])
    by_points = sorted(rows, key=lambda r: (-r[1], r[2]))
    points_rank = dict(zip((r[3].name for r in by_points), _competition([r[1] for r in by_points])))
    departments = tuple(
        DepartmentScore(dept.name, dept.size, adds, deducts, total, per_capita, rank,
                        points_rank[dept.name], rank <= rules.honours_top and net > 0, period)
        for rank, (per_capita, net, _, dept, adds, deducts, total, period) in zip(ranks, rows))
    entries = tuple(e for e in ledger.entries if e.date in span)
    issues = tuple(i for i in ledger.issues if i.date is None or i.date in span)
    return Bulletin(unit, span, setup, departments, entries, issues, frozenset(ledger.reversed))
