"""Renderers: findings (lint) and gap reports (check) to text, json, markdown, html, xlsx.

Reports are models first (``lint.LintReport``, ``check`` gap report) and text second; nothing here
scans or opens evidence files. :func:`render_gap` and :func:`write_gap_xlsx` take one archive's
report or several years side by side alike; the renderers are imported when used.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO, Callable

if TYPE_CHECKING:  # pragma: no cover
    from ..check.model import GapReport
    from ..check.years import YearsReport
    from ..lint import LintReport

#: the formats of a gap report, and the format an output file's extension asks for
GAP_FORMATS = ("text", "md", "html", "json", "xlsx")
SUFFIX_FORMATS = {".xlsx": "xlsx", ".html": "html", ".htm": "html", ".md": "md",
                  ".markdown": "md", ".json": "json", ".txt": "text"}
#: style(text, kind) colours a text; kind is a status, "head" or "dim"
Style = Callable[[str, str], str]


def render_gap(view: GapReport | YearsReport, fmt: str = "text", *, by: str = "indicator",
               style: Style | None = None) -> str | dict:
    """A gap report (or several years: the side-by-side table, then each year's report) in
    ``fmt`` (text, md, html; json gives the dict), by indicator or by owner (``by``)."""
    from ..check.years import YearsReport

    if isinstance(view, YearsReport):
        return _years(view, fmt, by, style)
    from ..check import by_owner

    return _one(view, by_owner(view) if by == "owner" else None, fmt, style)


def _one(report: GapReport, groups, fmt: str, style: Style | None):
    if fmt == "json":
        return report.owners_dict(groups) if groups is not None else report.to_dict()
    if fmt == "md":
        from .gap_markdown import gap_markdown, gap_owners_markdown

        return gap_owners_markdown(report, groups) if groups is not None else gap_markdown(report)
    if fmt == "html":
        from .gap_html import gap_html, gap_owners_html

        return gap_owners_html(report, groups) if groups is not None else gap_html(report)
    from .gap_text import gap_owners_text, gap_text

    return (gap_owners_text(report, groups, style=style) if groups is not None
            else gap_text(report, style=style))


def _years(years: YearsReport, fmt: str, by: str, style: Style | None):
    owner = by == "owner"
    if fmt == "json":
        return years.to_dict(owners=owner)
    if fmt == "html":
        from .gap_html import owners_body, report_body
        from .gap_years import years_html

        return years_html(years, [owners_body(y.report, y.groups) if owner
                                  else report_body(y.report) for y in years.years])
    from .gap_years import years_markdown, years_text

    bodies = [_one(y.report, y.groups if owner else None, fmt, style) for y in years.years]
    return years_markdown(years, bodies) if fmt == "md" else years_text(years, bodies)


def write_gap_xlsx(view: GapReport | YearsReport, dest: BinaryIO, *,
                   by: str = "indicator") -> None:
    """The gap report as an Excel workbook (several years: ``按年度``, then each year's)."""
    from ..check.years import YearsReport
    from . import gap_xlsx

    if isinstance(view, YearsReport):
        gap_xlsx.write_years_xlsx(view, dest, by=by)
    else:
        from ..check import by_owner

        gap_xlsx.write_gap_xlsx(view, by_owner(view), dest, by=by)


def render_findings(report: LintReport, style: Style | None = None) -> str:
    """Lint's findings as text, grouped by folder, with the summary."""
    from .findings import findings_text

    return findings_text(report.findings, report.summary(), style=style)
