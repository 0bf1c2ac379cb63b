"""Chinese text analysis for the search index: folding, word tokens over jieba, character bigrams.

Folding (both the index and the query side): NFKC (full-width letters, digits and punctuation
become ASCII), lower case, then OpenCC ``t2s`` (traditional to simplified). Folding keeps a map
back to the original characters, so token offsets always point into the text as written.

Word tokens (:class:`WordTokenizer`) are jieba's, in a search mode with positions that phrase
queries can use. jieba's own search mode (and ``jieba.analyse.ChineseAnalyzer``) emits a long
word and its sub-words with the character offset as position, so "领导小组" followed by "成员"
is not a phrase any more. Here every word is cut, recursively and always the same way, into
*tiles* of at most two characters (the best jieba route through the word that does not use the
word itself): 领导小组 → 领导 · 小组, 六五环境日 → 六五 · 环境 · 日, 张晓明 → 张 · 晓 · 明.
Tiles take the consecutive positions 0, 1, 2 … and each pair of neighbouring tiles is also
emitted, joined, at the position of its first tile (a *shingle*: 领导小组, 环境日, 晓明). The
query side (``mode="query"``) emits the tiles; a word of the query is then one shingle term,
or the chain of its shingles, and an exact phrase is a Whoosh Phrase over them. Both sides cut
the same way whatever the segmenter decided for the longer words around them, so a phrase
matches across word boundaries, part of a long word is found, and a word the dictionary learns
later still matches the documents indexed before.

Bigrams (:class:`BigramTokenizer`) for the short fields (title, caption, organizer):
each CJK character at position i, and the pair starting there at the same position; the query
side emits the pairs only (a single character alone), so a phrase of pairs finds any part of a
name: "晓明" in "张晓明".

The segmenter (:mod:`.segmenter`) is a module-level lazy object that never goes into Whoosh's
pickle of the schema: the tokenizers pickle as their class and a version: :data:`ANALYZER_VERSION`
plus a signature of the dictionary, and the index is rebuilt when either changes. Domain terms
and the tree's names are fed to the dictionary with :func:`prepare_for`; its cache lives in the
archive's ``.archive/``; it logs nothing.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from whoosh.analysis import Token, Tokenizer

from .folding import fold, fold_with_offsets, has_cjk, is_cjk
from .folding import orig_offset as _orig
from .segmenter import DOMAIN_TERMS, SEGMENTER, names_of, prepare, prepare_for

__all__ = ["ANALYZER_VERSION", "BigramTokenizer", "DOMAIN_TERMS", "SEGMENTER", "WordTokenizer",
           "bigram_tokens", "fold", "fold_with_offsets", "has_cjk", "is_cjk", "names_of",
           "prepare", "prepare_for", "query_words", "segment", "shingles", "tiles",
           "word_tokens"]

#: bump whenever tokens change for the same text (DOMAIN_TERMS included): indexes with another
#: version are rebuilt
ANALYZER_VERSION = "4"


def _searchable(word: str) -> bool:
    return any(ch.isalnum() for ch in word)


_RUNS = re.compile(r"\d+|[^\W\d_]+")


def mixed_parts(word: str) -> list[tuple[str, int]]:
    """The letter and digit runs of a mixed word, with their offsets: iso9001 → iso, 9001
    (none for a word of letters or digits alone)."""
    parts = [(m.group(), m.start()) for m in _RUNS.finditer(word)]
    return parts if len(parts) > 1 else []


# ---- word tokens ---------------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def _tiles(word: str) -> tuple[str, ...]:
    """``word`` cut into tiles of at most two characters, always the same way: the best jieba
    route through the word that does not take the word itself, applied again to longer parts."""
    if len(word) <= 2 or not has_cjk(word):
        return (word,)
    tiles: list[str] = []
    for part in _route_without_whole(word):
        tiles.extend(_tiles(part))
    return tuple(tiles)


SEGMENTER.on_change.append(_tiles.cache_clear)


def _route_without_whole(word: str) -> list[str]:
    """The best jieba route through ``word`` that does not take ``word`` as one piece."""
    tk = SEGMENTER.jieba
    dag = tk.get_DAG(word)
    last = len(word) - 1
    dag[0] = [x for x in dag[0] if x != last] or [0]
    route: dict = {}
    tk.calc(word, dag, route)
    parts, x = [], 0
    while x < len(word):
        y = route[x][1] + 1
        parts.append(word[x:y])
        x = y
    return parts


def tiles(word: str) -> list[str]:
    """The tiles of one folded word: what the query side searches for, in order."""
    return list(_tiles(word))


def segment(folded: str, hmm: bool = False) -> Iterator[tuple[str, int, int]]:
    """jieba's precise segmentation of folded text: (word, start, end), punctuation dropped."""
    pos = 0
    for word in SEGMENTER.jieba.cut(folded, HMM=hmm):
        start = pos
        pos += len(word)
        if _searchable(word):
            yield word, start, pos


def word_tokens(text: str, query: bool = False) -> Iterator[tuple[str, int, int, int]]:
    """(token, position, startchar, endchar) of ``text``; offsets into the original text.

    Index side, in position order: the tiles at consecutive positions, and every pair of
    consecutive tiles, joined, at the position of the first (a *shingle*: a two-tile word or
    phrase is one term, so most queries need no position checks, and a longer word is the
    chain of its shingles); a word of letters and digits also gives its parts at its own
    position (ISO9001: iso, 9001), so either part alone finds it. Query side
    (``query=True``): the tiles only. Both sides use jieba without its HMM, so both cut
    unknown names the same way.
    """
    folded, offsets = fold_with_offsets(text)
    pos = 0
    prev: tuple[str, int] | None = None  # the last tile and where it starts
    for word, start, _ in segment(folded):
        word_tiles = _tiles(word)
        if query:
            char = start
            for i, tile in enumerate(word_tiles):
                yield tile, pos + i, _orig(offsets, char), _orig(offsets, char + len(tile))
                char += len(tile)
            pos += len(word_tiles)
            continue
        if prev is not None:  # the shingle across the word boundary
            tile, at = prev
            first = word_tiles[0]
            yield tile + first, pos - 1, _orig(offsets, at), _orig(offsets, start + len(first))
        if len(word_tiles) == 1:
            yield word, pos, _orig(offsets, start), _orig(offsets, start + len(word))
            for part, at in mixed_parts(word):  # ISO9001: also iso and 9001, where it stands
                yield part, pos, _orig(offsets, start + at), _orig(offsets, start + at + len(part))
            prev = (word, start)
            pos += 1
            continue
        char = start
        for i, tile in enumerate(word_tiles):
            yield tile, pos + i, _orig(offsets, char), _orig(offsets, char + len(tile))
            if i + 1 < len(word_tiles):
                end = char + len(tile) + len(word_tiles[i + 1])
                yield tile + word_tiles[i + 1], pos + i, _orig(offsets, char), _orig(offsets, end)
            char += len(tile)
        prev = (word_tiles[-1], char - len(word_tiles[-1]))
        pos += len(word_tiles)


def shingles(tiles: list[str]) -> list[str]:
    """The joined pairs of consecutive tiles (the lone tile when there is one)."""
    if len(tiles) < 2:
        return list(tiles)
    return [a + b for a, b in zip(tiles, tiles[1:])]


def query_words(text: str, keep: frozenset[str] = frozenset()) -> list[str]:
    """The words of a query as a reader would split them: jieba with its HMM (so a name the
    dictionary does not know stays whole), folded, punctuation dropped, and a lone character
    joined to the word it touches (环境日 → 环境日, not 环境 + 日), unless it is in ``keep``
    (filler and keywords the query parser handles by itself)."""
    words: list[list] = []  # [word, start, end]
    pending: list | None = None
    for word, start, end in segment(fold(text), hmm=True):
        single = len(word) == 1 and is_cjk(word) and word not in keep
        if pending is not None and pending[2] == start and word not in keep:
            word, start = pending[0] + word, pending[1]
            pending = None
            single = False
        elif pending is not None:
            words.append(pending)
            pending = None
        if single:
            prev = words[-1] if words else None
            if prev is not None and prev[2] == start and prev[0] not in keep:
                prev[0] += word
                prev[2] = end
            else:
                pending = [word, start, end]
            continue
        words.append([word, start, end])
    if pending is not None:
        words.append(pending)
    return [w[0] for w in words]


class _BaseTokenizer(Tokenizer):
    """A whoosh tokenizer that pickles as its class and version only."""

    def __init__(self, version: str = ANALYZER_VERSION) -> None:
        self.version = version

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.version))

    def _tokens(self, value: str, query: bool) -> Iterator[tuple[str, int, int, int]]:
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = fold(value)
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for text, pos, start, end in self._tokens(value, mode == "query"):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


class WordTokenizer(_BaseTokenizer):
    """Folded jieba words: tiles at consecutive positions, longer words over their first tile."""

    def _tokens(self, value, query):
        return word_tokens(value, query=query)


def bigram_tokens(text: str, query: bool = False) -> Iterator[tuple[str, int, int, int]]:
    """(token, position, startchar, endchar): CJK characters and pairs, other words whole.

    Index side: each CJK character at its own position and the pair starting there at the same
    position; a run of letters and digits whole and, at its position, its parts (abc123: abc,
    123). Query side: the pairs (a lone character for a run of one), then, when more words
    follow, the run's last character, so the next word's position lines up with the index's.
    """
    folded, offsets = fold_with_offsets(text)
    pos = 0
    i, n = 0, len(folded)
    while i < n:
        ch = folded[i]
        if is_cjk(ch):
            j = i
            while j < n and is_cjk(folded[j]):
                j += 1
            run = j - i
            if not query or run == 1:
                for k in range(i, j):
                    yield folded[k], pos, _orig(offsets, k), _orig(offsets, k + 1)
                    if k + 1 < j:
                        yield folded[k:k + 2], pos, _orig(offsets, k), _orig(offsets, k + 2)
                    pos += 1
            else:
                for k in range(i, j - 1):
                    yield folded[k:k + 2], pos, _orig(offsets, k), _orig(offsets, k + 2)
                    pos += 1
                if any(c.isalnum() for c in folded[j:]):
                    yield folded[j - 1], pos, _orig(offsets, j - 1), _orig(offsets, j)
                    pos += 1
            i = j
        elif ch.isalnum():
            j = i
            while j < n and folded[j].isalnum() and not is_cjk(folded[j]):
                j += 1
            yield folded[i:j], pos, _orig(offsets, i), _orig(offsets, j)
            if not query:
                for part, at in mixed_parts(folded[i:j]):
                    yield part, pos, _orig(offsets, i + at), _orig(offsets, i + at + len(part))
            pos += 1
            i = j
        else:
            i += 1


class BigramTokenizer(_BaseTokenizer):
    """Folded CJK characters and character pairs, for finding part of a name."""

    def _tokens(self, value, query):
        return bigram_tokens(value, query=query)

