"""JPEG at the segment level: find the metadata segments, replace them, copy the rest verbatim.

A JPEG is SOI, a run of marker segments (APPn, COM, DQT, SOF, DHT, …) and, from SOS on, the
entropy-coded image data up to EOI (and whatever a phone appends after it). Captions live in APP1
segments, so a caption is written by rebuilding only the segment list before SOS and copying every
byte from SOS to the end of the file unchanged: the image is never re-encoded.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

SOI = b"\xff\xd8"
EOI = b"\xff\xd9"
EXIF_SIGNATURE = b"Exif\x00\x00"
XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
#: a segment's length field counts itself: at most 65535, so the payload is at most 65533 bytes
MAX_PAYLOAD = 65533

APP0, APP1, APP13, SOS = 0xE0, 0xE1, 0xED, 0xDA
#: the "marker" of bytes found between segments
JUNK = 0x00
#: markers without a length field
_STANDALONE = {0x01, *range(0xD0, 0xD8)}


class JpegFormatError(ValueError):
    """The bytes are not a JPEG whose header can be walked."""


@dataclass(frozen=True)
class Segment:
    """One marker segment before SOS: the marker byte and the whole segment's bytes."""

    marker: int
    raw: bytes
    #: where the payload starts in ``raw`` (after FF, fill bytes, the marker and the length)
    skip: int = 4

    @property
    def payload(self) -> bytes:
        return self.raw[self.skip:]

    @property
    def is_exif(self) -> bool:
        return self.marker == APP1 and self.payload.startswith(b"Exif\x00")

    @property
    def is_xmp(self) -> bool:
        return self.marker == APP1 and self.payload.startswith(XMP_SIGNATURE)


def is_jpeg(head: bytes) -> bool:
    return head[:3] == b"\xff\xd8\xff"


def split(data: bytes) -> tuple[list[Segment], int]:
    """The segments between SOI and SOS, and the offset of the SOS marker.

    Raises JpegFormatError for a file that is not a JPEG or ends before SOS.
    """
    if not data.startswith(SOI):
        raise JpegFormatError("no SOI marker")
    segments: list[Segment] = []
    pos = 2
    size = len(data)
    while True:
        if pos >= size:
            raise JpegFormatError("file ends before SOS")
        if data[pos] != 0xFF:
            # junk between segments (Pillow skips it too): kept verbatim as a pseudo-segment
            end = data.find(b"\xff", pos)
            end = size if end < 0 else end
            segments.append(Segment(JUNK, data[pos:end], end - pos))
            pos = end
            continue
        start = pos
        while pos < size and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= size:
            raise JpegFormatError("file ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == SOS:
            return segments, start
        if marker in _STANDALONE:
            segments.append(Segment(marker, data[start:pos], pos - start))
            continue
        if marker in (0xD8, 0xD9):
            raise JpegFormatError(f"unexpected marker FF{marker:02X} before SOS")
        if pos + 2 > size:
            raise JpegFormatError("file ends inside a segment length")
        (length,) = struct.unpack(">H", data[pos:pos + 2])
        if length < 2 or pos + length > size:
            raise JpegFormatError(f"segment FF{marker:02X} at {start} runs past the end")
        skip = pos + 2 - start
        pos += length
        segments.append(Segment(marker, data[start:pos], skip))


def make_segment(marker: int, payload: bytes) -> Segment:
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"segment payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    return Segment(marker, b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2)
                   + payload)


def exif_payload(segments: list[Segment]) -> bytes | None:
    """The TIFF block of the first EXIF APP1 (without the ``Exif\\0\\0`` signature)."""
    for seg in segments:
        if seg.is_exif:
            return seg.payload[6:]
    return None


def xmp_payload(segments: list[Segment]) -> bytes | None:
    """The packet of the first standard XMP APP1 (extended XMP segments are not this)."""
    for seg in segments:
        if seg.is_xmp:
            return seg.payload[len(XMP_SIGNATURE):]
    return None


def replace_metadata(data: bytes, tiff: bytes | None, xmp_packet: bytes,
                     payloads: dict[int, bytes] | None = None) -> bytes:
    """``data`` with its EXIF APP1 replaced by ``tiff`` (kept as is when None) and its XMP APP1
    replaced by ``xmp_packet``, and the segments numbered in ``payloads`` (indexes into
    :func:`split`'s list) given new payloads; every other segment is kept in order and every byte
    from SOS on is copied verbatim.

    New segments take the place of the ones they replace; a segment that did not exist goes after
    the leading APP0 segments (JFIF/JFXX must stay first), EXIF before XMP.
    """
    segments, sos = split(data)
    new_exif = make_segment(APP1, EXIF_SIGNATURE + tiff) if tiff is not None else None
    new_xmp = make_segment(APP1, XMP_SIGNATURE + xmp_packet)
    out: list[Segment] = []
    exif_done = xmp_done = False
    for index, seg in enumerate(segments):
        if payloads and index in payloads:
            seg = make_segment(seg.marker, payloads[index])
        if seg.is_exif and new_exif is not None:
            if not exif_done:
                out.append(new_exif)
                exif_done = True
            continue  # a second EXIF APP1 is dropped: readers would see a stale caption
        if seg.is_xmp:
            if not xmp_done:
                out.append(new_xmp)
                xmp_done = True
            continue
        out.append(seg)
    insert_at = 0
    while insert_at < len(out) and out[insert_at].marker == APP0:
        insert_at += 1
    if new_exif is not None and not exif_done:
        out.insert(insert_at, new_exif)
        exif_done = True
    if not xmp_done:
        # right after the EXIF APP1 when there is one, else after the APP0s
        pos = next((i + 1 for i, seg in enumerate(out) if seg.is_exif), insert_at)
        out.insert(pos, new_xmp)
    return SOI + b"".join(seg.raw for seg in out) + data[sos:]


def is_complete(fp: BinaryIO, sos: int, size: int) -> bool:
    """True when an EOI marker follows the SOS at ``sos``: a file cut short while copying has none.

    Entropy-coded data stuffs every FF with 00, so FF D9 there is the real EOI; phones that append
    data after EOI (motion photos) are complete too. The tail is checked first, then the whole scan.
    """
    fp.seek(max(sos, size - 2))
    if fp.read(2) == EOI:
        return True
    fp.seek(sos)
    chunk_size = 1 << 20
    carry = b""
    while True:
        chunk = fp.read(chunk_size)
        if not chunk:
            return False
        if EOI in carry + chunk:
            return True
        carry = chunk[-1:]


def header_end(fp: BinaryIO) -> int | None:
    """The offset of SOS, walking only the segment headers (reads a few bytes per segment)."""
    fp.seek(0)
    if fp.read(2) != SOI:
        return None
    pos = 2
    while True:
        fp.seek(pos)
        head = fp.read(2)
        if len(head) < 2:
            return None
        if head[0] != 0xFF:  # junk between segments: on to the next FF
            fp.seek(pos)
            chunk = fp.read(1 << 16)
            skip = chunk.find(b"\xff")
            if skip < 0 and len(chunk) < 1 << 16:
                return None
            pos += skip if skip > 0 else len(chunk)
            continue
        marker = head[1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == SOS:
            return pos
        if marker in _STANDALONE:
            pos += 2
            continue
        raw = fp.read(2)
        if len(raw) < 2:
            return None
        (length,) = struct.unpack(">H", raw)
        if length < 2:
            return None
        pos += 2 + length
