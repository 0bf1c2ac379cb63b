"""Photos for the synthetic archives: distinct pictures as cameras and phones save them.

- camera photos: 1600 × 1200 JPEG with EXIF (Make, Model, Orientation, DateTimeOriginal) and
  the 160 × 120 thumbnail cameras embed in IFD1; a tenth are portrait shots stored landscape
  with Orientation 6, as phones store them;
- chat photos: 1280 × 960 JPEG without EXIF, at a lower quality (what WeChat sends on);
- copies of an earlier photo, resized, recompressed or given a caption band (PHOTO_REUSED).

Each picture is a smooth random field with a few shapes and a grain of noise: every one
different, with the byte size of a real photo of its size (a few hundred KB).
"""
from __future__ import annotations

import io
import random
import struct
from datetime import date

CAMERA_SIZE, CHAT_SIZE, THUMB_SIZE = (1600, 1200), (1280, 960), (160, 120)
CAMERAS = [("Canon", "Canon EOS 80D"), ("NIKON CORPORATION", "NIKON D7200"),
           ("HUAWEI", "ELE-AL00"), ("Xiaomi", "MI 9"), ("SONY", "ILCE-6000")]


class Grain:
    """Smooth backgrounds and noise textures, made once and cropped, turned and drawn on for
    each photo: every photo different without making a field and noise for each."""

    def __init__(self, rng: random.Random):
        from PIL import Image

        big = (CAMERA_SIZE[0] + 64, CAMERA_SIZE[1] + 64)
        self.tiles = [Image.effect_noise(big, rng.randrange(30, 60)).convert("RGB")
                      for _ in range(4)]
        self.fields = []
        for _ in range(24):
            field = Image.new("RGB", (6, 4))
            field.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(24)])
            side = max(big)  # square: turned any way, it still covers the photo
            self.fields.append(field.resize((side, side), Image.BICUBIC))

    def crop(self, rng: random.Random, pool: list, size: tuple[int, int]):
        tile = rng.choice(pool)
        x, y = rng.randrange(64), rng.randrange(64)
        return tile.crop((x, y, x + size[0], y + size[1]))


def picture(rng: random.Random, grain: Grain, size: tuple[int, int]):
    """A distinct RGB picture: a smooth field (turned any of eight ways), shapes, grain."""
    from PIL import Image, ImageDraw

    img = grain.crop(rng, grain.fields, (max(size), max(size)))
    turn = rng.randrange(8)
    if turn < 7:
        img = img.transpose(turn)
    img = img.crop((0, 0) + size)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randrange(5, 10)):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randrange(60, size[0] // 3), rng.randrange(60, size[1] // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + w, y + h), fill=colour)
        else:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
    return Image.blend(img, grain.crop(rng, grain.tiles, size), 0.12)


# ---- EXIF with a thumbnail ------------------------------------------------------------------
def _entry(tag: int, typ: int, count: int, value: bytes) -> tuple[int, int, int, bytes]:
    return tag, typ, count, value


def _ifd(entries: list, start: int, next_ifd: int) -> tuple[bytes, bytes]:
    """An IFD at ``start`` (its entries, then values longer than 4 bytes): (ifd, values)."""
    entries = sorted(entries)
    values_at = start + 2 + 12 * len(entries) + 4
    head, values = [struct.pack("<H", len(entries))], b""
    for tag, typ, count, value in entries:
        if len(value) <= 4:
            head.append(struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\x00"))
        else:
            head.append(struct.pack("<HHII", tag, typ, count, values_at + len(values)))
            values += value + (b"\x00" if len(value) % 2 else b"")
    head.append(struct.pack("<I", next_ifd))
    return b"".join(head), values


def _ascii(text: str) -> tuple[int, int, bytes]:
    data = text.encode("ascii") + b"\x00"
    return 2, len(data), data


def exif_block(make: str, model: str, taken: date, orientation: int, thumbnail: bytes) -> bytes:
    """A little-endian TIFF block: IFD0, the Exif IFD (DateTimeOriginal), IFD1 (the JPEG
    thumbnail), the thumbnail's bytes."""
    stamp = f"{taken:%Y:%m:%d} 10:00:00"
    ifd0 = [_entry(0x010F, *_ascii(make)), _entry(0x0110, *_ascii(model)),
            _entry(0x0112, 3, 1, struct.pack("<H", orientation)),
            _entry(0x0132, *_ascii(stamp)), _entry(0x8769, 4, 1, b"\x00" * 4)]
    exif = [_entry(0x9003, *_ascii(stamp)), _entry(0x9004, *_ascii(stamp))]
    # sizes first (offsets depend on them), then the real offsets
    size0 = len(_ifd(ifd0, 8, 0)[0]) + len(_ifd(ifd0, 8, 0)[1])
    exif_at = 8 + size0
    ifd0[-1] = _entry(0x8769, 4, 1, struct.pack("<I", exif_at))
    exif_bytes = b"".join(_ifd(exif, exif_at, 0))
    ifd1_at = exif_at + len(exif_bytes)
    ifd1 = [_entry(0x0103, 3, 1, struct.pack("<H", 6)),
            _entry(0x0201, 4, 1, b"\x00" * 4),
            _entry(0x0202, 4, 1, struct.pack("<I", len(thumbnail)))]
    ifd1_len = len(b"".join(_ifd(ifd1, ifd1_at, 0)))
    ifd1[1] = _entry(0x0201, 4, 1, struct.pack("<I", ifd1_at + ifd1_len))
    ifd0_bytes = b"".join(_ifd(ifd0, 8, ifd1_at))
    ifd1_bytes = b"".join(_ifd(ifd1, ifd1_at, 0))
    return (b"II*\x00" + struct.pack("<I", 8) + ifd0_bytes + exif_bytes + ifd1_bytes
            + thumbnail)


def _jpeg(img, quality: int, exif: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    if exif is None:
        img.save(buf, "JPEG", quality=quality)
    else:
        img.save(buf, "JPEG", quality=quality, exif=b"Exif\x00\x00" + exif)
    return buf.getvalue()


def camera_photo(rng: random.Random, grain: Grain, taken: date) -> bytes:
    """A camera's JPEG: EXIF with the date and a thumbnail; a tenth portrait (Orientation 6)."""
    from PIL import Image

    img = picture(rng, grain, CAMERA_SIZE)
    make, model = rng.choice(CAMERAS)
    orientation = 6 if rng.random() < 0.1 else 1
    thumb = img.resize(THUMB_SIZE, Image.BILINEAR)
    return _jpeg(img, 85, exif_block(make, model, taken, orientation, _jpeg(thumb, 75)))


def chat_photo(rng: random.Random, grain: Grain) -> bytes:
    """A photo as a chat program passes it on: smaller, recompressed, no EXIF."""
    return _jpeg(picture(rng, grain, CHAT_SIZE), 72)


def reused_copy(rng: random.Random, data: bytes) -> bytes:
    """Another copy of a photo: resized, recompressed, or given a white caption band."""
    from PIL import Image, ImageDraw

    img = Image.open(io.BytesIO(data)).convert("RGB")
    how = rng.randrange(3)
    if how == 0:
        img = img.resize((img.width * 3 // 4, img.height * 3 // 4), Image.LANCZOS)
    elif how == 2:
        band = Image.new("RGB", (img.width, img.height + img.height // 10), "white")
        band.paste(img, (0, 0))
        ImageDraw.Draw(band).rectangle((40, img.height + 20, img.width // 2, img.height + 50),
                                       fill="black")
        img = band
    return _jpeg(img, 70 if how == 1 else 80)
