"""The watcher end to end, the archive as a whole: reconcile at start, periodic rescans and
overflows, files at the root and top-level folders, a busy index, and folder-scoped verdicts
against a lint of the whole archive."""

import logging
import shutil
import threading

from archive_tool.config import load_config
from archive_tool.search.indexer import index_dir
from archive_tool import CHECKED, REMOVED, Archive, Status
from archive_tool import verdicts as watch_process
from archive_tool.watch.index import NoIndex
from archive_tool.watch.service import Watcher

from .test_watch_support import (L1, L2, L3, QUIET, SearchIndex, archive, cached, docx_bytes,  # noqa: F401
                                 indexed, jpeg_bytes, running, txt, wait_for)


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
    def __init__(self, root, stop):
        super().__init__(root)
        self.stop = stop
        self.parts = 0

    def sync(self, evidence, scope):
        self.parts += 1
        self.stop.set()
        super().sync(evidence, scope)


def test_a_stop_during_the_start_reconcile_falls_between_two_folders(archive):
    for rel in (f"{L1}/01：甲.txt", f"{L3}/01：乙.txt"):
        txt(archive / rel)
    stop = threading.Event()
    index = StopDuringReconcile(archive, stop)
    items = []
    Watcher(Archive.open(archive), quiet=QUIET, index=index, report=items.append).run(stop)
    assert index.parts == 1
    [reconciled] = [i for i in items if isinstance(i, Status) and i.kind == "reconciled"]
    assert reconciled.data["complete"] is False
    assert [i.kind for i in items if isinstance(i, Status)][-1] == "stopped"
    assert indexed(archive) == {f"{L1}/01：甲.txt"}   # built one folder at a time
    with running(archive):                             # the next start completes it
        pass
    assert indexed(archive) == {f"{L1}/01：甲.txt", f"{L3}/01：乙.txt"}


def test_the_first_start_builds_the_index_a_folder_at_a_time(archive, monkeypatch):
    from archive_tool.search import indexer

    files = {f"{L1}/01：甲.txt", f"{L2}/01：乙.txt", f"{L3}/01：丙.txt", "01：根目录.txt"}
    for rel in files:
        txt(archive / rel)
    whole = []
    real = indexer._everything
    monkeypatch.setattr(indexer, "_everything", lambda *a: whole.append(1) or real(*a))
    with running(archive) as run:
        assert indexed(archive) == files
        assert run.statuses("reconciled")[0].data["complete"] is True
    assert whole == []                                 # never a scan of the whole archive


class DeletesTheIndexOnTheSecondFolder(SearchIndex):
    def __init__(self, root):
        super().__init__(root)
        self.parts = 0

    def sync(self, evidence, scope):
        self.parts += 1
        if self.parts == 2:
            shutil.rmtree(index_dir(self.config))
        return super().sync(evidence, scope)


def test_an_index_lost_during_the_start_is_completed_at_once(archive):
    files = {f"{L1}/01：甲.txt", f"{L3}/01：乙.txt"}
    for rel in files:
        txt(archive / rel)
    with running(archive) as run:                     # builds the index
        pass
    with running(archive, index=DeletesTheIndexOnTheSecondFolder(archive)) as run:
        wait_for(lambda: indexed(archive) == files, message="the first folder indexed again")
        # the rescan's status comes after its index update: wait for it too, not a race
        wait_for(lambda: len(run.statuses("reconciled")) >= 2, message="the rescan's status")
        assert [s.data["source"] for s in run.statuses("reconciled")][:2] == [
            "reconcile", "rescan"]


def test_a_busy_index_is_caught_up_without_repeating_verdicts(archive):
    from archive_tool.search.indexer import write_lock

    rel = f"{L1}/01：索引被占用.txt"
    with running(archive, index=SearchIndex(archive, wait=0.2), retry_index=0.5) as run:
        with write_lock(index_dir(load_config(archive))):     # another writer holds it
            txt(archive / rel)
            assert run.wait_verdict(rel).ok
            wait_for(lambda: run.statuses("index_busy"), message="index_busy")
            assert rel not in indexed(archive, locked=True)
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


# ---- a damaged index, --once and the index --------------------------------------------------
def _damage(root):
    from .test_search_index import _damage_postings

    _damage_postings(load_config(root))


def test_an_index_that_breaks_when_written_is_rebuilt_by_the_watcher(archive):
    a, b = f"{L1}/01：甲.txt", f"{L3}/01：乙.txt"
    txt(archive / a)
    txt(archive / b)
    with running(archive) as run:
        assert indexed(archive) == {a, b}
        _damage(archive)
        txt(archive / a, "内容改过了：文明单位创建。")     # its old document must be deleted
        run.wait_verdict(a, count=2)
        wait_for(lambda: [s for s in run.statuses("index_rebuilt")
                          if s.data["reason"] == "corrupt"], message="index_rebuilt")
        run.wait_idle()
        assert run.statuses("error") == [] and run.statuses("index_busy") == []
        assert indexed(archive) == {a, b}
        assert [h.path for h in Archive.open(archive).search("改过").hits] == [a]


def test_once_counts_index_failures(archive):
    from archive_tool.search.indexer import write_lock

    txt(archive / L1 / "01：甲.txt")
    items = []
    with write_lock(index_dir(load_config(archive))):
        stats = Watcher(Archive.open(archive), index=SearchIndex(archive, wait=0.2),
                        report=items.append).run(once=True)
    assert stats.index_failures >= 1
    assert [i for i in items if isinstance(i, Status) and i.kind == "index_busy"]


def test_a_sidecar_is_matched_to_its_image_as_the_scan_matches_it():
    from archive_tool.verdicts import sidecar_owners

    folder = "I-1 思想政治建设/II-1 加强学习"
    images = [f"{folder}/01：学习会.JPG", f"{folder}/02：座谈.jpg", f"other/01：学习会.JPG"]
    assert sidecar_owners(f"{folder}/01：学习会.JPG.TXT", images) == [images[0]]
    assert sidecar_owners(f"{folder}/01：学习会.txt", images) == [images[0]]
    assert sidecar_owners(f"{folder}/02：座谈.XMP", images) == [images[1]]
    assert sidecar_owners(f"{folder}/03：说明.txt", images) == []
    assert sidecar_owners(f"{folder}/01：学习会.JPG.docx", images) == []


def test_forgetting_makes_no_cache_or_index_where_there_is_none(archive):
    """While the archive is being deleted the watcher hears files go: dropping them from a cache
    or an index that is already gone must not make new ones (the deletion would then fail)."""
    from archive_tool.search import remove_paths
    from archive_tool.store import CACHE_FILE

    config = load_config(archive)
    for name in (CACHE_FILE, CACHE_FILE + "-wal", CACHE_FILE + "-shm"):
        (config.archive_dir / name).unlink(missing_ok=True)
    shutil.rmtree(index_dir(config), ignore_errors=True)
    assert watch_process.forget(config, [f"{L1}/01：没了.txt"]).removed == []
    assert remove_paths(config, [f"{L1}/01：没了.txt"]).reason == "missing"
    assert not (config.archive_dir / CACHE_FILE).exists() and not index_dir(config).exists()
