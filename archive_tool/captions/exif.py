"""Set tags in IFD0 of an EXIF (TIFF) block without moving anything else.

``PIL.Image.Exif.tobytes()`` rebuilds the whole block: it keeps IFD0, the Exif and GPS sub-IFDs,
but drops IFD1 (the embedded thumbnail Windows Explorer shows) and moves the MakerNote, whose
internal offsets then point at the wrong bytes. So the block is edited instead: the old bytes stay
where they are, a new IFD0 (the old entries plus the new ones, sorted by tag) is appended with its
values, and the header's IFD0 offset is pointed at it. Every offset held by any other entry stays
valid. When the old IFD0 is one this module appended (it sits at the tail with only the values of
replaced tags after it), it is cut off first, so repeated writes do not grow the block.
"""
from __future__ import annotations

import struct

BYTE, ASCII = 1, 2
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8,
               13: 4}

IMAGE_DESCRIPTION = 0x010E
XP_TITLE = 0x9C9B
XP_COMMENT = 0x9C9C
XP_SUBJECT = 0x9C9F

#: an empty little-endian TIFF block: header and an IFD0 without entries
EMPTY_TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00\x00" + b"\x00\x00\x00\x00"


class ExifFormatError(ValueError):
    """The TIFF block's header or IFD0 cannot be walked."""


def xp_value(text: str) -> tuple[int, bytes]:
    """A Windows XP* tag value: UTF-16LE plus a terminating NUL character, type BYTE."""
    return BYTE, text.encode("utf-16-le") + b"\x00\x00"


def ascii_value(text: str) -> tuple[int, bytes]:
    """An ASCII-typed tag holding UTF-8 (what Chinese captions need), NUL-terminated."""
    return ASCII, text.encode("utf-8") + b"\x00"


def _header(tiff: bytes) -> tuple[str, int]:
    if len(tiff) < 8:
        raise ExifFormatError("TIFF header too short")
    order = tiff[:2]
    if order == b"II":
        endian = "<"
    elif order == b"MM":
        endian = ">"
    else:
        raise ExifFormatError("bad byte order mark")
    magic, offset = struct.unpack(endian + "HI", tiff[2:8])
    if magic != 42:
        raise ExifFormatError("not a classic TIFF block")
    return endian, offset


Entry = tuple[int, int, int, bytes]


def _entries(tiff: bytes, endian: str, offset: int) -> tuple[list[Entry], int]:
    """IFD0's entries as (tag, type, count, 4 value/offset bytes) and the next-IFD offset."""
    if offset < 8 or offset + 2 > len(tiff):
        raise ExifFormatError("IFD0 offset outside the block")
    (count,) = struct.unpack(endian + "H", tiff[offset:offset + 2])
    end = offset + 2 + 12 * count
    if end + 4 > len(tiff):
        raise ExifFormatError("IFD0 runs past the block")
    entries = []
    for i in range(count):
        pos = offset + 2 + 12 * i
        tag, typ, n = struct.unpack(endian + "HHI", tiff[pos:pos + 8])
        entries.append((tag, typ, n, tiff[pos + 8:pos + 12]))
    (next_ifd,) = struct.unpack(endian + "I", tiff[end:end + 4])
    return entries, next_ifd


def _value_range(endian: str, typ: int, n: int, raw: bytes) -> tuple[int, int] | None:
    """Where an entry's value lives when it does not fit in the entry itself."""
    size = _TYPE_SIZES.get(typ, 1) * n
    if size <= 4:
        return None
    (where,) = struct.unpack(endian + "I", raw)
    return where, where + size


def _reclaimable(tiff: bytes, endian: str, offset: int, entries, next_ifd: int,
                 replaced: set[int]) -> bool:
    """True when the old IFD0 and nothing but the values of replaced tags fill the block's tail."""
    end = offset + 2 + 12 * len(entries) + 4
    for tag, typ, n, raw in entries:
        rng = _value_range(endian, typ, n, raw)
        inline = struct.unpack(endian + "I", raw)[0] if typ in (4, 13) and n == 1 else 0
        if tag in replaced:
            if rng is None:
                continue
            if rng[0] < offset:
                return False  # a replaced value in the original area: not our layout
            end = max(end, rng[1] + (rng[1] & 1))
        elif (rng is not None and rng[1] > offset) or inline >= offset:
            return False  # a kept entry (or a sub-IFD pointer) reaches into the tail
    return next_ifd < offset and end >= len(tiff)


def set_ifd0_tags(tiff: bytes | None, tags: dict[int, tuple[int, bytes]]) -> bytes:
    """``tiff`` (or an empty block) with ``tags`` ({tag: (type, value bytes)}) set in IFD0.

    Raises ExifFormatError when the existing block cannot be walked safely.
    """
    if not tiff:
        tiff = EMPTY_TIFF
    endian, offset = _header(tiff)
    entries, next_ifd = _entries(tiff, endian, offset)
    if _reclaimable(tiff, endian, offset, entries, next_ifd, set(tags)):
        tiff = tiff[:offset]
    kept = [e for e in entries if e[0] not in tags]
    body = bytearray(tiff)
    if len(body) % 2:
        body += b"\x00"
    new_offset = len(body)
    count = len(kept) + len(tags)
    value_pos = new_offset + 2 + 12 * count + 4
    values = bytearray()
    new_entries = list(kept)
    for tag, (typ, value) in tags.items():
        n = len(value) // _TYPE_SIZES[typ]
        if len(value) <= 4:
            new_entries.append((tag, typ, n, value.ljust(4, b"\x00")))
        else:
            new_entries.append((tag, typ, n, struct.pack(endian + "I", value_pos + len(values))))
            values += value
            if len(values) % 2:
                values += b"\x00"
    new_entries.sort(key=lambda e: e[0])
    ifd = bytearray(struct.pack(endian + "H", count))
    for tag, typ, n, raw in new_entries:
        ifd += struct.pack(endian + "HHI", tag, typ, n) + raw
    ifd += struct.pack(endian + "I", next_ifd)
    body += ifd + values
    body[4:8] = struct.pack(endian + "I", new_offset)
    return bytes(body)
