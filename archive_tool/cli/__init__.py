"""The ``archive-tool`` command: a thin skin over the library.

Each command parses its options, calls the library through its face (``archive_tool``:
:class:`archive_tool.Archive` and the names beside it; ``indicator_tree`` for the trees) and
renders the result; a command module imports nothing deeper (a test says so). Expected
failures (``ArchiveError``, ``TreeError``) become one message on stderr with a fix and exit 2;
an unexpected exception (a defect) one message saying so and exit 3; a traceback is shown only
with ``--debug``. Output cut short by its reader (``archive-tool lint | head``) ends quietly.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import threading

import click

from archive_tool import ArchiveError, __version__
from indicator_tree import TreeError

from . import click_zh

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
#: a reader that went away (``| head``): the shell's code for a process ended by SIGPIPE
EXIT_PIPE = 128 + 13
click_zh.install()


def echo_json(data) -> None:
    """Print ``data`` as UTF-8 JSON (Chinese kept readable)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def progress_callback(label: str, enabled: bool = True):
    """A progress callback ``update(done, total, what)`` drawing a bar on a terminal (stderr),
    or None when piped. ``done`` is how many are done so far: callers that report in steps
    (a batch of conversions, a binder of many files) move the bar as far as they got."""
    if not enabled or not sys.stderr.isatty():
        return None
    state: dict = {}

    def update(done: int, total: int, path: str) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr,
                                    show_pos=True)
            bar.__enter__()
            state["bar"] = bar
        bar.update(max(done - bar.pos, 0))
        if done >= total:
            bar.__exit__(None, None, None)
            state.pop("bar")

    return update


class Terminated(BaseException):
    """SIGTERM, raised where the process is, so that an undo transaction rolls back (as it
    does for Ctrl-C) and every ``finally`` runs."""


def _terminate(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second must not cut the rollback
    raise Terminated()


def _on_sigterm(ctx: click.Context) -> None:
    """Turn SIGTERM into :class:`Terminated` for this command (the main thread only; the
    handler before is put back when the command ends)."""
    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    if previous is None:  # a handler set outside Python
        previous = signal.SIG_DFL
    ctx.call_on_close(lambda: signal.signal(signal.SIGTERM, previous))


def fail_lines(lines: list[str], hint: str) -> None:
    """Print problems on stderr, then the fix (unless a message already carries it)."""
    for line in lines:
        click.secho(f"错误：{line}", err=True, fg="red")
    if hint and not any(hint in line for line in lines):
        click.echo(f"建议：{hint}", err=True)


def _reader_gone() -> None:
    """The reader of our output left (``| head``): say nothing more. What is still buffered
    would fail again when Python flushes it at exit, so standard output goes to the null
    device."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (a test's captured output)
        pass


class ArchiveGroup(click.Group):
    """A group that turns the library's expected errors into messages."""

    def invoke(self, ctx: click.Context):
        try:
            try:
                return super().invoke(ctx)
            finally:  # a reader gone is heard here, not when Python flushes at exit
                sys.stdout.flush()
        except BrokenPipeError:
            _reader_gone()
            ctx.exit(EXIT_PIPE)
        except (ArchiveError, TreeError) as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            if isinstance(exc, TreeError):
                fail_lines([str(p) for p in exc.problems], exc.hint)
            else:
                fail_lines([exc.message], exc.hint)
            ctx.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo("已中断。", err=True)
            ctx.exit(130)
        except Terminated:
            click.echo("已终止（收到 SIGTERM）；进行中的修改已撤回。", err=True)
            ctx.exit(143)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort,
                SystemExit):
            raise
        except Exception as exc:  # a defect: say so, and keep exit 1 meaning "findings"
            if ctx.obj and ctx.obj.get("debug"):
                raise
            fail_lines([f"程序内部出错（{type(exc).__name__}：{exc}）"],
                       "这是 archive-tool 的缺陷，不是您的操作问题。加 --debug 重新运行"
                       "（archive-tool --debug …）可看到详细信息，请把输出发给维护者。")
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archive-tool")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 回溯（排查问题用）。")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """文明单位创建档案工具：按指标体系建目录、检查材料、检索、查缺。

    \b
    典型流程：
      archive-tool tree list                        查看内置指标体系
      archive-tool tree show linyi-2018             查看指标、责任人和材料要求
      archive-tool init 档案 --tree linyi-2018       按指标体系建立目录
      archive-tool watch 档案                        文件放进来就检查
      archive-tool lint 档案                         检查文件命名、照片说明、页脚
      archive-tool new report II-20 "创建工作" --root 档案   按模板新建说明报告
      archive-tool footer fix 档案/…/02：纪要.docx    补上页脚中的文档名称
      archive-tool search 六五环境日 --root 档案      全文检索
      archive-tool check 档案 -o 查缺报告.xlsx        测评前的查缺报告
      archive-tool points report 档案 --quarter 2018Q2   积分通报（签到表计分）
      archive-tool undo 档案                         撤销上一次对文件的修改

    每个命令都有 --help 和示例，如 archive-tool check --help。

    退出码：0 正常；1 发现问题或缺项；2 用法或配置错误；3 程序内部错误。
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    _on_sigterm(ctx)


#: command modules, each with a ``COMMANDS`` list; imported at start-up, so they import heavy
#: libraries (whoosh, jieba, watchdog) inside their functions.
COMMAND_MODULES = ("tree_cmd", "lint_cmd", "init_cmd", "check_cmd", "index_cmd", "search_cmd",
                   "caption_cmd", "undo_cmd", "new_cmd", "footer_cmd", "watch_cmd",
                   "points_cmd", "catalog_cmd", "export_cmd", "web_cmd")


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for command in module.COMMANDS:
            main.add_command(command)


_register()
