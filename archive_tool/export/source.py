"""What an export reads, through the archive's own door: each year's scan, lint and gap report
(:attr:`archive_tool.Archive.export`, :attr:`archive_tool.Years.export`).

One archive is one unlabelled :class:`~.catalog.ArchiveYear`; a folder of several years one per
year, ``--years`` choosing among the year folders. In a single archive ``--years`` cuts the
catalogue by the files' dates instead.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

from ..errors import UsageError
from .catalog import ArchiveYear, Catalogue, build_catalogue
from .select import by_date, parse_years, select_labels

if TYPE_CHECKING:  # pragma: no cover
    from ..check import GapReport
    from ..lint import LintReport
    from ..output_file import ReportFile


class Place(Protocol):
    """What an export reads of one archive (:class:`archive_tool.Archive`)."""

    def lint(self, *, progress: Callable | None = None) -> LintReport: ...

    def check(self, *, as_of: date | None = None) -> GapReport: ...

#: progress(label) gives a scan progress callback for a year ("" for a single archive), or None
YearProgress = Callable[[str], Callable | None]


class Export:
    """The archives an export covers, as (label, archive) in order."""

    def __init__(self, root: Path, places: Sequence[tuple[str, Place]], several: bool):
        self.root = root
        self.places = list(places)
        self.several = several

    def output_folder(self, path: str | os.PathLike) -> Path:
        """``path`` as an export's output folder; UsageError when it lies inside the archive
        (what is written there would be scanned as evidence)."""
        out, archive = Path(path).resolve(), self.root.resolve()
        if out == archive or archive in out.parents:
            raise UsageError(f"输出文件夹 {path} 在档案内，导出的文件会被当作材料",
                             hint="换一个档案以外的文件夹，例如桌面上的「迎检材料」。")
        return Path(path)

    def report_file(self, path: str | os.PathLike) -> ReportFile:
        """Where a report may be written: outside the archive, never through a link."""
        from ..output_file import ReportFile

        return ReportFile(Path(path), self.root)

    def data(self, *, years: str | None = None, as_of: date | None = None,
             progress: YearProgress | None = None
             ) -> tuple[list[ArchiveYear], frozenset[int] | None]:
        """Each chosen year's scan, lint and gap report on ``as_of`` (default today), and the
        years asked for (None: all)."""
        wanted = parse_years(years) if years else None
        labels = [label for label, _ in self.places]
        chosen = select_labels(labels, wanted) if self.several else labels
        out = []
        for label, archive in self.places:
            if label not in chosen:
                continue
            found = archive.lint(progress=progress(label) if progress else None)
            out.append(ArchiveYear(label, found.result, found, archive.check(as_of=as_of)))
        return out, wanted

    def catalogue(self, *, years: str | None = None, as_of: date | None = None,
                  progress: YearProgress | None = None
                  ) -> tuple[Catalogue, list[ArchiveYear]]:
        """The catalogue (卷内文件目录) of the chosen years, and what it was built from."""
        data, wanted = self.data(years=years, as_of=as_of, progress=progress)
        catalogue = build_catalogue(data)
        return (catalogue if self.several else by_date(catalogue, wanted)), data

    @staticmethod
    def only(catalogue: Catalogue, indicator: str) -> Catalogue:
        """The catalogue cut to one indicator; UsageError naming the ids there are."""
        picked = catalogue.select(indicator=indicator.strip())
        if not picked.volumes:
            ids = [v.indicator for v in catalogue.volumes if v.indicator]
            raise UsageError(f"没有指标 {indicator} 的文件",
                             hint=f"有文件的指标：{'、'.join(ids[:30])}" if ids
                             else "档案中还没有材料文件。")
        return picked
