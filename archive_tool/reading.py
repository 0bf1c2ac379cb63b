"""Reading one file's content: what the scan's cache keeps of it (hash, caption, camera date,
text, footers, character count, document dates, limits met), read only when the file is new or
changed. Never raises for a bad file: what is wrong with it becomes its metadata (rule
FILE_UNREADABLE)."""
from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from pathlib import Path

from . import captions, extract
from .errors import ArchiveError, os_reason
from .evidence import AV_EXTS, IMAGE_EXTS, TEXT_EXTS

#: read_file's error for a file that went away between listing and reading it
GONE = "gone"


def _hash(path: Path) -> tuple[str, int]:
    """The file's SHA-256 and the number of bytes read."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _iso(value: datetime | date | None) -> str | None:
    """A date or time as cache text; a time keeps its offset: the archive's time zone turns it
    into a calendar date when the record is built (docx stores UTC: a file saved in Beijing
    before 08:00 belongs to the Beijing day)."""
    return value.isoformat() if value is not None else None


def _problem(exc: ArchiveError) -> dict:
    """A read error as cache metadata: what is wrong without the file's name (a report names the
    file already) and the reader's own fix (a truncated file is copied again, not re-saved)."""
    return {"error": getattr(exc, "reason", "corrupt"),
            "error_message": (getattr(exc, "problem", "") or exc.message).rstrip("。"),
            "error_hint": (exc.hint or "").rstrip("。")}


def read_file(path: Path, ext: str, sidecars: list[Path] | None = None) -> tuple[str, dict, str]:
    """Read one file's content-derived metadata: (hash, meta, text). Never raises for bad files;
    a file gone since it was listed has ``meta["error"] == GONE``.

    ``sidecars``: an image's caption sidecars, when the caller has listed its folder."""
    meta: dict = {}
    text = ""
    try:
        content_hash, size = _hash(path)
    except FileNotFoundError:
        return "", {"error": GONE}, ""  # moved or deleted while the scan ran: not evidence
    except OSError as exc:
        return "", {"error": "unreadable",
                    "error_message": f"无法读取文件（{os_reason(exc)}）",
                    "error_hint": "检查文件权限，或文件是否被其他程序占用"}, ""
    if size == 0:
        meta.update(error="empty", error_message="文件为空（0 字节）",
                    error_hint="从原始来源重新复制此文件")
        return content_hash, meta, text
    ext = ext.lower()
    try:
        if ext in IMAGE_EXTS:
            image = captions.read_metadata(path, sidecars)  # one open for caption and date
            raw = image.caption
            if raw is not None:
                meta["caption_text"], meta["caption_source"] = raw.text, raw.source
                if raw.length:
                    meta["caption_length"] = raw.length
                text = raw.text
            taken = image.exif_datetime  # the camera's own clock
            meta["exif_date"] = _iso(taken.date() if taken else None)
            if image.pixels:
                meta["pixels"] = list(image.pixels)  # PHOTO_TOO_SMALL
            limits = image.limits
        elif ext in AV_EXTS:
            text, limits = _media(path, sidecars, meta), ()
        elif ext in TEXT_EXTS:
            got = extract.extract(path)
            text = got.text
            meta.update(footers=list(got.footers), char_count=got.char_count,
                        has_text_layer=got.has_text_layer, title=got.title,
                        created=_iso(got.created), pages=got.pages)
            limits = got.limits
        else:
            limits = ()
        if limits:
            meta["limits"] = list(limits)
    except ArchiveError as exc:
        if not os.path.lexists(path):
            return "", {"error": GONE}, ""  # gone while it was being read
        meta.update(_problem(exc))
    return content_hash, meta, text


def _media(path: Path, sidecars: list[Path] | None, meta: dict) -> str:
    """An audio or video file's recording date, duration and caption (its tags, else a caption
    sidecar) into ``meta``; the caption's text. A file MediaInfo cannot read is unreadable."""
    from .extract.media import MediaReadError, read_media

    try:
        info = read_media(path)
    except MediaReadError as exc:
        raise ArchiveError("音视频文件已损坏或格式无法识别",
                           "用播放器打开确认；损坏的文件请从原始来源重新复制") from exc
    meta.update(media_recorded=_iso(info.recorded), duration=info.duration)
    raw = (captions.RawCaption(info.caption, f"media:{info.caption_field}") if info.caption
           else captions.read_sidecar_caption(path, sidecars))
    if raw is None:
        return ""
    meta["caption_text"], meta["caption_source"] = raw.text, raw.source
    return raw.text
