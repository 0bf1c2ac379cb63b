"""Write a caption into a photo without re-encoding it.

JPEG: the EXIF APP1 (XPComment, XPTitle, XPSubject, ImageDescription set in IFD0, everything
else kept) and the XMP APP1 (dc:description, dc:title, and this tool's mark: which caption it
wrote where) are replaced, an old IPTC Caption-Abstract is replaced or removed (``iptc``); every
byte from SOS to the end is copied. What could not be updated is said in ``WriteResult.warnings``.
PNG: iTXt "Description" and "XML:com.adobe.xmp" are replaced before IDAT; every other chunk is
copied. Other formats get a sidecar ``<image file name>.txt``. The new file is checked with
Pillow before it atomically replaces the old one (temp file in the same folder, ``os.replace``,
mode kept).
"""
from __future__ import annotations

import io
import os
import stat
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from PIL import Image

from ..atomic import write_atomic
from ..errors import FileOperationError, UsageError, os_reason
from . import exif, iptc, jpeg, png, xmp
from .dates import parse_date
from .parse import format_caption
from .read import sidecar_paths
from .text import decode_utf16le
from ..extract.media import TAGGED_EXTS


@dataclass(frozen=True)
class WriteResult:
    """What ``write_caption`` did: ``method`` is ``jpeg``, ``png`` or ``sidecar``; ``path`` is the
    file written (the image, or the sidecar next to it); ``places`` names where the caption went,
    e.g. ``("xmp", "exif")``."""

    path: Path
    method: str
    text: str
    places: tuple[str, ...]
    #: what could not be updated, for people (e.g. an EXIF block too large to take the caption)
    warnings: tuple[str, ...] = ()


#: what lint's suggested commands hold where a part is not known: refused here, with a message
DATE_PLACEHOLDER, ORGANIZER_PLACEHOLDER, THEME_PLACEHOLDER = "活动日期", "主办单位", "活动主题"
_OPTION = {"主办单位": "organizer", "活动主题": "theme"}


def _value(name: str, value: str) -> str:
    value = " ".join(str(value or "").split())
    if not value:
        raise UsageError(f"{name}不能为空。", f"用 --{_OPTION[name]} 指定{name}。")
    if value in (ORGANIZER_PLACEHOLDER, THEME_PLACEHOLDER):
        raise UsageError(f"--{_OPTION[name]} 仍是占位词「{value}」：请换成实际的{name}。",
                         f"如 --{_OPTION[name]} "
                         f"{'临沂市环境保护局' if name == '主办单位' else '学雷锋志愿服务'}。")
    return value


def parse_time(value: date | datetime | str) -> date:
    """The 活动时间 of a caption to write: a date, or text such as 2018-03-05 / 2018年3月5日.
    UsageError for anything else, the placeholder 活动日期 included."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if str(value).strip() == DATE_PLACEHOLDER:
        raise UsageError(f"--time 仍是占位词「{DATE_PLACEHOLDER}」：请换成照片中活动的实际日期。",
                         "如 --time 2018-03-05（也可写 2018年3月5日、2018.3.5 或 2018/3/5）。")
    parsed = parse_date(str(value))
    if parsed is None:
        raise UsageError(f"无法识别的活动时间：{value}",
                         "写成 2018-03-05、2018年3月5日、2018.3.5 或 2018/3/5。")
    return parsed


def sidecar_for(path: Path) -> Path:
    """The sidecar a caption of ``path`` is written to: the existing ``.txt`` sidecar read first
    (whatever its case), else ``<image file name>.txt``."""
    for existing in sidecar_paths(path):
        if existing.suffix.lower() == ".txt":
            return existing
    return path.with_name(path.name + ".txt")


# ---- per format ----------------------------------------------------------------------------
_STALE = "Windows“详细信息”等处可能仍显示旧说明（本工具以 XMP 中的新说明为准）"


def _iptc(segments: list[jpeg.Segment], text: str, warnings: list[str]) -> dict[int, bytes]:
    """New payloads for the APP13 segment whose IPTC Caption-Abstract must follow the caption."""
    blocks = [i for i, seg in enumerate(segments)
              if seg.marker == jpeg.APP13 and seg.payload.startswith(iptc.SIGNATURE)]
    if len(blocks) > 1:
        warnings.append(f"IPTC 元数据分成多段，未更新其中的说明：{_STALE}。")
        return {}
    for index in blocks:
        try:
            new = iptc.update_caption(segments[index].payload, text)
        except iptc.IptcFormatError:
            warnings.append(f"IPTC 元数据已损坏，未更新其中的说明：{_STALE}。")
            return {}
        if new is not None and len(new) <= jpeg.MAX_PAYLOAD:
            return {index: new}
    return {}


def _jpeg(data: bytes, text: str, name: str
          ) -> tuple[bytes, tuple[str, ...], tuple[str, ...]]:
    try:
        segments, _sos = jpeg.split(data)
    except jpeg.JpegFormatError as exc:
        raise FileOperationError(f"JPEG 文件结构不完整，未写入说明：{name}",
                                 "用看图软件打开确认；损坏的文件请从原始来源重新复制。") from exc
    places = ["xmp"]
    warnings: list[str] = []
    tags = {exif.IMAGE_DESCRIPTION: exif.ascii_value(text), exif.XP_COMMENT: exif.xp_value(text),
            exif.XP_TITLE: exif.xp_value(text), exif.XP_SUBJECT: exif.xp_value(text)}
    try:
        tiff = exif.set_ifd0_tags(jpeg.exif_payload(segments), tags)
    except exif.ExifFormatError:
        tiff = None  # a damaged EXIF block is left as it is; XMP, read first, carries the caption
        warnings.append(f"EXIF 元数据已损坏，未更新其中的说明：{_STALE}。")
    if tiff is not None and len(jpeg.EXIF_SIGNATURE) + len(tiff) > jpeg.MAX_PAYLOAD:
        tiff = None
        warnings.append(f"EXIF 元数据已接近 64 KB 上限，放不下说明，未更新：{_STALE}。")
    if tiff is not None:
        places.append("exif")
    payloads = _iptc(segments, text, warnings)
    if payloads:
        places.append("iptc")
    packet = xmp.set_properties(jpeg.xmp_payload(segments), {"description": text, "title": text},
                                mark=(xmp.caption_digest(text), tuple(places)))
    if len(jpeg.XMP_SIGNATURE) + len(packet) > jpeg.MAX_PAYLOAD:
        raise FileOperationError(f"图片中的 XMP 元数据过大（超过 64 KB），无法写入说明：{name}",
                                 "用图片管理软件清理该图片的 XMP 元数据后重试。")
    return (jpeg.replace_metadata(data, tiff, packet, payloads), tuple(places),
            tuple(warnings))


def _png(data: bytes, text: str, name: str) -> tuple[bytes, tuple[str, ...]]:
    try:
        info = png.read_info(io.BytesIO(data))
        packet = xmp.set_properties(png.read_xmp(info), {"description": text, "title": text},
                                    mark=(xmp.caption_digest(text), ("xmp", "png")))
        new = png.replace_texts(data, {"Description": text,
                                       png.XMP_KEY: packet.decode("utf-8")})
    except png.PngFormatError as exc:
        raise FileOperationError(f"PNG 文件结构不完整，未写入说明：{name}",
                                 "用看图软件打开确认；损坏的文件请从原始来源重新复制。") from exc
    return new, ("xmp", "png:Description")


def _verify(old: bytes, new: bytes, places: tuple[str, ...], text: str, name: str) -> None:
    """Open the new bytes with Pillow: same size, mode and format, and an EXIF caption that
    reads back. Nothing is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(old)) as before, Image.open(io.BytesIO(new)) as after:
                ok = (before.size, before.mode, before.format) == (
                    after.size, after.mode, after.format)
                if ok and "exif" in places:
                    ok = decode_utf16le(after.getexif().get(0x9C9C, b"")) == text
    except Exception:  # noqa: BLE001 - any failure means: do not touch the file
        ok = False
    if not ok:
        raise FileOperationError(f"写入说明后的自检未通过，原文件未改动：{name}",
                                 "请把该图片发给维护人员排查；可先用旁注文件（同名 .txt）写说明。")


def _media(data: bytes, path: Path, text: str) -> bytes:
    """An mp4/m4a/mov/mp3 with its title and comment tags set (mutagen: the audio and video
    data are not re-encoded), read back before it may replace the file."""
    from ..extract.media import MediaReadError, media_caption_bytes, read_tags

    try:
        new = media_caption_bytes(data, path.suffix, text)
        ok = read_tags(new, path.suffix) == text
    except MediaReadError:
        ok = False
    if not ok:
        raise FileOperationError(f"无法写入音视频文件的标签，原文件未改动：{path.name}",
                                 "文件可能已损坏；可改用旁注文件（同名 .txt）写说明。")
    return new


# ---- writing -------------------------------------------------------------------------------
def atomic_write(path: Path, data: bytes,
                 on_ready: Callable[[Path, str], object] | None = None) -> None:
    """Replace ``path`` with ``data`` via a synced temp file in the same folder; keep the file's
    mode. ``on_ready(path, sha256)`` is called right before the rename (the undo log)."""
    try:
        write_atomic(path, data,
                     on_ready=None if on_ready is None else lambda digest: on_ready(path, digest))
    except OSError as exc:
        raise FileOperationError(f"无法写入文件：{path.name}（{os_reason(exc)}）",
                                 "检查文件是否只读，或是否被看图软件等程序占用。") from exc


def _check_regular(path: Path) -> None:
    """Refuse anything but a regular file (a FIFO would block the read forever)."""
    try:
        st = path.stat()
    except OSError as exc:
        raise FileOperationError(f"无法读取文件信息：{path.name}（{os_reason(exc)}）",
                                 "检查路径和文件权限。") from exc
    if not stat.S_ISREG(st.st_mode):
        raise FileOperationError(f"不是普通文件（可能是命名管道、设备或文件夹）：{path.name}",
                                 "archive-tool 只处理普通的图片文件。")


def _check_writable(path: Path) -> None:
    """Refuse a read-only file: ``os.replace`` would replace it anyway (it needs only the
    folder's permission), silently overriding what the read-only mark asks for."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FileOperationError(f"无法读取文件信息：{path.name}（{os_reason(exc)}）",
                                 "检查路径和文件权限。") from exc
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise FileOperationError(
            f"文件是只读的，未写入说明：{path.name}",
            "确需写入时先去掉只读属性再重试：Windows 中右键 › 属性 › 取消勾选“只读”；"
            "Linux/macOS 中运行 chmod u+w 加文件名。")


def write_caption(path: str | os.PathLike, time: date | datetime | str, organizer: str,
                  theme: str, *, before_write: Callable[[Path], object] | None = None,
                  on_ready: Callable[[Path, str], object] | None = None) -> WriteResult:
    """Write the canonical caption (活动时间：…；主办单位：…；活动主题：…) into the image at
    ``path`` without re-encoding it, or into a sidecar ``<image file name>.txt`` for formats that
    cannot hold it losslessly here. ``before_write(file)`` is called right before a file is
    replaced (an undo log records the original there), ``on_ready(file, sha256)`` when its new
    content is on the disk, right before it takes the file's place. Raises UsageError for bad
    values and FileOperationError when the file cannot be read, checked or written (or is not a
    regular file: a named pipe would block, a device never end)."""
    path = Path(path)
    if path.is_symlink():  # write through the link instead of replacing it with a copy
        path = Path(os.path.realpath(path))
    text = format_caption(parse_time(time), _value("主办单位", organizer), _value("活动主题", theme))
    _check_regular(path)
    _check_writable(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileOperationError(f"无法读取图片：{path.name}（{os_reason(exc)}）",
                                 "检查路径和文件权限。") from exc
    warnings: tuple[str, ...] = ()
    if jpeg.is_jpeg(data[:3]):
        method = "jpeg"
        new, places, warnings = _jpeg(data, text, path.name)
    elif png.is_png(data[:8]):
        method = "png"
        new, places = _png(data, text, path.name)
    elif path.suffix.lower() in TAGGED_EXTS:
        method, places = "media", ("tags",)
        new = _media(data, path, text)
    else:
        target = sidecar_for(path)
        _check_writable(target)
        if before_write is not None:
            before_write(target)
        atomic_write(target, ("\ufeff" + text + "\r\n").encode("utf-8"), on_ready)
        return WriteResult(target, "sidecar", text, ("sidecar",))
    if method != "media":
        _verify(data, new, places, text, path.name)
    if before_write is not None:
        before_write(path)
    atomic_write(path, new, on_ready)
    return WriteResult(path, method, text, places, warnings)
