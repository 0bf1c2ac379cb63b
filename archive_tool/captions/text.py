"""Decoding the bytes that hold captions: UTF-8, GB18030, UTF-16 and the EXIF charset prefix.

Chinese Windows software writes the system code page (GBK) where the specifications say ASCII or
Latin-1, so every "narrow" text is tried as UTF-8 first and GB18030 second.
"""
from __future__ import annotations

import codecs

#: texts cameras and phones put into ImageDescription / UserComment by default: not a caption
PLACEHOLDERS = frozenset(s.casefold() for s in (
    "OLYMPUS DIGITAL CAMERA", "SONY DSC", "DIGITAL CAMERA", "KONICA MINOLTA DIGITAL CAMERA",
    "MINOLTA DIGITAL CAMERA", "Exif_JPEG_PICTURE", "Exif JPEG", "default", "camera", "image",
    "Picture", "LEICA", "SAMSUNG", "Samsung Digital Camera", "SONY", "DCIM", "Screenshot",
    "untitled", "JPEG", "photo", "user comments", "Created with GIMP",
))

#: characters stripped from both ends of any caption text
_STRIP = " \t\r\n\x00\u3000\ufeff"


def clean(text: str) -> str:
    """Strip NULs and white space; empty for the camera placeholders above."""
    text = text.strip(_STRIP)
    if text.casefold() in PLACEHOLDERS:
        return ""
    return text


def decode_narrow(data: bytes) -> str:
    """Bytes in an unknown 8-bit encoding: UTF-8 (BOM or not), then GB18030, else UTF-8 with
    replacement characters."""
    data = data.rstrip(b"\x00")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def decode_text_file(data: bytes) -> str:
    """A sidecar .txt: UTF-16 with a BOM (Windows Notepad's "Unicode"), UTF-8 with or without a
    BOM, then GB18030 (Notepad's "ANSI" on Chinese Windows)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    return decode_narrow(data)


def decode_utf16le(value: bytes | tuple | list) -> str:
    """A Windows XP* tag: UTF-16LE bytes (Pillow may give a tuple of ints), trailing NULs."""
    data = bytes(value) if not isinstance(value, bytes) else value
    if len(data) % 2:
        data = data[:-1]
    return data.decode("utf-16-le", "replace").rstrip("\x00")


def _plausible(text: str) -> int:
    """How many characters look like real text (ASCII printable, CJK, CJK punctuation)."""
    good = 0
    for ch in text:
        code = ord(ch)
        if 0x20 <= code < 0x7F or 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F \
                or 0xFF00 <= code <= 0xFFEF or ch in "\r\n\t":
            good += 1
    return good


def decode_user_comment(value: bytes | str, byte_order: str = "<") -> str:
    """EXIF UserComment: an 8-byte charset prefix, then the text.

    ``UNICODE\\0`` should follow the TIFF byte order, but many Windows programs write UTF-16LE into
    big-endian files, so both orders are tried and the more plausible text wins.
    """
    if isinstance(value, str):
        value = value.encode("latin-1", "replace")
    prefix, body = value[:8], value[8:]
    if prefix == b"UNICODE\x00":
        if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return body.decode("utf-16", "replace").rstrip("\x00")
        if len(body) % 2:
            body = body[:-1]
        first, second = ("utf-16-be", "utf-16-le") if byte_order == ">" else (
            "utf-16-le", "utf-16-be")
        a = body.decode(first, "replace").rstrip("\x00")
        b = body.decode(second, "replace").rstrip("\x00")
        return a if _plausible(a) >= _plausible(b) else b
    if prefix == b"JIS\x00\x00\x00\x00\x00":
        for encoding in ("iso2022_jp", "euc_jp", "shift_jis"):
            try:
                return body.decode(encoding).rstrip("\x00")
            except UnicodeDecodeError:
                continue
        return decode_narrow(body)
    if prefix in (b"ASCII\x00\x00\x00", b"\x00" * 8):
        return decode_narrow(body)
    # no (known) prefix: some programs write the bare text
    return decode_narrow(value)


def tiff_ascii_bytes(value: str | bytes) -> bytes:
    """Pillow decodes TIFF ASCII tags as Latin-1: get the original bytes back."""
    if isinstance(value, bytes):
        return value
    return value.encode("latin-1", "replace")
