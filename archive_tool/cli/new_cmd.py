"""``archive-tool new`` (说明报告, 活动记录, 签到表 from templates) and ``archive-tool footer fix``."""
from __future__ import annotations

from pathlib import Path

import click

from . import EXIT_USAGE, fail_lines


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
    from ..config import open_archive
    from ..documents import new_document

    config = open_archive(root if root is not None else Path.cwd())
    path = new_document(config, kind, indicator, theme)
    click.echo(str(path))


@click.group("footer")
def footer() -> None:
    """Word 文档页脚：插入文档名称。

    \b
    示例：
      archive-tool footer fix "档案/I-1 思想政治建设/II-1 加强学习/01：学习计划.docx"
    """


@footer.command("fix")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
def fix(files: tuple[Path, ...]) -> None:
    """在 Word 文档（.docx）的页脚中插入文档名称（居右），补上缺少的页脚。

    检查每一节的页脚，包括首页不同、奇偶页不同时的首页页脚和偶数页页脚。

    已有页脚但没有文档名称的，在页脚末尾加一段居右的文档名称；没有页脚的，新建页脚。

    正文不变；已含文档名称的文件不做修改；.doc、.wps 请先另存为 .docx。可用 archive-tool undo 撤销。

    \b
    示例：
      archive-tool footer fix "档案/I-1 思想政治建设/II-1 加强学习/01：学习计划.docx"
      archive-tool footer fix 01：学习计划.docx 02：学习记录.docx 03：心得体会.docx

    退出码：0 全部完成；2 有文件无法处理。
    """
    from ..config import find_root
    from ..errors import UsageError
    from ..fix import fix_footer

    groups: dict[Path, list[Path]] = {}
    for file in files:
        groups.setdefault(find_root(file.parent), []).append(file)
    if len(groups) > 1:
        raise UsageError("这些文件属于不同的档案：" + "、".join(str(r) for r in groups),
                         "每次只处理同一档案中的文件。")
    (root, paths), = groups.items()
    result = fix_footer(root, paths)
    for item in result.fixed:
        parts = len(item.edited) + len(item.added)
        added = f"，新建 {len(item.added)} 处" if item.added else ""
        click.echo(f"已插入页脚：{item.path}（{parts} 处页脚{added}）")
    for path in result.unchanged:
        click.echo(f"已有页脚，未修改：{path}")
    for path, error in result.failed:
        fail_lines([error.message], error.hint)
    if result.fixed:
        click.echo("如需还原，运行 archive-tool undo。")
    if result.failed:
        raise SystemExit(EXIT_USAGE)


COMMANDS = [new, footer]
