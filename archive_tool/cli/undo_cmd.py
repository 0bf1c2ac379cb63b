"""``archive-tool undo``: revert the last change made to files."""
from __future__ import annotations

from pathlib import Path

import click

from archive_tool import UNDOABLE, Archive

from . import echo_json

_KIND_TEXT = {"modify": "恢复原文件", "create": "删除新建的文件", "rename": "改回原名"}


@click.command("undo")
@click.argument("root", required=False, default=".",
                type=click.Path(exists=True, path_type=Path))
@click.option("--list", "show_list", is_flag=True, help="只列出撤销日志中的操作，不撤销。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式（json 供脚本使用）。")
def undo(root: Path, show_list: bool, fmt: str) -> None:
    """撤销最近一次修改文件的操作（{undoable}）。

    ROOT 是档案目录或其中的路径（默认当前目录）。

    文件在那次操作之后又被改动过时拒绝撤销，不会覆盖新的改动。

    上次操作被中断（断电、kill -9、终止）时，先恢复那次操作：已改名的改回、已写入的还原；
    中断之后又被改动过的文件保持现状并列出。

    \b
    示例：
      archive-tool undo 档案
      archive-tool undo 档案 --list
    """
    archive = Archive.open(root)
    if show_list:
        history = archive.history()
        if fmt == "json":
            echo_json({"transactions": [tx.to_dict() for tx in history]})
            return
        status = {"committed": "可撤销", "undone": "已撤销", "rolled_back": "已回滚",
                  "incomplete": "未完成（被中断，运行 undo 恢复）",
                  "undoing": "撤销未完成（被中断，运行 undo 完成）"}
        if not history:
            click.echo("撤销日志为空。")
        for tx in reversed(history):
            click.echo(f"{tx.time}  {tx.label}  {len(tx.operations)} 个文件  "
                       f"{status.get(tx.status, tx.status)}")
        return
    result = archive.undo()
    if fmt == "json":
        echo_json({"txid": result.txid, "label": result.label, "time": result.time,
                   "interrupted": result.interrupted, "left": list(result.left),
                   "reverted": [op.to_dict() for op in result.reverted]})
        return
    if result.interrupted:
        click.echo(f"✓ 已恢复被中断的「{result.label}」（{result.time} 开始）：")
    else:
        click.echo(f"✓ 已撤销「{result.label}」（{result.time}）：")
    for line in result.left:
        click.secho(f"  未恢复：{line}", err=True, fg="yellow")
    for op in result.reverted:
        if op.kind == "rename":
            click.echo(f"  {_KIND_TEXT[op.kind]}：{op.path} → {op.src}")
        else:
            click.echo(f"  {_KIND_TEXT[op.kind]}：{op.path}")


#: the help names every command whose changes the undo log records
undo.help = undo.help.replace("{undoable}", "、".join(UNDOABLE))
COMMANDS = [undo]
