"""File names ``NN：主题.ext``: parse and format. Pure functions, no disk access.

The canonical form is a two-digit sequence number, a full-width colon and the theme. Names are
NFKC-folded before parsing, so full-width digits (０３) and an ASCII colon are understood; the
fixes lint proposes are always the canonical form. The ASCII colon is legal only on Linux: Windows
and SMB shares reject it and macOS Finder shows it as a slash.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

FULL_COLON = "："
_DIGIT = r"[0-9０-９]"
_NAME_RE = re.compile(r"^\s*(" + _DIGIT + r"{1,3})\s*([:：﹕])\s*(.*?)\s*$")
#: a number followed by another separator people use instead of the colon
_LOOSE_RE = re.compile(r"^\s*(" + _DIGIT + r"{1,3})\s*(?:[、.．\-_—－]+|\s+)\s*(.+?)\s*$")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: characters Windows refuses in a file name, mapped to their full-width forms
_WINDOWS_ILLEGAL = str.maketrans({
    "\\": "＼", "/": "／", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞",
    "|": "｜",
})
#: the longest file name the file systems an archive lives on take: 255 bytes of UTF-8 (ext4,
#: most Linux file systems), 255 UTF-16 units (NTFS, SMB shares)
NAME_MAX_BYTES = 255
#: what Python makes of a byte that is not UTF-8 in a file name (PEP 383 surrogate escapes)
_ESCAPED = re.compile("[\udc80-\udcff]")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}


def width(text: str) -> int:
    """Length as Windows counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def safe_component(text: str) -> str:
    """A file or folder name Windows accepts: illegal characters become full-width ones,
    control characters and repeated spaces collapse, trailing dots and spaces go, and reserved
    device names (CON, NUL, COM1 …) get a leading underscore."""
    text = unicodedata.normalize("NFC", text).translate(_WINDOWS_ILLEGAL)
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip().rstrip(". ")
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text or "_"


def undecodable(path: str) -> bool:
    """True when a name or path holds bytes that are not UTF-8 (what a zip made on a Chinese
    Windows machine leaves when it is extracted on Linux or a Samba share)."""
    return bool(_ESCAPED.search(path))


def shown(path: str) -> str:
    """``path`` as it can be printed and stored: each byte that is not UTF-8 written ``\\xff``
    (a name that is valid UTF-8 is returned as it is)."""
    if not undecodable(path):
        return path
    return _ESCAPED.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", path)


def decoded_name(name: str) -> str | None:
    """The name an undecodable ``name`` has when its bytes are read as GB18030 (the encoding of
    Chinese Windows), or None when they are not GB18030 either."""
    raw = name.encode("utf-8", "surrogateescape")
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() and "/" not in text else None


def fits(name: str) -> bool:
    """True when the file system can hold a file of this name (see :data:`NAME_MAX_BYTES`)."""
    return (len(name.encode("utf-8", "surrogateescape")) <= NAME_MAX_BYTES
            and width(name) <= NAME_MAX_BYTES)


@dataclass(frozen=True)
class ParsedName:
    """What a file name says. ``problem`` is None for a canonical name."""

    original: str
    stem: str
    ext: str
    seq: int | None
    theme: str
    #: "ascii" when the raw name used ":", "full" for "：", None when there is no colon
    colon: str | None
    #: None, or one of "no_number", "not_two_digits", "no_colon", "empty_theme"
    problem: str | None

    @property
    def canonical(self) -> str | None:
        """The canonical name, when number and theme are known."""
        if self.seq is None or not self.theme:
            return None
        return format_name(self.seq, self.theme, self.ext)


def split_ext(filename: str) -> tuple[str, str]:
    """``"01：主题.tar.gz"`` -> (``"01：主题.tar"``, ``".gz"``); a leading dot is not an extension."""
    dot = filename.rfind(".")
    if dot <= 0:
        return filename, ""
    return filename[:dot], filename[dot:]


def clean_theme(theme: str) -> str:
    """The theme as a safe file-name part (see :func:`safe_component`)."""
    return safe_component(theme)


def format_name(seq: int, theme: str, ext: str = "") -> str:
    """``format_name(3, "六五环境日宣传", ".jpg")`` -> ``"03：六五环境日宣传.jpg"``."""
    return f"{seq:02d}{FULL_COLON}{clean_theme(theme)}{ext}"


def parse_name(filename: str) -> ParsedName:
    """Parse a file name (without folders)."""
    stem_raw, ext = split_ext(filename)
    colon = "ascii" if ":" in stem_raw else ("full" if FULL_COLON in stem_raw else None)
    # NFC, not NFKC, on the theme: full-width punctuation typed by the user stays as typed;
    # the number is NFKC-folded on its own.
    stem = unicodedata.normalize("NFC", stem_raw)
    match = _NAME_RE.match(stem)
    if match:
        digits = unicodedata.normalize("NFKC", match.group(1))
        theme = _fold_theme(match.group(3))
        seq = int(digits)
        if not theme:
            problem = "empty_theme"
        elif len(digits) != 2 and not (len(digits) == 3 and seq >= 100):
            problem = "not_two_digits"
        else:
            problem = None
        return ParsedName(filename, stem_raw, ext, seq, theme, colon, problem)
    loose = _LOOSE_RE.match(stem)
    if loose:
        seq = int(unicodedata.normalize("NFKC", loose.group(1)))
        return ParsedName(filename, stem_raw, ext, seq, _fold_theme(loose.group(2)), None,
                          "no_colon")
    return ParsedName(filename, stem_raw, ext, None, _fold_theme(stem), colon, "no_number")


def _fold_theme(theme: str) -> str:
    """The theme as the archive keeps it: NFC, single spaces, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", theme)).strip()


def next_free(taken: set[int] | frozenset[int], start: int = 1) -> int:
    """The smallest number >= ``start`` not in ``taken``."""
    seq = start
    while seq in taken:
        seq += 1
    return seq


#: what a camera, a phone or a program names a file (IMG_0421, DSC01234, P1010001, 微信图片_…,
#: mmexport…, 新建 Microsoft Word 文档, 文档1): a name, but no theme
_DEVICE_NAME = re.compile(
    r"^(?:IMG|VID|PXL|MVIMG|PANO|BURST|DJI|DSC[NF]?|_DSC|_MG|CIMG|GOPR|GH|MOV|MAH|SAM|"
    r"P(?=\d{7})|image|photo|video|picture|scan|Screenshot|Screen\s?Recording|Snipaste|"
    r"微信图片|微信截图|微信视频|QQ图片|QQ截图|QQ视频|QQ录屏|屏幕截图|截屏|截图|录屏|扫描件?|"
    r"图片|照片|视频|mmexport|wx_camera_|microMsg\.|"
    r"新建\s*(?:Microsoft\s*)?(?:Word|Excel|PowerPoint|DOCX?|XLSX?|WPS)?\s*(?:文档|文字|表格|工作表)|"
    r"新建文本文档|文档|Document|未命名|无标题|Untitled)?"
    r"[\d\s_\-.:：()（）\[\]【】~+]*$", re.IGNORECASE)
#: emoji and pictographs (with their joiners and variation selectors): many tools that read
#: file names in the GBK of older Chinese Windows cannot show them
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u200D\uFE0E\uFE0F\u20E3]")


def device_name(theme: str) -> bool:
    """True when ``theme`` (a file name without its extension and number) is what a camera,
    phone or program called the file rather than what it shows: ``IMG_0421``, ``DSC01234``,
    ``20180921_153012``, ``微信图片_20180921``, ``新建 Microsoft Word 文档 (2)``."""
    text = unicodedata.normalize("NFKC", theme or "").strip()
    return not text or bool(_DEVICE_NAME.match(text))


def without_emoji(text: str) -> str:
    """``text`` without emoji and pictographs (``🎉志愿者合影😀`` -> ``志愿者合影``)."""
    return _SPACES.sub(" ", _EMOJI.sub("", text)).strip()
