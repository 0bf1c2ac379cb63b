"""Thumbnails of photos for the indicator page, made once with Pillow and kept in the
server's data folder (never in the archive)."""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

SIZE = (240, 180)
#: larger images are not decoded for a thumbnail (a decompression bomb is refused)
MAX_PIXELS = 80_000_000


def thumbnail(path: Path, key: str, cache: Path) -> bytes | None:
    """A JPEG thumbnail of the image at ``path`` (None when it can't be read)."""
    name = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".jpg"
    kept = cache / name
    try:
        return kept.read_bytes()
    except OSError:
        pass
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as img:
            if img.width * img.height > MAX_PIXELS:
                return None
            img.draft("RGB", (SIZE[0] * 2, SIZE[1] * 2))
            img = ImageOps.exif_transpose(img)
            img.thumbnail(SIZE)
            buf = io.BytesIO()
            img.convert("RGB").save(buf, "JPEG", quality=80)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return None
    data = buf.getvalue()
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, kept)
    except OSError:
        pass
    return data
