"""Several assessment years side by side: one gap report per year archive.

Inspections review three years of materials (seed 004: "审阅资料（2018年—2020年创建资料）").
Each year is an archive of its own (its tree, its window), listed in the ``years:`` config of
the folder above them (:class:`archive_tool.config.YearsConfig`). :meth:`archive_tool.Years.check`
checks each year on the same report date and inspection day; :class:`YearsReport` puts the
reports side by side, indicator by indicator (the ids of the latest year's tree first).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import GapReport, OwnerGap


@dataclass(frozen=True)
class YearGap:
    """One year of the side-by-side report."""

    year: str
    report: GapReport
    groups: list[OwnerGap] = field(default_factory=list)


@dataclass(frozen=True)
class SideBySideRow:
    """An indicator and its status in each year (None: not in that year's tree)."""

    id: str
    name: str
    level: int
    statuses: tuple[str | None, ...]
    short: tuple[bool, ...]

    def to_dict(self, years: tuple[str, ...]) -> dict:
        return {"id": self.id, "name": self.name, "level": self.level,
                "years": {year: {"status": status, "short": short} if status else None
                          for year, status, short in zip(years, self.statuses, self.short)}}


@dataclass(frozen=True)
class YearsReport:
    years: tuple[YearGap, ...]
    as_of: date
    inspection: date | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(y.year for y in self.years)

    @property
    def ok(self) -> bool:
        return all(y.report.ok for y in self.years)

    def rows(self) -> list[SideBySideRow]:
        """Indicators in the order of the latest year's tree, then those only earlier years
        have, each with its status per year."""
        order: dict[str, tuple[str, int]] = {}
        for year in reversed(self.years):
            for ind in year.report.walk():
                order.setdefault(ind.id, (ind.name, ind.level))
        by_year = [{ind.id: ind for ind in y.report.walk()} for y in self.years]
        rows = []
        for ind_id, (name, level) in order.items():
            found = [year.get(ind_id) for year in by_year]
            rows.append(SideBySideRow(ind_id, name, level,
                                      tuple(g.status if g else None for g in found),
                                      tuple(bool(g and g.short) for g in found)))
        return rows

    def to_dict(self, owners: bool = False) -> dict:
        years = []
        for y in self.years:
            data = y.report.owners_dict(y.groups) if owners else y.report.to_dict()
            years.append({"year": y.year, **data})
        return {"as_of": self.as_of.isoformat(),
                "inspection": self.inspection.isoformat() if self.inspection else None,
                "ok": self.ok, "years": years,
                "side_by_side": [row.to_dict(self.labels) for row in self.rows()]}
