"""Photos filed twice, and photos too small to print.

PHOTO_REUSED: the same photo under another name, in another indicator or another year of the
archive, resized, recompressed or given a caption band, is what inspectors catch. Two images are
the same photo when their content hashes are equal (an exact copy, any image), or, for photos,
when their pHash differs in at most :data:`PHASH_MAX` bits and their dHash in at most
:data:`DHASH_MAX` (:mod:`archive_tool.extract.image_facts`): measured, every such copy is within
a few bits, different photos twenty or more apart, but two shots of one scene a second apart
can be as close, so this is a warning for review, never a rejection. Each file of a pair is
told of the other. The rest of the archive (outside the scanned folder) and the other years of
a several-years archive (config ``years:``) are compared as their metadata cache last saw them.

PHOTO_TOO_SMALL: a photo whose long side is under 800 pixels cannot be read at print size.
"""
from __future__ import annotations

import functools
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Iterable, NamedTuple

from ..evidence import Finding
from ..extract.image_facts import MIN_LONG_SIDE
from ..store import CACHE_FILE
from .context import WARNING, LintContext, rule

PHASH_MAX, DHASH_MAX = 6, 12
#: the pHash cut into its eight bytes: two hashes within PHASH_MAX (6) bits differ in at most
#: six bytes, so at least two of their bytes are equal (pigeonhole). Each photo is filed under
#: each of the 28 pairs of its bytes (a 16-bit key); a photo's candidates are the photos filed
#: under the same key for one pair or more. A key names one in 65,536 photos: the candidates
#: of a photo are a handful, not a share of the archive (28 lookups a photo: the four 16-bit
#: parts and their one-bit neighbours took 68, and gave twice the candidates)
_BYTES = 8
_PAIRS = tuple((i, j) for i in range(_BYTES) for j in range(i + 1, _BYTES))
#: others named in one finding at most
SHOWN = 3


class Photo(NamedTuple):
    """A photo to compare (a tuple: tens of thousands are made for each lint)."""

    path: str
    year: str  # '' for this archive's own year
    content_hash: str
    phash: int
    dhash: int
    photo: bool  # kind photo (near copies are looked for among photos only)

    def label(self) -> str:
        parts = self.path.split("/")
        folder_ids = [p.split(" ", 1)[0] for p in parts[:-1] if " " in p]
        where = f"{folder_ids[-1]}/{parts[-1]}" if folder_ids else self.path
        return f"{where}（{self.year}）" if self.year else where


def _photo(path: str, year: str, content_hash: str, hashes: str | None, kind: str
           ) -> Photo | None:
    if not hashes or ":" not in hashes:
        return None
    p, d = hashes.split(":", 1)
    try:
        return Photo(path, year, content_hash, int(p, 16), int(d, 16), kind == "photo")
    except ValueError:
        return None  # a damaged cache row: the next scan of its archive reads it again


def _cached(root: Path, year: str, skip: str | None) -> list[Photo]:
    """The photos an archive's metadata cache knows (below ``skip`` excluded: scanned now)."""
    db_path = root / ".archive" / CACHE_FILE
    if not db_path.is_file():
        return []
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            rows = db.execute("SELECT path, hash, phash, kind FROM files "
                              "WHERE phash != ''").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return []  # unreadable, or made by an older version: the next scan rebuilds it
    out = []
    for path, content_hash, hashes, kind in rows:
        if skip is not None and (not skip or path == skip or path.startswith(skip + "/")):
            continue
        found = _photo(path, year, content_hash, hashes, kind)
        if found is not None:
            out.append(found)
    return out


def other_years(root: Path) -> list[tuple[str, Path]]:
    from ..config import ConfigError, is_years, load_years

    parent = root.parent
    if parent == root or not is_years(parent):
        return []
    try:
        joined = load_years(parent)
    except ConfigError:
        return []
    if root.name not in joined.years:
        return []
    return [(year, joined.year_root(year)) for year in joined.years if year != root.name]


def photos(ctx: LintContext) -> tuple[list[Photo], list[Photo]]:
    """(the scanned photos, the others to compare them with)."""
    result = ctx.result
    own = [p for ev in result.evidence if ev.phash
           and (p := _photo(ev.path, "", ev.content_hash, ev.phash, ev.kind)) is not None]
    others = _cached(result.root, "", result.scope) if result.scope else []
    for year, root in other_years(result.root):
        others += _cached(root, year, None)
    return own, others


def reused(own: list[Photo], others: list[Photo]) -> dict[str, tuple[Photo, list[Photo]]]:
    """path of each scanned photo -> (it, the other files that are the same photo)."""
    everyone = own + others
    by_content: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(everyone):
        by_content[item.content_hash].append(index)
    matches: dict[int, set[int]] = defaultdict(set)
    for i, item in enumerate(own):
        same = by_content[item.content_hash]
        if len(same) > 1:
            matches[i].update(same)
    for i, j in _near_pairs(own, everyone):
        matches[int(i)].add(int(j))
    found: dict[str, tuple[Photo, list[Photo]]] = {}
    for i in sorted(matches):
        item = own[i]
        for j in sorted(matches[i]):
            other = everyone[j]
            if other.path == item.path and other.year == item.year:
                continue
            found.setdefault(item.path, (item, []))[1].append(other)
    return found


def _near_pairs(own: list[Photo], everyone: list[Photo]):
    """(i, j): photo ``own[i]`` within PHASH_MAX and DHASH_MAX bits of ``everyone[j]``, found
    with arrays: the photos ordered by each pair of bytes of their pHash (a radix sort of
    16-bit keys), each own photo's key looked up in that order, the candidates' distances
    counted at once."""
    import numpy as np

    ours = [i for i, p in enumerate(own) if p.photo]
    theirs = [j for j, p in enumerate(everyone) if p.photo]
    if not ours or not theirs:
        return []
    ph = np.array([everyone[j].phash for j in theirs], dtype=np.uint64)
    dh = np.array([everyone[j].dhash for j in theirs], dtype=np.uint64)
    theirs_at = np.array(theirs)
    mine = np.array(ours)  # own[i] is everyone[i]: own comes first
    at = np.searchsorted(theirs_at, mine)  # each own photo's place among the photos
    ph_own, dh_own = ph[at], dh[at]
    bits = getattr(np, "bitwise_count", _popcount)  # numpy 2: one instruction a hash
    octets = [((ph >> np.uint64(8 * b)) & np.uint64(0xFF)).astype(np.uint16)
              for b in range(_BYTES)]
    pairs: set[tuple[int, int]] = set()
    for high, low in _PAIRS:
        keys = (octets[high] << np.uint16(8)) | octets[low]
        order = np.argsort(keys, kind="stable")
        # where each of the 65,536 keys begins in ``order`` (and ends: where the next begins)
        starts = np.concatenate(([0], np.cumsum(np.bincount(keys, minlength=1 << 16))))
        wanted = keys[at].astype(np.int64)
        lo = starts[wanted]
        counts = starts[wanted + 1] - lo
        total = int(counts.sum())
        rows = np.repeat(np.arange(len(ours)), counts)
        first = np.repeat(lo - (np.cumsum(counts) - counts), counts)
        cols = order[first + np.arange(total)]
        # each pair once: two own photos as (i, j) with i < j (both ways added below); the
        # others come after the own photos in ``everyone``
        keep = theirs_at[cols] > mine[rows]
        rows, cols = rows[keep], cols[keep]
        keep = bits(ph_own[rows] ^ ph[cols]) <= PHASH_MAX
        rows, cols = rows[keep], cols[keep]
        keep = bits(dh_own[rows] ^ dh[cols]) <= DHASH_MAX
        pairs.update(zip(mine[rows[keep]].tolist(), theirs_at[cols[keep]].tolist()))
    pairs.update([(j, i) for i, j in pairs if j < len(own)])
    return sorted(pairs)


@functools.cache
def _byte_bits():
    import numpy as np

    return np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)


def _popcount(values):
    """Bits set in each of an array of uint64."""
    import numpy as np

    return _byte_bits()[values.view(np.uint8).reshape(-1, 8)].sum(axis=1)


@rule("PHOTO_REUSED", WARNING, "同一张照片存了多处")
def photo_reused(ctx: LintContext) -> Iterable[Finding]:
    own, others = photos(ctx)
    if not own:
        return
    for path, (item, copies) in sorted(reused(own, others).items()):
        labels = [c.label() + ("（内容完全相同）" if c.content_hash == item.content_hash else "")
                  for c in copies[:SHOWN]]
        more = f" 等 {len(copies)} 处" if len(copies) > SHOWN else ""
        tail = labels[-1] + more
        gap = "" if tail.endswith("）") else " "
        yield ctx.finding("PHOTO_REUSED", path, f"与 {'、'.join(labels)}{more}{gap}为同一张照片",
                          "核对是否把同一张照片当作不同活动或不同年度的材料；每次活动请用当次"
                          "活动的照片，重复的一张可删除")


@rule("PHOTO_TOO_SMALL", WARNING, "照片像素过低，打印后看不清")
def photo_too_small(ctx: LintContext) -> Iterable[Finding]:
    for ev in ctx.result.evidence:
        if ev.kind == "photo" and ev.pixels and max(ev.pixels) < MIN_LONG_SIDE:
            width, height = ev.pixels
            yield ctx.finding("PHOTO_TOO_SMALL", ev.path,
                              f"照片只有 {width}×{height} 像素（长边不足 {MIN_LONG_SIDE}），"
                              "打印后看不清",
                              "换用原始照片（手机或相机里的原图，不要用聊天软件压缩过的图片）")
