"""``archive-tool index``: build or update the full-text index of an archive."""
from __future__ import annotations

from pathlib import Path

import click

from archive_tool import Archive

from . import echo_json, progress_callback


def busy(seconds: float) -> None:
    """Told while another process holds the index."""
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
    from archive_tool import REBUILD_REASONS

    archive = Archive.open(root)
    result = archive.scan(progress=progress_callback("读取文件", enabled=fmt == "text"))
    ocr = archive.recognise(progress=progress_callback("识别扫描件文字", enabled=fmt == "text"))
    if ocr.unavailable and fmt == "text":
        click.echo(f"有 {ocr.unavailable} 个扫描件的文字无法识别：未安装文字识别组件。"
                   f"安装后重新运行 archive-tool index 即可检索其中的文字：{ocr.install_hint}",
                   err=True)
    stats = archive.index(rebuild=rebuild, wait=wait, on_wait=busy,
                          progress=progress_callback("写入索引", enabled=fmt == "text"))
    if fmt == "json":
        echo_json({"root": str(archive.root), **stats.to_dict(), "ocr": ocr.to_dict()})
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


COMMANDS = [index_cmd]
