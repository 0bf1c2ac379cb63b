"""Builders of real archives for the scan and lint tests (python-docx, Pillow, reportlab)."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from docx import Document
from PIL import Image

from ..conftest import UNIT, leaf, new_archive  # noqa: F401 - leaf and UNIT: for the tests

TREE = """
id: demo-2018
title: 示例指标体系
window: {start: 2018-01-01, end: 2018-12-31}
indicators:
  - id: I-1
    name: 思想政治建设
    children:
      - id: II-1
        name: 加强学习
        owners: [曲丽娟]
        requirements:
          - text: 组织学习。
            note: 每季度至少开展一次活动。
      - id: II-2
        name: 志愿服务
        owners: [王峰]
        requirements:
          - 提供4张现场照片，2张样报图片或电视截屏或网络截图，每张图片需注明活动时间、主办单位、活动主题
          - 说明报告，400字左右
"""


def make_archive(tmp_path: Path) -> Path:
    return new_archive(tmp_path, TREE, name="archive")


def docx(path: Path, body: str = "正文", footer: str | None = None, created=None) -> Path:
    doc = Document()
    for line in body.split("\n"):
        doc.add_paragraph(line)
    if footer is not None:
        doc.sections[0].footer.paragraphs[0].text = footer
    if created is not None:
        doc.core_properties.created = created
    doc.save(path)
    return path


def jpeg(path: Path, exif_date: date | None = None, colour=(120, 160, 200)) -> Path:
    """A plain photo of print size; its path in a JPEG comment makes each one a file of its own
    (two same bytes would be the same photo filed twice: PHOTO_REUSED)."""
    img = Image.new("RGB", (800, 600), colour)
    exif = img.getexif()
    if exif_date:
        exif.get_ifd(0x8769)[0x9003] = exif_date.strftime("%Y:%m:%d 09:30:00")
    img.save(path, "JPEG", exif=exif, comment=str(path).encode("utf-8"))
    return path


def scene(seed: int, size=(1600, 1200)) -> Image.Image:
    """A photo-like picture: blurred shapes placed by ``seed`` and sensor noise (two seeds give
    two different photos)."""
    import random

    from PIL import ImageDraw, ImageFilter

    rng = random.Random(seed)
    img = Image.new("RGB", (400, 300), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(25):
        x, y, r = rng.randrange(400), rng.randrange(300), rng.randrange(10, 120)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(3)).resize(size, Image.BICUBIC)
    return Image.blend(img, Image.effect_noise(size, 30).convert("RGB"), 0.15)


def scene_jpeg(path: Path, seed: int, size=(1600, 1200), quality: int = 90) -> Path:
    scene(seed, size).save(path, "JPEG", quality=quality)
    return path


def pdf(path: Path, text: str | None = "六五环境日主题宣传活动", title: str = "") -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    if title:
        c.setTitle(title)
    if text:
        c.setFont("STSong-Light", 14)
        c.drawString(72, 720, text)
    else:
        c.rect(72, 600, 200, 100, fill=1)  # an image-only "scan"
    c.save()
    path.write_bytes(buf.getvalue())
    return path
