"""A photo's (or audio or video file's) caption as ``caption show`` tells it, and the three
parts ``caption set`` writes.

Both read the caption where the reader finds it (:mod:`.read`) and parse it with the names of
the archive's organizers and its window (a date without its year), when the photo is in one.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..errors import UsageError
from ..evidence import AV_EXTS, Caption
from .dates import format_date
from .parse import parse_caption
from .read import ImageMetadata, RawCaption, read_metadata, read_sidecar_caption
from .write import parse_time


@dataclass(frozen=True)
class CaptionView:
    """What is known of one photo's caption: the caption parsed (None: no caption anywhere)
    and the moment the camera recorded."""

    path: Path
    caption: Caption | None
    taken: datetime | None


def _metadata(path: Path) -> ImageMetadata:
    """What is read of a caption: a photo's caption and camera date, or an audio or video
    file's caption (tags, else a sidecar) and recording time."""
    if path.suffix.lower() not in AV_EXTS:
        return read_metadata(path)
    from ..extract.media import MediaReadError, read_media

    try:
        info = read_media(path)
    except MediaReadError as exc:
        raise UsageError(f"无法读取音视频文件：{path.name}", "用播放器打开确认文件完好。") from exc
    raw = (RawCaption(info.caption, f"media:{info.caption_field}") if info.caption
           else read_sidecar_caption(path))
    recorded = info.recorded.replace(tzinfo=None) if info.recorded else None
    return ImageMetadata(raw, recorded)


def view_caption(path: str | os.PathLike, organizers: tuple[str, ...] = (),
                 window: tuple[date, date] | None = None) -> CaptionView:
    """The caption of the photo (or audio, video) at ``path`` and the time its camera recorded
    (one read of the file)."""
    meta = _metadata(Path(path))
    raw = meta.caption
    parsed = (parse_caption(raw.text, organizers, source=raw.source, window=window,
                            length=raw.length) if raw else None)
    return CaptionView(Path(path), parsed, meta.exif_datetime)


def caption_parts(path: Path, when: str | None, organizer: str | None, theme: str | None, *,
                  organizers: tuple[str, ...], window: tuple[date, date], unit: str
                  ) -> tuple[str, str, str]:
    """(time, organizer, theme) to write: the parts given win, the rest comes from the photo's
    current caption, then ``unit`` for the organizer; UsageError naming what is still missing
    (or a time that is no date)."""
    current = None
    if not (when and organizer and theme):
        raw = _metadata(path).caption
        if raw is not None:
            current = parse_caption(raw.text, organizers, source=raw.source, window=window)
    if when:
        when = format_date(parse_time(when))
    elif current is not None and current.time is not None:
        when = format_date(current.time)
    organizer = organizer or (current.organizer if current else "") or unit
    theme = theme or (current.theme if current else "")
    missing = [label for label, value in (("活动时间", when), ("主办单位", organizer),
                                           ("活动主题", theme)) if not value]
    if missing:
        raise UsageError(f"缺少{'、'.join(missing)}：照片现有说明中也没有。",
                         "用 --time、--organizer、--theme 给出三要素。")
    return when, organizer, theme
