"""Sign-in sheets as paper: the ``new signin`` layout (title, 活动主题, 时间, a ruled table of
序号 / 姓名 / 单位（部门） / 职务 / 签名) drawn with Pillow and a CJK font, names typed in the
grid, rows of uneven height; then scanned or photographed (tilt, noise, JPEG artefacts) by
:mod:`.scan_pages`."""
from __future__ import annotations

from PIL import Image, ImageDraw

from .scan_pages import font

HEADINGS = ("序号", "姓名", "单位（部门）", "职务", "签名")
#: the columns' left edges and the table's right edge, in pixels of a 1240 px wide page
COLUMNS = (90, 190, 400, 760, 910, 1150)


def row_tops(count: int) -> list[int]:
    """The top of each row of the table (header first) and the bottom of the last."""
    tops = [310]
    for index in range(count):
        tops.append(tops[-1] + 64 + (index * 7) % 25)
    return tops


def smudge(img: Image.Image, row: int, col: int, columns=COLUMNS, radius: float = 3.2) -> None:
    """Blur the cell of body row ``row`` (1 = the first under the header), column ``col``, as a
    smudged or faint signature is: OCR still reads something, with a low score."""
    from PIL import ImageFilter

    tops = row_tops(row + 1)
    box = (columns[col] + 2, tops[row] + 2, columns[col + 1] - 2, tops[row + 1] - 2)
    img.paste(img.crop(box).filter(ImageFilter.GaussianBlur(radius)), box[:2])


def sheet_image(theme: str, when: str, rows: list[tuple[str, ...]], *, blank_rows: int = 2,
                headings=HEADINGS, columns=COLUMNS, size=(1240, 1240), text_size: int = 30,
                left_align: bool = False, face_index: int = 0) -> Image.Image:
    """A filled sheet: ``rows`` are (姓名, 单位（部门）, …) after the 序号 the sheet numbers;
    row heights vary from 64 to 88 px."""
    img = Image.new("L", size, 250)
    draw = ImageDraw.Draw(img)
    face = font(text_size, face_index)
    draw.text((size[0] // 2, 80), f"{theme}签到表", font=font(44, face_index), fill=20,
              anchor="mm")
    for y, line in ((150, f"活动主题：{theme}"), (200, "主办单位：临沂市环境保护局"),
                    (250, f"时间：{when}")):
        draw.text((columns[0], y), line, font=face, fill=20)
    cells = [list(headings)] + [[str(n), *row] + [""] * (len(headings) - 1 - len(row))
                                for n, row in enumerate(rows, 1)]
    cells += [[str(n)] + [""] * (len(headings) - 1)
              for n in range(len(rows) + 1, len(rows) + 1 + blank_rows)]
    tops = row_tops(len(cells))
    for y in tops:
        draw.line([(columns[0], y), (columns[-1], y)], fill=30, width=2)
    for x in columns:
        draw.line([(x, tops[0]), (x, tops[-1])], fill=30, width=2)
    for index, values in enumerate(cells):
        middle = (tops[index] + tops[index + 1]) // 2
        for col, text in enumerate(values):
            if not text:
                continue
            if left_align and index and col:
                draw.text((columns[col] + 14, middle), text, font=face, fill=20, anchor="lm")
            else:
                draw.text(((columns[col] + columns[col + 1]) // 2, middle), text, font=face,
                          fill=20, anchor="mm")
    return img


def photographed(img: Image.Image, *, tilt: float = 1.5, noise: float = 14,
                 seed: int = 1) -> Image.Image:
    """As a phone or a copier leaves it: noise, then a slight tilt."""
    import numpy as np

    rng = np.random.default_rng(seed)
    noisy = np.asarray(img, dtype=np.int16) + rng.normal(0, noise, (img.size[1], img.size[0]))
    img = Image.fromarray(np.clip(noisy, 0, 255).astype("uint8"))
    return img.rotate(tilt, expand=True, fillcolor=235, resample=Image.BICUBIC)
