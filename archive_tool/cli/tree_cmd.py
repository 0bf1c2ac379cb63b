"""``archive-tool tree …``: list, show, validate and import indicator trees."""
from __future__ import annotations

from pathlib import Path

import click

import indicator_tree as it

from . import EXIT_FINDINGS, echo_json


@click.group()
def tree() -> None:
    """查看、检查和导入指标体系（任务分解表）。

    \b
    示例：
      archive-tool tree list
      archive-tool tree show linyi-2018
      archive-tool tree show 我的指标.yaml --format json
      archive-tool tree validate 我的指标.yaml
      archive-tool tree import 任务分解表.docx -o 我的指标.yaml
    """


@tree.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式。")
def list_cmd(fmt: str) -> None:
    """列出内置的指标体系。"""
    rows = []
    for tree_id in it.shipped_ids():
        t = it.load_shipped(tree_id)
        rows.append({"id": t.id, "title": t.title, "window": {
            "start": t.window_start.isoformat(), "end": t.window_end.isoformat()},
            "indicators": sum(1 for _ in t.walk()), "source": t.source})
    if fmt == "json":
        echo_json({"trees": rows})
        return
    for row in rows:
        click.echo(f"{row['id']:<16}{row['title']}（{row['window']['start']} 至 "
                   f"{row['window']['end']}，{row['indicators']} 项指标）")


@tree.command("show")
@click.argument("ref", metavar="ID|FILE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式。")
def show_cmd(ref: str, fmt: str) -> None:
    """显示指标体系：各级指标、责任人、要求和解析出的材料规则。

    ID|FILE 是内置指标体系的编号（见 tree list）或 YAML 文件路径。

    \b
    示例：
      archive-tool tree show linyi-2018
      archive-tool tree show zhoushan-2020 --format json
    """
    t = it.resolve_tree(ref)
    if fmt == "json":
        echo_json(it.tree_json(t))
    else:
        click.echo(it.tree_text(t))


@tree.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def validate_cmd(file: Path) -> None:
    """检查指标体系文件；列出每一处问题（文件、指标编号、字段）。

    \b
    示例：
      archive-tool tree validate 我的指标.yaml
    """
    t = it.load_tree(file)
    count = sum(1 for _ in t.walk())
    click.echo(f"✓ {file}：{t.title}，{count} 项指标，考核期 {t.window_start} 至 {t.window_end}。")


@tree.command("import")
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="写入的 YAML 文件。")
@click.option("--id", "tree_id", default=None, help="指标体系编号（默认取文件名）。")
@click.option("--title", default=None, help="标题（默认取表格标题或文件名）。")
@click.option("--year", type=click.IntRange(it.MIN_YEAR, it.MAX_YEAR), default=None,
              help="考核年度（默认从标题、文件名或表格内容中识别）。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
def import_cmd(table: Path, output: Path, tree_id: str | None, title: str | None,
               year: int | None, force: bool) -> None:
    """从单位自己的任务分解表（Word .docx 或 Excel .xlsx）导入指标体系。

    识别合并单元格和常见表头（项目/项目内容/项目要求/责任人；序号/测评内容/测评标准/材料具体要求/上报时间/牵头处室/配合处室；一级指标/二级指标…），没有编号或编号重复时自动生成编号。有序号的表中每个编号行是一项末级指标（一个文件夹），带该行自己的牵头、配合单位。无法归入指标的行会逐行列出，不会被悄悄丢弃；需要核对时退出码为 1。读不出材料要求的行列为“未识别的要求”（按默认规则计，不影响退出码），请在导出的 YAML 中为其写明 rules。

    \b
    示例：
      archive-tool tree import 任务分解表.docx -o 我的指标.yaml
      archive-tool tree import 测评体系.xlsx -o 2024.yaml --year 2024
    """
    result = it.import_table(table, tree_id=tree_id, title=title, year=year)
    it.save_tree(result.tree, output, overwrite=force)
    count = sum(1 for _ in result.tree.walk())
    leaves = sum(1 for _ in result.tree.leaves())
    click.echo(f"已导入 {count} 项指标（{leaves} 项末级指标，各建一个文件夹），写入 {output}。")
    unread = list(it.unread_requirements(result.tree))
    if unread:
        click.echo(f"{it.UNREAD} {len(unread)} 条，{it.UNREAD_HINT}：", err=True)
        for ind, number, req in unread:
            click.echo(f"  {it.unread_line(ind, number, req)}", err=True)
    for problem in result.problems:
        click.echo(f"需要核对：{problem}", err=True)
    if result.problems:
        click.echo(f"共 {len(result.problems)} 处需要核对，请对照原表在 {output} 中手工补充或修改。", err=True)
        raise SystemExit(EXIT_FINDINGS)


COMMANDS = [tree]
