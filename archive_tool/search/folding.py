"""Folding for the search index, the same on the index and the query side: NFKC (full-width
letters, digits and punctuation become ASCII), lower case, then OpenCC ``t2s`` (traditional to
simplified), keeping a map back to the original characters when the length changes."""
from __future__ import annotations

import threading
import unicodedata

_opencc = None
_opencc_lock = threading.Lock()


def _t2s(text: str) -> str:
    global _opencc
    if _opencc is None:
        with _opencc_lock:
            if _opencc is None:
                import opencc

                _opencc = opencc.OpenCC("t2s")
    return _opencc.convert(text)


def fold(text: str) -> str:
    """NFKC, lower case, traditional to simplified: the form both sides of the index compare."""
    return fold_with_offsets(text)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, when its length differs, the original offset of each character.

    ``None`` means the folded text is aligned with the original character by character.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):
        converted = _t2s(folded)
        if len(converted) == len(folded):
            return converted, None
    # slow path: fold character by character and remember where each piece came from
    pieces: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).lower()
        pieces.append(piece)
        offsets.extend([i] * len(piece))
    folded = "".join(pieces)
    converted = _t2s(folded)
    if len(converted) != len(folded):  # a phrase conversion changed the length: go char by char
        converted = "".join(_t2s(ch) if len(_t2s(ch)) == 1 else ch for ch in folded)
    offsets.append(len(text))
    return converted, offsets


def orig_offset(offsets: list[int] | None, i: int) -> int:
    return i if offsets is None else offsets[i]


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)
