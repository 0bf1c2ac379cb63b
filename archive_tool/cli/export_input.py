"""What the export commands read: the archive (or the chosen years) through its door,
:attr:`archive_tool.Archive.export` / :attr:`archive_tool.Years.export`."""
from __future__ import annotations

from pathlib import Path

import click

from archive_tool import Archive, Years

from . import progress_callback


def years_option(func):
    return click.option(
        "--years", "years", metavar="YEARS",
        help="只导出这些年度，如 2018-2020、2019 或 2018,2020（多年度档案按年度文件夹，"
             "单一档案按文件日期）。")(func)


def source(root: Path):
    """The export of the archive or of the several years at ``root``."""
    return (Years.find(root) or Archive.open(root)).export


def bars(quiet: bool = False):
    """progress(label): a bar per year while its files are read (none when ``quiet``)."""
    return lambda label: progress_callback(f"读取文件{f'（{label}）' if label else ''}",
                                           enabled=not quiet)
