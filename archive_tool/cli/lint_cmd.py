"""``archive-tool lint``: check names, captions, footers and placement."""
from __future__ import annotations

import sys
from pathlib import Path

import click

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

    退出码：0 没有问题；1 发现问题；2 用法或配置错误。
    """
    from ..fix import apply_renames, plan_renames
    from ..lint import lint
    from ..report.findings import findings_text
    from ..scan import scan

    result = scan(path, progress=progress_callback("读取文件", enabled=fmt == "text"))
    report = lint(result, rules or None)
    if fmt == "json":
        echo_json(report.to_dict())
    else:
        click.echo(findings_text(report.findings, report.summary(), style=_style),
                   color=sys.stdout.isatty())
    if fix:
        renames = plan_renames(result.root, report.findings, result.sidecars)
        if not renames:
            click.echo("没有可以自动修正的文件名。", err=True)
        else:
            click.echo(f"\n将改名 {len(renames)} 个文件：", err=True)
            for item in renames:
                click.echo(f"  {item.src}  ->  {item.dst.rsplit('/', 1)[-1]}", err=True)
                for _, side in item.sidecars:
                    click.echo(f"      连同说明文件  ->  {side.rsplit('/', 1)[-1]}", err=True)
            if yes or click.confirm("执行以上改名？", default=False, err=True):
                count = apply_renames(result.root, renames)
                click.echo(f"已改名 {count} 个文件；如需恢复，运行 archive-tool undo "
                           f"{result.root}", err=True)
            else:
                click.echo("未做任何修改。", err=True)
    if report.findings:
        raise SystemExit(EXIT_FINDINGS)


COMMANDS = [command]
