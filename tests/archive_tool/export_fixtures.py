"""Real archives for the export tests: the committed sample (copied) and a small archive of two
years (2019年, 2020年) on a scored tree, with captioned JPEGs (Pillow + archive_tool's caption
writer), a dated docx (python-docx), a two-page PDF (reportlab), an xlsx (openpyxl), text files
whose names hold a full-width colon, an ASCII colon and HTML's special characters, and a
damaged photo."""
from __future__ import annotations

import io
import shutil
from datetime import date, datetime, timezone
from pathlib import Path

from openpyxl import Workbook

from archive_tool.captions import write_caption
from archive_tool.export.catalog import build_catalogue

from ..conftest import new_archive

from .scan_fixtures import docx, jpeg

REPO = Path(__file__).resolve().parents[2]
UNIT = "测试市生态环境局"
TREE = """
id: export-{year}
title: {year} 年创建任务
window: {{start: {year}-01-01, end: {year}-12-31}}
indicators:
  - id: I-1
    name: 思想政治建设
    score: 20
    children:
      - id: II-1
        name: 加强学习
        score: 12
        owners: [曲丽娟]
        requirements:
          - text: 每季度至少开展一次学习，提供现场照片
            rules: [{{kind: photo, period: quarter}}]
          - text: 建立学习制度
            rules: [{{kind: document}}]
      - id: II-2
        name: 部门评价
        score: 8
        requirements:
          - text: 由文明办评价
            rules: []
  - id: I-2
    name: 志愿服务
    score: 10
    children:
      - id: II-3
        name: 学雷锋志愿服务
        score: 10
        owners: [王峰]
        requirements:
          - text: 每半年至少一次志愿服务，提供现场照片，说明报告
            rules: [{{kind: photo, period: half}}, {{kind: any}}]
"""


def copy_sample(dest: Path) -> Path:
    """A copy of the committed sample (tests never write caches into the repository)."""
    shutil.copytree(REPO / "sample_archive", dest,
                    ignore=shutil.ignore_patterns("state.sqlite*", "index", "undo*",
                                                  "watch.log*"))
    return dest


def two_page_pdf(path: Path, title: str, created: str) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=True)
    for n in (1, 2):
        c.setFont("STSong-Light", 14)
        c.drawString(72, 720, f"{title} 第{n}页")
        c.showPage()
    c.save()
    data = buf.getvalue().replace(b"D:20000101000000+00'00'", f"D:{created}+08'00'".encode())
    path.write_bytes(data)
    return path


def _sheet(path: Path) -> Path:
    wb = Workbook()
    wb.active.append(["姓名", "单位（部门）"])
    wb.active.append(["张三", "办公室"])
    wb.save(path)
    return path


def _year(base: Path, year: int) -> Path:
    root = new_archive(base / "档案", TREE.format(year=year), unit=UNIT, name=f"{year}年")
    study = root / "I-1 思想政治建设" / "II-1 加强学习"
    for n, month in enumerate((3, 5), 1):
        photo = jpeg(study / f"{n:02d}：{month}月集中学习.jpg", colour=(40 * n, 120, 200))
        write_caption(photo, date(year, month, 10), UNIT, f"{month}月集中学习")
    docx(study / f"03：{year}年学习制度.docx", body=f"{year}年学习制度\n第一条 每月集中学习。",
         footer=f"03：{year}年学习制度",
         created=datetime(year, 2, 1, 2, 0, tzinfo=timezone.utc))
    two_page_pdf(study / "04：学习笔记汇编.pdf", "学习笔记汇编", f"{year}0620090000")
    volunteer = root / "I-2 志愿服务" / "II-3 学雷锋志愿服务"
    photo = jpeg(volunteer / "01：学雷锋进社区.jpg", colour=(200, 80, 60))
    write_caption(photo, date(year, 3, 5), "机关党委", "学雷锋进社区")
    (volunteer / f"02：{year}年6月5日 六五环境日&宣传<材料>.txt").write_text(
        "六五环境日宣传材料", encoding="utf-8")
    (volunteer / f"03:{year}年7月1日 志愿者名单.txt").write_text("张三", encoding="utf-8")
    _sheet(volunteer / f"04：{year}年9月1日 志愿者签到表.xlsx")
    (volunteer / "05：损坏的照片.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return root


def make_years(base: Path) -> Path:
    """档案/ joining 2019年 and 2020年; returns the folder of years."""
    for year in (2019, 2020):
        _year(base, year)
    top = base / "档案"
    (top / ".archive").mkdir()
    (top / ".archive" / "config.yaml").write_text("years: [2019年, 2020年]\n", encoding="utf-8")
    return top


def read(root: Path, years: str | None = None):
    """(catalogue, ArchiveYear list) as the export commands read them, on 2021-01-15."""
    from archive_tool import Archive, Years

    export = (Years.find(root) or Archive.open(root)).export
    data, _ = export.data(years=years, as_of=date(2021, 1, 15))
    return build_catalogue(data), data
