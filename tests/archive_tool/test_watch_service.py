"""The watcher end to end: a real watchdog observer in a thread on an archive in tmp_path.

Tests wait for conditions (a verdict seen, the watcher idle), never for a fixed time; the only
sleeps are those of a simulated slow copy.
"""
import io
import os
import shutil
import threading
import time
from contextlib import contextmanager

import pytest
import yaml
from docx import Document
from PIL import Image

from archive_tool.config import load_config
from archive_tool.scaffold import init_archive
from archive_tool.search.indexer import index_dir, open_index
from archive_tool.store import Store
from archive_tool.watch import (CHECKED, FAILED, REMOVED, NoIndex, SearchIndex, Status, Verdict,
                                Watcher, read_log)
from archive_tool.watch import process as watch_process

QUIET = 0.3
L1 = "I-1 思想政治建设/II-1 加强学习"
L2 = "I-1 思想政治建设/II-2 理论宣讲"
L3 = "I-2 精神文明建设/II-3 志愿服务"


def tree_yaml():
    return yaml.safe_dump({"id": "demo-2018", "title": "演示", "window": {
        "start": "2018-01-01", "end": "2018-12-31"}, "indicators": [
        {"id": "I-1", "name": "思想政治建设", "children": [
            {"id": "II-1", "name": "加强学习"}, {"id": "II-2", "name": "理论宣讲"}]},
        {"id": "I-2", "name": "精神文明建设", "children": [{"id": "II-3", "name": "志愿服务"}]}]},
        allow_unicode=True, sort_keys=False)


@pytest.fixture
def archive(tmp_path):
    tree = tmp_path / "tree.yaml"
    tree.write_text(tree_yaml(), encoding="utf-8")
    root = tmp_path / "档案"
    init_archive(root, tree, unit="临沂市环境保护局")
    return root


def wait_for(condition, timeout=20.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {message}")


def txt(path, text="本单位组织开展文明单位创建学习活动。"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def docx_bytes(footer: str) -> bytes:
    doc = Document()
    doc.add_paragraph("关于开展学习活动的说明报告")
    doc.sections[0].footer.paragraphs[0].text = footer
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def jpeg_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


def indexed(root) -> set[str]:
    ix, reason = open_index(index_dir(load_config(root)))
    assert ix is not None, reason
    with ix.reader() as reader:
        return {fields["path"] for _, fields in reader.iter_docs()}


def cached(root) -> set[str]:
    with Store(root / ".archive") as store:
        return set(store.all_files())


class Run:
    """A watcher running in a thread, and everything it reported (with the time it did)."""

    def __init__(self, watcher, stop, thread):
        self.watcher, self.stop, self.thread = watcher, stop, thread
        self.items: list[tuple[float, object]] = []
        self.error: BaseException | None = None
        self._lock = threading.Lock()

    def record(self, item):
        with self._lock:
            self.items.append((time.monotonic(), item))

    def verdicts(self, path=None, kind=None) -> list[Verdict]:
        with self._lock:
            items = [i for _, i in self.items if isinstance(i, Verdict)]
        return [v for v in items if (path is None or v.path == path)
                and (kind is None or v.kind == kind)]

    def times(self, path, kind=CHECKED) -> list[float]:
        with self._lock:
            return [t for t, i in self.items if isinstance(i, Verdict) and i.path == path
                    and i.kind == kind]

    def statuses(self, kind) -> list[Status]:
        with self._lock:
            return [i for _, i in self.items if isinstance(i, Status) and i.kind == kind]

    def wait_verdict(self, path, kind=CHECKED, count=1, timeout=20.0) -> Verdict:
        wait_for(lambda: len(self.verdicts(path, kind)) >= count or self.error, timeout,
                 f"{kind} {path}")
        if self.error:
            raise self.error
        return self.verdicts(path, kind)[count - 1]

    def wait_idle(self, timeout=20.0):
        wait_for(lambda: self.watcher.idle() or self.error, timeout, "idle")


@contextmanager
def running(root, *, quiet=QUIET, index=None, **kw):
    stop = threading.Event()
    run = Run(None, stop, None)
    watcher = Watcher(root, quiet=quiet, report=run.record,
                      index=index if index is not None else SearchIndex(), **kw)
    run.watcher = watcher

    def target():
        try:
            watcher.run(stop)
        except BaseException as exc:  # noqa: BLE001 - surfaced by the test
            run.error = exc

    run.thread = threading.Thread(target=target, daemon=True)
    run.thread.start()
    wait_for(lambda: watcher.ready.is_set() or run.error, message="watcher ready")
    if run.error:
        raise run.error
    try:
        yield run
    finally:
        stop.set()
        run.thread.join(30)
        assert not run.thread.is_alive()
    if run.error and not isinstance(run.error, KeyboardInterrupt):
        raise run.error


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
    real = watch_process.check_target

    def flaky(config, target, rels, source="event"):
        if any("爆炸" in r for r in rels):
            raise RuntimeError("boom")
        return real(config, target, rels, source)
    monkeypatch.setattr("archive_tool.watch.service.check_target", flaky)
    with running(archive) as run:
        txt(archive / L2 / "01：爆炸.txt")
        failed = run.wait_verdict(f"{L2}/01：爆炸.txt", FAILED)
        assert "boom" in failed.message and not failed.ok
        txt(archive / L1 / "01：正常.txt")
        assert run.wait_verdict(f"{L1}/01：正常.txt").ok


class StopWhileIndexing(SearchIndex):
    """Sets the stop event as the first event-driven index update begins."""

    def __init__(self):
        super().__init__()
        self.stop = None

    def update(self, config, evidence):
        self.stop.set()
        super().update(config, evidence)


def test_a_stop_during_indexing_finishes_the_batch(archive):
    index = StopWhileIndexing()
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

    def update(self, config, evidence):
        from archive_tool.search import update_index

        def boom(done, total, path):
            if done == min(3, total):  # after two documents were added, when there are two
                raise KeyboardInterrupt
        update_index(config, evidence, scope=None, progress=boom)


def test_a_hard_interrupt_during_indexing_leaves_the_last_commit(archive):
    first = f"{L2}/01：先前.txt"
    txt(archive / first)
    names = [f"{L1}/{i:02d}：材料.txt" for i in range(1, 11)]
    with running(archive, index=InterruptedIndex()) as run:
        assert indexed(archive) == {first}
        for rel in names:
            txt(archive / rel)
        run.thread.join(30)
        assert isinstance(run.error, KeyboardInterrupt)
    assert indexed(archive) == {first}                 # opens, and holds the last commit
    with running(archive) as run:                      # the next start repairs it
        pass
    assert indexed(archive) == set(names) | {first}


# ---- reconcile and rescan --------------------------------------------------------------------
def test_a_restart_after_files_changed_while_stopped(archive):
    keep, change, delete = f"{L1}/01：保留.txt", f"{L1}/02：修改.txt", f"{L2}/01：删除.txt"
    for rel in (keep, change, delete):
        txt(archive / rel)
    with running(archive, index=NoIndex()) as run:
        pass
    assert len(run.verdicts(kind=CHECKED)) == 3
    # while the watcher is down
    txt(archive / change, "内容改过了，文明单位创建。")
    (archive / delete).unlink()
    added = f"{L3}/学雷锋.txt"
    txt(archive / added)
    with running(archive) as run:
        got = {(v.kind, v.path, v.source) for v in run.verdicts()}
        assert got == {(CHECKED, change, "reconcile"), (CHECKED, added, "reconcile"),
                       (REMOVED, delete, "reconcile")}
        assert [f.rule for f in run.verdicts(added)[0].findings] == ["NAME_FORMAT"]
        assert indexed(archive) == cached(archive) == {keep, change, added}


def test_the_periodic_rescan_catches_lost_events(archive):
    lost = f"{L1}/05：丢失的事件.txt"
    with running(archive, rescan_every=0.5) as run:
        real_act = run.watcher.act
        run.watcher.act = lambda actions: real_act([a for a in actions if "丢失" not in a.path])
        txt(archive / lost)
        verdict = run.wait_verdict(lost)
        assert verdict.source == "rescan"
        wait_for(lambda: lost in indexed(archive), message="indexed by the rescan")


def test_polling_observer(archive):
    rel = f"{L1}/01：共享盘.txt"
    with running(archive, polling=True, interval=0.1) as run:
        txt(archive / rel)
        assert run.wait_verdict(rel).source == "event"
        (archive / rel).unlink()
        run.wait_verdict(rel, REMOVED)


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


# ---- the archive root, top-level folders, a busy index -------------------------------------
def test_a_file_at_the_root_is_checked_without_walking_the_archive(archive, monkeypatch):
    txt(archive / L1 / "01：甲.txt")
    with running(archive) as run:
        scanned = []
        real_scan = watch_process.scan
        monkeypatch.setattr(watch_process, "scan",
                            lambda path, **kw: scanned.append(path) or real_scan(path, **kw))
        txt(archive / "01：放错位置.txt")
        verdict = run.wait_verdict("01：放错位置.txt")
        assert [f.rule for f in verdict.findings] == ["PLACE_OUTSIDE"]
        assert scanned == [archive / "01：放错位置.txt"]      # the root file alone
        run.wait_idle()
        assert "01：放错位置.txt" in indexed(archive)


def test_a_top_level_folder_removed_while_stopped(archive, tmp_path):
    files = [f"{L3}/01：甲.txt", f"{L3}/02：乙.txt", f"{L1}/01：丙.txt", "01：根目录.txt"]
    for rel in files:
        txt(archive / rel)
    with running(archive) as run:
        pass
    assert indexed(archive) == set(files)
    shutil.rmtree(archive / "I-2 精神文明建设")
    (archive / "01：根目录.txt").unlink()
    with running(archive) as run:
        assert sorted(v.path for v in run.verdicts(kind=REMOVED)) == sorted(
            [files[0], files[1], files[3]])
        assert run.verdicts(kind=CHECKED) == []
        assert run.statuses("reconciled")[0].data["complete"] is True
    assert indexed(archive) == cached(archive) == {files[2]}


class StopDuringReconcile(SearchIndex):
    def __init__(self, stop):
        super().__init__()
        self.stop = stop
        self.parts = 0

    def sync(self, result):
        self.parts += 1
        self.stop.set()
        super().sync(result)


def test_a_stop_during_the_start_reconcile_falls_between_two_folders(archive):
    for rel in (f"{L1}/01：甲.txt", f"{L3}/01：乙.txt"):
        txt(archive / rel)
    stop = threading.Event()
    index = StopDuringReconcile(stop)
    items = []
    Watcher(archive, quiet=QUIET, index=index, report=items.append).run(stop)
    assert index.parts == 1
    [reconciled] = [i for i in items if isinstance(i, Status) and i.kind == "reconciled"]
    assert reconciled.data["complete"] is False
    assert [i.kind for i in items if isinstance(i, Status)][-1] == "stopped"
    assert indexed(archive) == {f"{L1}/01：甲.txt", f"{L3}/01：乙.txt"}  # built whole, once


def test_a_busy_index_is_caught_up_without_repeating_verdicts(archive):
    from archive_tool.search.indexer import write_lock

    rel = f"{L1}/01：索引被占用.txt"
    with running(archive, index=SearchIndex(wait=0.2), retry_index=0.5) as run:
        with write_lock(index_dir(load_config(archive))):     # another writer holds it
            txt(archive / rel)
            assert run.wait_verdict(rel).ok
            wait_for(lambda: run.statuses("index_busy"), message="index_busy")
            assert rel not in indexed(archive)
        wait_for(lambda: rel in indexed(archive), message="indexed after the retry")
        assert len(run.verdicts(rel)) == 1


def test_an_inotify_overflow_rescans_at_once(archive):
    import logging

    from archive_tool.watch.runtime import INOTIFY_LOGGER

    lost = f"{L1}/06：溢出时丢失.txt"
    with running(archive) as run:                       # the periodic rescan is 5 min away
        real_act = run.watcher.act
        run.watcher.act = lambda actions: real_act([a for a in actions if "丢失" not in a.path])
        txt(archive / lost)
        logging.getLogger(INOTIFY_LOGGER).warning(
            "Inotify queue overflowed; filesystem events were lost")
        assert run.wait_verdict(lost).source == "rescan"
        assert run.statuses("overflow")


def test_folder_scoped_verdicts_match_a_lint_of_the_whole_archive(archive):
    """The watcher scans a file's folder, not the archive: it must find the same problems."""
    from archive_tool.lint import lint
    from archive_tool.scan import scan

    txt(archive / L1 / "02：原有.txt")
    files = {
        f"{L1}/02：重号.txt": None, f"{L1}/学习体会.txt": None, f"{L1}/03:半角.txt": None,
        f"{L2}/01：说明报告.docx": docx_bytes("别的页脚"), f"{L2}/02：照片.jpg": jpeg_bytes(),
        "I-1 思想政治建设/01：放在上级.txt": None, "I-1 思想政治建设/杂项/01：甲.txt": None,
        "I-1 思想政治建设/杂项/子目录/02：乙.txt": None, "杂项顶层/01：丙.txt": None,
        "01：根目录.txt": None,
    }
    with running(archive) as run:
        for rel, data in files.items():
            (archive / rel).parent.mkdir(parents=True, exist_ok=True)
            if data is None:
                txt(archive / rel)
            else:
                (archive / rel).write_bytes(data)
        for rel in files:
            run.wait_verdict(rel)
        run.wait_idle()
        got = {rel: {(f.rule, f.path) for f in run.verdicts(rel)[-1].findings} for rel in files}
    whole = lint(scan(archive))
    for rel in files:
        own = {(f.rule, f.path) for f in whole.findings if f.path == rel}
        dirs = {(f.rule, f.path) for f in whole.findings
                if f.rule == "PLACE_UNKNOWN_DIR" and rel.startswith(f.path + "/")}
        assert own | dirs <= got[rel], rel
        assert {(r, p) for r, p in got[rel] if p != rel} - dirs <= {
            ("NAME_SEQ_DUP", p) for p in files}, rel
    unknown = {f.path: f.message for f in whole.findings if f.rule == "PLACE_UNKNOWN_DIR"}
    nested = run.verdicts("I-1 思想政治建设/杂项/子目录/02：乙.txt")[-1].findings[0]
    assert nested.message == unknown["I-1 思想政治建设/杂项"]       # same count of files


def test_a_file_deleted_before_its_event_is_handled_still_leaves_the_index(archive):
    """A check of the folder may scan after a deletion but before its event is handled: the
    scan drops the cache row, and the watcher must still report it and drop it from the index."""
    gone, new = f"{L1}/01：将删除.txt", f"{L1}/02：新文件.txt"
    txt(archive / gone)
    with running(archive) as run:
        real_act = run.watcher.act
        held = []
        run.watcher.act = lambda actions: real_act(
            [a for a in actions if not ("将删除" in a.path and not held.append(a))])
        (archive / gone).unlink()                     # its event is held back …
        txt(archive / new)                            # … while the folder is checked
        run.wait_verdict(new)
        assert run.wait_verdict(gone, REMOVED).source == "event"
        real_act(held)                                # the late event finds nothing to do
        run.wait_idle()
        assert len(run.verdicts(gone, REMOVED)) == 1
        assert indexed(archive) == cached(archive) == {new}
