"""PNG at the chunk level: read text chunks without decoding pixels, replace them with correct CRCs.

Pillow only sees text chunks placed before IDAT unless it decodes the image, so the chunks are
walked here, seeking over IDAT. Writing copies every chunk verbatim except the replaced text
chunks; new iTXt chunks go right before the first IDAT.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from .text import decode_narrow

SIGNATURE = b"\x89PNG\r\n\x1a\n"
XMP_KEY = "XML:com.adobe.xmp"
TEXT_TYPES = (b"tEXt", b"zTXt", b"iTXt")
#: compressed text is inflated up to this size (a text chunk is not a place for megabytes)
MAX_TEXT = 1 << 20
#: the text chunks of one file are read up to this many bytes in all (stored and inflated; each
#: chunk counts at least TEXT_CHUNK_COST): a file holding thousands of compressed chunks costs
#: neither minutes nor gigabytes. The chunks after that are skipped, and PngInfo says so.
MAX_TEXT_TOTAL = 2 << 20
TEXT_CHUNK_COST = 256


class PngFormatError(ValueError):
    """The bytes are not a PNG whose chunks can be walked."""


@dataclass(frozen=True)
class PngInfo:
    """What the chunk walk found: text chunks in file order, the eXIf block, completeness."""

    texts: tuple[tuple[str, str], ...]
    exif: bytes | None
    complete: bool
    #: text chunks left unread because the file's text budget (MAX_TEXT_TOTAL) was spent
    skipped: int = 0


def is_png(head: bytes) -> bool:
    return head.startswith(SIGNATURE)


def _inflate(data: bytes, limit: int = MAX_TEXT) -> bytes:
    return zlib.decompressobj().decompress(data, max(1, min(limit, MAX_TEXT)))


def _keyword(raw: bytes) -> str:
    # keywords are Latin-1 by the specification; Chinese software writes UTF-8 ("说明")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def decode_text_chunk(ctype: bytes, data: bytes, limit: int = MAX_TEXT
                      ) -> tuple[str, str] | None:
    """(keyword, text) of a tEXt, zTXt or iTXt chunk, or None when it is malformed; compressed
    text is inflated up to ``limit`` bytes."""
    key_raw, sep, rest = data.partition(b"\x00")
    if not sep:
        return None
    key = _keyword(key_raw)
    try:
        if ctype == b"tEXt":
            return key, decode_narrow(rest)
        if ctype == b"zTXt":
            return key, decode_narrow(_inflate(rest[1:], limit))
        # iTXt: compression flag, method, language\0, translated keyword\0, UTF-8 text
        flag = rest[0]
        _lang, _, rest = rest[2:].partition(b"\x00")
        _translated, _, text = rest.partition(b"\x00")
        if flag:
            text = _inflate(text, limit)
        return key, text.decode("utf-8", "replace")
    except (IndexError, zlib.error):
        return None


def read_info(fp: BinaryIO) -> PngInfo:
    """Walk the chunks of an open PNG file; IDAT data is skipped, never read. Text chunks are
    read within the file's budget (MAX_TEXT_TOTAL), the rest skipped and counted."""
    size = fp.seek(0, 2)
    fp.seek(0)
    if fp.read(8) != SIGNATURE:
        raise PngFormatError("no PNG signature")
    texts: list[tuple[str, str]] = []
    exif = None
    budget, skipped = MAX_TEXT_TOTAL, 0
    while True:
        head = fp.read(8)
        if len(head) < 8:
            return PngInfo(tuple(texts), exif, False, skipped)
        length, ctype = struct.unpack(">I4s", head)
        wanted = ctype == b"eXIf" and exif is None and length <= 16 * MAX_TEXT
        if ctype in TEXT_TYPES and length < budget:
            wanted = True
        elif ctype in TEXT_TYPES:
            skipped += 1
        if wanted:
            data = fp.read(length)
            if len(data) < length:
                return PngInfo(tuple(texts), exif, False, skipped)
            fp.seek(4, 1)
            if ctype == b"eXIf":
                exif = data
            else:
                budget -= max(length, TEXT_CHUNK_COST)
                got = decode_text_chunk(ctype, data, budget)
                if got is not None:
                    texts.append(got)
                    budget -= len(got[1]) if ctype != b"tEXt" else 0
        else:
            here = fp.tell()
            if here + length + 4 > size:
                return PngInfo(tuple(texts), exif, False, skipped)
            fp.seek(here + length + 4)
        if ctype == b"IEND":
            return PngInfo(tuple(texts), exif, True, skipped)


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Every chunk as (type, the whole chunk's bytes), up to and including IEND."""
    if not data.startswith(SIGNATURE):
        raise PngFormatError("no PNG signature")
    out = []
    pos = len(SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise PngFormatError("file ends inside a chunk header")
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise PngFormatError(f"chunk {ctype!r} runs past the end of the file")
        out.append((ctype, data[pos:end]))
        pos = end
        if ctype == b"IEND":
            return out


def make_chunk(ctype: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + ctype + data
            + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF))


def itxt(keyword: str, text: str) -> bytes:
    """An uncompressed iTXt chunk (no language tag) holding UTF-8 text."""
    return make_chunk(b"iTXt", keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00"
                      + text.encode("utf-8"))


def text_keyword(chunk: bytes) -> str | None:
    """The keyword of a whole text chunk's bytes."""
    return _keyword(chunk[8:-4].partition(b"\x00")[0])


def replace_texts(data: bytes, new: dict[str, str]) -> bytes:
    """``data`` with every text chunk keyed by one of ``new``'s keys removed and one iTXt per key
    inserted before the first IDAT. All other chunks, and anything after IEND, are kept verbatim."""
    all_chunks = chunks(data)
    kept = [(ctype, raw) for ctype, raw in all_chunks
            if not (ctype in TEXT_TYPES and text_keyword(raw) in new)]
    at = next((i for i, (ctype, _) in enumerate(kept) if ctype == b"IDAT"), None)
    if at is None:
        raise PngFormatError("no IDAT chunk")
    inserted = [itxt(key, value) for key, value in new.items()]
    body = [raw for _, raw in kept[:at]] + inserted + [raw for _, raw in kept[at:]]
    tail = data[len(SIGNATURE) + sum(len(raw) for _, raw in all_chunks):]
    return SIGNATURE + b"".join(body) + tail


def read_xmp(info: PngInfo) -> str | None:
    for key, text in info.texts:
        if key == XMP_KEY:
            return text
    return None
