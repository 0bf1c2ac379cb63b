"""``archive-tool search``: find anything in the archive, in simplified or traditional script."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from archive_tool import FILE_LABELS, Archive

from . import echo_json
from .index_cmd import busy


def _hit_text(number: int, hit) -> str:
    title = click.style(hit.title or hit.path, bold=True)
    meta = [hit.date or "无日期", _kind_label(hit.kind), f"相关度 {hit.score:.2f}"]
    lines = [f"{number:>2}. {title}  " + click.style("（" + "，".join(meta) + "）", dim=True),
             f"    指标：{hit.indicator_path or '（不在指标文件夹中）'}",
             f"    文件：{hit.path}"]
    if hit.snippet:
        lines.append(f"    {hit.snippet}")
    return "\n".join(lines)


def _kind_label(kind: str) -> str:
    return FILE_LABELS.get(kind, kind)


#: put before a query word that starts with "-" while the options are parsed, taken off after
_WORD = "\x00"


class QueryCommand(click.Command):
    """A command whose query words may start with "-" (an excluded word: ``-调整``): only the
    command's own option names are options, anything else beginning with "-" is a word."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        out: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            i += 1
            name = arg.split("=", 1)[0]
            if arg == "--":
                out.extend(args[i - 1:])
                break
            if name in takes_value:
                out.append(arg)
                if takes_value[name] and "=" not in arg and i < len(args):
                    out.append(args[i])  # the option's value, whatever it looks like
                    i += 1
            elif arg.startswith("-") and len(arg) > 1:
                out.append(_WORD + arg)
            else:
                out.append(arg)
        return super().parse_args(ctx, out)


def _query_text(ctx, param, words: tuple[str, ...]) -> str:
    return " ".join(w[len(_WORD):] if w.startswith(_WORD) else w for w in words)


@click.command("search", cls=QueryCommand)
@click.argument("query", nargs=-1, callback=_query_text)
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="档案根目录（默认：当前目录所在的档案）。")
@click.option("--indicator", metavar="ID", help="只看该指标及其下级指标的材料，如 I-2。")
@click.option("--kind", "kind", metavar="K",
              help="材料类型：photo 照片、clipping 样报/截屏、report 说明报告、record 活动记录、"
                   "document 文件、av 音视频、other 其他。")
@click.option("--from", "date_from", metavar="DATE", help="日期不早于，如 2023、2023-06、2023-06-05。")
@click.option("--to", "date_to", metavar="DATE", help="日期不晚于，如 2023-12-31。")
@click.option("--organizer", metavar="X", help="照片说明中的主办单位包含 X。")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="最多显示多少条。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式（json 供脚本使用）。")
def search_cmd(query: str, root: Path | None, indicator: str | None, kind: str | None,
               date_from: str | None, date_to: str | None, organizer: str | None, limit: int,
               fmt: str) -> None:
    """全文检索档案：文件主题、正文、照片说明和主办单位，简体繁体都能找到。

    空格分隔的词都要出现（写 AND 也一样）；"引号内" 按原文连续匹配；OR 表示或；-词 或 NOT 词 表示排除（可以写在最前面：search -调整 领导小组）。全角的 －、ＯＲ 也能识别。

    只在一个字段中查找：title:标题中的词、caption:照片说明中的词、content:正文中的词、organizer:主办单位。筛选也可以写进查询：kind:photo、indicator:I-2、from:2023、to:2023-12（与同名选项相同；-kind:photo 表示排除照片）。其他「名称:」会提示可用的写法。

    句子式的查询也可以：「去年」「今年」按日期筛选、「照片」按类型筛选；已用 --from/--to 或 --kind 指定时，这些词只是不作为检索词。

    没有索引或索引损坏时先从档案建立索引。

    \b
    示例：
      archive-tool search 六五环境日
      archive-tool search "去年六五环境日的照片"
      archive-tool search 領導小組 --kind document
      archive-tool search 领导小组 -调整
      archive-tool search title:领导小组 kind:document
      archive-tool search 晓明 --indicator I-2 --from 2023 --to 2023-12
      archive-tool search 志愿服务 --organizer 团委 --format json

    退出码：0 完成（包括没有结果）；2 查询写法、筛选条件或配置有误。
    """
    archive = Archive.open(root if root is not None else Path.cwd())
    result = archive.search(query, indicator=indicator, kind=kind, date_from=date_from,
                            date_to=date_to, organizer=organizer, limit=limit, on_wait=busy)
    if fmt == "json":
        echo_json(result.to_dict())
        return
    color = sys.stdout.isatty()
    if result.rebuilt:
        click.echo("（检索索引不存在、不完整或已损坏，已从档案重新建立。）", err=True)
    elif result.refreshed:
        click.echo("（检索索引中有已改名或删除的文件，已按档案更新。）", err=True)
    for note in result.interpreted:
        click.echo(click.style(note, dim=True), color=color)
    if not result.hits:
        click.echo("没有找到匹配的文件。")
        return
    for number, hit in enumerate(result.hits, 1):
        click.echo(_hit_text(number, hit), color=color)
    shown = len(result.hits)
    more = f"，显示前 {shown} 条（用 --limit 显示更多）" if result.total > shown else ""
    click.echo(f"\n共 {result.total} 个结果{more}，用时 {result.seconds * 1000:.0f} 毫秒。")


COMMANDS = [search_cmd]
