"""Photo captions: read them from every place they hide, parse 时间/主办单位/主题, write them back
without re-encoding the image.

Modules: ``read`` (sources and their order), ``parse`` and ``dates`` (the three parts), ``write``
(JPEG/PNG/sidecar), and the format helpers ``jpeg``, ``png``, ``exif``, ``xmp``, ``text``.
"""
from __future__ import annotations

from ..evidence import Caption
from .dates import find_date, find_date_or_month, find_month, format_date, parse_date
from .parse import format_caption, parse_caption
from .read import (CaptionReadError, ImageMetadata, RawCaption, parse_exif_datetime,
                   read_caption, read_exif_datetime, read_metadata, read_sidecar_caption,
                   sidecar_paths)
from .sidecars import SIDECAR_EXTS, SidecarMatcher, match_sidecars, sidecar_names
from .write import (DATE_PLACEHOLDER, ORGANIZER_PLACEHOLDER, THEME_PLACEHOLDER, WriteResult,
                    parse_time, sidecar_for, write_caption)

#: where a caption was found, for people (keys are RawCaption.source without a sidecar's name)
SOURCE_LABELS = {
    "xmp:dc:description": "XMP 描述（dc:description）",
    "xmp:dc:title": "XMP 标题（dc:title）",
    "exif:XPComment": "Windows 详细信息·备注（XPComment）",
    "exif:XPTitle": "Windows 详细信息·标题（XPTitle）",
    "exif:XPSubject": "Windows 详细信息·主题（XPSubject）",
    "exif:ImageDescription": "EXIF 图像描述（ImageDescription）",
    "exif:UserComment": "EXIF 用户注释（UserComment）",
    "iptc:Caption-Abstract": "IPTC 说明（Caption-Abstract）",
    "png:Description": "PNG 文本（Description）",
    "png:Comment": "PNG 文本（Comment）",
    "png:Title": "PNG 文本（Title）",
    "png:说明": "PNG 文本（说明）",
    "media:title": "音视频标签·标题", "media:movie_name": "音视频标签·标题",
    "media:track_name": "音视频标签·标题", "media:comment": "音视频标签·备注",
    "media:description": "音视频标签·描述",
}


def source_label(source: str) -> str:
    """A RawCaption.source in words: ``exif:XPComment`` -> "Windows 详细信息·备注（XPComment）"."""
    if source.startswith("sidecar:"):
        return f"旁注文件 {source[len('sidecar:'):]}"
    return SOURCE_LABELS.get(source, source)


__all__ = [
    "DATE_PLACEHOLDER", "ORGANIZER_PLACEHOLDER", "SIDECAR_EXTS", "THEME_PLACEHOLDER", "Caption",
    "CaptionReadError", "ImageMetadata", "RawCaption", "SidecarMatcher", "WriteResult",
    "find_date", "find_date_or_month", "find_month", "format_caption", "format_date", "match_sidecars",
    "parse_caption", "parse_date", "parse_exif_datetime", "parse_time", "read_caption",
    "read_exif_datetime", "read_metadata", "read_sidecar_caption", "sidecar_for", "sidecar_names", "sidecar_paths",
    "source_label", "write_caption",
]
