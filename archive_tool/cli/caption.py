"""``archive-tool caption show|set`` and ``archive-tool undo``."""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..config import find_root, open_archive
from ..errors import ConfigError, NotAnArchiveError, UsageError
from . import echo_json

_PART_LABELS = {"time": "活动时间", "organizer": "主办单位", "theme": "活动主题"}
_FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                       show_default=True, help="输出格式（json 供脚本使用）。")


def _archive(path: Path):
    """The archive holding ``path``, or None outside any archive (or with a broken config)."""
    try:
        return open_archive(path)
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
    from ..captions import parse_caption, read_metadata, source_label

    config = _archive(file)
    organizers = config.all_organizers if config is not None else ()
    meta = _metadata(file)
    window = (config.window_start, config.window_end) if config is not None else None
    parsed = (parse_caption(meta.caption.text, organizers, source=meta.caption.source,
                            window=window, length=meta.caption.length)
              if meta.caption else None)
    taken = meta.exif_datetime
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


def _metadata(file: Path):
    """What caption show reads: a photo's caption and camera date, or an audio or video file's
    caption (tags, else a sidecar) and recording time."""
    from ..captions import ImageMetadata, RawCaption, read_metadata, read_sidecar_caption
    from ..evidence import AV_EXTS

    if file.suffix.lower() not in AV_EXTS:
        return read_metadata(file)
    from ..extract.media import MediaReadError, read_media

    try:
        info = read_media(file)
    except MediaReadError as exc:
        raise UsageError(f"无法读取音视频文件：{file.name}", "用播放器打开确认文件完好。") from exc
    raw = (RawCaption(info.caption, f"media:{info.caption_field}") if info.caption
           else read_sidecar_caption(file))
    recorded = info.recorded.replace(tzinfo=None) if info.recorded else None
    return ImageMetadata(raw, recorded)


def _merge_parts(file: Path, when: str | None, organizer: str | None, theme: str | None,
                 config) -> tuple[str, str, str]:
    """Options given win; the rest comes from the current caption, then the config's unit."""
    from ..captions import format_date, parse_caption, parse_time

    current = None
    if not (when and organizer and theme):
        raw = _metadata(file).caption
        if raw is not None:
            current = parse_caption(raw.text, config.all_organizers, source=raw.source,
                                    window=(config.window_start, config.window_end))
    if when:
        when = format_date(parse_time(when))
    elif current is not None and current.time is not None:
        when = format_date(current.time)
    organizer = organizer or (current.organizer if current else "") or config.unit
    theme = theme or (current.theme if current else "")
    missing = [label for label, value in (("活动时间", when), ("主办单位", organizer),
                                           ("活动主题", theme)) if not value]
    if missing:
        raise UsageError(f"缺少{'、'.join(missing)}：照片现有说明中也没有。",
                         "用 --time、--organizer、--theme 给出三要素。")
    return when, organizer, theme


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
    from ..captions import write_caption
    from ..places import inside_archive
    from ..undo import UndoLog

    file = Path(os.path.abspath(file))  # the undo log takes relative paths as root-relative
    try:
        root = find_root(file)
    except NotAnArchiveError as exc:
        raise UsageError("不在档案目录中，无法记录撤销日志；请先 archive-tool init",
                         exc.hint) from exc
    config = open_archive(root)
    file = inside_archive(root, file)  # never write through a link out of the archive
    when, organizer, theme = _merge_parts(file, when, organizer, theme, config)
    with UndoLog(root).transaction("caption set") as tx:
        result = write_caption(file, when, organizer, theme, before_write=tx.record_modify,
                               on_ready=tx.record_written)
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
    click.echo(f"  撤销：archive-tool undo {root}")


_KIND_TEXT = {"modify": "恢复原文件", "create": "删除新建的文件", "rename": "改回原名"}


@click.command("undo")
@click.argument("root", required=False, default=".",
                type=click.Path(exists=True, path_type=Path))
@click.option("--list", "show_list", is_flag=True, help="只列出撤销日志中的操作，不撤销。")
@_FORMAT
def undo(root: Path, show_list: bool, fmt: str) -> None:
    """撤销最近一次修改文件的操作（caption set、lint --fix、footer fix、new）。

    ROOT 是档案目录或其中的路径（默认当前目录）。

    文件在那次操作之后又被改动过时拒绝撤销，不会覆盖新的改动。

    上次操作被中断（断电、kill -9、终止）时，先恢复那次操作：已改名的改回、已写入的还原；
    中断之后又被改动过的文件保持现状并列出。

    \b
    示例：
      archive-tool undo 档案
      archive-tool undo 档案 --list
    """
    from ..undo import UndoLog

    log = UndoLog(find_root(root))
    if show_list:
        history = log.history()
        if fmt == "json":
            echo_json({"transactions": [tx.to_dict() for tx in history]})
            return
        status = {"committed": "可撤销", "undone": "已撤销", "rolled_back": "已回滚",
                  "incomplete": "未完成（被中断，运行 undo 恢复）",
                  "undoing": "撤销未完成（被中断，运行 undo 完成）"}
        if not history:
            click.echo("撤销日志为空。")
        for tx in reversed(history):
            click.echo(f"{tx.time}  {tx.label}  {len(tx.operations)} 个文件  "
                       f"{status.get(tx.status, tx.status)}")
        return
    result = log.undo_last()
    if fmt == "json":
        echo_json({"txid": result.txid, "label": result.label, "time": result.time,
                   "interrupted": result.interrupted, "left": list(result.left),
                   "reverted": [op.to_dict() for op in result.reverted]})
        return
    if result.interrupted:
        click.echo(f"✓ 已恢复被中断的「{result.label}」（{result.time} 开始）：")
    else:
        click.echo(f"✓ 已撤销「{result.label}」（{result.time}）：")
    for line in result.left:
        click.secho(f"  未恢复：{line}", err=True, fg="yellow")
    for op in result.reverted:
        if op.kind == "rename":
            click.echo(f"  {_KIND_TEXT[op.kind]}：{op.path} → {op.src}")
        else:
            click.echo(f"  {_KIND_TEXT[op.kind]}：{op.path}")


COMMANDS = [caption, undo]
