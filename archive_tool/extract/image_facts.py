"""What the pixels of a photo say: its size and its perceptual hashes (pHash, dHash).

The hashes find the same photo filed twice though resized, recompressed or given a caption band
(rule PHOTO_REUSED, :mod:`archive_tool.lint.reuse`). They are computed from a small decode:
Pillow's draft mode lets libjpeg decode a JPEG at 1/8 of its size (a 12-megapixel photo becomes
500 × 375 pixels), which is all a 32 × 32 pHash needs; a camera photo's EXIF thumbnail
(160 × 120, decoded fifty times faster) is used instead when it has the photo's shape (on
photos with a resized copy, the hashes of the two ways differ as little as two decodes of
the photo and its copy do). The photo is turned upright first (EXIF
orientation), so a copy whose pixels were rotated by an editor hashes the same, and bands of
nearly one colour along its top and bottom edges are cut off (:func:`trim_bands`), so a copy
given a caption band (白底黑字 or 红底白字 under the photo) hashes as the photo. Computed once
per content hash (:mod:`archive_tool.derive`).
"""
from __future__ import annotations

import os
import warnings

#: bump when the hashes are computed otherwise: every image is hashed again
VERSION = 2
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


def image_facts(path: str | os.PathLike, thumbnails: bool = True) -> dict | None:
    """``{"pixels": [w, h], "phash": hex, "dhash": hex}`` of an image, or None when Pillow
    cannot decode it (HEIC without a plugin, a damaged file: scan reports those already).
    ``thumbnails``: hash a camera photo's EXIF thumbnail when it shows the whole photo."""
    import imagehash
    from PIL import Image, ImageOps, ImageStat

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as img:
                size = img.size
                small = _exif_thumbnail(img) if thumbnails and img.format == "JPEG" else None
                if small is None:
                    if img.format == "JPEG":
                        img.draft("L", (64, 64))
                    small = ImageOps.exif_transpose(img)
                small = trim_bands(small.convert("L"))
                facts: dict = {"pixels": [int(size[0]), int(size[1])]}
                if ImageStat.Stat(small).stddev[0] >= MIN_CONTRAST:  # a blank image: no hash
                    facts.update(phash=str(imagehash.phash(small)),
                                 dhash=str(imagehash.dhash(small)))
                return facts
    except Exception:  # noqa: BLE001 - Pillow's plugins raise many types on bad input
        return None


def facts_of(paths: list[str]) -> list[dict | None]:
    """:func:`image_facts` of several images: one task of a worker process."""
    return [image_facts(path) for path in paths]


#: EXIF orientation -> the transpose that turns the picture upright
_UPRIGHT = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}  # Image.Transpose values
#: a thumbnail is used when its sides are at least this long and its shape the photo's
THUMB_MIN, THUMB_SHAPE = 64, 0.02


def _exif_thumbnail(img):
    """The upright EXIF thumbnail of a JPEG (cameras embed one of 160 × 120), or None when
    there is none or it does not have the photo's shape (a photo cropped or given a band after
    the camera made the thumbnail). Decoding it costs a fiftieth of decoding the photo."""
    import io

    from PIL import ExifTags, Image

    raw = img.info.get("exif")
    if not raw or not raw.startswith(b"Exif\x00\x00"):
        return None
    exif = img.getexif()
    ifd1 = exif.get_ifd(ExifTags.IFD.IFD1)
    start, length = ifd1.get(0x0201), ifd1.get(0x0202)
    if not isinstance(start, int) or not isinstance(length, int) or length <= 0:
        return None
    data = raw[6 + start:6 + start + length]
    if len(data) != length:
        return None
    thumb = Image.open(io.BytesIO(data))
    thumb.load()
    (width, height), (tw, th) = img.size, thumb.size
    if min(tw, th) < THUMB_MIN or abs(tw * height - th * width) > THUMB_SHAPE * width * th:
        return None
    turn = _UPRIGHT.get(exif.get(0x0112))
    return thumb.transpose(Image.Transpose(turn)) if turn is not None else thumb


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
