"""What the export commands read: scan -> lint -> check of one archive, or of each selected
year of a several-years archive, as ``check_cmd`` assembles them (issue 13's ``Archive`` will
take this over). Returns :class:`archive_tool.export.catalog.ArchiveYear` records; the export
library takes them as arguments and never walks the disk itself."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from . import progress_callback


def years_option(func):
    return click.option(
        "--years", "years", metavar="YEARS",
        help="只导出这些年度，如 2018-2020、2019 或 2018,2020（多年度档案按年度文件夹，"
             "单一档案按文件日期）。")(func)


def read_archive(root: Path, *, years: str | None = None, as_of: date | None = None,
                 quiet: bool = False):
    """(ArchiveYear list, is several years, the wanted years or None) for ``root``."""
    from ..check import check
    from ..config import find_root, is_years, load_config, load_years
    from ..dating import today
    from ..export.catalog import ArchiveYear
    from ..export.select import parse_years, select_labels
    from ..lint import lint
    from ..scan import scan

    wanted = parse_years(years) if years else None
    found = find_root(root)
    several = is_years(found)
    if several:
        joined = load_years(found)
        places = [(label, joined.year_root(label))
                  for label in select_labels(joined.years, wanted)]
    else:
        places = [("", found)]
    out = []
    for label, place in places:
        config = load_config(place)
        bar = progress_callback(f"读取文件{f'（{label}）' if label else ''}", enabled=not quiet)
        result = scan(config.root, config=config, progress=bar)
        linted = lint(result)
        report = check(result, linted, as_of=as_of or today(config.timezone))
        out.append(ArchiveYear(label, result, linted, report))
    return out, several, wanted


def read_catalogue(root: Path, *, years: str | None = None, as_of: date | None = None,
                   quiet: bool = False):
    """(the catalogue of ``root`` cut to ``years``, the ArchiveYear list)."""
    from ..export.catalog import build_catalogue
    from ..export.select import by_date

    data, several, wanted = read_archive(root, years=years, as_of=as_of, quiet=quiet)
    catalogue = build_catalogue(data)
    return (catalogue if several else by_date(catalogue, wanted)), data

