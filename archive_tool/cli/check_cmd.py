"""``archive-tool check``: the gap report before the inspection."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from archive_tool import (GAP_FORMATS as FORMATS, SUFFIX_FORMATS, Archive, UsageError, Years,
                          render_gap, write_gap_xlsx)

from . import EXIT_FINDINGS, echo_json, progress_callback

_COLOURS = {"complete": "green", "in_progress": "yellow", "missing": "red"}


def _style(text: str, kind: str) -> str:
    if kind in ("dim", "not_started", "not_assessed"):
        return click.style(text, dim=True)
    if kind == "head":
        return click.style(text, bold=True)
    return click.style(text, fg=_COLOURS.get(kind))


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"日期无法识别：{value!r}，应写成 2018-06-30") from None


@click.command("check")
@click.argument("root", required=False, default=".",
                type=click.Path(exists=True, path_type=Path))
@click.option("--as-of", "as_of", metavar="DATE", callback=_day,
              help="报告日期：此前结束而不足的周期为缺失，包含这一天的周期为进行中（默认今天）。")
@click.option("--inspection", metavar="DATE", callback=_day,
              help="迎检日：各周期按这一天判断，列出到那天若不再补充将缺的材料"
                   "（默认取档案配置中的 inspection）。")
@click.option("--year", metavar="YEAR",
              help="多年度档案只查其中一年（years 中的文件夹名，如 2024年）；默认各年度并列。")
@click.option("--from", "date_from", metavar="DATE", callback=_day,
              help="考核期开始日期（默认取档案配置或指标体系的考核期）。")
@click.option("--to", "date_to", metavar="DATE", callback=_day,
              help="考核期结束日期（默认取档案配置或指标体系的考核期）。")
@click.option("--by", type=click.Choice(["indicator", "owner"]), default="indicator",
              show_default=True, help="按指标列出，或按责任人/牵头处室分组列出缺项。")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="输出格式：终端文字（默认）、Markdown、网页、JSON（供脚本）、Excel（需 -o）。"
                   "不写时按 -o 文件的扩展名（.xlsx .html .md .json）决定。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="把报告写入文件（xlsx 格式必须指定）。")
def command(root: Path, as_of: date | None, inspection: date | None, year: str | None,
            date_from: date | None, date_to: date | None, by: str, fmt: str | None,
            output: Path | None) -> None:
    """查缺报告：逐项列出哪些指标缺材料、缺什么、由谁负责。

    \b
    对每个末级指标的每条材料要求，统计符合条件的文件：类型对、文件名规范、
    照片说明完整、说明报告字数符合要求、日期在考核期内且不晚于截止日期。
    按月/季度/半年/年的要求逐期统计：齐全；缺失（已结束仍不足）；进行中（还差多少、
    还剩几天，最后一天为「今天到期」）；未开始。设了迎检日时，各周期按迎检日判断，
    摘要首行列出到那天若不再补充将缺的材料。
    放了但不计入的文件（如照片没有说明）列在「已提交但不计入」下，附原因和修改办法。
    ROOT 是档案根目录或其中任一路径（默认当前目录）；多年度档案逐年并列。

    \b
    示例：
      archive-tool check sample_archive --as-of 2018-10-15
      archive-tool check 档案 --inspection 2024-11-30
      archive-tool check 档案 --by owner
      archive-tool check 档案 -o 查缺报告.html       格式按扩展名：网页
      archive-tool check 档案 --by owner -o 查缺报告.xlsx
      archive-tool check 档案 --from 2018-01-01 --to 2018-06-30 --format json

    退出码：0 不缺材料；1 有缺项（设了迎检日：到迎检日将缺材料；未设：有已结束而不足的
    周期）；2 用法或配置错误。
    """
    fmt = _output_format(fmt, output)
    years = Years.find(root)
    archive = Archive.open(root) if years is None else None
    # the output file is checked before any work: never inside the archive
    report_file = (years or archive).report_file(output) if output is not None else None
    view = _view(years, archive, as_of=as_of, inspection=inspection, year=year,
                 date_from=date_from, date_to=date_to, fmt=fmt)
    if fmt == "xlsx":
        report_file.write(lambda fp: write_gap_xlsx(view, fp, by=by))
        click.echo(f"已写入 {output}", err=True)
    else:
        shown = render_gap(view, fmt, by=by, style=_style if output is None else None)
        if report_file is not None:
            report_file.write(shown if isinstance(shown, str) else _json(shown))
            click.echo(f"已写入 {output}", err=True)
        elif fmt == "json":
            echo_json(shown)
        else:
            click.echo(shown, color=sys.stdout.isatty() if fmt == "text" else False)
    if not view.ok:
        raise SystemExit(EXIT_FINDINGS)


def _view(years: Years | None, archive: Archive | None, *, as_of, inspection, year, date_from,
          date_to, fmt: str):
    """The report to show: one archive's, one year's, or the years side by side."""
    def progress(label: str):
        return progress_callback(f"读取文件{label}", enabled=fmt != "json")

    if years is None:
        if year is not None:
            raise UsageError("--year 只用于多年度档案（档案配置中有 years）",
                             hint="去掉 --year，或对多年度档案的上级文件夹运行。")
        return archive.check(as_of=as_of, inspection=inspection, date_from=date_from,
                             date_to=date_to, progress=progress(""))
    if date_from or date_to:
        raise UsageError("多年度档案的各年度使用各自的考核期，不能用 --from/--to",
                         hint=f"对其中一年运行，例如 archive-tool check {years.root} --year 年度。")
    report = years.check(as_of=as_of, inspection=inspection, only=year,
                         progress=lambda label: progress(f"（{label}）"))
    return report.years[0].report if year is not None else report


def _output_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, checked against the output file before any work is done."""
    wanted = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        fmt = wanted or "text"
    elif wanted is not None and wanted != fmt and not (wanted == "text" and fmt != "xlsx"):
        raise UsageError(f"输出文件 {output.name} 的扩展名与格式 {fmt} 不符",
                         hint=f"去掉 --format（按扩展名输出 {wanted}），或把文件名改为"
                              f"「{output.stem}{_SUFFIX[fmt]}」。")
    if fmt == "xlsx" and output is None:
        raise UsageError("Excel 格式需要用 -o 指定输出文件",
                         hint="例如 archive-tool check 档案 -o 查缺报告.xlsx")
    if output is not None and not output.resolve().parent.is_dir():
        raise UsageError(f"输出文件所在的文件夹不存在：{output.resolve().parent}",
                         hint="先建好文件夹，或换一个输出路径。")
    return fmt


#: the usual extension of each format (the first of SUFFIX_FORMATS naming it)
_SUFFIX = {fmt: suffix for suffix, fmt in reversed(SUFFIX_FORMATS.items())}


def _json(data) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


COMMANDS = [command]
