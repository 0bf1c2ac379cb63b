"""``archive-tool points …``: the points ledger (积分制) and its quarterly bulletin."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from archive_tool import Archive, UsageError

from . import EXIT_FINDINGS, echo_json, progress_callback
from .check_cmd import _day  # the date option's parser, shared with check

REPORT_FORMATS = ("text", "json", "xlsx", "docx")
_SUFFIXES = {".xlsx": "xlsx", ".docx": "docx", ".json": "json", ".txt": "text"}
_COLOURS = {"error": "red", "warning": "yellow"}


def _paint(text: str, kind: str) -> str:
    if kind == "head":
        return click.style(text, bold=True)
    if kind == "dim":
        return click.style(text, dim=True)
    return click.style(text, fg=_COLOURS.get(kind))


def _points(root: Path | None):
    """The points ledger of the archive at ``root`` (default: the one holding the current
    folder)."""
    return Archive.open(root if root is not None else Path.cwd()).points


def _span(quarter: str | None, year: int | None):
    from archive_tool import quarter_span, year_span

    if (quarter is None) == (year is None):
        raise UsageError("需要写明通报的期间：--quarter 或 --year（二选一）",
                         "例如 --quarter 2018Q2，或 --year 2018。")
    return quarter_span(quarter) if quarter else year_span(year)


_ROOT = click.argument("root", required=False, default=".",
                       type=click.Path(exists=True, file_okay=False, path_type=Path))
_ROOT_OPTION = click.option("--root", type=click.Path(file_okay=False, path_type=Path),
                            default=None, help="档案根目录（默认：当前目录所在的档案）。")
_JSON = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                     show_default=True, help="输出格式。")
_BY = click.option("--by", "by", default="", help="记录人（默认：当前登录用户名）。")


@click.group("points")
def points() -> None:
    """积分制：按签到表和加扣分记录计算各科室单位积分，每季度通报排名。

    \b
    积分规则（如 2018年文明单位创建工作积分制管理办法）内置为 linyi-2018；
    科室单位、人数和人员名册保存在档案的 .archive/points.yaml 中；
    签到表（archive-tool new signin 生成，Word 或 Excel 填写）自动计入参加活动的人次；
    其他加分、扣分用 points add 记录，记错了用 points correct 更正（不删除原记录）。

    \b
    示例：
      archive-tool points init 档案 --departments 附件1.docx --people 人员名册.xlsx
      archive-tool points add D3c --person 张三 --date 2018-05-20 --note "受到党内警告处分" --root 档案
      archive-tool points import 积分台账.xlsx --root 档案
      archive-tool points report 档案 --quarter 2018Q2
      archive-tool points report 档案 --quarter 2018Q2 -o 2018年第二季度积分通报.docx
      archive-tool points report 档案 --year 2018 -o 2018年度积分.xlsx
    """


@points.command("init")
@_ROOT
@click.option("--departments", "departments", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="科室单位及人数的表格（Word/Excel，如积分制管理办法的附件1）。")
@click.option("--people", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="人员名册（Word/Excel，表头含 姓名、科室（单位），可有 职级）。")
@click.option("--rules", "rules", default=None,
              help="积分规则：内置编号（默认与指标体系同名，如 linyi-2018）或 .archive/ 中的文件名。")
@click.option("--force", is_flag=True, help="覆盖已有的 .archive/points.yaml（原文件保留为 points.prev.yaml）。")
def init_cmd(root: Path, departments: Path | None, people: Path | None, rules: str | None,
             force: bool) -> None:
    """从表格导入科室单位、人数和人员名册，写入 .archive/points.yaml。

    科室单位表需有「科室（单位）」和「人数」两列；人员名册需有「姓名」和「科室（单位）」，可有「职级」
    （科级以上 / 一般职工）。只给人员名册时，各科室单位的人数按名册人数计。读不了的行逐行列出（退出码 1）。

    \b
    示例：
      archive-tool points init 档案 --departments 附件1.docx
      archive-tool points init 档案 --departments 附件1.docx --people 人员名册.xlsx --force
    """
    result = _points(root).init(departments, people, rules=rules, force=force)
    click.echo(f"已写入 {result.path}：科室单位 {len(result.departments)} 个，"
               f"人员 {len(result.people)} 人。")
    if result.counted:
        click.echo("没有科室单位名单：各科室单位的人数按人员名册计，请核对。", err=True)
    for problem in result.problems:
        click.echo(f"需要核对：{problem}", err=True)
    if result.problems:
        raise SystemExit(EXIT_FINDINGS)


@points.command("rules")
@click.argument("ref", metavar="[ID|FILE]", required=False)
@_JSON
def rules_cmd(ref: str | None, fmt: str) -> None:
    """列出内置积分规则，或显示（并检查）一个积分规则文件。

    \b
    示例：
      archive-tool points rules
      archive-tool points rules linyi-2018
      archive-tool points rules 档案/.archive/我的积分规则.yaml --format json
    """
    from archive_tool import load_rules, shipped_rules

    if ref is None:
        found = [load_rules(rid) for rid in shipped_rules()]
        if fmt == "json":
            echo_json({"rules": [{"id": r.id, "title": r.title, "items": len(r.items)}
                                 for r in found]})
        else:
            for r in found:
                click.echo(f"{r.id:<16}{r.title}（{len(r.items)} 项）")
        return
    rules = load_rules(ref)
    if fmt == "json":
        echo_json(rules.to_dict())
        return
    click.echo(f"{rules.title}（{rules.id}）  基本分 {rules.base}  职级：{'、'.join(rules.ranks)}")
    for item in rules.items:
        clause = f"〔{item.clause}〕" if item.clause else ""
        click.echo(f"  {item.id:<10}{item.text}{clause}：{item.describe()}")


def _echo_entry(entry, fmt: str, verb: str) -> None:
    from archive_tool import signed

    if fmt == "json":
        echo_json(entry.to_dict())
        return
    who = f"{entry.department}" + (f" {entry.person}" if entry.person else "")
    click.echo(f"已{verb} {entry.id}：{entry.date} {who} {entry.rule} {signed(entry.points)} 分")


@points.command("add")
@click.argument("rule")
@click.option("--dept", "department", default="", help="科室单位（名单中的名称或别名）。")
@click.option("--person", default="", help="人员姓名（科室单位取自名册）。")
@click.option("--date", "day", metavar="DATE", callback=_day, help="日期（默认今天），如 2018-05-20。")
@click.option("--count", type=click.IntRange(1, 1000), default=1, show_default=True,
              help="人次或次数。")
@click.option("--rank", default="", help="职级（按职级计分的扣分项；默认取名册）：科级以上 / 一般职工。")
@click.option("--level", default="", help="等级（按等级计分的项目）：如 一等奖、省级。")
@click.option("--evidence", default="", help="佐证材料：档案中的文件路径。")
@click.option("--note", default="", help="说明（事由、文号等）。")
@_BY
@_ROOT_OPTION
@_JSON
def add_cmd(rule: str, department: str, person: str, day: date | None, count: int, rank: str,
            level: str, evidence: str, note: str, by: str, root: Path | None, fmt: str) -> None:
    """手工记录一条加分或扣分。RULE 是积分规则中的项目编号（见 points rules）。

    \b
    示例：
      archive-tool points add A2 --dept 机关党委 --date 2018-06-01 --note "市文明办认可" --root 档案
      archive-tool points add D3c --person 张三 --date 2018-05-20 --note "党内警告" --root 档案
      archive-tool points add A4 --dept 办公室 --level 二等奖 --evidence "档案/I-3 业务工作/…/01：获奖证书.jpg"
      archive-tool points add A1-unit --dept 大气科 --date 2018-05-19 --note "整体参加志愿服务"
    """
    entry = _points(root).add(rule, department=department, person=person, day=day, count=count,
                              rank=rank, level=level, evidence=evidence, note=note, by=by)
    _echo_entry(entry, fmt, "记录")


@points.command("correct")
@click.argument("entry_id", metavar="ENTRY")
@click.option("--note", required=True, help="更正原因。")
@_BY
@_ROOT_OPTION
@_JSON
def correct_cmd(entry_id: str, note: str, by: str, root: Path | None, fmt: str) -> None:
    """更正：记录一条与 ENTRY 相反的条目，撤销它（原条目保留，通报中注明）。

    ENTRY 是条目编号（见 points list 或通报的明细）：手工记录为 L1、L2…，签到表计分为 S 开头。

    \b
    示例：
      archive-tool points correct L3 --note "人次记重了" --root 档案
      archive-tool points correct S1a2b3c4 --note "代签，本人未参加"
    """
    entry = _points(root).correct(entry_id, note, by,
                                  progress=progress_callback("读取文件", enabled=fmt != "json"))
    _echo_entry(entry, fmt, "更正")


@points.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_BY
@_ROOT_OPTION
@_JSON
def import_cmd(file: Path, by: str, root: Path | None, fmt: str) -> None:
    """导入综合组已有的积分台账表格（Excel/Word），追加到积分台账。

    表头需有 日期、科室（单位）或姓名、分值（或 加分、扣分）；可有 编号（项目编号）、加扣分项目、事由、
    记录人、佐证材料。已导入的行不重复导入；读不了的行逐行列出（退出码 1）。

    \b
    示例：
      archive-tool points import 2018年积分台账.xlsx --root 档案
    """
    result = _points(root).import_table(file, by)
    if fmt == "json":
        echo_json({"added": [e.to_dict() for e in result.added], "already": result.already,
                   "issues": [i.to_dict() for i in result.issues]})
    else:
        click.echo(f"已导入 {len(result.added)} 条，{result.already} 条以前已导入。")
        for issue in result.issues:
            click.echo(f"需要核对：{issue.message}。{issue.fix}", err=True)
    if any(i.severity == "error" for i in result.issues):
        raise SystemExit(EXIT_FINDINGS)


def _period_option(func):
    func = click.option("--year", type=int, default=None, help="年度，如 2018。")(func)
    return click.option("--quarter", default=None, help="季度，如 2018Q2。")(func)


@points.command("list")
@_ROOT
@_period_option
@click.option("--dept", "department", default=None, help="只列出这个科室单位的条目。")
@_JSON
def list_cmd(root: Path, quarter: str | None, year: int | None, department: str | None,
             fmt: str) -> None:
    """列出积分台账的条目（含编号，供更正时引用）和需要核对的问题。

    \b
    示例：
      archive-tool points list 档案 --quarter 2018Q2
      archive-tool points list 档案 --year 2018 --dept 办公室 --format json
    """
    from archive_tool import entries_dict, entries_text, entry_rows

    points = _points(root)
    bulletin = points.report(_span(quarter, year),
                             progress=progress_callback("读取文件", enabled=fmt != "json"))
    rows = entry_rows(bulletin, department)
    if fmt == "json":
        echo_json(entries_dict(bulletin, rows))
    else:
        click.echo(entries_text(bulletin, rows))
    if not bulletin.ok:
        raise SystemExit(EXIT_FINDINGS)


@points.command("report")
@_ROOT
@_period_option
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="终端文字（默认）、JSON、Excel 或 Word 通报（后两种需 -o）。不写时按 -o 的扩展名。")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="写入文件（.docx 通报、.xlsx、.json、.txt）。")
@click.option("--template", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Word 通报模板（含 {{标题}} {{期间}} {{单位}} {{日期}} {{正文}}）。")
@click.option("--detail", is_flag=True, help="终端文字中列出每一条明细。")
def report_cmd(root: Path, quarter: str | None, year: int | None, fmt: str | None,
               output: Path | None, template: Path | None, detail: bool) -> None:
    """积分通报：各科室单位的加分、扣分、人均得分和排名，前三名为文明科室。

    \b
    签到表中的每人次、整体参加的每次按积分规则计分，加上手工记录和导入的条目（含更正）；
    按人均得分（净得分 ÷ 人数）排名，人均得分前三名且本期有得分的评为文明科室（单位）。
    名册中没有的姓名、重名无法确定的姓名、读不了的签到表不计分，列在「需要核对」中（退出码 1）。

    \b
    示例：
      archive-tool points report sample_archive --quarter 2018Q2
      archive-tool points report 档案 --quarter 2018Q2 --detail
      archive-tool points report 档案 --quarter 2018Q2 -o 2018年第二季度积分通报.docx
      archive-tool points report 档案 --year 2018 -o 2018年度积分.xlsx
      archive-tool points report 档案 --year 2018 --format json

    退出码：0 没有需要核对的问题；1 有；2 用法或配置错误。
    """
    fmt = _output_format(fmt, output)
    if template is not None and fmt != "docx":
        raise UsageError("--template 只用于 Word 通报", "输出 .docx 时才用模板，如 -o 积分通报.docx。")
    span = _span(quarter, year)
    bulletin = _points(root).report(span, progress=progress_callback("读取文件",
                                                                     enabled=fmt == "text"))
    _write_report(bulletin, fmt, output, template, detail)
    if not bulletin.ok:
        raise SystemExit(EXIT_FINDINGS)


def _output_format(fmt: str | None, output: Path | None) -> str:
    wanted = _SUFFIXES.get(output.suffix.lower()) if output is not None else None
    fmt = fmt or wanted or "text"
    if fmt in ("xlsx", "docx") and output is None:
        raise UsageError(f"{fmt} 格式需要用 -o 指定输出文件",
                         "例如 -o 积分通报.docx 或 -o 积分通报.xlsx。")
    if output is not None and wanted and wanted != fmt and fmt in ("xlsx", "docx"):
        raise UsageError(f"输出文件 {output.name} 的扩展名与格式 {fmt} 不符",
                         f"去掉 --format，或把文件名改为「{output.stem}.{fmt}」。")
    if output is not None and not output.resolve().parent.is_dir():
        raise UsageError(f"输出文件所在的文件夹不存在：{output.resolve().parent}",
                         "先建好文件夹，或换一个输出路径。")
    return fmt


def _write_report(bulletin, fmt: str, output: Path | None, template: Path | None,
                  detail: bool) -> None:
    from archive_tool import bulletin_text, write_bulletin

    if output is not None:
        write_bulletin(bulletin, output, fmt, template=template, detail=detail)
        click.echo(f"已写入 {output}", err=True)
    elif fmt == "json":
        echo_json(bulletin.to_dict())
    else:
        colour = sys.stdout.isatty()
        click.echo(bulletin_text(bulletin, detail=detail,
                                 paint=_paint if colour else (lambda t, k: t)), color=colour)


COMMANDS = [points]
