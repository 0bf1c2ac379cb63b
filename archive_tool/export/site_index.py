"""The offline search index of the static site: documents and a bigram index, Chinese-aware.

Text is folded (NFKC, lower case, traditional characters to simplified ones as the archive's own
search does) and cut into tokens: a run of Chinese characters gives its bigrams (学雷锋 -> 学雷,
雷锋; a single character stands alone), a run of letters or digits is one token.
``assets/search.js`` cuts the query the same way (:func:`tokens` and its ``tokens`` must agree:
the tests run both), folding traditional characters with the index's ``t2s`` table, and ranks
the documents by the share of the query's tokens they hold, a document holding the whole query
first.

Schema (``assets/search-index.json``; ``search-index.js`` holds the same object as
``window.ARCHIVE_SEARCH_INDEX``, because a page opened from disk may not read a JSON file)::

    {"version": 1,
     "docs": [{"t": "01：学习十九大精神专题会议.jpg",   # the file name
               "h": "files/2018年/I-1 …/01%EF%BC%9A….jpg",  # link, relative to the site root
               "p": "i/II-1.html",                   # the indicator's page
               "i": "II-1 加强学习", "y": "2018年", "d": "2018-03-05", "k": "照片",
               "c": "时间：2018年3月5日；主办单位：…"}],  # caption, responsible, text excerpt
     "tokens": {"学习": [0, 4], "2018": [0, 1]},     # token -> ids of the docs holding it
     "t2s": {"學": "学", "習": "习"}}                 # traditional -> simplified, for queries
                                                     # (only characters the documents hold)
"""
from __future__ import annotations

import functools
import re

from ..search.folding import fold

_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
#: characters of a document's text put in the index (the start of a document says what it is)
TEXT_CHARS = 120
_FIELDS = ("t", "i", "y", "d", "k", "c")

__all__ = ["TEXT_CHARS", "build_index", "fold", "tokens"]


def tokens(text: str) -> list[str]:
    """The tokens of ``text``, in order, repeats kept."""
    out: list[str] = []
    for run in _RUNS.findall(fold(text or "")):
        if run[0].isascii():
            out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


@functools.lru_cache(maxsize=1)
def _traditional() -> dict[str, str]:
    """Every Chinese character that folding turns into another single one (traditional ->
    simplified), character by character."""
    chars = [chr(c) for low, high in _CJK_RANGES for c in range(low, high)]
    folded = fold("\n".join(chars)).split("\n")
    return {c: f for c, f in zip(chars, folded) if f != c and len(f) == 1}


def build_index(docs: list[dict]) -> dict:
    """The index of ``docs`` (dicts with the keys of the schema above)."""
    postings: dict[str, list[int]] = {}
    held: set[str] = set()
    for n, doc in enumerate(docs):
        text = " ".join(doc.get(key, "") for key in _FIELDS)
        held.update(fold(text))
        for token in dict.fromkeys(tokens(text)):
            postings.setdefault(token, []).append(n)
    t2s = {c: f for c, f in _traditional().items() if f in held}
    return {"version": 1, "docs": docs, "tokens": postings, "t2s": t2s}
