"""Build a large synthetic archive of real files on the linyi-2018 tree, for the benchmarks.

    python benchmarks/synth.py DEST [--files 10000] [--years 1] [--seed 0]

``--years 3`` makes a several-years archive: DEST holds a config joining the archives 2016年,
2017年 and 2018年 (``years:``), each one year of the tree with the files shared among them.

Folders as staff fill them: each leaf holds its own documents (notices, plans, reports, a
screenshot of a newspaper: a few dozen to a few hundred files) and activity folders named by
date (``2018-03-05 学雷锋志愿服务``) holding one activity's photos, record, sign-in sheet and
report (8 to 60 files). Files are numbered as staff number them: 01, 02 … in each folder, with
a number now and then skipped or given twice, a name without a number, a single digit, a 、 or
an ASCII colon instead of the full-width one, a camera's own name left as it was.

Mix: ~45 % photos (JPEG: camera photos with EXIF and an embedded thumbnail, chat photos without;
most captioned through archive_tool.captions, some by a sidecar, some not; ~3 % copies of an
earlier photo, resized, recompressed or with a caption band), ~30 % docx (one python-docx
template whose XML parts are rewritten per file: real documents with body text and a footer),
~20 % PDF (reportlab, Chinese CID font), a few txt and PNG screenshots.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth_photos as photos  # noqa: E402

THEMES = ["学雷锋志愿服务", "六五环境日宣传", "道德讲堂", "文明出行宣传", "领导小组会议",
          "党风廉政教育", "我们的节日·端午", "身边好人事迹宣讲", "文体活动", "安全教育培训",
          "普法教育", "节约用水宣传", "文明餐桌行动", "结亲连心走访", "网络文明传播",
          "诚信主题实践", "业务培训", "卫生评比", "谈心谈话", "核心价值观宣讲"]
LEAF_DOCS = ["关于开展{t}活动的通知", "{t}实施方案", "{t}工作制度", "{t}工作总结", "{t}会议纪要",
             "{t}说明报告", "{t}工作台账", "{t}样报截图"]
PEOPLE = ["张晓明", "曲丽娟", "王峰", "秦增诗", "凌绫", "刘巍", "王德学"]
BODY = ("为深入贯彻落实文明单位创建工作要求，{unit}于{day}组织开展{theme}活动。活动由{who}主持，"
        "全体干部职工参加。通过本次活动，进一步提升了干部职工的文明素养和业务水平，"
        "营造了浓厚的创建氛围。下一步将持续推进，形成长效机制。")
UNIT = "临沂市环境保护局"
TREE = "linyi-2018"
#: the years of a several-years archive end with the tree's own
LAST_YEAR = 2018

WORK = Path(__file__).resolve().parent / "_work"


# ---- documents ------------------------------------------------------------------------------
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
                data = data.replace(b"2013-12-23T23:15:00Z", created.encode())
            elif item.filename.startswith("word/footer"):
                data = data.replace(b"@@FOOTER@@", escape(footer).encode())
            dst.writestr(item, data)


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


# ---- names as staff number them -------------------------------------------------------------
class Numbering:
    """The numbers of one folder: 01, 02 … with the slips staff make."""

    def __init__(self, rng: random.Random):
        self.rng, self.seq = rng, 0

    def name(self, stem: str, ext: str) -> str:
        roll = self.rng.random()
        if roll < 0.015 and self.seq:
            return f"{self.seq:02d}：{stem}{ext}"  # a number given twice
        self.seq += 2 if roll < 0.035 else 1  # now and then one skipped
        if roll < 0.06:
            return f"{stem}{ext}"  # no number
        if roll < 0.07:
            return f"{self.seq}、{stem}{ext}"
        if roll < 0.08 and self.seq < 10:
            return f"{self.seq}：{stem}{ext}"
        if roll < 0.09:
            return f"{self.seq:02d}:{stem}{ext}"
        return f"{self.seq:02d}：{stem}{ext}"


# ---- one year -------------------------------------------------------------------------------
class _Year:
    """Fills the folders of one year's archive."""

    def __init__(self, root: Path, year: int, rng: random.Random, shared: dict):
        self.root, self.year, self.rng, self.shared = root, year, rng, shared
        self.template = shared.setdefault("template", _docx_template())
        self.grain = shared.setdefault("grain", photos.Grain(rng))
        self.made = 0

    def day(self) -> date:
        return date(self.year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def photo(self, folder: Path, name: str, day: date, theme: str) -> None:
        from archive_tool.captions import write_caption

        rng, earlier = self.rng, self.shared.setdefault("photos", [])
        path = folder / name
        if earlier and rng.random() < 0.03:
            data = photos.reused_copy(rng, rng.choice(earlier))
        elif rng.random() < 0.6:
            data = photos.camera_photo(rng, self.grain, day)
        else:
            data = photos.chat_photo(rng, self.grain)
        if len(earlier) < 200 and rng.random() < 0.1:
            earlier.append(data)
        path.write_bytes(data)
        roll = rng.random()
        if roll < 0.78:
            write_caption(path, day, UNIT, theme)
        elif roll < 0.85:  # a partial caption in a sidecar: no organizer
            (folder / f"{name}.txt").write_text(
                f"时间：{day.year}年{day.month}月{day.day}日；主题：{theme}", encoding="utf-8")

    def document(self, folder: Path, name: str, day: date, theme: str, title: str) -> None:
        rng = self.rng
        body = BODY.format(unit=UNIT, day=f"{day.year}年{day.month}月{day.day}日", theme=theme,
                           who=rng.choice(PEOPLE))
        stem, ext = os.path.splitext(name)
        if ext == ".docx":
            footer = stem if rng.random() < 0.8 else ""
            _write_docx(self.template, folder / name, title, body * rng.randrange(1, 6), footer,
                        created=f"{day.isoformat()}T02:00:00Z")
        elif ext == ".pdf":
            (folder / name).write_bytes(_pdf(body, title))
        elif ext == ".txt":
            (folder / name).write_text(f"{title}\n{body}", encoding="utf-8")
        else:
            from PIL import Image

            Image.new("RGB", (900, 1400), (240, 240, 240)).save(folder / name)

    def activity(self, leaf: Path, size: int) -> None:
        rng, day, theme = self.rng, self.day(), self.rng.choice(THEMES)
        name = (f"{day:%Y-%m-%d} {theme}" if rng.random() < 0.85
                else f"{day:%Y-%m} {theme}")
        folder = leaf / name
        folder.mkdir(exist_ok=True)
        numbers = Numbering(rng)
        papers = [(f"{theme}活动记录", ".docx"), (f"{theme}签到表", ".pdf")]
        if rng.random() < 0.4:
            papers.append((f"{theme}说明报告", ".docx"))
        for stem, ext in papers[:size]:
            self.document(folder, numbers.name(stem, ext), day, theme, stem)
        for k in range(1, size - len(papers) + 1):
            if rng.random() < 0.05:  # a camera's own name, never renamed
                self.photo(folder, f"IMG_{day:%Y%m%d}_{rng.randrange(80000, 180000):06d}.jpg",
                           day, theme)
            else:
                self.photo(folder, numbers.name(f"{theme}现场照片{k}", ".jpg"), day, theme)
        self.made += size

    def leaf_documents(self, leaf: Path, count: int, numbers: Numbering) -> None:
        rng = self.rng
        for _ in range(count):
            theme, day = rng.choice(THEMES), self.day()
            stem = rng.choice(LEAF_DOCS).format(t=theme)
            if rng.random() < 0.5:
                stem = f"{day.year}年{day.month}月{stem}"
            roll = rng.random()
            ext = (".png" if stem.endswith("截图") else ".docx" if roll < 0.6
                   else ".pdf" if roll < 0.95 else ".txt")
            self.document(leaf, numbers.name(stem, ext), day, theme, stem)
        self.made += count

    def fill(self, leaves: list[Path], n_files: int, progress) -> None:
        rng = self.rng
        weights = [rng.uniform(0.5, 2.0) for _ in leaves]
        total = sum(weights)
        for leaf, weight in zip(leaves, weights):
            quota = max(1, round(n_files * weight / total))
            numbers = Numbering(rng)
            direct = max(1, quota // 4)
            self.leaf_documents(leaf, direct, numbers)
            left = quota - direct
            while left > 0:
                size = min(left, rng.randrange(8, 61))
                self.activity(leaf, size)
                left -= size
                if progress:
                    progress(self.made, n_files)


def _leaf_folders(root: Path) -> list[Path]:
    from indicator_tree import load_shipped

    tree = load_shipped(TREE)
    leaves = []
    for leaf in tree.leaves():
        folder = root
        for ind in tree.path(leaf.id):
            folder = next(p for p in folder.iterdir() if p.name.split(" ", 1)[0] == ind.id)
        leaves.append(folder)
    return leaves


def _year_archive(root: Path, year: int) -> None:
    from archive_tool.config import config_text, config_path
    from archive_tool.scaffold import init_archive

    init_archive(root, TREE, unit=UNIT)
    if year != LAST_YEAR:
        config_path(root).write_text(
            config_text("tree.yaml", UNIT, window=(date(year, 1, 1), date(year, 12, 31))),
            encoding="utf-8")


def build_archive(dest: Path, n_files: int = 10000, seed: int = 0, progress=None,
                  years: int = 1) -> Path:
    """Create an archive (``years`` 1) or a folder of ``years`` year archives at ``dest`` with
    ``n_files`` evidence files in all; return ``dest``."""
    dest = Path(dest)
    rng = random.Random(seed)
    shared: dict = {}
    labels = [LAST_YEAR - years + 1 + i for i in range(years)]
    done = 0
    for i, year in enumerate(labels):
        root = dest if years == 1 else dest / f"{year}年"
        share = n_files // years + (n_files % years if i == years - 1 else 0)
        _year_archive(root, year)
        filler = _Year(root, year, rng, shared)
        filler.fill(_leaf_folders(root), share,
                    (lambda made, _n, base=done: progress(base + made, n_files))
                    if progress else None)
        done += filler.made
    if years > 1:  # after the years' init, which refuses an archive inside another
        (dest / ".archive").mkdir(parents=True, exist_ok=True)
        (dest / ".archive" / "config.yaml").write_text(
            "years: [" + ", ".join(f"{y}年" for y in labels) + "]\n", encoding="utf-8")
    return dest


def archives(root: Path) -> list[Path]:
    """The archive roots of a synthetic archive: itself, or each year's."""
    from archive_tool.config import is_years, load_years

    if is_years(root):
        joined = load_years(root)
        return [joined.year_root(label) for label in joined.years]
    return [root]


def cached_archive(n_files: int = 10000, seed: int = 0, years: int = 1) -> Path:
    """A synthetic archive under benchmarks/_work/, built once and reused by every benchmark.

    The benchmarks that change files work on a copy (:func:`working_copy`) of this one."""
    dest = WORK / f"synth-{n_files}-y{years}-{seed}"
    done = dest / ".synth-complete"
    if not done.exists():
        if dest.exists():
            shutil.rmtree(dest)
        t0 = time.perf_counter()
        build_archive(dest, n_files, seed, years=years,
                      progress=lambda d, n: print(f"  building synthetic archive {d}/{n}",
                                                  file=sys.stderr))
        done.write_text(f"{time.perf_counter() - t0:.1f} s\n")
    return dest


def working_copy(source: Path, dest: Path) -> Path:
    """``dest`` as a copy of ``source`` made of hard links (the evidence files) and copies (each
    ``.archive`` folder): cheap on disk. Change a file of it through :func:`own_file` only."""
    if dest.exists():
        shutil.rmtree(dest)

    def link(src, dst):
        if "/.archive/" in src.replace(os.sep, "/") + "/":
            return shutil.copy2(src, dst)
        return os.link(src, dst)

    shutil.copytree(source, dest, symlinks=True, copy_function=link)
    return dest


def own_file(path: Path) -> Path:
    """Make ``path`` of a working copy a file of its own (not a link to the cached archive's)
    before it is changed; its mtime is kept."""
    path = Path(path)
    st = path.stat()
    if st.st_nlink > 1:
        tmp = path.with_name(path.name + ".own")
        shutil.copy2(path, tmp)
        os.replace(tmp, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.dest.exists() and any(args.dest.iterdir()):
        sys.exit(f"{args.dest} is not empty")
    t0 = time.perf_counter()
    build_archive(args.dest, args.files, args.seed, years=args.years,
                  progress=lambda d, n: print(f"  {d}/{n}", file=sys.stderr))
    print(f"built {args.files} files in {args.years} year(s) in {time.perf_counter() - t0:.1f} s "
          f"at {args.dest}")


if __name__ == "__main__":
    main()
