"""A Chinese font for the pages the binder composes (reportlab).

A TrueType font found on the machine is embedded (subset: only the characters used), so the
PDF prints the same everywhere: WenQuanYi Zen Hei (Debian's fonts-wqy-zenhei), WenQuanYi Micro
Hei, or on Windows SimSun / Microsoft YaHei / SimHei. Noto CJK (fonts-noto-cjk) is not used: its
outlines are PostScript (CFF), which reportlab cannot embed. Without any of them the pages use
reportlab's built-in CID font STSong-Light, which needs no font file but is not embedded: the
PDF viewer supplies a Song font (Adobe Reader asks for its Asian font pack; poppler needs
poppler-data).
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

CID_FONT = "STSong-Light"
FONT_NAME = "ArchiveCJK"
_WINDOWS = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
#: (file, subfont index of a .ttc) tried in order
CANDIDATES = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    (_WINDOWS / "simsun.ttc", 0),
    (_WINDOWS / "msyh.ttc", 0),
    (_WINDOWS / "simhei.ttf", 0),
    (Path("/Library/Fonts/Arial Unicode.ttf"), 0),
)


@functools.lru_cache(maxsize=1)
def cjk_font() -> str:
    """The registered name of the Chinese font to draw with (registered on first use)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    for path, index in CANDIDATES:
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=index))
        except Exception:  # noqa: BLE001 - a font reportlab cannot read: try the next one
            continue
        return FONT_NAME
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def embedded() -> bool:
    """True when the composed pages carry their font (a TrueType file was found)."""
    return cjk_font() == FONT_NAME
