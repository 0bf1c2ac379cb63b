"""``archive-tool init``: create the archive's folder skeleton from a tree, or update it."""
from __future__ import annotations

import click

from archive_tool import Archive

from . import echo_json


def _summary(result) -> list[str]:
    counts = result.plan.counts()
    made, moved, kept, conflicts = (counts[k] for k in ("mkdir", "move", "orphan", "conflict"))
    will = "将" if result.dry_run else "已"
    lines = []
    if result.created:
        lines.append(f"{will}建立档案 {result.root}：指标体系 {result.tree.id}（{result.tree.title}）。")
    elif result.tree_replaced:
        lines.append(f"{will}更新指标体系副本为 {result.tree.id}（原副本保存为 .archive/tree.prev.yaml）。")
    if made or moved:
        lines.append(f"{will}新建 {made} 个、改名或移动 {moved} 个文件夹，文件都留在原文件夹中。")
    else:
        lines.append("文件夹已与指标体系一致，无需改动。")
    if kept:
        lines.append(f"{kept} 个文件夹对应的指标已不在指标体系中：已保留，请把其中的文件移到新指标下。")
    if conflicts:
        lines.append(f"{conflicts} 个文件夹与其他文件夹属于同一指标，未改动：请手工合并。")
    if result.dry_run:
        lines.append("（试运行：没有改动磁盘。去掉 --dry-run 即按上面执行。）")
    return lines


@click.command("init")
@click.argument("root", type=click.Path(file_okay=False))
@click.option("--tree", "tree_ref", metavar="ID|FILE", default=None,
              help="指标体系：内置编号（见 tree list）或 YAML 文件。已建档案可省略，沿用档案内的副本。")
@click.option("--unit", default=None, help="本单位名称（照片说明中默认的主办单位）。")
@click.option("--dry-run", is_flag=True, help="只列出将要做的改动，不改动磁盘。")
@click.option("--force-tree", is_flag=True,
              help="允许换成编号不同的指标体系（已有文件夹按指标编号保留）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式（json 供脚本使用）。")
def command(root: str, tree_ref: str | None, unit: str | None, dry_run: bool,
            force_tree: bool, fmt: str) -> None:
    """按指标体系建立档案目录，或在指标体系修改后更新目录。

    每个指标一个文件夹「编号 名称」，按级嵌套；配置和指标体系副本保存在
    ROOT/.archive/。再次运行只做必要的改动：指标改名或换了上级，文件夹随之改名或移动，
    里面的文件保持不动；已删除指标的文件夹保留并列出，从不删除任何东西。

    \b
    示例：
      archive-tool init 档案 --tree linyi-2018 --unit 临沂市环境保护局
      archive-tool init 档案 --tree 我的指标.yaml --dry-run
      archive-tool init 档案                      按 .archive/tree.yaml 更新目录
    """
    result = Archive.init(root, tree_ref, unit=unit, dry_run=dry_run, force_tree=force_tree)
    if fmt == "json":
        echo_json({
            "root": str(result.root),
            "tree": {"id": result.tree.id, "title": result.tree.title},
            "dry_run": result.dry_run,
            "created": result.created,
            "tree_replaced": result.tree_replaced,
            "actions": result.plan.to_dict()["actions"],
            "summary": result.plan.counts(),
        })
        return
    for line in result.plan.describe():
        click.echo(line)
    for line in _summary(result):
        click.echo(line)


COMMANDS = [command]
