"""What the pixels of a photo say: its size and its perceptual hashes (pHash, dHash).

The hashes find the same photo filed twice though resized, recompressed or given a caption band
(rule PHOTO_REUSED, :mod:`archive_tool.lint.reuse`). They are computed from a small decode:
Pillow's draft mode lets libjpeg decode a JPEG at 1/8 of its size (a 12-megapixel photo becomes
500 × 375 pixels), which is all a 32 × 32 pHash needs. The photo is turned upright first (EXIF
orientation), so a copy whose pixels were rotated by an editor hashes the same, and bands of
nearly one colour along its top and bottom edges are cut off (:func:`trim_bands`), so a copy
given a caption band (白底黑字 or 红底白字 under the photo) hashes as the photo. Computed once
per content hash (:mod:`archive_tool.derive`).
"""
from __future__ import annotations

import os
import warnings

#: bump when the hashes are computed otherwise: every image is hashed again
VERSION = 1
#: a row is "flat" when this share of its pixels lie within BAND_TOLERANCE grey levels of its
#: median; a band is a run of rows from an edge at least BAND_FLAT flat (its text lines are not)
BAND_SHARE, BAND_TOLERANCE, BAND_FLAT = 0.7, 10, 0.7
#: never cut more than this share of the height from one edge
BAND_MOST = 0.25
#: an image whose grey levels vary less than this (standard deviation) is blank: every blank
#: image has the same hashes, so none are kept
MIN_CONTRAST = 6.0
#: a photo whose long side is shorter than this cannot be read at print size (PHOTO_TOO_SMALL)
MIN_LONG_SIDE = 800


def image_facts(path: str | os.PathLike) -> dict | None:
    """``{"pixels": [w, h], "phash": hex, "dhash": hex}`` of an image, or None when Pillow
    cannot decode it (HEIC without a plugin, a damaged file: scan reports those already)."""
    import imagehash
    from PIL import Image, ImageOps, ImageStat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as img:
                size = img.size
                if img.format == "JPEG":
                    img.draft("L", (64, 64))
                small = trim_bands(ImageOps.exif_transpose(img).convert("L"))
                facts: dict = {"pixels": [int(size[0]), int(size[1])]}
                if ImageStat.Stat(small).stddev[0] >= MIN_CONTRAST:  # a blank image: no hash
                    facts.update(phash=str(imagehash.phash(small)),
                                 dhash=str(imagehash.dhash(small)))
                return facts
    except Exception:  # noqa: BLE001 - Pillow's plugins raise many types on bad input
        return None


def _band(flat) -> int:
    """Rows from the start of ``flat`` (booleans) that form a band: the longest run, within
    BAND_MOST of the height, ending on a flat row and flat for at least BAND_FLAT of it."""
    limit = int(len(flat) * BAND_MOST)
    for end in range(limit, 0, -1):
        if flat[end - 1] and flat[:end].mean() >= BAND_FLAT:
            return end
    return 0


def trim_bands(gray):
    """``gray`` (mode L) without the bands of nearly one colour along its top and bottom."""
    import numpy as np

    rows = np.asarray(gray, dtype=np.int16)
    if rows.shape[0] < 8:
        return gray
    median = np.median(rows, axis=1, keepdims=True)
    flat = (np.abs(rows - median) <= BAND_TOLERANCE).mean(axis=1) >= BAND_SHARE
    top, bottom = _band(flat), _band(flat[::-1])
    if top + bottom >= rows.shape[0] - 4:  # a blank image: nothing to cut
        return gray
    return gray.crop((0, top, gray.size[0], gray.size[1] - bottom))


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex hashes of the same length."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
