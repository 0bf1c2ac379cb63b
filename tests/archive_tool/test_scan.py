"""scan: Evidence records from real files, the metadata cache, and bad input that never stops it."""
from __future__ import annotations

import os
import struct
import sqlite3
import unicodedata
import zlib
from datetime import date, datetime, timezone

import pytest

from archive_tool.captions import write_caption
from archive_tool.config import open_archive
from archive_tool.errors import NotAnArchiveError, UsageError
from archive_tool.scan import scan

from .scan_fixtures import UNIT, docx, jpeg, leaf, make_archive, pdf


@pytest.fixture
def root(tmp_path):
    return make_archive(tmp_path)


def by_name(result):
    return {ev.name: ev for ev in result.evidence}


def test_records_bind_indicator_number_theme_and_kind(root):
    folder = leaf(root, "II-2")
    jpeg(folder / "01：六五环境日宣传.jpg")
    jpeg(folder / "02：大众日报样报.jpg")
    docx(folder / "03：志愿服务说明报告.docx")
    docx(folder / "04：活动签到表.docx")
    docx(folder / "05：领导小组文件.docx")
    evs = by_name(scan(root))
    photo = evs["01：六五环境日宣传.jpg"]
    assert (photo.indicator_id, photo.in_leaf, photo.seq, photo.theme, photo.kind) == \
        ("II-2", True, 1, "六五环境日宣传", "photo")
    assert photo.path == f"I-1 思想政治建设/{folder.name}/01：六五环境日宣传.jpg"
    assert evs["02：大众日报样报.jpg"].kind == "clipping"
    assert evs["03：志愿服务说明报告.docx"].kind == "report"
    assert evs["04：活动签到表.docx"].kind == "record"
    assert evs["05：领导小组文件.docx"].kind == "document"


def test_date_resolution_order_and_source(root):
    folder = leaf(root, "II-1")
    captioned = jpeg(folder / "01：2018年5月学习会.jpg", exif_date=date(2018, 3, 1))
    write_caption(captioned, date(2018, 3, 5), UNIT, "学习会")
    jpeg(folder / "02：2018.04.15学习会.jpg", exif_date=date(2018, 3, 1))
    jpeg(folder / "03：学习会.jpg", exif_date=date(2018, 3, 1))
    docx(folder / "04：学习记录.docx", created=datetime(2018, 7, 9, 12, tzinfo=timezone.utc))
    pdf(folder / "05：学习材料.pdf")
    jpeg(folder / "06：无日期照片.jpg")
    evs = by_name(scan(root))
    assert (evs["01：2018年5月学习会.jpg"].date, evs["01：2018年5月学习会.jpg"].date_source) == \
        (date(2018, 3, 5), "caption")
    assert (evs["02：2018.04.15学习会.jpg"].date, evs["02：2018.04.15学习会.jpg"].date_source) == \
        (date(2018, 4, 15), "name")
    assert (evs["03：学习会.jpg"].date, evs["03：学习会.jpg"].date_source) == (date(2018, 3, 1), "exif")
    assert (evs["04：学习记录.docx"].date, evs["04：学习记录.docx"].date_source) == \
        (date(2018, 7, 9), "docx")
    assert evs["05：学习材料.pdf"].date_source == "pdf"
    # the file's mtime is never an evidence date
    assert (evs["06：无日期照片.jpg"].date, evs["06：无日期照片.jpg"].date_source) == (None, None)


def test_second_scan_reads_nothing_and_a_change_is_read_again(root):
    folder = leaf(root, "II-1")
    for i in range(1, 4):
        docx(folder / f"0{i}：文件{i}.docx", body=f"内容{i}")
    first = scan(root)
    assert (first.stats.read, first.stats.cached) == (3, 0)
    second = scan(root)
    assert (second.stats.read, second.stats.cached) == (0, 3)
    assert by_name(second)["01：文件1.docx"].text() == "内容1"
    changed = docx(folder / "02：文件2.docx", body="新的内容")
    os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 10_000_000))
    third = scan(root)
    assert (third.stats.read, third.stats.cached) == (1, 2)
    assert by_name(third)["02：文件2.docx"].text() == "新的内容"
    (folder / "03：文件3.docx").unlink()
    fourth = scan(root)
    assert fourth.stats.removed == 1 and len(fourth.evidence) == 2
    with sqlite3.connect(root / ".archive" / "state.sqlite") as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 2


def test_same_content_same_hash(root):
    folder = leaf(root, "II-1")
    a = jpeg(folder / "01：照片.jpg")
    (folder / "02：照片副本.jpg").write_bytes(a.read_bytes())
    evs = by_name(scan(root))
    assert evs["01：照片.jpg"].content_hash == evs["02：照片副本.jpg"].content_hash != ""


def test_sidecar_caption_is_read_and_is_not_evidence_itself(root):
    folder = leaf(root, "II-2")
    jpeg(folder / "01：植树活动.jpg")
    sidecar = folder / "01：植树活动.jpg.txt"
    sidecar.write_text("时间：2018年3月12日；主办单位：临沂市环境保护局；主题：植树", encoding="gb18030")
    result = scan(root)
    assert [ev.name for ev in result.evidence] == ["01：植树活动.jpg"]
    assert result.evidence[0].caption.time == date(2018, 3, 12)
    sidecar.write_text("时间：2018年3月13日；主办单位：临沂市环境保护局；主题：植树", encoding="utf-8")
    os.utime(sidecar, ns=(sidecar.stat().st_atime_ns, sidecar.stat().st_mtime_ns + 10_000_000))
    again = scan(root)
    assert again.stats.read == 1 and again.evidence[0].caption.time == date(2018, 3, 13)


def _bomb_png(path):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def test_bad_files_are_reported_and_the_scan_goes_on(root):
    folder = leaf(root, "II-1")
    (folder / "01：空照片.jpg").write_bytes(b"")
    good = jpeg(folder / "02：好照片.jpg")
    (folder / "03：截断照片.jpg").write_bytes(good.read_bytes()[:40])
    (folder / "04：损坏文档.docx").write_bytes(b"PK\x03\x04 not really a zip")
    full = docx(folder / "05：完整文档.docx").read_bytes()
    (folder / "06：截断文档.docx").write_bytes(full[: len(full) // 2])
    (folder / "07：空文档.docx").write_bytes(b"")
    (folder / "08：损坏.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    _bomb_png(folder / "09：炸弹.png")
    import pypdf
    writer = pypdf.PdfWriter(clone_from=pdf(folder / "tmp.pdf"))
    writer.encrypt("secret", algorithm="AES-128")
    with open(folder / "10：加密.pdf", "wb") as fh:
        writer.write(fh)
    (folder / "tmp.pdf").unlink()
    evs = by_name(scan(root))
    assert evs["02：好照片.jpg"].error is None
    errors = {name: ev.error for name, ev in evs.items() if ev.error}
    assert set(errors) == {"01：空照片.jpg", "03：截断照片.jpg", "04：损坏文档.docx",
                           "06：截断文档.docx", "07：空文档.docx", "08：损坏.pdf", "09：炸弹.png",
                           "10：加密.pdf"}
    assert errors["01：空照片.jpg"] == "empty" and errors["10：加密.pdf"] == "encrypted"
    assert all(evs[name].error_message for name in errors)


def test_symlinks_are_not_followed(root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    docx(outside / "01：外部文件.docx")
    folder = leaf(root, "II-1")
    os.symlink(outside, folder / "链接目录")
    os.symlink(outside / "01：外部文件.docx", folder / "02：链接文件.docx")
    result = scan(root)
    assert result.evidence == [] and result.stats.symlinks_skipped == 2


def test_nfd_names_are_understood(root):
    folder = leaf(root, "II-1")
    name = unicodedata.normalize("NFD", "01：Café 学习会.jpg")
    jpeg(folder / name)
    (ev,) = scan(root).evidence
    assert ev.seq == 1 and ev.theme == "Café 学习会" and ev.name_problem is None


def test_ignored_files_are_not_evidence(root):
    folder = leaf(root, "II-1")
    docx(folder / "01：报告.docx")
    for name in ("~$01：报告.docx", ".~lock.01：报告.docx#", "x.tmp", "Thumbs.db", "desktop.ini",
                 ".DS_Store", "._01：报告.docx"):
        (folder / name).write_bytes(b"junk")
    assert [ev.name for ev in scan(root).evidence] == ["01：报告.docx"]


def test_scan_a_folder_or_one_file_inside_the_archive(root):
    docx(leaf(root, "II-1") / "01：学习.docx")
    one = docx(leaf(root, "II-2") / "01：志愿.docx")
    scan(root)
    sub = scan(leaf(root, "II-2"))
    assert [ev.name for ev in sub.evidence] == ["01：志愿.docx"]
    single = scan(one)
    assert [ev.name for ev in single.evidence] == ["01：志愿.docx"] and single.stats.cached == 1
    # scanning a part does not drop the cache rows of the rest
    assert scan(root).stats.read == 0
    one.unlink()
    assert scan(one).evidence == []
    assert [ev.name for ev in scan(root).evidence] == ["01：学习.docx"]


def test_root_found_from_a_nested_path_and_refused_outside(root, tmp_path):
    assert open_archive(leaf(root, "II-1")).root == root
    with pytest.raises(NotAnArchiveError):
        scan(tmp_path)


def test_sidecars_match_whatever_their_case(root):
    """Windows shares do not tell 学习会.JPG.TXT from 学习会.jpg.txt: one matcher, any case."""
    folder = leaf(root, "II-2")
    jpeg(folder / "01：学习会.JPG")
    sidecar = folder / "01：学习会.JPG.TXT"
    sidecar.write_text("时间：2018年3月12日；主办单位：临沂市环境保护局；主题：学习会", encoding="utf-8")
    jpeg(folder / "02：植树.jpg")
    (folder / "02：植树.TXT").write_text("时间：2018年3月13日；主办单位：临沂市环境保护局；主题：植树",
                                        encoding="utf-8")
    result = scan(root)
    assert [ev.name for ev in result.evidence] == ["01：学习会.JPG", "02：植树.jpg"]
    assert [ev.caption.time for ev in result.evidence] == [date(2018, 3, 12), date(2018, 3, 13)]
    assert result.sidecars[result.evidence[0].path] == (
        result.evidence[0].path + ".TXT",)
    # editing the sidecar reads the photo again
    sidecar.write_text("时间：2018年3月14日；主办单位：临沂市环境保护局；主题：学习会", encoding="utf-8")
    os.utime(sidecar, ns=(sidecar.stat().st_atime_ns, sidecar.stat().st_mtime_ns + 10_000_000))
    again = scan(root)
    assert again.stats.read == 1 and again.evidence[0].caption.time == date(2018, 3, 14)


def test_a_single_file_scan_sees_its_sidecar(root):
    folder = leaf(root, "II-2")
    photo = jpeg(folder / "01：学习会.jpg")
    sidecar = folder / "01：学习会.jpg.txt"
    sidecar.write_text("时间：2018年3月12日；主办单位：临沂市环境保护局；主题：学习会", encoding="utf-8")
    assert scan(root).stats.read == 1
    single = scan(photo)
    assert single.stats.cached == 1 and single.evidence[0].caption.time == date(2018, 3, 12)
    sidecar.write_text("时间：2018年3月15日；主办单位：临沂市环境保护局；主题：学习会", encoding="utf-8")
    os.utime(sidecar, ns=(sidecar.stat().st_atime_ns, sidecar.stat().st_mtime_ns + 10_000_000))
    assert scan(photo).evidence[0].caption.time == date(2018, 3, 15)
    # the sidecar alone is not evidence
    assert scan(sidecar).evidence == []


def test_a_path_through_a_symlink_out_of_the_archive_is_refused(root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    docx(outside / "notes.docx")
    os.symlink(outside, root / "16：外部")
    os.symlink(outside / "notes.docx", leaf(root, "II-1") / "01：链接.docx")
    for path in (root / "16：外部", root / "16：外部" / "notes.docx",
                 leaf(root, "II-1") / "01：链接.docx"):
        with pytest.raises(UsageError, match="符号链接"):
            scan(path)
    # a link that stays inside the archive is read where it really is
    os.symlink(leaf(root, "II-2"), root / "捷径")
    docx(leaf(root, "II-2") / "01：志愿.docx")
    (ev,) = scan(root / "捷径").evidence
    assert ev.path == f"I-1 思想政治建设/{leaf(root, 'II-2').name}/01：志愿.docx"


def test_lint_fix_on_a_symlinked_folder_changes_nothing_outside(root, tmp_path):
    from click.testing import CliRunner

    from archive_tool.cli import main

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_text("外部文件", encoding="utf-8")
    os.symlink(outside, root / "16：外部")
    res = CliRunner().invoke(main, ["lint", str(root / "16：外部"), "--fix", "--yes"])
    assert res.exit_code == 2 and "符号链接" in res.stderr and "Traceback" not in res.output
    assert [p.name for p in outside.iterdir()] == ["notes.txt"]


def test_apply_renames_refuses_a_folder_that_leads_out_of_the_archive(root, tmp_path):
    from archive_tool.errors import FileOperationError
    from archive_tool.fix import Rename, apply_renames

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.txt").write_text("外部文件", encoding="utf-8")
    os.symlink(outside, root / "外部")
    with pytest.raises(FileOperationError, match="符号链接"):
        apply_renames(root, [Rename("外部/notes.txt", "外部/01：notes.txt", "NAME_FORMAT")])
    assert [p.name for p in outside.iterdir()] == ["notes.txt"]


def _damage_pages(db_path, first_page=2):
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    for offset in range(4096 * first_page, len(data), 4096):
        data[offset:offset + 64] = b"\xff" * 64
    db_path.write_bytes(bytes(data))


def _damage_last_pages(db_path):
    """Pages SQLite reads only when the scan asks for the rows (the second half of the file:
    rows and their index entries): found after the open."""
    size = os.path.getsize(db_path)
    _damage_pages(db_path, first_page=size // 4096 // 2)


def _old_schema(db_path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{db_path}{suffix}"):
            os.unlink(f"{db_path}{suffix}")
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
                   "hash TEXT, meta TEXT)")
        db.execute("INSERT INTO files VALUES ('x', 1, 1, 'h', '{}')")


@pytest.mark.parametrize("spoil", [
    _damage_pages,
    _damage_last_pages,
    lambda p: p.write_bytes(b"this is not an SQLite file at all" * 200),
    _old_schema,
], ids=["malformed", "malformed-rows", "not-a-database", "old-schema"])
def test_a_broken_or_old_cache_is_rebuilt_and_the_scan_goes_on(root, spoil):
    folder = leaf(root, "II-1")
    for i in range(1, 41):
        docx(folder / f"{i:02d}：文件{i}.docx", body=f"内容{i}" * 300)
    assert scan(root).stats.read == 40
    spoil(root / ".archive" / "state.sqlite")
    again = scan(root)
    assert again.stats.cache_rebuilt and again.stats.read == 40
    assert len(again.evidence) == 40 and by_name(again)["07：文件7.docx"].text().startswith("内容7")
    third = scan(root)
    assert (third.stats.read, third.stats.cached) == (0, 40)


def test_a_warm_scan_reads_its_rows_from_the_index_not_past_the_texts(root):
    """The columns a warm scan reads come after the metadata and the text in a row: a scan of
    the table would step through every long text to reach them; the covering index has them."""
    from archive_tool.store import Store

    folder = leaf(root, "II-1")
    for i in range(1, 6):
        docx(folder / f"{i:02d}：文件{i}.docx", body=f"内容{i}" * 3000)
    scan(root)
    with Store(root / ".archive") as store:
        statements = []
        store.db.set_trace_callback(statements.append)
        assert len(store.rows()) == 5 and len(store.rows(folder.relative_to(root).as_posix())) == 5
        store.db.set_trace_callback(None)
        for sql in statements:
            plan = " ".join(row[-1] for row in store.db.execute(f"EXPLAIN QUERY PLAN {sql}"))
            assert "COVERING INDEX files_scan" in plan, plan


def test_a_month_in_the_name_dates_the_file_from_the_first_of_that_month(root):
    folder = leaf(root, "II-1")
    docx(folder / "01：2018年3月党组会议纪要.docx", created=datetime(2017, 12, 1, 12, tzinfo=timezone.utc))
    docx(folder / "02：二〇一八年六月学习记录.docx", created=datetime(2017, 12, 1, 12, tzinfo=timezone.utc))
    docx(folder / "03：2018年3月总结（2018年4月5日）.docx")
    docx(folder / "04：2018.3版制度汇编.docx", created=datetime(2017, 12, 1, 12, tzinfo=timezone.utc))
    evs = by_name(scan(root))
    assert (evs["01：2018年3月党组会议纪要.docx"].date,
            evs["01：2018年3月党组会议纪要.docx"].date_source) == (date(2018, 3, 1), "name")
    assert evs["02：二〇一八年六月学习记录.docx"].date == date(2018, 6, 1)
    assert evs["03：2018年3月总结（2018年4月5日）.docx"].date == date(2018, 4, 5)  # a full date first
    assert evs["04：2018.3版制度汇编.docx"].date_source == "docx"  # 2018.3: not a month


def test_a_cache_locked_by_another_process_is_a_message_not_a_crash(root, monkeypatch):
    from archive_tool import store
    from archive_tool.cli import main
    from click.testing import CliRunner

    docx(leaf(root, "II-1") / "01：文件.docx", body="内容")
    scan(root)
    monkeypatch.setattr(store, "LOCK_TIMEOUT", 0.2)
    other = sqlite3.connect(root / ".archive" / "state.sqlite", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another archive-tool in the middle of a write
    try:
        (leaf(root, "II-1") / "02：新文件.txt").write_text("新内容", encoding="utf-8")
        res = CliRunner().invoke(main, ["lint", str(root)])
    finally:
        other.rollback()
        other.close()
    assert res.exit_code == 2, res.output
    assert "正被另一个 archive-tool 进程使用" in res.output and "Traceback" not in res.output
    assert scan(root).stats.read == 1  # nothing was lost: the next run reads the new file


@pytest.mark.parametrize("ext, theme, kind", [
    (".jpg", "大众日报样报", "clipping"),
    (".png", "学习强国网页截图", "clipping"),
    (".jpg", "全市创建工作电视电话会议", "photo"),
    (".docx", "全市创建工作电视电话会议纪要", "record"),
    (".docx", "关于做好2018年度报纸征订工作的通知", "document"),
    (".pdf", "市电视台新闻报道", "clipping"),
    (".docx", "电视问政节目说明报告", "report"),
    (".docx", "网页设计方案", "document"),
    (".mp4", "电视新闻", "av"),
])
def test_kind_from_the_extension_and_the_theme(ext, theme, kind):
    from archive_tool.evidence import kind_of

    assert kind_of(ext, theme) == kind


def test_a_file_gone_while_the_scan_runs_is_not_reported_unreadable(root):
    folder = leaf(root, "II-1")
    for i in (1, 2):
        docx(folder / f"{i:02d}：文件.docx", body="内容")

    def delete_the_other(done, total, rel):  # staff move a file away mid-scan
        if done == 1:
            other = "02：文件.docx" if rel.endswith("01：文件.docx") else "01：文件.docx"
            (folder / other).unlink()

    result = scan(root, progress=delete_the_other)
    assert len(result.evidence) == 1 and not result.evidence[0].error
    assert scan(root).stats.read == 0  # the one left was cached, the gone one not


def test_a_warm_scan_of_an_unchanged_archive_parses_nothing(root, monkeypatch):
    """Counts calls, not seconds: the records come from the cache, no caption, name or date is
    parsed again; a file changed is the only one parsed."""
    from archive_tool import captions, dating, scan as scan_module

    folder = leaf(root, "II-1")
    for i in range(1, 4):
        photo = jpeg(folder / f"0{i}：学习会{i}.jpg", exif_date=date(2018, 3, i))
        write_caption(photo, date(2018, 3, i), UNIT, f"学习会{i}")
    docx(folder / "04：2018年4月学习记录.docx", body="学习记录")
    jpeg(folder / "05：会议通知扫描件.jpg")  # a scan: its record keeps its recognition's state
    scan(root)
    calls: dict[str, list[str]] = {"caption": [], "name": [], "date": []}

    def counted(module, name, key, pick):
        original = getattr(module, name)

        def call(*args, **kwargs):
            calls[key].append(pick(args, kwargs))
            return original(*args, **kwargs)
        monkeypatch.setattr(module, name, call)

    counted(captions, "parse_caption", "caption", lambda a, k: a[0])
    counted(scan_module, "parse_name", "name", lambda a, k: a[0])
    counted(dating, "resolve", "date", lambda a, k: k.get("theme"))
    second = scan(root)
    assert second.stats.read == 0 and len(second.evidence) == 5
    assert calls == {"caption": [], "name": [], "date": []}
    assert by_name(second)["05：会议通知扫描件.jpg"].ocr_status in ("pending", "unavailable")
    # the footer verdict comes with the record (FOOTER_MISSING reads it, judges nothing again)
    from archive_tool.word import carries_name

    record = by_name(second)["04：2018年4月学习记录.docx"]
    assert record.footer_named is carries_name(record.footers, record.name) is not None
    assert by_name(second)["01：学习会1.jpg"].footer_named is None
    assert by_name(second)["02：学习会2.jpg"].caption.theme == "学习会2"
    assert by_name(second)["04：2018年4月学习记录.docx"].date == date(2018, 4, 1)
    changed = folder / "03：学习会3.jpg"
    write_caption(changed, date(2018, 3, 9), UNIT, "学习会3补")
    third = scan(root)
    assert third.stats.read == 1 and len(calls["caption"]) == 1
    assert calls["name"] == ["03：学习会3.jpg"]
    assert by_name(third)["03：学习会3.jpg"].date == date(2018, 3, 9)
    # the scan read by OCR since (what the OCR run stores): its record is built again
    from archive_tool.extract import ocr
    from archive_tool.store import Store

    with Store(root / ".archive") as store:
        store.put_content([(by_name(third)["05：会议通知扫描件.jpg"].content_hash, ocr.SUMMARY_KEY,
                            {"status": "done", "chars": 12, "pages_read": 1, "pages_total": 1,
                             "date": "2018-03-20"})])
    fourth = scan(root)
    assert calls["name"][1:] == ["05：会议通知扫描件.jpg"]
    notice = by_name(fourth)["05：会议通知扫描件.jpg"]
    assert (notice.ocr_status, notice.date, notice.date_source) == ("done", date(2018, 3, 20),
                                                                    "ocr")
    scan(root)
    assert calls["name"][1:] == ["05：会议通知扫描件.jpg"]  # and kept: decoded from now on


def test_objects_a_program_froze_itself_stay_frozen_after_a_scan(root):
    import gc

    docx(leaf(root, "II-1") / "01：文件.docx", body="内容")
    gc.freeze()  # a server that forks its workers does so
    try:
        scan(root)
        assert gc.get_freeze_count() > 0  # not given back to the collector by the scan
    finally:
        gc.unfreeze()


def test_the_collector_runs_less_often_while_records_are_built_and_as_before_after(root,
                                                                                  monkeypatch):
    import gc

    from archive_tool import collector, scan as scan_module
    from archive_tool.lint import lint

    docx(leaf(root, "II-1") / "01：文件.docx", body="内容")
    before = gc.get_threshold()
    inside = []
    original = scan_module._records

    def records(*args, **kwargs):
        inside.append((gc.get_threshold(), gc.get_freeze_count()))
        return original(*args, **kwargs)

    monkeypatch.setattr(scan_module, "_records", records)
    lint(scan(root))
    # what was there before is frozen meanwhile (not walked again), and given back after
    assert inside and inside[0][0][0] >= collector.BULK_THRESHOLD and inside[0][1] > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0

    def failing(*args, **kwargs):
        raise RuntimeError("a reader failed")

    monkeypatch.setattr(scan_module, "_records", failing)
    with pytest.raises(RuntimeError):
        scan(root)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
