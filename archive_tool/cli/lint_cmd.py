"""``archive-tool lint``: check names, captions, footers and placement."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from archive_tool import Archive, render_findings

from . import EXIT_FINDINGS, echo_json, progress_callback


def _style(text: str, kind: str) -> str:
    colours = {"error": "red", "warning": "yellow", "dim": None, "folder": "cyan"}
    if kind == "dim":
        return click.style(text, dim=True)
    return click.style(text, fg=colours.get(kind), bold=kind == "folder")


@click.command("lint")
@click.argument("path", required=False, default=".",
                type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="输出格式（json 供脚本使用）。")
@click.option("--rule", "rules", multiple=True, metavar="ID",
              help="只检查这些规则（可重复，如 --rule CAPTION_MISSING）。")
@click.option("--fix", is_flag=True, help="自动改名可安全修正的文件名（先列出计划并询问）。")
@click.option("--yes", "-y", is_flag=True, help="与 --fix 同用：不询问，直接执行。")
def command(path: Path, fmt: str, rules: tuple[str, ...], fix: bool, yes: bool) -> None:
    """检查档案中的文件：命名「NN：主题」、照片说明、Word 页脚、存放位置、文件能否打开。

    PATH 可以是档案根目录、其中的文件夹或单个文件（默认当前目录）。每个问题都给出规则编号、
    文件、原因和具体修改办法。改名类问题可用 --fix 自动修正，并可用 archive-tool undo 撤销。

    \b
    示例：
      archive-tool lint sample_archive
      archive-tool lint sample_archive --rule CAPTION_MISSING --rule FOOTER_MISSING
      archive-tool lint sample_archive --format json
      archive-tool lint sample_archive --fix

    修改办法中的命令可以直接复制运行（路径相对于运行 lint 的当前目录）。

    使用 --fix 时列出的是改名之后仍存在的问题。

    退出码：0 没有问题；1 发现问题；2 用法或配置错误。
    """
    archive = Archive.open(path)
    report = archive.lint(path, rules=rules or None, cwd=Path.cwd(),
                          progress=progress_callback("读取文件", enabled=fmt == "text"))
    renamed: list[tuple[str, str]] = []
    if fix:
        report, renamed = _fix(archive, report, yes)
    else:
        pending = archive.interrupted()
        if pending is not None:
            click.secho(f"注意：上次操作未完成：{pending}；运行 archive-tool undo "
                        f"{archive.root} 恢复。", err=True, fg="yellow")
    if fmt == "json":
        data = report.to_dict()
        if fix:
            data["renamed"] = [{"src": src, "dst": dst} for src, dst in renamed]
        echo_json(data)
    else:
        click.echo(render_findings(report, style=_style), color=sys.stdout.isatty())
    if report.findings:
        raise SystemExit(EXIT_FINDINGS)


def _fix(archive: Archive, report, yes: bool):
    """Rename after asking; the findings after the renames and the (src, dst) renamed."""
    renames = archive.fixes(report)
    if not renames:
        click.echo("没有可以自动修正的文件名。", err=True)
        return report, []
    click.echo(f"将改名 {len(renames)} 个文件：", err=True)
    for item in renames:
        click.echo(f"  {item.src}  ->  {item.dst.rsplit('/', 1)[-1]}", err=True)
        for _, side in item.sidecars:
            click.echo(f"      连同说明文件  ->  {side.rsplit('/', 1)[-1]}", err=True)
    if not yes:
        try:
            agreed = click.confirm("执行以上改名？", default=False, err=True)
        except click.Abort:  # stdin at its end (a script) or Ctrl-C: the same as "no"
            click.echo("", err=True)
            click.echo("没有收到回答，未做任何修改（在脚本中请加 --yes）。", err=True)
            return report, []
        if not agreed:
            click.echo("未做任何修改。", err=True)
            return report, []
    applied = archive.fix(report, renames)
    for item, why in applied.refused:
        click.echo(f"未改名：{item.src}（{why}）", err=True)
    click.echo(f"已改名 {len(applied.done)} 个文件；如需恢复，运行 "
               f"{archive.undo_command()}", err=True)
    return applied.report, applied.moves()


COMMANDS = [command]
