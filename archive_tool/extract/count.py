"""Chinese character counting (说明报告 "400字左右") and CJK whitespace clean-up."""
from __future__ import annotations

import re

#: CJK ideographs: Unified (incl. extensions A–I), compatibility ideographs, radicals, 々 and 〇
_IDEOGRAPHS = (
    "\u2E80-\u2FDF"            # CJK radicals supplement, Kangxi radicals
    "\u3005\u3007"             # 々 〇 (二〇一八年)
    "\u3400-\u4DBF"            # extension A
    "\u4E00-\u9FFF"            # unified ideographs
    "\uF900-\uFAFF"            # compatibility ideographs
    "\U00020000-\U0002A6DF"    # extension B
    "\U0002A700-\U0002EE5F"    # extensions C, D, E, F, I
    "\U0002F800-\U0002FA1F"    # compatibility ideographs supplement
    "\U00030000-\U000323AF"    # extensions G, H
)
#: full-width characters counted one each, as Word counts "中文字符": the CJK punctuation block
#: (、。〈〉《》「」『』【】〔〕〖〗 …), full-width forms (，：；？！（）％＋ full-width letters and
#: digits), vertical forms, “”‘’ — … · (which Chinese fonts set full width), kana and hangul,
#: and the symbols of Chinese documents ①②… ⅠⅡ… ℃ № ※
_FULLWIDTH = (
    "\u00B7\u2014\u2015\u2018\u2019\u201C\u201D\u2026\u2027\u203B\u2103\u2116"
    "\u2160-\u217F"            # Roman numerals Ⅰ Ⅱ …
    "\u2460-\u24FF"            # enclosed alphanumerics ① ⑴ ⒈ …
    "\u3001-\u303F"            # CJK symbols and punctuation (U+3000 ideographic space excluded)
    "\u3040-\u30FF"            # hiragana, katakana, 「・」
    "\uAC00-\uD7AF"            # hangul syllables
    "\uFE10-\uFE1F\uFE30-\uFE4F"  # vertical and compatibility forms
    "\uFF01-\uFF60\uFFE0-\uFFE6"  # full-width forms (not the half-width katakana)
)
_EAST_ASIAN = f"[{_IDEOGRAPHS}{_FULLWIDTH}]"
_LETTER = "0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"
#: a half-width "word": letters/digits, possibly joined by - ' . , / _ @ & : + ’ (COVID-19, 3.5,
#: www.gov.cn, don't count as one word each, as Word does)
_WORD = f"[{_LETTER}]+(?:[-'.,/_@&:+\u2019][{_LETTER}]+)*"
_TOKEN = re.compile(f"{_WORD}|{_EAST_ASIAN}")
_CJK_GAP = re.compile(f"(?<={_EAST_ASIAN})\\s+(?={_EAST_ASIAN})")


def count_chars(text: str) -> int:
    """The character count of 说明报告 length rules ("400字左右"), as Word's 字数 reports it.

    Counted, one each:

    - every CJK ideograph (CJK Unified Ideographs with extensions A–I, compatibility
      ideographs, radicals, 々 and 〇);
    - every full-width punctuation mark or symbol: 。，、；：？！“”‘’（）《》【】「」— … · and the
      rest of the CJK punctuation block and of the full-width forms (full-width letters and
      digits such as ２０１８ count one each, as Word counts them), plus ①…⑳ Ⅰ…Ⅻ ℃ № ※,
      kana and hangul syllables;
    - every half-width "word": a run of Latin letters/digits, where - ' . , / _ @ & : + ’
      between two letters/digits do not split it (``COVID-19``, ``3.5``, ``www.gov.cn`` are one
      word each; ``2018年`` is two).

    Not counted: whitespace (including the ideographic space U+3000) and half-width punctuation
    standing alone.

    This matches Word's 字数 (审阅 › 字数统计 = 中文字符和朝鲜语单词 + 非中文单词) on ordinary
    Chinese prose: ``"二〇一八年，我们开展了“学雷锋”活动。"`` → 19; ``"使用 Word 2016 统计。"`` →
    7; ``"COVID-19 防控"`` → 3. Where it may differ from Word: Word counts a Korean word once
    (here each syllable), and Word splits half-width words only on spaces, so ``a(b)`` is one
    word in Word and two here; ambiguous-width symbols (“” — … ·) follow the Chinese-font
    reading.
    """
    return sum(1 for _ in _TOKEN.finditer(text))


def squeeze_cjk_spaces(text: str) -> str:
    """Remove whitespace between two CJK characters ("六 五 环 境" -> "六五环境").

    PDF text extraction puts spaces and line breaks between CJK glyphs; spaces between Latin
    words, and between Latin and CJK text, are kept.
    """
    return _CJK_GAP.sub("", text)
