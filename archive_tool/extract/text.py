"""Plain text files (.txt, .md, .csv) in the encodings Chinese Windows users produce."""
from __future__ import annotations

import codecs
from pathlib import Path

from .count import count_chars
from ..errors import UnreadableFile
from .model import Extracted

#: read at most this many bytes of a text file (a huge CSV export is not a report)
MAX_BYTES = 8 * 1024 * 1024

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, complete: bool = True) -> tuple[str, str]:
    """Bytes -> (text, encoding): a BOM wins (UTF-8, UTF-16); else UTF-8, else GB18030; never
    raises (odd bytes become U+FFFD).

    ``complete=False`` means the bytes were cut from a longer file: an incomplete character at
    the end is dropped instead of failing the strict decoders.
    """
    candidates = [enc for bom, enc in _BOMS if data.startswith(bom)][:1] or ["utf-8", "gb18030"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            return decoder.decode(data, final=complete), encoding
        except UnicodeDecodeError:
            continue
    # odd bytes: the reading that needs the fewest replacement characters
    readings = [(codecs.getincrementaldecoder(enc)("replace").decode(data, final=True), enc)
                for enc in candidates]
    return min(readings, key=lambda reading: reading[0].count("\ufffd"))


def read_text(path: Path) -> Extracted:
    """Extract a text file; raises :class:`UnreadableFile` only for a 0-byte file."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if not data:
        raise UnreadableFile(path, "empty")
    complete = len(data) <= MAX_BYTES
    text, _ = decode(data[:MAX_BYTES], complete)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    limits = () if complete else (
        f"文本文件超过 {MAX_BYTES // (1024 * 1024)} MB，只读取了前 {MAX_BYTES // (1024 * 1024)} MB",)
    return Extracted(text=text, char_count=count_chars(text), has_text_layer=bool(text),
                     limits=limits)
