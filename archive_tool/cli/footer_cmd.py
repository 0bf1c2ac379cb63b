"""``archive-tool footer fix``: the document name put in the footers of .docx files."""
from __future__ import annotations

from pathlib import Path

import click

from archive_tool import Archive, UsageError

from . import EXIT_USAGE, fail_lines


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
    groups: dict[Path, tuple[Archive, list[Path]]] = {}
    for file in files:
        archive = Archive.open(file.parent)
        groups.setdefault(archive.root, (archive, []))[1].append(file)
    if len(groups) > 1:
        raise UsageError("这些文件属于不同的档案：" + "、".join(str(r) for r in groups),
                         "每次只处理同一档案中的文件。")
    (archive, paths), = groups.values()
    result = archive.add_footer(paths)
    for item in result.fixed:
        parts = len(item.edited) + len(item.added)
        added = f"，新建 {len(item.added)} 处" if item.added else ""
        click.echo(f"已插入页脚：{item.path}（{parts} 处页脚{added}）")
    for path in result.unchanged:
        click.echo(f"已有页脚，未修改：{path}")
    for path, error in result.failed:
        fail_lines([error.message], error.hint)
    if result.fixed:
        click.echo(f"如需还原，运行 {archive.undo_command()}。")
    if result.failed:
        raise SystemExit(EXIT_USAGE)


COMMANDS = [footer]
