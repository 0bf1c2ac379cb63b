"""IPTC Caption-Abstract (2:120) inside a JPEG's APP13 "Photoshop 3.0" segment.

``caption set`` does not add IPTC, but an old Caption-Abstract left beside the new XMP caption
would show in programs that read IPTC first. So the dataset is replaced when the block declares
UTF-8 (1:90 ``ESC % G``) and the text fits the 2,000 bytes the standard allows, and removed
otherwise (writing UTF-8 into a block of another character set would garble it). Every other
resource and dataset is kept byte for byte; the IPTC digest resource (0x0425), which would no
longer match, is dropped.
"""
from __future__ import annotations

import struct

SIGNATURE = b"Photoshop 3.0\x00"
IPTC_RESOURCE = 0x0404
DIGEST_RESOURCE = 0x0425
CAPTION = (2, 120)
CHARSET = (1, 90)
UTF8 = b"\x1b%G"
MAX_CAPTION = 2000


class IptcFormatError(ValueError):
    """The Photoshop resource block or its IPTC datasets cannot be walked safely."""


def _resources(block: bytes) -> list[tuple[int, bytes, bytes]]:
    """(id, name field bytes, data) of every 8BIM resource."""
    out = []
    pos = 0
    while pos < len(block):
        if block[pos:pos + 4] != b"8BIM" or pos + 7 > len(block):
            raise IptcFormatError("not an 8BIM resource")
        (rid,) = struct.unpack(">H", block[pos + 4:pos + 6])
        name_len = block[pos + 6]
        name_end = pos + 7 + name_len
        name_end += (name_end - pos - 6) % 2  # the Pascal name is padded to an even length
        if name_end + 4 > len(block):
            raise IptcFormatError("resource header runs past the block")
        (size,) = struct.unpack(">I", block[name_end:name_end + 4])
        start = name_end + 4
        if start + size > len(block):
            raise IptcFormatError("resource data runs past the block")
        out.append((rid, block[pos + 6:name_end], block[start:start + size]))
        pos = start + size + (size % 2)
    return out


def _pack_resource(rid: int, name: bytes, data: bytes) -> bytes:
    return (b"8BIM" + struct.pack(">H", rid) + name + struct.pack(">I", len(data)) + data
            + (b"\x00" if len(data) % 2 else b""))


def _datasets(data: bytes) -> list[tuple[int, int, bytes]]:
    """(record, dataset, raw bytes of the whole dataset) of every IPTC dataset."""
    out = []
    pos = 0
    while pos < len(data):
        if data[pos] != 0x1C:
            if not data[pos:].strip(b"\x00"):
                break  # padding at the end
            raise IptcFormatError("not an IPTC dataset")
        if pos + 5 > len(data):
            raise IptcFormatError("dataset header runs past the data")
        record, number = data[pos + 1], data[pos + 2]
        (size,) = struct.unpack(">H", data[pos + 3:pos + 5])
        head = 5
        if size & 0x8000:  # extended dataset: the size is in the next (size & 0x7FFF) bytes
            count = size & 0x7FFF
            if count > 4 or pos + 5 + count > len(data):
                raise IptcFormatError("bad extended dataset size")
            size = int.from_bytes(data[pos + 5:pos + 5 + count], "big")
            head += count
        end = pos + head + size
        if end > len(data):
            raise IptcFormatError("dataset runs past the data")
        out.append((record, number, data[pos:end]))
        pos = end
    return out


def _dataset(record: int, number: int, value: bytes) -> bytes:
    return bytes([0x1C, record, number]) + struct.pack(">H", len(value)) + value


def _new_iptc(data: bytes, text: str) -> bytes:
    datasets = _datasets(data)
    charset = next((raw[5:] for rec, num, raw in datasets if (rec, num) == CHARSET), b"")
    value = text.encode("utf-8")
    replace = charset.startswith(UTF8) and len(value) <= MAX_CAPTION
    out: list[bytes] = []
    placed = False
    for rec, num, raw in datasets:
        if (rec, num) == CAPTION:
            if replace and not placed:
                out.append(_dataset(*CAPTION, value))
                placed = True
            continue
        if replace and not placed and rec > CAPTION[0]:
            out.append(_dataset(*CAPTION, value))
            placed = True
        out.append(raw)
    return b"".join(out)


def update_caption(payload: bytes, text: str) -> bytes | None:
    """The APP13 ``payload`` with its Caption-Abstract replaced by ``text`` (UTF-8 blocks) or
    removed (others), or None when there is no Caption-Abstract to change. Raises
    IptcFormatError for a block that cannot be walked."""
    if not payload.startswith(SIGNATURE):
        return None
    resources = _resources(payload[len(SIGNATURE):])
    iptc = [(i, data) for i, (rid, _, data) in enumerate(resources) if rid == IPTC_RESOURCE]
    if not any((rec, num) == CAPTION for _, data in iptc for rec, num, _ in _datasets(data)):
        return None
    out = []
    for rid, name, data in resources:
        if rid == DIGEST_RESOURCE:
            continue
        if rid == IPTC_RESOURCE:
            data = _new_iptc(data, text)
        out.append(_pack_resource(rid, name, data))
    return SIGNATURE + b"".join(out)
