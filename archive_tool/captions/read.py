"""Read a photo's caption from wherever people and programs put it, and its camera date.

Order (DESIGN.md): XMP dc:description, dc:title; the Windows "详细信息" tags XPComment, XPTitle,
XPSubject; EXIF ImageDescription, UserComment; IPTC Caption-Abstract; PNG text chunks; a sidecar
``<image file name>.txt`` / ``<stem>.txt`` / ``<image file name>.xmp`` / ``<stem>.xmp`` (names
compared case-insensitively, :func:`match_sidecars`). The first non-empty one wins, with one
exception: when the XMP is still the caption ``caption set`` wrote (its mark says so) and a tag it
wrote along with it (XPComment, XPTitle, XPSubject, ImageDescription) now holds another text, that
tag was edited afterwards (Windows Explorer's 详细信息 writes only the XP tags) and wins.

Only metadata is read: ``Image.open`` is lazy and ``load()`` is never called, so a 50 MB photo
costs a few kilobytes of reading. A file that cannot be opened raises :class:`CaptionReadError`
(and nothing else), so a scan reports it and goes on.
"""
from __future__ import annotations

import os
import re
import stat
import warnings
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Iterator, Sequence

from PIL import Image, ImageFile, IptcImagePlugin, UnidentifiedImageError

from ..errors import ArchiveError, os_reason
from ..layout import listing
from . import jpeg, png, xmp
from .parse import MAX_CAPTION
from .sidecars import match_sidecars
from .text import (clean, decode_narrow, decode_text_file, decode_user_comment, decode_utf16le,
                   tiff_ascii_bytes)

#: Pillow's default limit (≈89 MP) rejects photos from 108- and 200-megapixel phones, which are
#: legitimate evidence; 2**28 px (16384 × 16384) still stops a bogus header claiming billions.
#: Only Pillow's untouched default is raised; an application's own setting is respected.
PIXEL_LIMIT = 1 << 28
_PILLOW_DEFAULT_LIMIT = int(1024 * 1024 * 1024 // 4 // 3)
if Image.MAX_IMAGE_PIXELS == _PILLOW_DEFAULT_LIMIT:
    Image.MAX_IMAGE_PIXELS = PIXEL_LIMIT

#: a sidecar larger than this is not a caption
MAX_SIDECAR = 64 * 1024

EXIF_IFD = 0x8769
XP_TAGS = ((0x9C9C, "XPComment"), (0x9C9B, "XPTitle"), (0x9C9F, "XPSubject"))
#: the EXIF tags ``caption set`` writes together with the XMP (see ``_edited_after_caption_set``)
_WRITTEN_WITH_XMP = ("exif:XPComment", "exif:XPTitle", "exif:XPSubject", "exif:ImageDescription")
PNG_KEYS = ("Description", "Comment", "Title", "说明")
#: IPTC 1:90 value declaring UTF-8 (ESC % G)
_IPTC_UTF8 = b"\x1b%G"


class CaptionReadError(ArchiveError):
    """An image whose metadata cannot be read: empty, corrupt, truncated or absurdly large.

    ``reason`` is one of ``empty``, ``corrupt``, ``truncated``, ``too_large``, ``unreadable``,
    ``not_regular``.
    """

    def __init__(self, message: str, hint: str = "", reason: str = "corrupt",
                 problem: str = ""):
        super().__init__(message, hint)
        self.reason = reason
        #: what is wrong, without the file's name (for a report that names the file already)
        self.problem = problem or message


@dataclass(frozen=True)
class RawCaption:
    """A caption as found: the text and where it came from (e.g. ``xmp:dc:description``,
    ``exif:XPComment``, ``png:Description``, ``sidecar:IMG_1.jpg.txt``)."""

    text: str
    source: str
    #: the length of the text as found, when only its first MAX_CAPTION characters were kept
    length: int | None = None


def _raw(text: str, source: str) -> RawCaption:
    """A RawCaption of ``text`` kept to MAX_CAPTION characters (the parser reads no more)."""
    if len(text) <= MAX_CAPTION:
        return RawCaption(text, source)
    return RawCaption(text[:MAX_CAPTION], source, len(text))


@dataclass(frozen=True)
class ImageMetadata:
    """Both things a scan wants from a photo, read with one open."""

    caption: RawCaption | None
    exif_datetime: datetime | None
    #: what was left unread because of a limit, in words (FILE_OVER_LIMIT)
    limits: tuple[str, ...] = ()
    #: (width, height) as stored (None: a format Pillow cannot open here)
    pixels: tuple[int, int] | None = None


# ---- opening -------------------------------------------------------------------------------
def _error(path: Path, reason: str, detail: str = "") -> CaptionReadError:
    problems = {
        "empty": ("图片文件为空（0 字节）", "从原始来源重新复制该图片。"),
        "truncated": ("图片文件不完整（可能复制中断）", "从原始来源重新复制该图片。"),
        "too_large": (f"图片尺寸异常（{detail}），可能是损坏或恶意文件",
                      "用看图软件打开确认；如确为正常照片，请缩小尺寸后另存。"),
        "unreadable": (f"无法读取图片文件（{detail}）", "检查文件权限，或文件是否被其他程序占用。"),
        "not_regular": ("不是普通文件（可能是命名管道、设备或文件夹）", "archive-tool 只读取普通的图片文件。"),
    }
    problem, hint = problems.get(reason, (
        "图片文件已损坏或不是可识别的图片格式",
        "用看图软件打开确认；损坏的文件请从原始来源重新复制。"))
    return CaptionReadError(f"{problem}：{path.name}", hint, reason, problem)


def _is_isobmff(head: bytes) -> bool:
    """HEIC/HEIF/AVIF: Pillow needs a plugin for them; their captions are read from sidecars."""
    return head[4:8] == b"ftyp"


class _Image:
    """An opened image (pixels never decoded) and its metadata sources, computed on demand."""

    def __init__(self, path: Path):
        self.path = path
        self.img: ImageFile.ImageFile | None = None
        self.png: png.PngInfo | None = None
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):  # a named pipe would block the read forever
                raise _error(path, "not_regular")
            size = st.st_size
            with path.open("rb") as fp:
                head = fp.read(16)
        except OSError as exc:
            raise _error(path, "unreadable", os_reason(exc)) from exc
        if size == 0:
            raise _error(path, "empty")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's "corrupt data" warnings: not for users
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            try:
                self.img = Image.open(path)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise _error(path, "too_large", _pixels(str(exc))) from exc
            except UnidentifiedImageError as exc:
                if _is_isobmff(head):
                    return  # a format Pillow cannot open here: sidecars only
                raise _error(path, "corrupt") from exc
            except Exception as exc:  # noqa: BLE001 - Pillow's plugins raise many types
                raise _error(path, "corrupt") from exc
        try:
            self._check_complete(size)
        except OSError as exc:
            self.img.close()
            raise _error(path, "unreadable", os_reason(exc)) from exc
        except BaseException:
            self.img.close()
            raise

    def _check_complete(self, size: int) -> None:
        with self.path.open("rb") as fp:
            if self.img.format in ("JPEG", "MPO"):
                sos = jpeg.header_end(fp)
                if sos is None or not jpeg.is_complete(fp, sos, size):
                    raise _error(self.path, "truncated")
            elif self.img.format == "PNG":
                try:
                    self.png = png.read_info(fp)
                except png.PngFormatError as exc:
                    raise _error(self.path, "corrupt") from exc
                if not self.png.complete:
                    raise _error(self.path, "truncated")

    def close(self) -> None:
        if self.img is not None:
            self.img.close()

    # ---- sources ---------------------------------------------------------------------------
    @cached_property
    def xmp_packet(self) -> bytes | str | None:
        if self.img is None:
            return None
        if self.png is not None:
            return png.read_xmp(self.png)
        packet = self.img.info.get("xmp")
        return packet if isinstance(packet, (bytes, str)) else None

    @cached_property
    def exif(self) -> Image.Exif | None:
        if self.img is None:
            return None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if self.png is not None:  # PngImageFile.getexif() would decode the pixels
                    if not self.png.exif:
                        return None
                    exif = Image.Exif()
                    exif.load(self.png.exif)
                    return exif
                return self.img.getexif()
        except Exception:  # noqa: BLE001 - a corrupt EXIF block hides only the EXIF sources
            return None

    @cached_property
    def exif_ifd(self) -> dict:
        if self.exif is None:
            return {}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return self.exif.get_ifd(EXIF_IFD)
        except Exception:  # noqa: BLE001
            return {}

    def iptc_caption(self) -> str:
        if self.img is None:
            return ""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                info = IptcImagePlugin.getiptcinfo(self.img)
        except Exception:  # noqa: BLE001 - malformed IPTC blocks
            return ""
        if not info:
            return ""
        value = info.get((2, 120))
        if isinstance(value, list):
            value = b"\n".join(value)
        if not isinstance(value, bytes):
            return ""
        charset = info.get((1, 90))
        if isinstance(charset, bytes) and charset.startswith(_IPTC_UTF8):
            return value.decode("utf-8", "replace")
        return decode_narrow(value)

    def png_text(self, key: str) -> str:
        texts = self.png.texts if self.png is not None else ()
        for found, text in texts:
            if found.casefold() == key.casefold():
                return text
        return ""

    def _exif_texts(self) -> Iterator[tuple[str, str]]:
        """(source, text) of the XP* tags, ImageDescription and UserComment, in the order read."""
        if self.exif is None:
            return
        for tag, name in XP_TAGS:
            value = self.exif.get(tag)
            if isinstance(value, (bytes, tuple, list)):
                yield f"exif:{name}", decode_utf16le(value)
        value = self.exif.get(0x010E)
        if isinstance(value, (str, bytes)):
            yield "exif:ImageDescription", decode_narrow(tiff_ascii_bytes(value))
        value = self.exif_ifd.get(0x9286)
        if isinstance(value, (str, bytes)):
            yield "exif:UserComment", decode_user_comment(value, self.exif.endian or "<")

    def _edited_after_caption_set(self, description: str) -> tuple[str, str] | None:
        """A tag ``caption set`` wrote along with the XMP that now says something else, while the
        XMP is as it left it: the tag was edited later (Windows Explorer's 详细信息 writes only
        XPComment, XPTitle, XPSubject), so it is the newer caption."""
        if not description:
            return None
        mark = xmp.written_mark(self.xmp_packet)  # a second parse: only behind a description
        if mark is None or "exif" not in mark[1] or xmp.caption_digest(description) != mark[0]:
            return None
        for source, text in self._exif_texts():
            text = clean(text)
            if source in _WRITTEN_WITH_XMP and text and text != description.strip():
                return source, text
        return None

    def candidates(self) -> Iterator[tuple[str, str]]:
        """(source, text) in the documented order, each computed only when reached."""
        if self.xmp_packet:
            description = xmp.read_property(self.xmp_packet, "description")
            edited = self._edited_after_caption_set(description)
            if edited is not None:
                yield edited
            yield "xmp:dc:description", description
            yield "xmp:dc:title", xmp.read_property(self.xmp_packet, "title")
        yield from self._exif_texts()
        yield "iptc:Caption-Abstract", self.iptc_caption()
        for key in PNG_KEYS:
            yield f"png:{key}", self.png_text(key)

    def exif_datetime(self) -> datetime | None:
        if self.exif is None:
            return None
        for value in (self.exif_ifd.get(0x9003), self.exif.get(0x0132)):
            parsed = parse_exif_datetime(value)
            if parsed is not None:
                return parsed
        return None


def _pixels(message: str) -> str:
    match = re.search(r"\((\d+) pixels\)", message)
    return f"{int(match.group(1)):,} 像素" if match else "尺寸过大"


# ---- sidecars ------------------------------------------------------------------------------
def sidecar_paths(path: str | os.PathLike) -> list[Path]:
    """The caption sidecars that exist beside the image at ``path``, in the order they are
    tried (see :func:`match_sidecars`)."""
    path = Path(path)
    return [path.with_name(name) for name in match_sidecars(path.name, listing(path.parent).files)]


def _read_sidecars(path: Path, sidecars: Sequence[Path] | None = None) -> RawCaption | None:
    for sidecar in sidecar_paths(path) if sidecars is None else sidecars:
        try:
            if sidecar.is_symlink() or not sidecar.is_file() \
                    or sidecar.stat().st_size > MAX_SIDECAR:
                continue
            data = sidecar.read_bytes()
        except OSError:
            continue
        if sidecar.suffix.lower() == ".txt":
            text = clean(decode_text_file(data))
        else:
            text = clean(xmp.read_property(data, "description")
                         or xmp.read_property(data, "title"))
        if text:
            return _raw(text, f"sidecar:{sidecar.name}")
    return None


def read_sidecar_caption(path: str | os.PathLike,
                         sidecars: Sequence[str | os.PathLike] | None = None) -> RawCaption | None:
    """The caption in a sidecar beside ``path`` (an audio or video file takes them as a photo
    does), or None."""
    return _read_sidecars(Path(path), None if sidecars is None else [Path(p) for p in sidecars])


# ---- public --------------------------------------------------------------------------------
_EXIF_DT = re.compile(r"(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})"
                      r"(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")


def parse_exif_datetime(value) -> datetime | None:
    """``2018:03:05 10:20:30`` (and the variants cameras write) -> datetime; None for blanks
    such as ``0000:00:00 00:00:00``."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    match = _EXIF_DT.search(value)
    if not match:
        return None
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return datetime(*parts)
    except ValueError:
        return None


def read_metadata(path: str | os.PathLike,
                  sidecars: Sequence[str | os.PathLike] | None = None) -> ImageMetadata:
    """The caption (see :func:`read_caption`) and the camera date, with one open of the file.

    ``sidecars`` are the caption sidecars beside the image when the caller knows them (a scan
    has listed the folder); by default the folder is listed here."""
    path = Path(path)
    image = _Image(path)
    try:
        caption = None
        for source, text in image.candidates():
            text = clean(text)
            if text:
                caption = _raw(text, source)
                break
        taken = image.exif_datetime()
        skipped = image.png.skipped if image.png is not None else 0
        pixels = tuple(image.img.size) if image.img is not None else None
    finally:
        image.close()
    if caption is None:
        caption = _read_sidecars(path, None if sidecars is None else [Path(p) for p in sidecars])
    limits = (f"PNG 文本块超过 {png.MAX_TEXT_TOTAL // (1 << 20)} MB 的读取上限，"
              f"其后的 {skipped} 个文本块未读取",) if skipped else ()
    return ImageMetadata(caption, taken, limits, pixels)


def read_caption(path: str | os.PathLike,
                 sidecars: Sequence[str | os.PathLike] | None = None) -> RawCaption | None:
    """The first non-empty caption of the image at ``path`` (order in the module docstring), or
    None. Raises :class:`CaptionReadError` for an empty, corrupt, truncated or oversized image."""
    return read_metadata(path, sidecars).caption


def read_exif_datetime(path: str | os.PathLike) -> datetime | None:
    """EXIF DateTimeOriginal (Exif IFD), else DateTime (IFD0), or None. Raises
    :class:`CaptionReadError` like :func:`read_caption`."""
    image = _Image(Path(path))
    try:
        return image.exif_datetime()
    finally:
        image.close()
