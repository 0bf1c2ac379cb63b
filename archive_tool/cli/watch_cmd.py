"""``archive-tool watch``: check every file dropped into the archive as soon as it is complete."""
from __future__ import annotations

import json
import logging
import sys
import threading
import warnings
from datetime import datetime
from pathlib import Path

import click

from archive_tool import Archive

from . import EXIT_FINDINGS, EXIT_USAGE


def _verdict_line(verdict, style) -> str:
    from archive_tool import CHECKED, REMOVED

    when = datetime.now().strftime("%H:%M:%S")
    if verdict.kind == REMOVED:
        return f"{when} {style('−', 'dim')} {verdict.path}  已删除或移走（缓存和索引已更新）"
    if verdict.kind != CHECKED:
        return f"{when} {style('✗', 'error')} {verdict.path}  无法检查：{verdict.message}"
    if verdict.source == "ocr":
        when += " 识别文字后复查"
    if not verdict.findings:
        return f"{when} {style('✓', 'ok')} {verdict.path}"
    parts = []
    for f in verdict.findings:
        where = "" if f.path == verdict.path else f"（{f.path}）"
        parts.append(f"{style(f.rule, f.severity)} {f.message}{where}，修改：{f.fix}")
    return f"{when} {style('✗', 'error')} {verdict.path}  " + "；".join(parts)


_STAGES = {"index": "更新检索索引", "reconcile": "核对档案", "rescan": "全面复查"}


def _status_line(status, once: bool = False) -> str | None:
    data = status.data
    if status.kind == "started":
        how = "轮询" if data["observer"] == "polling" else "文件系统事件"
        if data["once"]:
            return f"核对档案 {data['root']} …"
        return (f"正在监视 {data['root']}（{how}；文件静默 {data['quiet']:g} 秒后检查，"
                f"每 {data['rescan_every']:g} 秒全面复查）。按 Ctrl-C 停止。")
    if status.kind == "reconciled":
        what = {"reconcile": "核对", "rescan": "复查"}.get(data["source"], "核对")
        if data["source"] == "rescan" and not data["changed"] and not data["removed"]:
            return None
        if not data["complete"]:
            return (f"{what}在完成前停止（已看过 {data['files']} 个文件，新增或变化 "
                    f"{data['changed']} 个）：下次启动时重新{what}。")
        return (f"已{what}全部 {data['files']} 个文件：新增或变化 {data['changed']} 个，"
                f"删除或移走 {data['removed']} 个，其中有问题 {data['with_findings']} 个"
                f"（{data['seconds']:.1f} 秒）。")
    if status.kind == "ocr_unavailable":
        return (f"有 {data['files']} 个扫描件的文字无法识别：未安装文字识别组件"
                f"（{data['install']}）；其余检查照常进行。")
    if status.kind == "overflow":
        return "系统丢失了部分文件事件（inotify 队列溢出）：立即全面复查。"
    if status.kind == "index_rebuilt":
        from archive_tool import REBUILD_REASONS

        return REBUILD_REASONS.get(data["reason"], "检索索引已从档案重建") + "。"
    if status.kind == "index_busy":
        if once:
            return (f"检索索引暂时被占用：{data['message']}；文件已检查，但本次没有更新索引，"
                    "稍后重新运行 archive-tool watch --once 或 archive-tool index。")
        return f"检索索引暂时被占用：{data['message']}；{data['retry_in']:g} 秒后重试。"
    if status.kind == "error":
        stage = _STAGES.get(data["stage"], data["stage"])
        if once:
            return (f"出错（{stage}）：{data['message']}；本次核对未能完成这一步，"
                    "排除问题后重新运行 archive-tool watch --once。")
        return f"出错（{stage}）：{data['message']}；继续监视。"
    if status.kind == "stopped" and not once and not data.get("error"):
        return (f"已停止：检查 {data['checked']} 个文件，其中有问题 {data['with_findings']} 个，"
                f"删除或移走 {data['removed']} 个。")
    return None


@click.command("watch")
@click.argument("root", required=False, default=".",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--polling", is_flag=True,
              help="轮询文件夹，不依赖文件系统事件（网络共享盘 SMB/NFS 上必须使用）。")
@click.option("--interval", type=click.FloatRange(min=0.1), default=2.0, show_default=True,
              metavar="秒", help="与 --polling 同用：两次轮询的间隔。")
@click.option("--quiet-for", "quiet", type=click.FloatRange(min=0), default=None, metavar="秒",
              help="文件多久没有变化才算写完（默认 2 秒，轮询时 5 秒）。")
@click.option("--rescan", type=click.FloatRange(min=1), default=300.0, show_default=True,
              metavar="秒", help="每隔多久全面复查一次档案（补上丢失的事件）。")
@click.option("--once", is_flag=True, help="只核对一次全部档案后退出（供计划任务使用）。")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式（json：每行一个 JSON 对象，供脚本使用）。")
@click.pass_context
def watch(ctx: click.Context, root: Path, polling: bool, interval: float, quiet: float | None,
          rescan: float, once: bool, fmt: str) -> None:
    """监视档案文件夹：每个文件放进来、写完后立即检查，并更新缓存和检索索引。

    ROOT 是档案根目录（默认当前目录）。每检查一个文件输出一行：✓ 或 ✗、路径、问题及修改办法。

    文件被删除或移出时，缓存和索引随之更新。启动时先核对全部档案（补上停机期间的变化）。

    运行中定期全面复查，补上丢失的事件。锁文件、临时文件和 .archive/ 不检查。

    监视只读取证据文件，从不改动它们。检查记录写入 ROOT/.archive/watch.log（每行一个 JSON）。

    \b
    示例：
      archive-tool watch 档案
      archive-tool watch /mnt/share/档案 --polling --interval 5
      archive-tool watch 档案 --once            计划任务：核对一次后退出
      archive-tool watch 档案 --format json

    \b
    按 Ctrl-C 或发送 SIGTERM 停止：当前一批处理完后退出，退出码 0。
    --once 的退出码：0 没有问题；1 发现问题；2 用法或配置错误，或检索索引未能更新（被占用或出错）。
    监视中档案文件夹被删除或移走：提示后退出，退出码 2。
    """
    # first of all: a SIGTERM or Ctrl-C while the watcher is still being set up (its imports,
    # opening the archive) must stop it cleanly too, not kill it
    from archive_tool import stop_on_signals

    stop = threading.Event()
    try:
        with stop_on_signals(stop):
            code = _watch(stop, root, polling=polling, interval=interval, quiet=quiet,
                          rescan=rescan, once=once, fmt=fmt)
    except KeyboardInterrupt:  # a second Ctrl-C: stopped at once, the index writer cancelled
        click.echo("已立即停止（索引保持上一次提交的状态）。", err=True)
        ctx.exit(0)
    if code:
        raise SystemExit(code)


def _quiet_watchdog() -> None:
    """watchdog logs its own troubles at ERROR without a handler of its own (at a stop right
    after a double Ctrl-C: "InotifyEmitter.queue_events() called when the thread is
    inactive"), and Python's last-resort handler would print them raw on stderr. A
    NullHandler on its logger keeps them off the terminal; records still reach the handlers
    below and above it (the OverflowListener hears an inotify overflow, a logging
    configuration of the caller's own still gets them)."""
    logger = logging.getLogger("watchdog")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _watch(stop: threading.Event, root: Path, *, polling: bool, interval: float,
           quiet: float | None, rescan: float, once: bool, fmt: str) -> int:
    """Run the watcher until ``stop``; the exit code."""
    from archive_tool import Status, Verdict

    _quiet_watchdog()
    # watchdog warns (and Python would print) when a new folder's watch is added twice in a
    # race with its own creation event; harmless, and not the user's business
    warnings.filterwarnings("ignore", message="Callback with id", category=RuntimeWarning)
    colour = sys.stdout.isatty()
    colours = {"ok": "green", "error": "red", "warning": "yellow"}

    def style(text: str, kind: str) -> str:
        if kind == "dim":
            return click.style(text, dim=True)
        return click.style(text, fg=colours.get(kind))

    found = {"problems": 0}

    def report(item) -> None:
        if isinstance(item, Verdict):
            found["problems"] += not item.ok
            if fmt == "json":
                click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
            else:
                click.echo(_verdict_line(item, style), color=colour)
        elif isinstance(item, Status):
            line = _status_line(item, once)
            if line:
                click.echo(line, err=True)

    from archive_tool.watch import watch

    stats = watch(Archive.open(root), stop, once=once, polling=polling, interval=interval,
                  quiet=quiet, rescan_every=rescan, report=report, ocr=not once)
    if once and stats.index_failures:
        return EXIT_USAGE
    if once and found["problems"]:
        return EXIT_FINDINGS
    return 0


COMMANDS = [watch]
