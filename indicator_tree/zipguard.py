"""How big a zip file (.docx, .xlsx) says it is, read from its end before it is opened.

``zipfile.ZipFile`` reads the whole central directory into memory at once: a docx of a million
members costs half a gigabyte before anything can refuse it. The end-of-central-directory record
(and its ZIP64 form) says how many members there are and how large the directory is, in the
last few kilobytes of the file; :func:`zip_problem` reads just that.
"""
from __future__ import annotations

import os
import struct

#: a docx holds tens of members, a few hundred with many images; an xlsx a few per sheet
MAX_MEMBERS = 20_000
#: the central directory of MAX_MEMBERS members with long names fits well in this
MAX_DIRECTORY = 16 * 1024 * 1024

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_TAIL = 22 + 65535 + 20


def zip_size(path: str | os.PathLike) -> tuple[int, int] | None:
    """(members, central directory bytes) as the file's end says, or None when the end is not
    a zip's (zipfile then gives its own error)."""
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        start = max(0, size - _TAIL)
        fh.seek(start)
        tail = fh.read()
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < 22:
            return None
        members, directory = struct.unpack("<HI", tail[at + 10:at + 16])
        if members != 0xFFFF and directory != 0xFFFFFFFF:
            return members, directory
        locator = tail[at - 20:at] if at >= 20 else b""
        if not locator.startswith(_ZIP64_LOCATOR):
            return members, directory
        (offset,) = struct.unpack("<Q", locator[8:16])
        fh.seek(offset)
        record = fh.read(56)
    if len(record) < 56 or not record.startswith(_ZIP64_EOCD):
        return None
    members, directory = struct.unpack("<QQ", record[32:48])
    return members, directory


def zip_problem(path: str | os.PathLike, max_members: int = MAX_MEMBERS) -> str | None:
    """What is wrong with the size of the zip at ``path`` ("压缩包内有 1000000 个成员（上限
    20000）"), or None when it is within the limits (or not a zip at all)."""
    found = zip_size(path)
    if found is None:
        return None
    members, directory = found
    if members > max_members:
        return f"压缩包内有 {members} 个成员（上限 {max_members}）"
    if directory > MAX_DIRECTORY:
        return (f"压缩包的目录有 {directory // (1024 * 1024)} MB"
                f"（上限 {MAX_DIRECTORY // (1024 * 1024)} MB）")
    return None
