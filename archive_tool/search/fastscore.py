"""Whoosh's matching and BM25F scoring, a posting list at a time with numpy instead of a
posting at a time in Python: the same documents, scores (to the last bit) and order as
Whoosh's own collector, about ten times faster on broad words of a large archive.

For each segment the query's own matcher tree is built by Whoosh (``q.matcher``, with the
context its collector uses), so every choice Whoosh makes (normalisation, boosts, the order in
which it adds the scores of And and Or, its array union on small segments, the deleted
documents it filters) is taken as it is; only the evaluation is done here, over whole arrays
of the segment's documents. A matcher, scorer or codec this module does not know raises
:class:`Unsupported`, and the caller searches with Whoosh (phrases, for instance: their
positions are Whoosh's to check).

Relies on the internals of Whoosh 2.7 (codec ``whoosh3``: posting blocks, the field lengths
column), which is final and unmaintained; the tests compare every answer with Whoosh's.
"""
from __future__ import annotations

import io
import pickle
import struct
import zlib

import numpy as np
from whoosh import columns, scoring
from whoosh import query as Q
from whoosh.query import qcore
from whoosh.codec import whoosh3
from whoosh.matching import binary, combo, mcore, wrappers
from whoosh.util.numeric import byte_to_length

#: field length of each length byte (Whoosh stores lengths quantised to a byte)
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_INT, _DOUBLE = struct.Struct("!i"), struct.Struct(">d")


class Unsupported(Exception):
    """A part of the query or index this module does not evaluate: search with Whoosh."""


class _Segment:
    """One leaf searcher: its reader, number of documents and field lengths (read once)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self._lengths: dict[str, np.ndarray] = {}

    def length_bytes(self, fieldname: str) -> np.ndarray | None:
        if fieldname not in self._lengths:
            perdoc = getattr(self.reader, "_perdoc", None)
            if type(perdoc) is not whoosh3.W3PerDocReader:
                raise Unsupported(type(perdoc).__name__)
            column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            if column is None:
                self._lengths[fieldname] = None
            else:
                if type(column) is not columns.NumericColumn.Reader or column._typecode != "B":
                    raise Unsupported(type(column).__name__)
                count = min(column._count, self.size)
                data = np.zeros(self.size, dtype=np.uint8)
                raw = column._dbfile.get(column._basepos, count)
                data[:count] = np.frombuffer(raw, dtype=np.uint8, count=count)
                self._lengths[fieldname] = data
        return self._lengths[fieldname]


# ---- leaves: posting lists ----------------------------------------------------------------
def _block_postings(m) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of a W3LeafMatcher: its whole posting list read at once, block by
    block (a 4-byte length, negative for the last block; the pickled block info; the pickled,
    maybe compressed, (ids, weights, values) data)."""
    if m._byteids:
        raise Unsupported("byte ids")
    length = m._length  # as read from the term info, a 1-tuple (Whoosh never uses it)
    length = length[0] if isinstance(length, tuple) else length
    if not isinstance(length, int):
        raise Unsupported("posting list length")
    buf = m._postfile.get(m._startoffset, length)
    if buf[:4] != whoosh3.WHOOSH3_HEADER_MAGIC:
        raise Unsupported("block tag")
    stream = io.BytesIO(buf)
    ids, weights = [], []
    pos, last = 4, False
    while not last:
        (length,) = _INT.unpack_from(buf, pos)
        last = length < 0
        end = pos + 4 + abs(length)
        stream.seek(pos + 4)
        count, _, _, compression, _, _ = pickle.load(stream)
        deltas, block_weights = _block_data(buf[stream.tell():end], compression, count)
        ids.append(np.cumsum(deltas))
        weights.append(block_weights)
        pos = end
    return np.concatenate(ids), np.concatenate(weights)


def _block_data(data: bytes, compression: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(id deltas, weights) of one block's data, as W3LeafMatcher reads them (a weight given
    once for the block goes through an array of C floats there)."""
    if compression:  # the ids and weights come first: inflate about as much as they take
        head = zlib.decompressobj().decompress(data, 14 * count + 64)
        found = _ids_weights(head, count)
        if found is not None:
            return found
        data = zlib.decompress(data)
    found = _ids_weights(data, count)
    if found is not None:
        return found
    raw_ids, raw_weights = pickle.loads(data)[:2]
    deltas = np.asarray(raw_ids, dtype=np.int64)
    if raw_weights is None:
        return deltas, np.ones(count)
    if isinstance(raw_weights, float):
        return deltas, np.full(count, np.float32(raw_weights), dtype=np.float64)
    return deltas, np.asarray(raw_weights, dtype=np.float64)


_K, _TUPLE, _MARK, _FLOAT, _NONE = 0x4B, 0x74, 0x28, 0x47, 0x4E  # pickle opcodes
_MEMO = {0x71: 2, 0x72: 5}  # BINPUT, LONG_BINPUT: their sizes
_FIRST = {_K: (1, "<B"), 0x4D: (2, "<H"), 0x4A: (4, "<i")}  # BININT1, BININT2, BININT


def _ids_weights(raw: bytes, count: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The ids and weights at the head of a block's pickle (protocol 2) read with numpy, for
    the usual block: more than three ids, the first any int (a docnum), the others deltas
    under 256 (``K`` and a byte), and weights None, one float or a float each; None for
    anything else (pickle reads it)."""
    if count <= 3 or len(raw) < 8 or raw[:3] != b"\x80\x02(" or raw[3] not in _FIRST:
        return None
    size, form = _FIRST[raw[3]]
    (first,) = struct.unpack_from(form, raw, 4)
    start = 4 + size
    ids_end = start + 2 * (count - 1)
    if len(raw) < ids_end + 2 or raw[ids_end] != _TUPLE:
        return None
    pairs = np.frombuffer(raw, dtype=np.uint8, count=2 * (count - 1), offset=start)
    pairs = pairs.reshape(count - 1, 2)
    if not (pairs[:, 0] == _K).all():
        return None
    deltas = np.empty(count, dtype=np.int64)
    deltas[0] = first
    deltas[1:] = pairs[:, 1]
    at = ids_end + 1 + _MEMO.get(raw[ids_end + 1], len(raw))
    if at >= len(raw):
        return None
    op = raw[at]
    if op == _NONE:
        return deltas, np.ones(count)
    if op == _FLOAT and len(raw) >= at + 9:
        (weight,) = _DOUBLE.unpack_from(raw, at + 1)
        return deltas, np.full(count, np.float32(weight), dtype=np.float64)
    end = at + 1 + 9 * count
    if op != _MARK or len(raw) <= end or raw[end] != _TUPLE:
        return None
    records = np.frombuffer(raw, dtype=np.uint8, count=9 * count, offset=at + 1)
    records = records.reshape(count, 9)
    if not (records[:, 0] == _FLOAT).all():
        return None
    return deltas, records[:, 1:].copy().view(">f8").astype(np.float64).ravel()


def _list_postings(m) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of a ListMatcher (inlined postings, Every), as its weight() gives."""
    ids = np.asarray(m._ids, dtype=np.int64)
    if m._all_weights:
        weights = np.full(len(ids), float(m._all_weights))
    elif m._weights:
        weights = np.asarray(m._weights, dtype=np.float64)
    else:
        weights = np.ones(len(ids))
    return ids, weights


def _leaf(seg: _Segment, m, scorer) -> tuple[np.ndarray, np.ndarray]:
    """(hit, score) arrays over the segment for one posting list."""
    ids, weights = _block_postings(m) if type(m) is whoosh3.W3LeafMatcher else _list_postings(m)
    hit = np.zeros(seg.size, dtype=bool)
    score = np.zeros(seg.size)
    if not len(ids):
        return hit, score
    if scorer is None:
        values = weights
    elif type(scorer) is scoring.BM25FScorer:
        lbytes = seg.length_bytes(m._term[0]) if m._term else None
        if lbytes is None:  # no lengths column: Whoosh's default length
            fl = np.ones(len(ids))
        else:
            found = lbytes[ids]
            if not found.all():  # Whoosh's length would be None here: let it decide
                raise Unsupported("document without a field length")
            fl = _LENGTHS[found]
        values = _bm25(scorer.idf, weights, fl, scorer.avgfl, scorer.B, scorer.K1)
    elif type(scorer) is scoring.WeightScorer:
        values = weights
    else:
        raise Unsupported(type(scorer).__name__)
    hit[ids] = True
    score[ids] = values
    return hit, score


def _bm25(idf, tf, fl, avgfl, B, K1):
    """whoosh.scoring.bm25 over arrays, its operations in its order (the same floats)."""
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


# ---- the matcher tree -----------------------------------------------------------------------
def evaluate(seg: _Segment, m) -> tuple[np.ndarray, np.ndarray]:
    """(hit, score) over the segment's documents for Whoosh matcher ``m``; score is 0.0 where
    hit is False (so that adding it changes nothing, as Whoosh adds nothing)."""
    kind = type(m)
    if kind is whoosh3.W3LeafMatcher:
        return _leaf(seg, m, m.scorer)
    if kind is mcore.ListMatcher:
        return _leaf(seg, m, m._scorer)
    if kind is mcore.NullMatcherClass:
        return np.zeros(seg.size, dtype=bool), np.zeros(seg.size)
    if kind is wrappers.WrappingMatcher:
        hit, score = evaluate(seg, m.child)
        return hit, score * m.boost
    if kind is wrappers.FilterMatcher:
        hit, score = evaluate(seg, m.child)
        ids = np.fromiter(m._ids, dtype=np.int64, count=len(m._ids))
        inside = np.zeros(seg.size, dtype=bool)
        inside[ids[ids < seg.size]] = True
        hit &= ~inside if m._exclude else inside
        return hit, np.where(hit, score * m.boost, 0.0)
    if kind is binary.UnionMatcher:
        (ha, sa), (hb, sb) = evaluate(seg, m.a), evaluate(seg, m.b)
        return ha | hb, sa + sb
    if kind is binary.IntersectionMatcher:
        (ha, sa), (hb, sb) = evaluate(seg, m.a), evaluate(seg, m.b)
        hit = ha & hb
        return hit, np.where(hit, sa + sb, 0.0)
    if kind is binary.AndMaybeMatcher:
        (ha, sa), (hb, sb) = evaluate(seg, m.a), evaluate(seg, m.b)
        return ha, np.where(ha, sa + sb, 0.0)
    if kind is combo.ArrayUnionMatcher:
        total = np.zeros(seg.size)
        for sub in m._submatchers:
            hit, score = evaluate(seg, sub)
            if m._scored:
                total = total + score * m._boost
            else:
                total[hit] = 1.0
        return total > 0, total
    raise Unsupported(kind.__name__)


def matches(searcher, q) -> tuple[np.ndarray, np.ndarray]:
    """(global docnums ascending, their scores) of every document matching ``q``, as Whoosh's
    collector would score them (deleted documents excluded)."""
    if not isinstance(searcher.weighting, scoring.BM25F) or searcher.weighting.use_final:
        raise Unsupported(type(searcher.weighting).__name__)
    context = searcher.context()
    docs, scores = [], []
    for subsearcher, offset in searcher.leaf_searchers():
        seg = _Segment(subsearcher)
        hit, score = evaluate(seg, q.matcher(subsearcher, context))
        found = np.flatnonzero(hit)
        docs.append(found + offset)
        scores.append(score[found])
    if not docs:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(docs), np.concatenate(scores)


def _as_mask(ids, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    if ids:
        arr = np.fromiter(ids, dtype=np.int64, count=len(ids))
        mask[arr[(arr >= 0) & (arr < size)]] = True
    return mask


def top(searcher, q, *, allowed=None, masked=None, limit: int | None = None
        ) -> tuple[list[tuple[int, float]], int]:
    """The best ``limit`` (None: all) matches of ``q`` among ``allowed`` (None: all) less
    ``masked``, as (global docnum, score), best first and, at equal scores, the lower docnum
    first (Whoosh's TopCollector); and how many matched in all."""
    docs, scores = matches(searcher, q)
    if allowed is not None or masked:
        size = searcher.doc_count_all()
        keep = _as_mask(allowed, size) if allowed is not None else np.ones(size, dtype=bool)
        if masked:
            keep &= ~_as_mask(masked, size)
        chosen = keep[docs]
        docs, scores = docs[chosen], scores[chosen]
    total = len(docs)
    if limit is not None and total > limit:  # the candidates for the top: no full sort
        cut = np.partition(scores, total - limit)[total - limit]
        chosen = scores >= cut
        docs, scores = docs[chosen], scores[chosen]
    order = np.lexsort((docs, -scores))
    if limit is not None:
        order = order[:limit]
    return [(int(docs[i]), float(scores[i])) for i in order], total


# ---- documents only (filters, exclusions) ---------------------------------------------------
def doc_set(searcher, q) -> set[int]:
    """The global docnums of every (live) document matching ``q``, unscored: for the filters
    and exclusions of a search (terms, ranges of numbers, And, Or)."""
    found = []
    for subsearcher, offset in searcher.leaf_searchers():
        seg = _Segment(subsearcher)
        found.append(np.flatnonzero(_doc_hits(seg, q)) + offset)
    return set(np.concatenate(found).tolist()) if found else set()


def _doc_hits(seg: _Segment, q) -> np.ndarray:
    kind = type(q)
    if kind is Q.Term:
        return _term_hits(seg, q.fieldname, q.text)
    if kind in (Q.And, Q.Or):
        parts = [_doc_hits(seg, sub) for sub in q.subqueries]
        if not parts:
            return np.zeros(seg.size, dtype=bool)
        return np.logical_and.reduce(parts) if kind is Q.And else np.logical_or.reduce(parts)
    if kind is Q.AndMaybe:
        return _doc_hits(seg, q.a)
    if kind is Q.AndNot:
        return _doc_hits(seg, q.a) & ~_doc_hits(seg, q.b)
    if kind is Q.NumericRange:
        return _doc_hits(seg, q._compile_query(seg.reader))
    if kind is Q.ConstantScoreQuery:
        return _doc_hits(seg, q.child)
    if kind is Q.TermRange:
        hits = np.zeros(seg.size, dtype=bool)
        for text in q._btexts(seg.reader):
            hits |= _term_hits(seg, q.fieldname, text)
        return hits
    if q is qcore.NullQuery:
        return np.zeros(seg.size, dtype=bool)
    raise Unsupported(kind.__name__)


def _term_hits(seg: _Segment, fieldname: str, text) -> np.ndarray:
    """Where the term is, as Term.matcher finds it (deleted documents left out)."""
    reader = seg.reader
    if fieldname not in reader.schema:
        return np.zeros(seg.size, dtype=bool)
    try:
        text = reader.schema[fieldname].to_bytes(text)
    except ValueError:
        return np.zeros(seg.size, dtype=bool)
    if (fieldname, text) not in reader:
        return np.zeros(seg.size, dtype=bool)
    return evaluate(seg, reader.postings(fieldname, text))[0]
