"""The watcher end to end, files arriving and leaving: a real watchdog observer in a thread
on an archive in tmp_path (see test_watch_support). The only sleeps are a simulated slow copy's."""

import os
import shutil
import time

import pytest

from archive_tool.errors import FileOperationError
from archive_tool.store import Store
from archive_tool import CHECKED, FAILED, REMOVED
from archive_tool import verdicts as watch_process
from archive_tool.watch.log import read_log

from .test_watch_support import (L1, L2, L3, SearchIndex, archive, cached, docx_bytes,  # noqa: F401
                                 indexed, jpeg_bytes, running, txt, wait_for)


# ---- arrival ---------------------------------------------------------------------------------
def test_slow_copy_in_chunks_is_checked_once_after_it_completes(archive):
    path = archive / L1 / "01：学习记录.txt"
    rel = f"{L1}/01：学习记录.txt"
    chunk = ("学习贯彻文明单位创建要求，" * 40).encode("utf-8")
    quiet = 1.0                                   # gaps of 0.1 s: margin on a loaded machine
    with running(archive, quiet=quiet) as run:
        with open(path, "wb") as fh:
            for _ in range(12):
                fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
                time.sleep(quiet / 10)
        last_write = time.monotonic()
        verdict = run.wait_verdict(rel)
        run.wait_idle()
        assert verdict.ok
        assert len(run.verdicts(rel)) == 1
        assert run.times(rel)[0] >= last_write + quiet
        with Store(archive / ".archive") as store:
            assert store.get(rel).size == 12 * len(chunk)
        assert rel in indexed(archive)


def test_500_files_dropped_at_once_are_all_checked_and_indexed(archive, tmp_path):
    staging = tmp_path / "staging"
    names = []
    for i in range(500):
        leaf = (L1, L2, L3)[i % 3]
        name = f"{i % 90 + 10:02d}：活动材料{i}.txt"
        txt(staging / leaf / name, f"第{i}次活动的记录，文明单位创建。")
        names.append(f"{leaf}/{name}")
    with running(archive) as run:
        for rel in names:
            os.rename(staging / rel, archive / rel)
        wait_for(lambda: len({v.path for v in run.verdicts(kind=CHECKED)}) >= 500,
                 timeout=60, message="500 verdicts")
        run.wait_idle()
        checked = run.verdicts(kind=CHECKED)
        assert sorted(v.path for v in checked) == sorted(names)  # each exactly once
        assert set(names) <= indexed(archive)
        assert set(names) == cached(archive)


def test_lock_and_temp_files_are_ignored(archive):
    with running(archive) as run:
        (archive / L1 / "~$01：会议记录.docx").write_bytes(b"lock")
        (archive / L1 / ".~lock.01：会议记录.docx#").write_bytes(b"lock")
        (archive / L1 / "ppt123.tmp").write_bytes(b"tmp")
        (archive / L1 / "Thumbs.db").write_bytes(b"x")
        txt(archive / L1 / "02：学习.txt")
        run.wait_verdict(f"{L1}/02：学习.txt")
        run.wait_idle()
        assert [v.path for v in run.verdicts()] == [f"{L1}/02：学习.txt"]
        assert cached(archive) == {f"{L1}/02：学习.txt"}


def test_an_atomic_save_is_checked_under_its_real_name(archive):
    rel = f"{L1}/01：学习记录.docx"
    with running(archive) as run:
        tmp = archive / L1 / "~WRL0001.tmp"
        tmp.write_bytes(docx_bytes("01：学习记录"))
        os.replace(tmp, archive / rel)                  # only a move's destination names it
        verdict = run.wait_verdict(rel)
        assert verdict.ok, verdict.findings
        # saved again: Word moves the old file away and the new one over it
        tmp.write_bytes(docx_bytes("别的页脚"))
        os.replace(archive / rel, archive / L1 / "~WRL0002.tmp")
        os.replace(tmp, archive / rel)
        os.remove(archive / L1 / "~WRL0002.tmp")
        second = run.wait_verdict(rel, count=2)
        assert [f.rule for f in second.findings] == ["FOOTER_MISSING"]
        run.wait_idle()
        assert run.verdicts(kind=REMOVED) == []
        assert cached(archive) == {rel}
        assert rel in indexed(archive)


def test_a_folder_moved_in_is_processed_whole(archive, tmp_path):
    shutil.rmtree(archive / L3)
    outside = tmp_path / "II-3 志愿服务"
    txt(outside / "01：志愿服务活动.txt")
    txt(outside / "02：志愿者名单.txt")
    (outside / "03：活动照片.jpg").write_bytes(jpeg_bytes())
    unknown = tmp_path / "活动照片"
    txt(unknown / "照片说明.txt")
    txt(unknown / "第二批" / "01：补充.txt")
    with running(archive) as run:
        shutil.move(str(outside), str(archive / L3))
        shutil.move(str(unknown), str(archive / "I-1 思想政治建设" / "活动照片"))
        expected = {f"{L3}/01：志愿服务活动.txt", f"{L3}/02：志愿者名单.txt",
                    f"{L3}/03：活动照片.jpg", "I-1 思想政治建设/活动照片/照片说明.txt",
                    "I-1 思想政治建设/活动照片/第二批/01：补充.txt"}
        for rel in expected:
            run.wait_verdict(rel)
        run.wait_idle()
        assert {v.path for v in run.verdicts()} == expected
        assert [f.rule for f in run.verdicts(f"{L3}/03：活动照片.jpg")[0].findings] == \
            ["CAPTION_MISSING"]
        nested = run.verdicts("I-1 思想政治建设/活动照片/第二批/01：补充.txt")[0]
        assert [(f.rule, f.path) for f in nested.findings] == \
            [("PLACE_UNKNOWN_DIR", "I-1 思想政治建设/活动照片")]
        assert "2 个文件" in nested.findings[0].message   # the whole unknown folder was scanned
        assert expected <= indexed(archive)


# ---- departure -------------------------------------------------------------------------------
def test_rename_move_out_and_delete_leave_cache_and_index(archive, tmp_path):
    a, b, c = (f"{L1}/01：甲.txt", f"{L1}/02：乙.txt", f"{L2}/01：丙.txt")
    for rel in (a, b, c):
        txt(archive / rel)
    with running(archive) as run:
        assert {a, b, c} == indexed(archive) == cached(archive)   # the start reconciled them
        renamed = f"{L1}/03：甲改名.txt"
        os.rename(archive / a, archive / renamed)
        run.wait_verdict(a, REMOVED)
        run.wait_verdict(renamed)
        shutil.move(str(archive / b), str(tmp_path / "乙.txt"))       # moved out
        run.wait_verdict(b, REMOVED)
        (archive / c).unlink()
        run.wait_verdict(c, REMOVED)
        run.wait_idle()
        assert cached(archive) == {renamed}
        assert indexed(archive) == {renamed}


def test_a_folder_moved_out_or_renamed(archive, tmp_path):
    files = [f"{L1}/01：甲.txt", f"{L1}/02：乙.txt", f"{L3}/01：丙.txt"]
    for rel in files:
        txt(archive / rel)
    with running(archive) as run:
        shutil.move(str(archive / L1), str(tmp_path / "II-1 加强学习"))
        for rel in files[:2]:
            run.wait_verdict(rel, REMOVED)
        os.rename(archive / "I-2 精神文明建设", archive / "I-2 精神文明建设（新）")
        moved = "I-2 精神文明建设（新）/II-3 志愿服务/01：丙.txt"
        run.wait_verdict(files[2], REMOVED)
        run.wait_verdict(moved)
        run.wait_idle()
        assert cached(archive) == indexed(archive) == {moved}


def test_forget_names_each_removed_file_once(archive):
    from archive_tool.config import load_config

    sub = f"{L1}/子目录"
    files = [f"{L1}/01：甲.txt", f"{L1}/02：乙.txt", f"{sub}/01：丙.txt"]
    for rel in files:
        txt(archive / rel)
    config = load_config(archive)
    watch_process.judge(config, L1, files[:2])
    watch_process.judge(config, watch_process.scan_target(config, files[2]), files[2:])
    assert cached(archive) == set(files)
    shutil.rmtree(archive / L1)
    # a folder's deletion: an event for the folder, its subfolder and every file
    result = watch_process.forget(config, [L1, sub, *files, files[0]])
    assert result.removed == sorted(files)
    assert cached(archive) == set()


def test_a_folder_deleted_or_renamed_reports_each_file_once(archive):
    doomed = [f"{L1}/{i:02d}：材料.txt" for i in range(1, 9)]
    moving = [f"{L3}/01：甲.txt", f"{L3}/子目录/01：乙.txt", f"{L3}/子目录/更深/01：丙.txt"]
    for rel in doomed + moving:
        txt(archive / rel)
    with running(archive) as run:
        shutil.rmtree(archive / L1)
        for rel in doomed:
            run.wait_verdict(rel, REMOVED)
        os.rename(archive / "I-2 精神文明建设", archive / "I-2 精神文明建设（新）")
        moved = [rel.replace("I-2 精神文明建设", "I-2 精神文明建设（新）") for rel in moving]
        for rel in moved:
            run.wait_verdict(rel)
        for rel in moving:
            run.wait_verdict(rel, REMOVED)
        run.wait_idle()
        removed = [v.path for v in run.verdicts(kind=REMOVED)]
        assert sorted(removed) == sorted(doomed + moving)          # each exactly once
        assert sorted(v.path for v in run.verdicts(kind=CHECKED)
                      if v.source == "event") == sorted(moved)
    assert run.statuses("stopped")[0].data["removed"] == len(doomed) + len(moving)
    records = read_log(archive / ".archive" / "watch.log")
    assert len([r for r in records if r.get("kind") == REMOVED]) == len(doomed) + len(moving)


# ---- failures --------------------------------------------------------------------------------
def test_a_file_that_fails_to_parse_is_reported_and_the_watcher_goes_on(archive):
    bad = f"{L1}/01：损坏的报告.docx"
    with running(archive) as run:
        (archive / bad).write_bytes(b"PK\x03\x04 this is not really a docx")
        verdict = run.wait_verdict(bad)
        assert [f.rule for f in verdict.findings] == ["FILE_UNREADABLE"]
        txt(archive / L1 / "02：正常.txt")
        assert run.wait_verdict(f"{L1}/02：正常.txt").ok


def test_an_error_while_checking_is_a_failed_verdict_not_a_crash(archive, monkeypatch):
    real = watch_process.judge

    def flaky(config, target, rels, source="event"):
        if any("爆炸" in r for r in rels):
            raise RuntimeError("boom")
        return real(config, target, rels, source)
    monkeypatch.setattr("archive_tool.verdicts.judge", flaky)
    with running(archive) as run:
        txt(archive / L2 / "01：爆炸.txt")
        failed = run.wait_verdict(f"{L2}/01：爆炸.txt", FAILED)
        assert "boom" in failed.message and not failed.ok
        txt(archive / L1 / "01：正常.txt")
        assert run.wait_verdict(f"{L1}/01：正常.txt").ok


class StopWhileIndexing(SearchIndex):
    """Sets the stop event as the first event-driven index update begins."""

    def __init__(self, root):
        super().__init__(root)
        self.stop = None

    def update(self, evidence):
        self.stop.set()
        super().update(evidence)


def test_a_stop_during_indexing_finishes_the_batch(archive):
    index = StopWhileIndexing(archive)
    names = [f"{L1}/{i:02d}：材料.txt" for i in range(1, 21)]
    with running(archive, index=index) as run:
        index.stop = run.stop
        for rel in names:
            txt(archive / rel)
        run.thread.join(30)
    assert not run.thread.is_alive()
    assert run.statuses("stopped")
    checked = {v.path for v in run.verdicts(kind=CHECKED)}
    assert checked and checked <= set(names)
    assert indexed(archive) == checked                 # the batch that began was committed


class InterruptedIndex(SearchIndex):
    """A hard interrupt (a second Ctrl-C) in the middle of writing documents."""

    def update(self, evidence):
        from archive_tool.search import update_index

        def boom(done, total, path):
            if done == min(3, total):  # after two documents were added, when there are two
                raise KeyboardInterrupt
        update_index(self.config, evidence, scope=None, progress=boom)


def test_a_hard_interrupt_during_indexing_leaves_the_last_commit(archive):
    first = f"{L2}/01：先前.txt"
    txt(archive / first)
    names = [f"{L1}/{i:02d}：材料.txt" for i in range(1, 11)]
    with running(archive, index=InterruptedIndex(archive)) as run:
        assert indexed(archive) == {first}
        for rel in names:
            txt(archive / rel)
        run.thread.join(30)
        assert isinstance(run.error, KeyboardInterrupt)
    assert indexed(archive) == {first}                 # opens, and holds the last commit
    with running(archive) as run:                      # the next start repairs it
        pass
    assert indexed(archive) == set(names) | {first}


# ---- what a verdict says ---------------------------------------------------------------------
def test_a_new_file_that_takes_a_number_hears_about_the_duplicate(archive):
    old, colon = f"{L1}/02：原有.txt", f"{L1}/03:半角冒号.txt"
    txt(archive / old)
    txt(archive / colon)
    with running(archive) as run:
        new = f"{L1}/02：一个新文件.txt"                 # the older file keeps its number
        txt(archive / new)
        verdict = run.wait_verdict(new)
        assert [(f.rule, f.path) for f in verdict.findings] == [("NAME_SEQ_DUP", new)]
        assert "02：原有.txt" in verdict.findings[0].message
        # a canonical name wins over the ASCII colon: the finding is on the sibling, and the
        # new file's verdict still shows it
        canonical = f"{L1}/03：规范命名.txt"
        txt(archive / canonical)
        verdict = run.wait_verdict(canonical)
        assert [(f.rule, f.path) for f in verdict.findings] == [("NAME_SEQ_DUP", colon)]


def test_a_sidecar_caption_rechecks_its_image(archive):
    image = f"{L1}/01：学雷锋志愿服务.jpg"
    with running(archive) as run:
        (archive / image).write_bytes(jpeg_bytes())
        assert [f.rule for f in run.wait_verdict(image).findings] == ["CAPTION_MISSING"]
        txt(archive / (image + ".txt"),
            "活动时间：2018年3月5日\n主办单位：临沂市环境保护局\n活动主题：学雷锋志愿服务")
        verdict = run.wait_verdict(image, count=2)
        assert verdict.ok, verdict.findings
        (archive / (image + ".txt")).unlink()
        third = run.wait_verdict(image, count=3)
        assert [f.rule for f in third.findings] == ["CAPTION_MISSING"]


def test_the_event_log(archive):
    with running(archive) as run:
        txt(archive / L1 / "会议.txt")
        run.wait_verdict(f"{L1}/会议.txt")
    records = read_log(archive / ".archive" / "watch.log")
    assert [r["event"] for r in records] == ["started", "reconciled", "verdict", "stopped"]
    verdict = records[2]
    assert verdict["path"] == f"{L1}/会议.txt" and verdict["ok"] is False
    assert verdict["findings"][0]["rule"] == "NAME_FORMAT"
    assert "改名为" in verdict["findings"][0]["fix"]


def test_never_writes_to_the_watched_files(archive):
    rel = f"{L1}/01：原样.docx"
    data = docx_bytes("别的页脚")
    (archive / rel).write_bytes(data)
    before = os.stat(archive / rel)
    with running(archive) as run:
        assert [f.rule for f in run.wait_verdict(rel).findings] == ["FOOTER_MISSING"]
        run.wait_idle()
    assert (archive / rel).read_bytes() == data
    assert os.stat(archive / rel).st_size == before.st_size
    assert sorted(p.name for p in archive.rglob("*") if p.is_file()
                  and ".archive" not in p.parts) == ["01：原样.docx"]


@pytest.mark.parametrize("polling", [False, True], ids=["native", "polling"])
def test_the_watched_folder_deleted_stops_the_watcher_with_one_error(archive, polling):
    for i in range(1, 6):
        txt(archive / L1 / f"{i:02d}：材料.txt")
    txt(archive / L3 / "01：材料.txt")
    with pytest.raises(FileOperationError) as err:
        with running(archive, polling=polling, interval=0.1) as run:
            # a deletion takes many steps while the watcher looks on; a step may meet a file the
            # watcher has open (its log), as Explorer would: delete again once it stopped
            shutil.rmtree(archive, ignore_errors=True)
            run.thread.join(30)
            assert not run.thread.is_alive()
            shutil.rmtree(archive, ignore_errors=True)
            assert not archive.exists()
    assert "已被删除" in err.value.message and err.value.hint
    assert run.verdicts(kind=FAILED) == []
    assert run.statuses("stopped")[0].data["error"] == err.value.message


def test_the_archive_folder_deleted_stops_the_watcher(archive):
    txt(archive / L1 / "01：材料.txt")
    with pytest.raises(FileOperationError) as err:
        with running(archive) as run:
            shutil.rmtree(archive / ".archive")
            txt(archive / L1 / "02：新材料.txt")
            run.thread.join(30)
    assert ".archive" in err.value.message and "已被删除" in err.value.message
    assert run.verdicts(kind=FAILED) == []
