"""``archive-tool catalog``: every evidence file, as the 卷内文件目录 lists it."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from archive_tool import UsageError

from . import echo_json
from .check_cmd import _day, _json
from .export_input import bars, source, years_option

FORMATS = ("text", "json", "xlsx")
_SUFFIXES = {".xlsx": "xlsx", ".json": "json"}


@click.command("catalog")
@click.argument("root", required=False, default=".",
                type=click.Path(exists=True, path_type=Path))
@years_option
@click.option("--indicator", metavar="ID", help="只列出这个指标（及其下级）的文件，如 II-1 或 I-2。")
@click.option("--as-of", "as_of", metavar="DATE", callback=_day,
              help="按这一天判断文件是否计入（默认今天）。")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="输出格式：终端文字（默认）、JSON（供脚本）、Excel（卷内文件目录，需 -o）。"
                   "不写时按 -o 文件的扩展名决定。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入文件（xlsx 格式必须指定）。")
def command(root: Path, years: str | None, indicator: str | None, as_of: date | None,
            fmt: str | None, output: Path | None) -> None:
    """卷内文件目录：列出每个材料文件的序号、文号、责任者、题名、日期及来源、类型、页数，
    是否计入（计入哪条要求、哪一期）和发现的问题。

    \b
    Excel 格式按档案人员熟悉的卷内文件目录排版（序号、文号、责任者、题名、日期、页号、备注），
    每个一级指标一个工作表，A4 打印设置好（表头每页重复、列宽适配、边框、自动换行）。
    多年度档案列出各年度（--years 可选其中几年）。

    \b
    示例：
      archive-tool catalog sample_archive
      archive-tool catalog 档案 -o 卷内文件目录.xlsx
      archive-tool catalog 档案 --years 2018-2020 --indicator I-2 --format json
    """
    fmt = fmt or (_SUFFIXES.get(output.suffix.lower(), "text") if output else "text")
    if fmt == "xlsx" and output is None:
        raise UsageError("Excel 格式需要用 -o 指定输出文件",
                         hint="例如 archive-tool catalog 档案 -o 卷内文件目录.xlsx")
    from archive_tool import catalogue_dict, catalogue_text, write_catalogue_xlsx

    export = source(root)
    # the output file is checked before any work: never inside the archive
    report_file = export.report_file(output) if output is not None else None
    catalogue, _ = export.catalogue(years=years, as_of=as_of, progress=bars(fmt == "json"))
    if indicator:
        catalogue = export.only(catalogue, indicator)
    if fmt == "xlsx":
        report_file.write(lambda fp: write_catalogue_xlsx(catalogue, fp))
        click.echo(f"已写入 {output}", err=True)
    elif report_file is not None:
        report_file.write(_json(catalogue_dict(catalogue)) if fmt == "json"
                          else catalogue_text(catalogue))
        click.echo(f"已写入 {output}", err=True)
    elif fmt == "json":
        echo_json(catalogue_dict(catalogue))
    else:
        click.echo(catalogue_text(catalogue))


COMMANDS = [command]
