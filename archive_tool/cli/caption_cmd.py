"""``archive-tool caption show|set``: a photo's caption read, or written without re-encoding."""
from __future__ import annotations

import os
from pathlib import Path

import click

from archive_tool import Archive, ConfigError, NotAnArchiveError, UsageError

from . import echo_json

_PART_LABELS = {"time": "活动时间", "organizer": "主办单位", "theme": "活动主题"}
_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                       show_default=True, help="输出格式（json 供脚本使用）。")


def _archive(path: Path) -> Archive | None:
    """The archive holding ``path``, or None outside any archive (or with a broken config)."""
    try:
        return Archive.open(path)
    except (NotAnArchiveError, ConfigError):
        return None


@click.group("caption")
def caption() -> None:
    """查看或写入照片说明（活动时间、主办单位、活动主题）。

    说明按以下顺序读取：XMP、Windows“详细信息”、EXIF、IPTC、PNG 文本、旁注文件。

    写入时不重新压缩图像，像素保持不变；可用 archive-tool undo 撤销。

    \b
    示例：
      archive-tool caption show 档案/I-1*/II-1*/01：学习会.jpg
      archive-tool caption set 01：学习会.jpg --time 2018-03-05 \\
          --organizer 临沂市环境保护局 --theme 学雷锋志愿服务
      archive-tool undo 档案
    """


def _caption_json(parsed) -> dict | None:
    if parsed is None:
        return None
    return {"source": parsed.source, "text": parsed.text,
            "time": parsed.time.isoformat() if parsed.time else None,
            "time_text": parsed.time_text, "organizer": parsed.organizer, "theme": parsed.theme,
            "missing": list(parsed.missing), "complete": parsed.complete}


@caption.command("show")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_FORMAT
def show_cmd(file: Path, fmt: str) -> None:
    """显示照片说明：在哪里找到、原文、解析出的三要素和缺少的部分，以及相机记录的拍摄时间。

    在档案内时，档案配置中的单位名称和指标体系中的责任单位用于识别主办单位。

    \b
    示例：
      archive-tool caption show 01：学习会.jpg
      archive-tool caption show 01：学习会.jpg --format json
    """
    from archive_tool import source_label, view_caption

    archive = _archive(file)
    view = archive.caption(file) if archive is not None else view_caption(file)
    parsed, taken = view.caption, view.taken
    if fmt == "json":
        echo_json({"path": str(file), "caption": _caption_json(parsed),
                   "exif_datetime": taken.isoformat() if taken else None})
        return
    click.echo(f"文件：{file}")
    if parsed is None:
        click.echo("说明：未找到（需注明活动时间、主办单位、活动主题）")
        click.echo("  写入说明：archive-tool caption set 文件 --time 日期 --organizer 主办单位 "
                   "--theme 活动主题")
    else:
        click.echo(f"说明来源：{source_label(parsed.source)}")
        click.echo(f"说明原文：{parsed.text}")
        if parsed.cut_from:
            click.echo(f"  （说明文字过长（{parsed.cut_from} 字），只读取了前 {len(parsed.text)} 字）")
        time_text = (parsed.time.isoformat() if parsed.time else
                     f"无法识别（「{parsed.time_text}」）" if parsed.time_text else "缺少")
        click.echo(f"  活动时间：{time_text}")
        click.echo(f"  主办单位：{parsed.organizer or '缺少'}")
        click.echo(f"  活动主题：{parsed.theme or '缺少'}")
        if parsed.complete:
            click.echo("✓ 三要素齐全")
        else:
            missing = "、".join(_PART_LABELS[part] for part in parsed.missing)
            click.echo(f"缺少：{missing}")
    click.echo(f"拍摄时间（EXIF）：{taken.isoformat(sep=' ') if taken else '无'}")


@caption.command("set")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--time", "when", metavar="日期",
              help="活动时间：2018-03-05、2018年3月5日、2018.3.5、2018/3/5 均可。")
@click.option("--organizer", metavar="单位", help="主办单位（省略时沿用现有说明或档案配置的本单位）。")
@click.option("--theme", metavar="主题", help="活动主题（省略时沿用现有说明）。")
@_FORMAT
def set_cmd(file: Path, when: str | None, organizer: str | None, theme: str | None,
            fmt: str) -> None:
    """写入照片说明「活动时间：…；主办单位：…；活动主题：…」，不重新压缩图像。

    JPEG 写入 XMP 和 EXIF（Windows 属性中的“标题”“主题”“备注”可见），PNG 写入文本块。

    HEIC、GIF、BMP、WebP 等格式写入旁注文件「照片名.txt」。

    音视频：mp4、m4a、mov、mp3 写入标题和备注标签（不重新编码），wav、amr 等写入旁注文件。

    原文件先备份，可用 archive-tool undo 撤销。省略的选项沿用照片现有说明。

    \b
    示例：
      archive-tool caption set 01：学习会.jpg --time 2018-03-05 \\
          --organizer 临沂市环境保护局 --theme 学雷锋志愿服务
      archive-tool caption set 01：学习会.jpg --time 2018年3月6日
    """
    file = Path(os.path.abspath(file))
    try:
        archive = Archive.open(file)
    except NotAnArchiveError as exc:
        raise UsageError("不在档案目录中，无法记录撤销日志；请先 archive-tool init",
                         exc.hint) from exc
    result = archive.set_caption(file, time=when, organizer=organizer, theme=theme)
    if fmt == "json":
        echo_json({"path": str(file), "written": str(result.path), "method": result.method,
                   "places": list(result.places), "text": result.text,
                   "warnings": list(result.warnings)})
        return
    if result.method == "sidecar":
        click.echo(f"✓ 已写入旁注文件 {result.path.name}（此格式无法无损写入文件本身）")
    elif result.method == "media":
        click.echo(f"✓ 已写入 {file.name} 的标签（标题、备注；音视频数据未改动）")
    else:
        where = "、".join({"xmp": "XMP", "exif": "EXIF", "iptc": "IPTC",
                          "png:Description": "PNG 文本"}[p] for p in result.places)
        click.echo(f"✓ 已写入 {file.name} 的说明（{where}；图像数据未改动）")
    click.echo(f"  {result.text}")
    for warning in result.warnings:
        click.secho(f"  注意：{warning}", err=True, fg="yellow")
    click.echo(f"  撤销：{archive.undo_command()}")


COMMANDS = [caption]
