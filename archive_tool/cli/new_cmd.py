"""``archive-tool new``: a 说明报告, 活动记录 or 签到表 from the templates."""
from __future__ import annotations

from pathlib import Path

import click

from archive_tool import Archive


@click.command("new")
@click.argument("kind", type=click.Choice(["report", "record", "signin"]))
@click.argument("indicator")
@click.argument("theme")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="档案根目录（默认：当前目录所在的档案）。")
def new(kind: str, indicator: str, theme: str, root: Path | None) -> None:
    """按模板新建说明报告（report）、活动记录（record）或签到表（signin）。

    INDICATOR 是末级指标的编号（如 II-4），也可以写指标名称或文件夹名。新文件建在该指标的文件夹中，输出它的路径。

    文件名为「NN：主题.docx」，NN 接在该文件夹已有的最大序号之后；主题不超过约 30 个字（Windows 路径长度的限制）。

    页脚已插入文档名称（居右）；标题、单位、所属指标和材料要求已填好；说明报告注明了字数要求。

    建错了可用 archive-tool undo 删除（文件未被修改过时）。

    \b
    示例：
      archive-tool new report II-4 "2018年志愿服务开展情况"
      archive-tool new record II-4 "六五环境日宣传" --root 档案
      archive-tool new signin II-1 "党的十九大精神专题学习"
    """
    archive = Archive.open(root if root is not None else Path.cwd())
    click.echo(str(archive.new_document(kind, indicator, theme)))


COMMANDS = [new]
