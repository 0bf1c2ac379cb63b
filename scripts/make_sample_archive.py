"""Regenerate sample_archive/: a small real archive on the linyi-2018 tree.

    python scripts/make_sample_archive.py [DEST]      (default: sample_archive/ beside scripts/)

About 40 real files across several indicators: captioned photos (XMP + XP tags through
``caption set``'s writer, XP tags only, a GB18030 sidecar, a PNG iTXt), Word documents with and
without the footer, a 说明报告 of the right and of the wrong length, PDFs with text and one
image-only, plus the planted problems listed in PLANTED (the tests check that lint reports
exactly these). Dates are chosen so that ``archive-tool check sample_archive --as-of 2018-10-15``
shows complete, missing (some with part of what is needed) and in-progress periods.

The archive group of this sample added one requirement to its own copy of the tree (II-20: the
yearly 说明报告 of about 400 characters), as units do; the rest is the shipped linyi-2018 tree.

The points ledger (seed 000's 积分制): ``.archive/points.yaml`` holds the 23 departments of
附件1 and a small roster; three signed sheets of 2018Q2 (two filled in the ``new signin``
template, one kept as xlsx) and two hand entries in ``.archive/points-ledger.jsonl`` make
``archive-tool points report sample_archive --quarter 2018Q2`` show a real ranking, and one
name on a sheet is not on the roster, as happens. The sheets are well-formed evidence (names,
footers, dates), so lint and check find nothing new in them.
"""
from __future__ import annotations

import io
import shutil
import sys
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive_tool.captions import write_caption  # noqa: E402
from archive_tool.config import load_config  # noqa: E402
from archive_tool.documents import document_values  # noqa: E402
from archive_tool.templates import fill_template, template_bytes  # noqa: E402
from archive_tool.points.ledger import LedgerFile, hand_entry  # noqa: E402
from archive_tool.points.roster import (POINTS_FILE, Department, Person, load_points,  # noqa: E402
                                        points_yaml)
from archive_tool.scaffold import init_archive  # noqa: E402
from indicator_tree import shipped_text  # noqa: E402

UNIT = "临沂市环境保护局"
ADDED_REQUIREMENT = """          - text: 有专门机构和人员负责日常创建工作。
            owners: [秦增诗]
          # Added by this unit's archive group to its own copy of the tree (sample archive):
          - text: 报送年度创建工作说明报告。
            note: 说明报告，400字左右。
            owners: [王峰]
"""

#: (rule id, path relative to the archive root) of every problem planted on purpose
PLANTED = [
    ("NAME_FORMAT", "I-1 思想政治建设/II-1 加强学习/学习强国积分截图.png"),
    ("CAPTION_MISSING", "I-1 思想政治建设/II-1 加强学习/学习强国积分截图.png"),
    ("FOOTER_MISSING", "I-1 思想政治建设/II-2 贯彻落实民主集中制/02：民主生活会记录.docx"),
    ("NAME_SEQ_DUP", "I-1 思想政治建设/II-3 加强党风廉政建设/01：警示教育片观看.jpg"),
    ("CAPTION_NO_ORGANIZER", "I-2 道德建设/II-4 培育和践行社会主义核心价值观/03：核心价值观宣讲.jpg"),
    ("CAPTION_DATE_MISMATCH", "I-2 道德建设/II-4 培育和践行社会主义核心价值观/04：公益广告展板.jpg"),
    ("NAME_FORMAT", "I-2 道德建设/II-8 开展学雷锋志愿服务活动/学雷锋活动.jpg"),
    ("CAPTION_MISSING", "I-2 道德建设/II-8 开展学雷锋志愿服务活动/学雷锋活动.jpg"),
    ("PLACE_UNKNOWN_DIR", "I-3 业务工作/培训照片（待整理）"),
    ("FILE_NO_TEXT", "I-5 科学管理/II-16 营造和谐、稳定环境/01：普法教育讲座.pdf"),
    ("FILE_LEGACY_FORMAT", "I-5 科学管理/II-16 营造和谐、稳定环境/02：安全教育培训.doc"),
    ("NAME_ASCII_COLON", "I-6 工作环境/II-18 开展节约型单位建设和环境保护工作/01:节水节电倡议书.docx"),
    ("PLACE_OUTSIDE", "I-7 创建活动/01：创建活动汇总.docx"),
    ("REPORT_LENGTH", "I-7 创建活动/II-20 加强创建机制建设/03：创建工作总结说明报告.docx"),
    ("FILE_UNREADABLE", "I-7 创建活动/II-22 营造浓厚氛围/01：创建专栏照片.jpg"),
]

#: 附件1 of seed 000: the departments under the points system and their headcounts
ANNEX_1 = (("总工办", 3), ("办公室", 9), ("人事科", 3), ("机关党委", 5), ("规划与财务科", 7),
           ("固废与土壤环境管理科", 4), ("环境影响评价科", 4), ("政策法规科", 3), ("自然生态保护科", 4),
           ("核与辐射安全管理科", 4), ("大气科", 11), ("机动车排气污染监控中心", 5),
           ("产业开发服务中心", 3), ("山东省沂沭河流域环境管理处", 12), ("临沂市环境监察支队", 22),
           ("临沂市污染物排放总量控制办公室", 6), ("临沂市环境应急管理中心", 5), ("兰山区环保分局", 22),
           ("罗庄区环保分局", 24), ("河东区环保分局", 21), ("高新区环保分局", 9), ("经济区环保分局", 12),
           ("临港区环保分局", 5))
#: names from 附件3 of seed 000; the departments of those it does not give are made up
ROSTER = (("朱凤东", "总工办", "科级以上"), ("王峰", "办公室", "科级以上"), ("刘妍", "办公室", ""),
          ("江峰", "办公室", ""), ("徐震", "办公室", ""), ("秦增诗", "人事科", "科级以上"),
          ("杨金玉", "人事科", ""), ("曲丽娟", "机关党委", "科级以上"), ("刘巍", "机关党委", ""),
          ("王德学", "规划与财务科", "科级以上"), ("汤浩", "规划与财务科", ""),
          ("李健", "环境影响评价科", "科级以上"), ("凌绫", "政策法规科", "科级以上"),
          ("杨燕", "政策法规科", ""), ("宋昊", "政策法规科", ""), ("郭富永", "大气科", "科级以上"))

REPORT_400 = (
    "2018年，我局把文明单位创建工作纳入年度工作规划，成立了由局党组书记任组长的创建工作领导小组，"
    "领导小组下设办公室和综合组、活动组、宣传组、档案组四个工作组，明确了各科室单位的创建任务和"
    "责任人。全年共召开领导小组会议四次，研究部署创建工作，调度通报任务进展。\n"
    "一是健全机制。制定《2018年文明单位创建工作实施方案》和积分制管理办法，将创建任务分解到"
    "科室和个人，每季度通报积分情况，评选文明科室并授予流动红旗。\n"
    "二是开展活动。围绕社会主义核心价值观、学雷锋志愿服务、我们的节日等主题开展活动，"
    "全年组织志愿服务十二次，参与干部职工三百余人次。\n"
    "三是加强宣传。利用电子显示屏、宣传栏和一网三微平台宣传创建工作，营造浓厚氛围。\n"
    "下一步，我局将继续完善长效机制，推动创建工作常态化。"
)
REPORT_SHORT = "2018年我局认真开展文明单位创建工作，取得了一定成效。下一步将继续努力。"


# ---- file makers --------------------------------------------------------------------------
def scene(label: str, colour) -> Image.Image:
    """A 1024 × 768 'photo' of shapes placed by the label: each photo of the sample is a scene
    of its own (PHOTO_REUSED compares what photos show) and large enough to print."""
    import random

    rng = random.Random(label)
    img = Image.new("RGB", (1024, 768), colour)
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y, r = rng.randrange(1024), rng.randrange(768), rng.randrange(40, 260)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    return img


def photo(path: Path, label: str, when: date | None, colour=(90, 140, 200)) -> Path:
    """A JPEG 'photo' with a camera date (EXIF DateTimeOriginal)."""
    img = scene(label, colour)
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 480, 960, 700), fill=(240, 240, 235))
    draw.text((90, 560), label, fill=(30, 30, 30))
    exif = img.getexif()
    if when:
        exif[0x0110] = "SAMPLE-CAM"
        exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d 09:30:00")
    img.save(path, "JPEG", quality=70, exif=exif)
    return path


def xp_photo(path: Path, label: str, when: date, caption: str) -> Path:
    """A JPEG captioned only in the Windows 详细信息 tags (XPComment, XPTitle), as Explorer does."""
    img = scene(label, (160, 110, 90))
    ImageDraw.Draw(img).text((90, 560), label, fill=(255, 255, 255))
    exif = img.getexif()
    exif[0x9C9C] = caption.encode("utf-16-le") + b"\0\0"
    exif[0x9C9B] = caption.encode("utf-16-le") + b"\0\0"
    exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d 15:00:00")
    img.save(path, "JPEG", quality=70, exif=exif)
    return path


def document(path: Path, title: str, body: str, footer: bool = True,
             created: date = date(2018, 3, 1)) -> Path:
    doc = Document()
    doc.add_heading(title, level=1)
    for line in body.split("\n"):
        doc.add_paragraph(line)
    if footer:
        para = doc.sections[0].footer.paragraphs[0]
        para.text = path.stem
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    moment = datetime(created.year, created.month, created.day, 2, 0, tzinfo=timezone.utc)
    doc.core_properties.created = moment
    doc.core_properties.modified = moment
    doc.core_properties.title = title
    doc.save(path)
    return path


def pdf(path: Path, title: str, lines: list[str] | None, created: date) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setTitle(title)
    c.setCreator("archive-tool sample")
    if lines:
        c.setFont("STSong-Light", 14)
        y = 760
        for line in lines:
            c.drawString(72, y, line)
            y -= 22
    else:  # a scanned page: shapes only, no text layer
        c.setFillGray(0.6)
        c.rect(72, 400, 450, 350, fill=1)
    c.save()
    data = buf.getvalue().replace(
        b"/CreationDate (D:20000101000000+00'00')",
        created.strftime("/CreationDate (D:%Y%m%d100000+08'00')").encode())
    path.write_bytes(data)
    return path


def caption(path: Path, when: date, theme: str, organizer: str = UNIT) -> None:
    write_caption(path, when, organizer, theme)


def signin(dest: Path, folder_path: Path, name: str, when: date, rows: list[tuple[str, str]],
           whole: str = "") -> Path:
    """A sign-in sheet from the ``new signin`` template, filled as staff do in Word: the time,
    the names and departments, a line for a department that took part as a whole."""
    config = load_config(dest)
    theme = name.split("：", 1)[1]
    values = document_values(config, "signin", config.tree.get(folder_path.name.split(" ")[0]),
                             name, theme, theme.replace("签到表", ""))
    path = folder_path / f"{name}.docx"
    path.write_bytes(fill_template(template_bytes("signin"), values))
    doc = Document(str(path))
    for p in doc.paragraphs:
        if p.text.startswith("时间："):
            p.runs[-1].text = f"{when.year}年{when.month}月{when.day}日"
    for row, (person, dept) in zip(doc.tables[0].rows[1:], rows):
        row.cells[1].text, row.cells[2].text = person, dept
    if whole:
        doc.add_paragraph(f"整体参加：{whole}")
    moment = datetime(when.year, when.month, when.day, 2, 0, tzinfo=timezone.utc)
    doc.core_properties.created = doc.core_properties.modified = moment
    doc.save(str(path))
    return path


def signin_xlsx(path: Path, theme: str, when: date, rows: list[tuple[str, str]]) -> Path:
    """A signed sheet kept as xlsx (the date is in its name, which scan reads)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "签到"
    ws.append([f"{theme}签到表"])
    ws.merge_cells("A1:D1")
    ws.append(["活动主题", theme])
    ws.append(["时间", f"{when.year}年{when.month}月{when.day}日"])
    ws.append(["序号", "姓名", "单位（部门）", "签名"])
    for number, (person, dept) in enumerate(rows, 1):
        ws.append([number, person, dept, None])
    wb.properties.created = wb.properties.modified = datetime(when.year, when.month, when.day)
    wb.save(path)
    return path


def points(dest: Path) -> None:
    """The points setup, three signed sheets of 2018Q2 and two hand entries."""
    (dest / ".archive" / POINTS_FILE).write_text(points_yaml(
        "linyi-2018", [Department(n, size, ("规财科",) if n == "规划与财务科" else ())
                       for n, size in ANNEX_1],
        [Person(n, d, r) for n, d, r in ROSTER]), encoding="utf-8")
    signin(dest, folder(dest, "II-4"), "05：五四青年节主题活动签到表", date(2018, 5, 4),
           [("曲丽娟", "机关党委"), ("刘巍", "机关党委"), ("杨燕", "政策法规科"), ("宋昊", "政策法规科"),
            ("凌 绫", "政策法规科"), ("秦增诗", "人事科"), ("杨金玉", "人事科"), ("王峰", "办公室")])
    signin(dest, folder(dest, "II-8"), "12：5月学雷锋志愿服务签到表", date(2018, 5, 19),
           [("刘妍", "办公室"), ("江峰", "办公室"), ("徐震", "办公室"), ("郭富永", "大气科"),
            ("汤浩", "规划与财务科"), ("王小明", "办公室")], whole="人事科")
    signin_xlsx(folder(dest, "II-13") / "03：2018年5月20日职工趣味运动会签到表.xlsx", "职工趣味运动会",
                date(2018, 5, 20), [("曲丽娟", "机关党委"), ("刘巍", "机关党委"), ("王德学", "规财科"),
                                    ("汤浩", "规划与财务科"), ("郭富永", "大气科"),
                                    ("李健", "环境影响评价科"), ("朱凤东", "总工办")])
    setup = load_points(dest)
    entries = [hand_entry(setup, "A3", department="人事科", day=date(2018, 6, 15),
                          note="独立完成创建档案整理", by="刘妍"),
               hand_entry(setup, "D5b", department="规划与财务科", day=date(2018, 6, 20),
                          note="因工作不力被问责，作出书面检查", by="刘妍")]
    LedgerFile(setup.ledger_path).append(
        [replace(e, recorded_at=f"{e.date.isoformat()}T17:00:00+08:00") for e in entries])


# ---- the archive ----------------------------------------------------------------------------
def folder(root: Path, indicator_id: str) -> Path:
    for path in root.rglob("*"):
        if path.is_dir() and path.name.split(" ", 1)[0] == indicator_id:
            return path
    raise LookupError(indicator_id)


def build(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    tree_text = shipped_text("linyi-2018")
    anchor = "          - text: 有专门机构和人员负责日常创建工作。\n            owners: [秦增诗]\n"
    assert anchor in tree_text, "linyi-2018 changed: update ADDED_REQUIREMENT"
    tree_file = dest.parent / ".sample-tree.yaml"
    tree_file.write_text(tree_text.replace(anchor, ADDED_REQUIREMENT), encoding="utf-8")
    try:
        init_archive(dest, str(tree_file), unit=UNIT)
    finally:
        tree_file.unlink()

    f = folder(dest, "II-1")  # 加强学习: documents, complete
    caption(photo(f / "01：学习十九大精神专题会议.jpg", "study", date(2018, 3, 5)),
            date(2018, 3, 5), "学习党的十九大精神专题会议")
    document(f / "02：学习十九大精神会议记录.docx", "学习十九大精神会议记录",
             "时间：2018年3月5日\n地点：局三楼会议室\n内容：传达学习党的十九大精神。",
             created=date(2018, 3, 5))
    xp_photo(f / "03：两学一做学习教育.jpg", "xp", date(2018, 4, 10),
             "活动时间：2018年4月10日；主办单位：机关党委；活动主题：“两学一做”学习教育")
    pdf(f / "04：三会一课制度.pdf", "三会一课制度",
        ["临沂市环境保护局“三会一课”制度", "一、支部党员大会每季度召开一次。"], date(2018, 2, 1))
    png = f / "学习强国积分截图.png"
    Image.new("RGB", (360, 640), (250, 250, 250)).save(png)
    (f / "~$学习十九大精神会议记录.docx").write_bytes(b"\x0cWord lock file owner")

    f = folder(dest, "II-2")
    document(f / "01：党组会议纪要.docx", "党组会议纪要", "研究部署文明单位创建工作。",
             created=date(2018, 4, 3))
    document(f / "02：民主生活会记录.docx", "民主生活会记录", "领导班子民主生活会。", footer=False,
             created=date(2018, 1, 25))

    f = folder(dest, "II-3")
    photo(f / "01：廉政教育活动.jpg", "clean", date(2018, 6, 12))
    (f / "01：廉政教育活动.jpg.txt").write_text(
        "时间：2018年6月12日；主办单位：机关党委；主题：廉政教育活动", encoding="gb18030")
    caption(photo(f / "01：警示教育片观看.jpg", "warn", date(2018, 6, 20)),
            date(2018, 6, 20), "观看警示教育片")

    f = folder(dest, "II-4")  # quarterly: Q1, Q2 met, Q3 not (the Q3 photo lacks its organizer)
    caption(photo(f / "01：2018年3月清明祭英烈.jpg", "q1", date(2018, 3, 30)),
            date(2018, 3, 30), "清明祭英烈")
    caption(photo(f / "02：五四青年节主题活动.jpg", "q2", date(2018, 5, 4)),
            date(2018, 5, 4), "五四青年节主题活动")
    photo(f / "03：核心价值观宣讲.jpg", "q3", date(2018, 8, 16))
    (f / "03：核心价值观宣讲.jpg.txt").write_text("时间：2018年8月16日；主题：社会主义核心价值观宣讲",
                                                  encoding="utf-8")
    caption(photo(f / "04：公益广告展板.jpg", "board", date(2018, 9, 2)),
            date(2018, 6, 20), "公益广告展板")

    f = folder(dest, "II-5")  # yearly ≥2: one so far, the year still runs on the as-of date
    caption(photo(f / "01：道德讲堂第一期.jpg", "forum", date(2018, 4, 12)),
            date(2018, 4, 12), "道德讲堂第一期")

    f = folder(dest, "II-8")  # monthly volunteering: some months only
    for month, day in ((3, 5), (4, 14), (5, 19), (7, 7), (9, 15)):
        caption(photo(f / f"{month:02d}：{month}月学雷锋志愿服务.jpg", f"v{month}",
                      date(2018, month, day), colour=(80, 160, 90)),
                date(2018, month, day), f"{month}月学雷锋志愿服务")
    caption(photo(f / "10：大众日报样报.jpg", "paper", date(2018, 3, 6), colour=(230, 230, 230)),
            date(2018, 3, 6), "大众日报报道学雷锋活动")
    xp_photo(f / "11：社会公益活动.jpg", "charity", date(2018, 5, 26),
             "2018年5月26日 临沂市环境保护局 助残日社会公益活动")
    photo(f / "学雷锋活动.jpg", "leifeng", None)

    f = folder(dest, "II-13")  # half-yearly sports: H1 met
    caption(photo(f / "01：2018年上半年职工运动会.jpg", "sports", date(2018, 5, 20)),
            date(2018, 5, 20), "职工趣味运动会")
    png = f / "02：全民健身网页截图.png"
    Image.new("RGB", (480, 300), (235, 240, 250)).save(png)
    caption(png, date(2018, 6, 8), "全民健身活动网页报道")

    f = folder(dest, "II-16")
    pdf(f / "01：普法教育讲座.pdf", "普法教育讲座", None, date(2018, 5, 10))
    (f / "02：安全教育培训.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    caption(photo(f / "03：消防演练.jpg", "fire", date(2018, 11, 9)),
            date(2018, 11, 9), "冬季消防演练")

    f = folder(dest, "II-18")
    document(f / "01:节水节电倡议书.docx", "节水节电倡议书", "节约每一度电、每一滴水。",
             created=date(2018, 3, 22))

    f = folder(dest, "II-20")  # reports: one of the right length, one too short
    document(f / "01：2018年文明单位创建工作实施方案.docx", "2018年文明单位创建工作实施方案",
             "为切实抓好今年精神文明创建工作，制定如下实施方案。", created=date(2018, 4, 3))
    document(f / "02：文明单位创建工作说明报告.docx", "文明单位创建工作说明报告", REPORT_400,
             created=date(2018, 6, 28))
    document(f / "03：创建工作总结说明报告.docx", "创建工作总结说明报告", REPORT_SHORT,
             created=date(2018, 7, 2))
    pdf(f / "04：领导小组成员名单.pdf", "领导小组成员名单",
        ["2018年文明单位创建工作领导小组成员名单", "组长：吴恩坤", "档案组组长：胡建伟"],
        date(2018, 4, 3))

    f = folder(dest, "II-22")
    good = photo(f / "02：创建专栏.jpg", "column", date(2018, 7, 1))
    caption(good, date(2018, 7, 1), "文明单位创建专题专栏")
    (f / "01：创建专栏照片.jpg").write_bytes(good.read_bytes()[:300])

    document(folder(dest, "I-7") / "01：创建活动汇总.docx", "创建活动汇总", "全年创建活动汇总。",
             created=date(2018, 10, 8))
    stray = folder(dest, "I-3") / "培训照片（待整理）"
    stray.mkdir()
    caption(photo(stray / "01：业务培训.jpg", "training", date(2018, 9, 12)),
            date(2018, 9, 12), "业务培训")
    points(dest)


def main() -> None:
    dest = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "sample_archive"
    build(dest)
    count = sum(1 for p in dest.rglob("*") if p.is_file() and ".archive" not in p.parts)
    print(f"sample archive written to {dest} ({count} files)")


if __name__ == "__main__":
    main()
