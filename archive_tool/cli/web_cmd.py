"""``archive-tool serve`` (the archive in the browser) and ``archive-tool user`` (its accounts)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import echo_json

_ROOT = click.argument("root", required=False, default=".",
                       type=click.Path(exists=True, file_okay=False, path_type=Path))
_DATA = click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="网页版的数据文件夹（账号数据库、密钥、缩略图；默认在本用户的应用数据"
                          "文件夹中，也可用环境变量 ARCHIVE_TOOL_DATA 指定；不能在档案之内）。")

def _prepare(root: Path, data: Path | None, **extra):
    from archive_tool.web import Options, prepare, require

    require()

    options = Options(root=root, data=data, **extra)
    return options, prepare(options)

@click.command("serve")
@_ROOT
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听的地址；让办公室其他电脑访问时用 0.0.0.0。")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="端口。")
@_DATA
@click.option("--max-upload", "max_upload", type=click.IntRange(1, 2048), default=100,
              show_default=True, metavar="MB", help="单个上传文件的大小上限（MB）。")
@click.option("--rescan", type=click.FloatRange(min=1), default=30, show_default=True,
              metavar="SECONDS", help="每隔多少秒重新读取档案（发现直接放进共享文件夹的文件）。")
@click.option("--as-of", "as_of", metavar="DATE", default=None,
              help="报告日期（默认今天；演示或回顾时使用）。")
@click.option("--year", default=None, metavar="YEAR",
              help="多年度档案（years:）中要打开的年度，如 2018年（默认列出的最后一年）。")
@click.option("--debug", "debug_pages", is_flag=True,
              help="出错时在网页上显示详细信息（只在本机排查问题时使用）。")
def serve(root: Path, host: str, port: int, data: Path | None, max_upload: int, rescan: float,
          as_of: str | None, year: str | None, debug_pages: bool) -> None:
    """启动网页版：在浏览器中查看任务、总览、指标、检索，上传材料并当场看到检查结论。

    ROOT 是档案根目录（默认当前目录）；多年度档案（years:）打开列出的最后一年，--year 选择
    其他年度，账号各年度通用。账号数据库默认是数据文件夹中的 SQLite；
    设置环境变量 DATABASE_URL=postgresql://用户:密码@主机:5432/库名 则使用 PostgreSQL。

    \b
    示例：
      archive-tool user add 档案管理员 --role 档案组 档案
      archive-tool serve 档案
      archive-tool serve 档案 --host 0.0.0.0 --port 8080     让办公室其他电脑访问
      archive-tool serve sample_archive --as-of 2018-10-15
      archive-tool serve 创建档案 --year 2017年                 多年度档案中的一年

    按 Ctrl+C 停止。
    """
    from datetime import date

    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise click.BadParameter(f"日期无法识别：{as_of!r}，应写成 2018-06-30",
                                 param_hint="--as-of") from None
    options, prepared = _prepare(root, data, debug=debug_pages, max_upload_mb=max_upload,
                                 as_of=day, max_age=rescan, year=year)
    from archive_tool.web import list_users, make_server, start_site, unit_of

    unit = unit_of(prepared)
    click.echo("正在读取档案…", err=True)
    site = start_site(options, prepared)
    server = make_server(host, port, max_upload)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"archive-tool 网页版已启动：http://{shown}:{server.effective_port}/")
    click.echo(f"  档案：{prepared.archive.root}（{prepared.archive.unit or '未设置单位名称'}）")
    if site.year:
        click.echo(f"  年度：{site.year}（多年度档案 {site.unit_root}；其他年度用 --year 打开，"
                   "账号各年度通用）")
    click.echo(f"  数据文件夹：{prepared.data}；账号数据库：{prepared.database}")
    if not list_users(unit):
        click.echo("  还没有账号。先在另一个窗口建立档案组账号：")
        click.echo(f"    archive-tool user add 用户名 --role 档案组 {prepared.archive.root}")
    click.echo("按 Ctrl+C 停止。")
    sys.stdout.flush()
    _serve(server)


def _serve(server) -> None:
    """Run ``server`` until Ctrl+C or SIGTERM (then :class:`Terminated`: exit 143)."""
    import signal
    import threading

    from archive_tool.web import run_until

    from . import Terminated

    stop = threading.Event()
    main = threading.current_thread() is threading.main_thread()  # signals: main thread only
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set()) if main else None
    try:
        run_until(server, stop)
    finally:
        server.close()
        if main:
            signal.signal(signal.SIGTERM, previous)
    if stop.is_set():
        raise Terminated()

@click.group("user")
def user() -> None:
    """管理网页版的账号：添加、列出、改密码、删除。

    角色：档案组（管理档案、账号和审核）、责任人（上传和修改文件，查看自己的任务）、
    领导（查看全部，不能修改）。

    \b
    示例：
      archive-tool user add 档案管理员 --role 档案组 档案
      archive-tool user add 曲丽娟 --role 责任人 --names 曲丽娟、机关党委 档案
      archive-tool user list 档案
      archive-tool user passwd 曲丽娟 档案
      archive-tool user remove 曲丽娟 档案
    """

def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")

@user.command("add")
@click.argument("username")
@_ROOT
@click.option("--role", required=True, help="档案组、责任人或领导。")
@click.option("--names", default="", help="指标表中此人负责的责任人或处室名称，用顿号分隔"
                                           "（责任人默认为用户名）。")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（脚本使用）。")
@_DATA
def user_add(username: str, root: Path, role: str, names: str, password_stdin: bool,
             data: Path | None) -> None:
    """添加账号（提示输入密码）。"""
    _, prepared = _prepare(root, data)
    from archive_tool.web import add_user, role_key, unit_of

    role_key(role)  # an unknown role is refused before the password is asked for
    member = add_user(unit_of(prepared), username, role, _password(password_stdin), names)
    click.echo(f"已添加账号 {username}（{member.role_label}）。")

@user.command("list")
@_ROOT
@_DATA
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式（json 供脚本使用）。")
def user_list(root: Path, data: Path | None, fmt: str) -> None:
    """列出本档案的账号和角色。"""
    _, prepared = _prepare(root, data)
    from archive_tool.web import describe, list_users, unit_of

    members = list_users(unit_of(prepared))
    if fmt == "json":
        echo_json({"users": [{"username": m.user.username, "role": m.role,
                              "names": m.name_list()} for m in members]})
        return
    if not members:
        click.echo("还没有账号。")
    for member in members:
        click.echo(describe(member))

@user.command("passwd")
@click.argument("username")
@_ROOT
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（脚本使用）。")
@_DATA
def user_passwd(username: str, root: Path, password_stdin: bool, data: Path | None) -> None:
    """重设账号的密码。"""
    _, prepared = _prepare(root, data)
    from archive_tool.web import set_password, unit_of

    set_password(unit_of(prepared), username, _password(password_stdin))
    click.echo(f"已重设 {username} 的密码。")

@user.command("remove")
@click.argument("username")
@_ROOT
@_DATA
def user_remove(username: str, root: Path, data: Path | None) -> None:
    """删除账号（活动记录中保留其名字）。"""
    _, prepared = _prepare(root, data)
    from archive_tool.web import remove_user, unit_of

    remove_user(unit_of(prepared), username)
    click.echo(f"已删除账号 {username}。")

COMMANDS = [serve, user]
