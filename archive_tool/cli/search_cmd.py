"""``archive-tool index`` and ``archive-tool search``: the full-text index of an archive."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import echo_json, progress_callback



def _busy(seconds: float) -> None:
    click.echo(f"检索索引正被另一个进程写入，最多等待 {seconds:.0f} 秒…", err=True)


@click.command("index")
@click.argument("root", required=False, default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--rebuild", is_flag=True, help="丢弃现有索引，从档案重新建立。")
@click.option("--wait", type=click.FloatRange(min=0), default=30, show_default=True,
              metavar="SECONDS", help="索引被其他进程占用时最多等待的秒数。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式（json 供脚本使用）。")
def index_cmd(root: Path, rebuild: bool, wait: float, fmt: str) -> None:
    """建立或更新全文检索索引（保存在档案的 .archive/index 中）。

    ROOT 是档案根目录或其中任一文件夹（默认当前目录）。只处理新增、修改和删除的文件；索引损坏或分词规则更新时自动从档案重建。

    watch 正在写索引时会等待它完成（最多 --wait 秒）。

    \b
    示例：
      archive-tool index
      archive-tool index sample_archive
      archive-tool index sample_archive --rebuild

    退出码：0 成功；2 用法或配置错误（含索引被占用超时）。
    """
    from ..config import open_archive
    from ..scan import scan
    from ..search import REBUILD_REASONS, update_index

    config = open_archive(root)
    result = scan(config.root, config=config,
                  progress=progress_callback("读取文件", enabled=fmt == "text"))
    result, ocr = _recognise(result, fmt)
    stats = update_index(result, rebuild=rebuild, wait=wait, on_wait=_busy,
                         progress=progress_callback("写入索引", enabled=fmt == "text"))
    if fmt == "json":
        echo_json({"root": str(config.root), **stats.to_dict(), "ocr": ocr.to_dict()})
        return
    if ocr.files:
        failed = f"，{ocr.failed} 个失败（见 archive-tool lint 的 OCR_FAILED）" if ocr.failed else ""
        click.echo(f"文字识别：{ocr.files} 个扫描件，新识别 {ocr.pages_read} 页"
                   f"（已识别过的 {ocr.pages_cached} 页未重复识别）{failed}，"
                   f"用时 {ocr.seconds:.1f} 秒。")
    head = REBUILD_REASONS.get(stats.reason, "索引已更新") if stats.rebuilt else "索引已更新"
    click.echo(f"{head}：新增 {stats.added}，更新 {stats.updated}，删除 {stats.removed}，"
               f"未变 {stats.unchanged}；共 {stats.documents} 个文件，"
               f"用时 {result.stats.seconds + stats.seconds:.1f} 秒。")


def _recognise(result, fmt: str):
    """Read the text of the scans still to be read (the OCR extra); a fresh scan shows them.
    Without the extra, say once how to get it."""
    from ..extract.ocr import INSTALL_HINT, UNAVAILABLE
    from ..ocr_run import pending, recognize
    from ..scan import scan

    waiting = [ev for ev in result.evidence if getattr(ev.ocr, "status", None) == UNAVAILABLE]
    if waiting and fmt == "text":
        click.echo(f"有 {len(waiting)} 个扫描件的文字无法识别：未安装文字识别组件。"
                   f"安装后重新运行 archive-tool index 即可检索其中的文字：{INSTALL_HINT}", err=True)
    stats = recognize(result, progress=progress_callback("识别扫描件文字", enabled=fmt == "text"))
    if stats.files or pending(result):
        result = scan(result.config.root, config=result.config)
    return result, stats


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
    from ..evidence import KIND_LABELS

    return KIND_LABELS.get(kind, kind)


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
    from ..config import open_archive
    from ..search import search

    config = open_archive(root if root is not None else Path.cwd())
    result = search(config, query, indicator=indicator, kind=kind, date_from=date_from,
                    date_to=date_to, organizer=organizer, limit=limit, on_wait=_busy)
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


COMMANDS = [index_cmd, search_cmd]
