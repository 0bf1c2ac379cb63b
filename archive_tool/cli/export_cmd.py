"""``archive-tool export``: the inspection package (binders, the static site, the 自评表)."""
from __future__ import annotations

from pathlib import Path

import click

from archive_tool import UsageError

from . import EXIT_FINDINGS, progress_callback
from .check_cmd import _day
from .export_input import bars, source, years_option

_OUTPUT = click.option("-o", "--output", required=True,
                       type=click.Path(file_okay=False, path_type=Path),
                       help="输出文件夹（不存在时新建）。")
_ROOT = click.argument("root", required=False, default=".",
                       type=click.Path(exists=True, path_type=Path))


@click.group("export")
def group() -> None:
    """迎检材料：装订用的 PDF 卷宗、可从 U 盘打开的离线网页、自评表。

    \b
    示例：
      archive-tool export binder 档案 -o 卷宗
      archive-tool export site 档案 -o U盘/档案网页
      archive-tool export selfcheck 档案 -o 自评表.xlsx
    """


def _failures(failures) -> None:
    """Name each file that could not be converted or copied; exit 1 when there are any."""
    for entry, failure in failures:
        click.secho(f"✗ {entry.year + '/' if entry.year else ''}{entry.path}：{failure}",
                    err=True, fg="red")
    if failures:
        raise SystemExit(EXIT_FINDINGS)


@group.command("binder")
@_ROOT
@_OUTPUT
@years_option
@click.option("--indicator", metavar="ID", help="只导出这个指标（末级或一级，如 II-1、I-2）。")
def binder(root: Path, output: Path, years: str | None, indicator: str | None) -> None:
    """装订用的 PDF 卷宗：每个末级指标一卷，每个一级指标一份合订本，另附索引标签。

    \b
    每卷依次是：封面（单位、指标、年度、材料数）、卷内目录（序号、文号、责任者、题名、
    日期、页号、备注）、各文件：PDF 原样；Word/Excel/WPS 由 LibreOffice 转换（未安装时按
    文字内容排版，并提示）；照片每页两张，下方印活动时间、主办单位、活动主题。文件页
    从 1 起编页号，PDF 书签逐个文件。无法转换的文件照样列入卷内目录，备注「无法转换」。
    同时写出 卷内目录.xlsx（带页号）和 索引标签.pdf。

    \b
    示例：
      archive-tool export binder sample_archive -o 卷宗
      archive-tool export binder 档案 -o 卷宗 --years 2018-2020
      archive-tool export binder 档案 -o 卷宗 --indicator II-8

    退出码：0 全部转换；1 有文件无法转换（已列出）；2 用法或配置错误。
    """
    from archive_tool import build_binders, find_soffice, write_catalogue_xlsx

    export = source(root)
    output = export.output_folder(output)
    catalogue, _ = export.catalogue(years=years, progress=bars())
    if indicator:
        catalogue = export.only(catalogue, indicator)
    soffice = find_soffice()
    joins = indicator is None or any(v.top[0] == indicator.strip() for v in catalogue.volumes)
    result = build_binders(catalogue, output, soffice=soffice, join=joins,
                           progress=progress_callback("装订"),
                           office_progress=progress_callback("LibreOffice 转换"))
    write_catalogue_xlsx(catalogue, output / "卷内目录.xlsx", pages=result.pages,
                         remarks=result.remarks)
    click.echo(f"已写入 {output}：{result.leaves} 卷，文件页 {result.page_count} 页，"
               f"另有 卷内目录.xlsx、索引标签.pdf。")
    if soffice is None and result.office:
        click.echo(f"提示：未安装 LibreOffice，{result.office} 个 Word、Excel、WPS 文件按文字内容"
                   "排版（格式与原文件不同；.doc、.wps 等旧格式无法转换）。"
                   "安装 LibreOffice 后重新导出可保留原格式。", err=True)
    if result.unbound:
        click.echo(f"{len(result.unbound)} 个文件不在末级指标文件夹内，未装订"
                   "（见 archive-tool lint）。", err=True)
    _failures(result.failures)


@group.command("site")
@_ROOT
@_OUTPUT
@years_option
def site(root: Path, output: Path, years: str | None) -> None:
    """离线网页：一个文件夹，复制到 U 盘，在任何电脑上双击 index.html 即可浏览，
    不需要服务器和网络。

    \b
    首页是指标树及各年度完成情况；每个指标一页：要求与各期完成情况、照片缩略图和说明、
    文件链接（文件复制在 files/ 下）；卷内目录页列出全部文件；顶部的检索框离线可用
    （按主题、活动、单位、日期检索，中文按词检索）。再次导出到同一文件夹时，未变的文件
    不再复制。

    \b
    示例：
      archive-tool export site sample_archive -o 档案网页
      archive-tool export site 档案 -o /media/U盘/档案网页 --years 2018-2020
    """
    from archive_tool import build_site, document_texts

    export = source(root)
    output = export.output_folder(output)
    catalogue, data = export.catalogue(years=years, progress=bars())
    result = build_site(catalogue, {y.label: y.report for y in data}, output,
                        texts=document_texts(data), progress=progress_callback("复制文件"))
    click.echo(f"已写入 {output}：{result.pages} 个网页，{result.files} 个文件，"
               f"{result.thumbs} 张缩略图。用浏览器打开 {output / 'index.html'}。")
    _failures(result.failures)


@group.command("selfcheck")
@_ROOT
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="自评表文件（.xlsx）。")
@years_option
@click.option("--as-of", "as_of", metavar="DATE", callback=_day,
              help="按这一天判断各期完成情况（默认今天）。")
def selfcheck(root: Path, output: Path, years: str | None, as_of) -> None:
    """自评表（Excel）：每个一级指标一个工作表，逐条列出分值、测评要求、已有材料、
    完成情况、缺少什么、失分风险、建议自评分，并留出「测评组评分」一栏。

    \b
    分值取自指标体系（没有分值时该列为空）。多年度档案逐年列出（--years 可选其中几年）。

    \b
    示例：
      archive-tool export selfcheck sample_archive -o 自评表.xlsx
      archive-tool export selfcheck 档案 -o 自评表.xlsx --years 2020
    """
    from archive_tool import has_scores, write_selfcheck_xlsx

    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"自评表是 Excel 文件，{output.name} 应以 .xlsx 结尾",
                         hint=f"例如 -o {output.stem}.xlsx")
    export = source(root)
    # checked before any work: never inside the archive (it would be read as evidence)
    report_file = export.report_file(output)
    data, _ = export.data(years=years, as_of=as_of, progress=bars())
    reports = {y.label: y.report for y in data}
    report_file.write(lambda fp: write_selfcheck_xlsx(reports, data[-1].report.unit, fp))
    click.echo(f"已写入 {output}", err=True)
    if not has_scores(reports):
        click.echo("提示：指标体系中没有分值，分值、失分风险和建议自评分三列为空。", err=True)


COMMANDS = [group]
