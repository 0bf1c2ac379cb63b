"""What the rule parser reads: folded text, numbers, and the text's structure (items, sentences,
sub-clauses) as sorted boundary lists."""
from __future__ import annotations

import bisect
import re
import unicodedata

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
#: a number: digits or Chinese numerals (一 两 三 … 十 百 千)
NUM = r"(\d+|[零〇一二两三四五六七八九十百千]+)"
#: "at least" and its kin, before a number
AT_LEAST = r"(?:至少|不少于|不低于|最少|不得少于|原则上不少于)"

_opencc = None
#: ①…⑳, ⑴…⒇, ⒈…⒛ mark items; NFKC would turn them into plain digits
_ENCLOSED_RE = re.compile(r"([\u2460-\u249b])")


def fold(text: str) -> str:
    """What the parser reads: NFKC (full-width digits and brackets; item marks ①… kept),
    traditional script folded to simplified (召開 -> 召开, 說明報告 -> 说明报告) by OpenCC ``t2s``."""
    global _opencc
    text = "".join(part if _ENCLOSED_RE.fullmatch(part) else unicodedata.normalize("NFKC", part)
                   for part in _ENCLOSED_RE.split(text or ""))
    if not text.isascii():
        if _opencc is None:
            import opencc

            _opencc = opencc.OpenCC("t2s")
        text = _opencc.convert(text)
    return text


def cn_number(token: str) -> int | None:
    """``"5"`` -> 5, ``"两"`` -> 2, ``"十二"`` -> 12, ``"八百"`` -> 800, ``"一千二百"`` -> 1200;
    None if not a number."""
    token = unicodedata.normalize("NFKC", token or "").strip()
    if token.isdigit():
        return int(token)
    if not token or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in token):
        return None
    if len(token) == 1 and token in _CN_DIGITS:
        return _CN_DIGITS[token]
    total, digit, last_unit = 0, None, 10_000
    for ch in token:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0:
                return None  # two digits in a row: "一二"
            digit = _CN_DIGITS[ch] if _CN_DIGITS[ch] else None
        else:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None  # "十十", "十百"
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


#: numbered items: ①…⑳, ⑴…⒇, ⒈…⒛, (1) / （1）, 1) / 1） after a boundary, 1. / 1、 at a
#: line start or after a sentence end, 一、 at a line start
_ITEM_RE = re.compile(
    r"[①-⑳⑴-⒇⒈-⒛]|[(]\s*\d{1,2}\s*[)](?=\D)|(?:^|(?<=[\n。；;：:，,\s]))\d{1,2}\s*[)](?=\D)"
    r"|(?:^|(?<=[\n。；;]))\s*(?:\d{1,2}\s*[.、](?!\d)|[一二三四五六七八九十]{1,2}\s*、)",
    re.M)
_SENTENCE_RE = re.compile(r"[。；;!?！？\n]")
_SUBCLAUSE_RE = re.compile(r"[。；;!?！？\n，,：:]")


class Layout:
    """Boundaries of a text's items, sentences and sub-clauses; ``item(pos)`` etc. give the
    index of the part holding a position, so two positions are in one part when equal."""

    def __init__(self, text: str, note_at: int | None = None):
        self.text = text
        self.note_at = len(text) + 1 if note_at is None else note_at
        self.items = _bounds(_ITEM_RE, text)
        self.sentences = _bounds(_SENTENCE_RE, text)
        self.subclauses = _bounds(_SUBCLAUSE_RE, text)

    def item(self, pos: int) -> int:
        return bisect.bisect_right(self.items, pos) - 1

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentences, pos) - 1

    def subclause(self, pos: int) -> int:
        return bisect.bisect_right(self.subclauses, pos) - 1

    def sentence_span(self, pos: int) -> tuple[int, int]:
        k = self.sentence(pos)
        return self.sentences[k], self.sentences[k + 1]

    def subclause_span(self, pos: int) -> tuple[int, int]:
        k = self.subclause(pos)
        return self.subclauses[k], self.subclauses[k + 1]

    def in_note(self, pos: int) -> bool:
        return pos >= self.note_at


def _bounds(pattern: re.Pattern, text: str) -> list[int]:
    """0, every boundary (a separator ends its part; an item marker starts one), len + 1."""
    cuts = [m.start() if pattern is _ITEM_RE else m.end() for m in pattern.finditer(text)]
    return sorted({0, *cuts, len(text) + 1})
