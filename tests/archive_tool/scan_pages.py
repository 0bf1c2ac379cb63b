"""Scanned-looking pages of Chinese text, rendered with Pillow and a CJK font from Debian's
packages (fonts-wqy-zenhei, fonts-noto-cjk): noise, a slight tilt and JPEG artefacts, as a
copier or a phone leaves them; and image-only PDFs of such pages (reportlab)."""
from __future__ import annotations

import difflib
import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
         "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTICE = ["关于开展2018年学雷锋志愿服务活动的通知",
          "各科室、各直属单位：",
          "为弘扬雷锋精神，经局党组研究，决定组织开展",
          "学雷锋志愿服务活动。现将有关事项通知如下：",
          "一、活动时间：2018年3月5日上午九时",
          "二、活动地点：市民广场及周边社区",
          "三、参加人员：机关全体党员干部职工",
          "临沂市环境保护局办公室",
          "2018年3月1日"]


def font(size: int, first: int = 0) -> ImageFont.FreeTypeFont:
    """The first installed of FONTS, trying ``FONTS[first]`` first (another face)."""
    for path in FONTS[first:] + FONTS[:first]:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei)")


def page_image(lines: list[str], *, seed: int = 1, tilt: float = 1.2, noise: float = 18,
               size=(1240, 900), text_size: int = 34) -> Image.Image:
    """A scanned-looking page: grey text on paper, noise, tilted."""
    import numpy as np

    img = Image.new("L", size, 250)
    draw = ImageDraw.Draw(img)
    face = font(text_size)
    y = 50
    for line in lines:
        draw.text((80, y), line, font=face, fill=25)
        y += int(text_size * 2)
    rng = np.random.default_rng(seed)
    noisy = np.asarray(img, dtype=np.int16) + rng.normal(0, noise, (size[1], size[0]))
    img = Image.fromarray(np.clip(noisy, 0, 255).astype("uint8"))
    return img.rotate(tilt, expand=True, fillcolor=235, resample=Image.BICUBIC)


def jpeg_bytes(img: Image.Image, quality: int = 35) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def scanned_pdf(path: Path, pages: list[Image.Image]) -> Path:
    """An image-only PDF: each page one JPEG, no text layer (as a copier makes it)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for img in pages:
        c.drawImage(ImageReader(io.BytesIO(jpeg_bytes(img))), 20, 100, width=555,
                    height=555 * img.size[1] / img.size[0])
        c.showPage()
    c.save()
    return path


def accuracy(expected: str, got: str) -> float:
    """Share of the expected characters found in order (whitespace ignored)."""
    want = "".join(expected.split())
    have = "".join(got.split())
    matcher = difflib.SequenceMatcher(None, want, have, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(want)
