"""Several assessment years: a folder whose config lists one archive per year (``years:``).

Inspections review three years of materials (seed 004). Each year is an :class:`Archive` of its
own (its tree, its window, its folders); :class:`Years` opens them and checks them side by side
on one report date and inspection day. Every other command works on one year::

    years = Years.find("档案")                 # None when 档案 is a plain archive
    report = years.check(as_of=date(2018, 10, 15))
    for row in report.rows():
        print(row.id, row.statuses)
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .archive import Archive, Progress
from .config import DEFAULT_TIMEZONE, YearsConfig, find_root, is_years, load_config, load_years
from .errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from .check.years import YearsReport
    from .export.source import Export
    from .output_file import ReportFile


class Years:
    """The year archives listed by the config of one folder, in the order listed."""

    def __init__(self, config: YearsConfig):
        self.config = config

    def __repr__(self) -> str:
        return f"Years({str(self.root)!r}, {list(self.labels)!r})"

    @classmethod
    def find(cls, path: str | os.PathLike = ".") -> Years | None:
        """The several years whose folder holds ``path``, or None when the archive found from
        ``path`` is a plain one (NotAnArchiveError when there is none at all)."""
        root = find_root(path)
        return cls(load_years(root)) if is_years(root) else None

    @classmethod
    def open(cls, path: str | os.PathLike = ".") -> Years:
        """The several years at (or above) ``path``; ConfigError naming the listed folder that
        is no archive, NotAnArchiveError when there is no config at all."""
        return cls(load_years(find_root(path)))

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def labels(self) -> tuple[str, ...]:
        """The years' folder names, as listed (their labels in reports)."""
        return self.config.years

    def archive(self, label: str) -> Archive:
        """The archive of one year; UsageError for a year not listed."""
        if label not in self.labels:
            raise UsageError(f"没有年度「{label}」：可选 {'、'.join(self.labels)}",
                             hint=f"例如 --year {self.labels[-1]}")
        return Archive(load_config(self.config.year_root(label)))

    def today(self) -> date:
        """Today in the time zone of the joined config (default Asia/Shanghai)."""
        from .dating import today

        return today(self.config.timezone or DEFAULT_TIMEZONE)

    def check(self, *, as_of: date | None = None, inspection: date | None = None,
              only: str | None = None,
              progress: Callable[[str], Progress | None] | None = None) -> YearsReport:
        """Every year's gap report (or only the year ``only``) on ``as_of`` (default today),
        side by side. The inspection day is ``inspection``, else each year's own (its config,
        else the joined config's); ``progress(label)`` may give a scan progress callback."""
        from .check import by_owner
        from .check.years import YearGap, YearsReport

        as_of = as_of or self.today()
        out = []
        for label in (only,) if only is not None else self.labels:
            archive = self.archive(label)
            report = archive.check(as_of=as_of, inspection=inspection,
                                   progress=progress(label) if progress else None)
            out.append(YearGap(label, report, by_owner(report)))
        days = {y.report.inspection for y in out}
        return YearsReport(tuple(out), as_of, days.pop() if len(days) == 1 else None)

    @property
    def export(self) -> Export:
        """What the inspection package reads: each year's archive, labelled by its folder."""
        from .export.source import Export

        return Export(self.root, [(label, self.archive(label)) for label in self.labels],
                      several=True)

    def report_file(self, path: str | os.PathLike) -> ReportFile:
        """Where the report may be written: outside every year's archive and the folder."""
        from .output_file import ReportFile

        return ReportFile(Path(path), self.root)
