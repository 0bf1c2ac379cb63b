"""Build a large synthetic archive of real files on the linyi-2018 tree, for the benchmarks.

    python benchmarks/synth.py DEST [--files 10000] [--seed 0]

Mix: ~40 % JPEG photos (most captioned through archive_tool.captions, some not), ~35 % docx
(made from one python-docx template whose XML parts are rewritten per file: real, valid
documents with body text and a footer), ~20 % PDF (reportlab, Chinese CID font), ~5 % txt and
PNG. About 5 % of names are malformed. Dates spread over 2018.
"""
from __future__ import annotations

import argparse
import io
import random
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

THEMES = ["学雷锋志愿服务", "六五环境日宣传", "道德讲堂", "文明出行宣传", "领导小组会议",
          "党风廉政教育", "我们的节日·端午", "身边好人事迹宣讲", "文体活动", "安全教育培训",
          "普法教育", "节约用水宣传", "文明餐桌行动", "结亲连心走访", "网络文明传播",
          "诚信主题实践", "业务培训", "卫生评比", "谈心谈话", "核心价值观宣讲"]
PEOPLE = ["张晓明", "曲丽娟", "王峰", "秦增诗", "凌绫", "刘巍", "王德学"]
BODY = ("为深入贯彻落实文明单位创建工作要求，{unit}于{day}组织开展{theme}活动。活动由{who}主持，"
        "全体干部职工参加。通过本次活动，进一步提升了干部职工的文明素养和业务水平，"
        "营造了浓厚的创建氛围。下一步将持续推进，形成长效机制。")
UNIT = "临沂市环境保护局"


def _docx_template() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("@@TITLE@@")
    doc.add_paragraph("@@BODY@@")
    doc.sections[0].footer.paragraphs[0].text = "@@FOOTER@@"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _write_docx(template: bytes, path: Path, title: str, body: str, footer: str,
                created: str = "2018-01-01T00:00:00Z") -> None:
    with zipfile.ZipFile(io.BytesIO(template)) as src, zipfile.ZipFile(path, "w",
                                                                       zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"@@TITLE@@", escape(title).encode()).replace(
                    b"@@BODY@@", escape(body).encode())
            elif item.filename == "docProps/core.xml":
                data = data.replace(b"2013-12-23T23:15:00Z", b"@@CREATED@@")
                data = data.replace(b"@@CREATED@@", created.encode())
            elif item.filename.startswith("word/footer"):
                data = data.replace(b"@@FOOTER@@", escape(footer).encode())
            dst.writestr(item, data)


def _jpeg_variants(rng: random.Random, count: int = 8) -> list[bytes]:
    from PIL import Image

    out = []
    for _ in range(count):
        img = Image.new("RGB", (800, 600), tuple(rng.randrange(256) for _ in range(3)))
        noise = Image.effect_noise((800, 600), rng.randrange(20, 60)).convert("RGB")
        img = Image.blend(img, noise, 0.4)
        exif = img.getexif()
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=80, exif=exif)
        out.append(buf.getvalue())
    return out


def _set_exif_date(data: bytes, when: date) -> bytes:
    """Return JPEG bytes with DateTimeOriginal set (re-encodes: only for synthetic inputs)."""
    from PIL import Image

    img = Image.open(io.BytesIO(data))
    exif = img.getexif()
    exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d 10:00:00")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80, exif=exif)
    return buf.getvalue()


def _pdf(text: str, title: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setTitle(title)
    c.setFont("STSong-Light", 12)
    y = 780
    for start in range(0, len(text), 38):
        c.drawString(50, y, text[start:start + 38])
        y -= 18
    c.save()
    return buf.getvalue()


def build_archive(dest: Path, n_files: int = 10000, seed: int = 0, progress=None) -> Path:
    """Create (or fill) an archive at ``dest`` with ``n_files`` evidence files; return ``dest``."""
    from archive_tool.captions import write_caption
    from archive_tool.scaffold import init_archive
    from indicator_tree import load_shipped

    dest = Path(dest)
    rng = random.Random(seed)
    init_archive(dest, "linyi-2018", unit=UNIT)
    tree = load_shipped("linyi-2018")
    leaves = []
    for leaf in tree.leaves():
        parts = [ind for ind in tree.path(leaf.id)]
        folder = dest
        for ind in parts:
            matches = [p for p in folder.iterdir() if p.name.split(" ", 1)[0] == ind.id]
            folder = matches[0]
        leaves.append(folder)
    template = _docx_template()
    jpegs = _jpeg_variants(rng)
    dated_jpegs = {}
    counters: dict[Path, int] = {}
    start = date(2018, 1, 1)
    for i in range(n_files):
        folder = leaves[i % len(leaves)]
        seq = counters.get(folder, 0) + 1
        counters[folder] = seq
        theme = rng.choice(THEMES)
        day = start + timedelta(days=rng.randrange(365))
        who = rng.choice(PEOPLE)
        roll = rng.random()
        good_name = rng.random() > 0.05
        stem = (f"{seq:02d}：{day.year}年{day.month}月{theme}{i}" if good_name
                else f"{theme}{i}")
        if roll < 0.40:
            path = folder / f"{stem}.jpg"
            key = (i % len(jpegs), day.month)
            if key not in dated_jpegs:
                dated_jpegs[key] = _set_exif_date(jpegs[key[0]], day.replace(day=1))
            path.write_bytes(dated_jpegs[key])
            caption_roll = rng.random()
            if caption_roll < 0.78:
                write_caption(path, day, UNIT, theme)
            elif caption_roll < 0.85:  # a partial caption in a sidecar: no organizer
                (folder / f"{stem}.jpg.txt").write_text(
                    f"时间：{day.year}年{day.month}月{day.day}日；主题：{theme}", encoding="utf-8")
        elif roll < 0.75:
            report = rng.random() < 0.2
            title = f"{theme}说明报告" if report else f"关于开展{theme}活动的通知"
            body = BODY.format(unit=UNIT, day=f"{day.year}年{day.month}月{day.day}日",
                               theme=theme, who=who) * (rng.randrange(1, 6))
            name = f"{stem}说明报告" if report else stem
            footer = name if rng.random() < 0.8 else ""
            _write_docx(template, folder / f"{name}.docx", title, body, footer,
                        created=f"{day.isoformat()}T02:00:00Z")
        elif roll < 0.95:
            body = BODY.format(unit=UNIT, day=f"{day.year}年{day.month}月{day.day}日",
                               theme=theme, who=who)
            (folder / f"{stem}.pdf").write_bytes(_pdf(body, theme))
        elif roll < 0.975:
            (folder / f"{stem}.txt").write_text(
                f"{theme}\n{BODY.format(unit=UNIT, day=day, theme=theme, who=who)}",
                encoding="utf-8")
        else:
            path = folder / f"{stem}截图.png"
            from PIL import Image
            Image.new("RGB", (320, 200), (240, 240, 240)).save(path)
        if progress and (i + 1) % 500 == 0:
            progress(i + 1, n_files)
    return dest


WORK = Path(__file__).resolve().parent / "_work"


def cached_archive(n_files: int = 10000, seed: int = 0) -> Path:
    """A synthetic archive under benchmarks/_work/, built once and reused by every benchmark.

    The benchmarks that change files work on a copy (``shutil.copytree``) of this one.
    """
    dest = WORK / f"synth-{n_files}-{seed}"
    done = dest / ".archive" / "synth-complete"
    if not done.exists():
        if dest.exists():
            import shutil
            shutil.rmtree(dest)
        t0 = time.perf_counter()
        build_archive(dest, n_files, seed,
                      progress=lambda d, n: print(f"  building synthetic archive {d}/{n}",
                                                  file=sys.stderr))
        done.write_text(f"{time.perf_counter() - t0:.1f} s\n")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.dest.exists() and any(args.dest.iterdir()):
        sys.exit(f"{args.dest} is not empty")
    t0 = time.perf_counter()
    build_archive(args.dest, args.files, args.seed,
                  progress=lambda d, n: print(f"  {d}/{n}", file=sys.stderr))
    print(f"built {args.files} files in {time.perf_counter() - t0:.1f} s at {args.dest}")


if __name__ == "__main__":
    main()
