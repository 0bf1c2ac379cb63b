"""The watch loop: an observer feeds touches, the stability tracker says what is complete, and
the loop checks, forgets and reconciles, reporting each verdict through a callback.

Threads: watchdog's observer thread only records (touches in the tracker, departures in a set);
everything that reads files or writes the cache and the index runs in the thread that called
:meth:`Watcher.run`, one batch at a time, so a stop (``stop.set()`` from a signal handler or a
test) always falls between two batches and never leaves half an index behind.
"""
from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING

from archive_tool import (CHECKED, REMOVED, ArchiveError, Evidence, FileOperationError,
                          IndexBusyError, Verdict)

from .handler import FOLDER, GONE, TOUCH, Action, start_observer
from .index import Index
from .log import LOG_FILE, EventLog
from .runtime import OverflowListener, release_memory
from .stability import FileStabilityTracker, Poll
from .status import Report, Status, WatchStats, message as _message

if TYPE_CHECKING:  # pragma: no cover
    from archive_tool import Archive

QUIET_NATIVE, QUIET_POLLING, POLL_INTERVAL, RESCAN_EVERY = 2.0, 5.0, 2.0, 300.0
#: files checked per loop step; a stop waits for at most one batch
BATCH = 200
#: after an IndexBusyError, try again this soon
RETRY_INDEX = 30.0
#: tenths of a second a failure waits to see whether the archive itself is being deleted
GONE_GRACE_STEPS = 10


class Watcher:
    """Watch one archive. Build it, then :meth:`run` it until ``stop`` is set.

    Everything it reads or writes it asks of ``archive`` (:class:`archive_tool.Archive`: its
    verdicts and its live index). ``report`` receives every :class:`archive_tool.Verdict` and
    :class:`Status`; ``index`` is the index step (the archive's search index by default,
    :class:`~.index.NoIndex` for none).
    """

    def __init__(self, archive: Archive, *, polling: bool = False,
                 interval: float = POLL_INTERVAL, quiet: float | None = None,
                 rescan_every: float = RESCAN_EVERY, index: Index | None = None,
                 report: Report | None = None, log: bool = True, batch: int = BATCH,
                 tick: float = 0.1, retry_index: float = RETRY_INDEX, ocr: bool = True):
        self.archive = archive
        self.verdicts = archive.verdicts
        self.root = archive.root
        self.polling = polling
        self.interval = interval
        self.quiet = quiet if quiet is not None else (QUIET_POLLING if polling else QUIET_NATIVE)
        self.rescan_every = rescan_every
        self.index = index if index is not None else archive.live_index()
        self.report = report
        self.log_path = archive.config.archive_dir / LOG_FILE if log else None
        self.batch = batch
        self.tick = tick
        self.retry_index = retry_index
        self.tracker = FileStabilityTracker(self.quiet, stat=self._stat)
        self.stats = WatchStats()
        #: set once the observer runs and the archive was reconciled
        self.ready = threading.Event()
        self._gone: dict[str, None] = {}
        self._lock = threading.Lock()
        self._busy = False
        self._log: EventLog | None = None
        self._next_rescan = 0.0
        #: the index missed updates (busy): the next rescan syncs every document
        self._resync = False
        #: folder parts synced in this reconcile, and whether a later one rebuilt the index
        self._synced = 0
        self._rebuilt_late = False
        #: during a rescan, the paths the index held when it began (None: not known)
        self._known: set[str] | None = None
        #: set from the observer thread when the kernel dropped events: rescan now
        self._lost_events = threading.Event()
        #: the stop event of the running loop (a failure waits on it, so a stop is heard)
        self._stopping = threading.Event()
        #: run(once=True): the reconcile tells every problem still there (a scheduled task)
        self._once = False
        #: scans' text read in the background (:meth:`archive_tool.Archive.background_ocr`);
        #: None: not read here
        self.ocr = archive.background_ocr() if ocr else None

    # ---- events (observer thread) ----------------------------------------------------------
    def _stat(self, rel: str) -> os.stat_result:
        return os.lstat(self.root / rel)

    def act(self, actions: list[Action]) -> None:
        """Record what the events said; nothing is read here."""
        for action in actions:
            if action.kind == TOUCH:
                self.tracker.touch(action.path)
            elif action.kind == GONE:
                self.tracker.forget_under(action.path)
                with self._lock:
                    self._gone[action.path] = None
            elif action.kind == FOLDER:
                for rel in self.verdicts.files_below(action.path):
                    self.tracker.touch(rel)

    def _overflowed(self) -> None:
        self._lost_events.set()

    def idle(self) -> bool:
        """Nothing pending, nothing gone unhandled, no batch under way."""
        with self._lock:
            return not self._gone and not self._busy and len(self.tracker) == 0

    # ---- reporting -------------------------------------------------------------------------
    def _emit(self, item) -> None:
        if isinstance(item, Verdict):
            if item.kind == CHECKED:
                self.stats.checked += 1
                self.stats.with_findings += bool(item.findings)
            elif item.kind == REMOVED:
                self.stats.removed += 1
            else:
                self.stats.failed += 1
            if self._log is not None:
                self._log.write("verdict", **item.to_dict())
        elif self._log is not None:
            self._log.write(item.kind, **item.data)
        if self.report is not None:
            self.report(item)

    def _check_root(self) -> None:
        """Stop (FileOperationError) when the watched folder or its .archive went away: every
        file would fail, so the watcher stops with one message instead."""
        gone = self.verdicts.gone()
        if gone is not None:
            raise gone

    def _failed(self, paths: list[str], exc: BaseException, source: str) -> None:
        # a failure of the disk or the cache may be the archive going away (a deletion takes
        # a moment to finish): look again for a moment before blaming the files
        if isinstance(exc, (OSError, ArchiveError)):
            for _ in range(GONE_GRACE_STEPS):
                self._check_root()
                if self._stopping.wait(0.1):
                    break
        self._check_root()
        for verdict in self.verdicts.failed(paths, _message(exc), source):
            self._emit(verdict)

    def _indexing(self, call, *args):
        """Run one index step; return what it returned (None when it failed). When it fails
        (another writer held the index too long, or anything else) the cache is current and
        the index is not: a rescan soon brings every document in line, without repeating
        verdicts. An index the step had to rebuild because it was damaged or outdated is
        reported (index_rebuilt; a missing one is simply built: the first start)."""
        try:
            result = call(*args)
            if result is not None and result.rebuilt and result.reason != "missing":
                self._emit(Status("index_rebuilt", {"reason": result.reason,
                                                    "documents": result.documents}))
            return result
        except IndexBusyError as exc:
            status = Status("index_busy", {"message": exc.message, "retry_in": self.retry_index})
        except Exception as exc:  # noqa: BLE001 - the index is a cache; keep watching
            self._check_root()
            status = Status("error", {"stage": "index", "message": _message(exc),
                                      "retry_in": self.retry_index})
        self._resync = True
        self.stats.index_failures += 1
        self._next_rescan = min(self._next_rescan, time.monotonic() + self.retry_index)
        self._emit(status)
        return None

    # ---- work (the run thread) -------------------------------------------------------------
    def _forget(self, paths: list[str], source: str = "event") -> None:
        try:
            result = self.verdicts.forget(paths)
        except Exception as exc:  # noqa: BLE001 - report it and keep watching
            self._failed(paths, exc, source)
            return
        for rel in result.removed:
            self._emit(Verdict(REMOVED, rel, source=source))
        for rel in result.owners:
            self.tracker.touch(rel)
        # what the cache no longer held may still be in the index (lint --fix renamed it)
        if result.removed or result.unknown:
            self._indexing(self.index.remove, result.removed + result.unknown)

    def _check(self, paths: list[str], stop: threading.Event, source: str = "event") -> None:
        to_index: list[Evidence] = []
        missing: list[str] = []
        removed: list[str] = []
        for target, rels in self.verdicts.targets(paths).items():
            if stop.is_set():
                break  # the rest is found by the reconcile of the next start
            try:
                checked = self.verdicts.judge(target, rels, source)
            except Exception as exc:  # noqa: BLE001 - a bad file must not stop the watcher
                self._failed(rels, exc, source)
                continue
            for rel in checked.removed:  # the scan dropped them from the cache before their event
                self._emit(Verdict(REMOVED, rel, source=source))
            for verdict in checked.verdicts:
                self._emit(verdict)
            to_index.extend(checked.evidence)
            missing.extend(checked.missing)
            removed.extend(checked.removed)
        if removed:
            self._indexing(self.index.remove, removed)
        if to_index:
            self._indexing(self.index.update, to_index)
            self._recognise(to_index)
        if missing:
            self._forget(missing, source)

    def _recognise(self, evidence: list[Evidence]) -> None:
        """Hand the scans to the background OCR; say once when it is not installed."""
        if self.ocr is None:
            return
        told = self.ocr.unavailable
        self.ocr.submit(evidence)
        if not told and self.ocr.unavailable:
            self._emit(Status("ocr_unavailable", {"files": self.ocr.unavailable,
                                                  "install": self.ocr.install_hint}))

    def step(self, stop: threading.Event) -> None:
        """Handle what is gone, the scans read in the background, one batch of complete
        files."""
        if self.ocr is not None:
            read = self.ocr.finished()
            if read:
                self._check(read, stop, source="ocr")
        with self._lock:
            gone, self._gone = list(self._gone), {}
            self._busy = True
        poll = Poll()
        try:
            poll = self.tracker.poll(limit=self.batch)
            gone.extend(poll.vanished)
            if gone:
                self._forget(gone)
            if poll.ready:
                self._check(poll.ready, stop)
        finally:
            with self._lock:
                self._busy = False
        if (gone or poll.ready) and len(self.tracker) == 0:
            release_memory()

    def reconcile(self, source: str = "reconcile", *, stop: threading.Event | None = None,
                  raise_errors: bool = False) -> None:
        """Scan the whole archive, a top-level folder at a time; report what changed unseen;
        bring the index in line (at start: every document; on a rescan: what events missed)."""
        started = time.perf_counter()
        summary = {"source": source, "files": 0, "changed": 0, "removed": 0,
                   "with_findings": 0, "complete": False}
        full = source == "reconcile" or self._resync
        self._resync = False
        self._synced = 0
        self._rebuilt_late = False
        with self._lock:
            self._busy = True
        try:
            stopped = stop is not None and stop.is_set()  # a signal during start-up
            self._known = None if full else self._indexed_paths()
            parts = () if stopped else self.verdicts.reconcile(
                source, skip=self.tracker.pending(), problems=self._once)
            for part in parts:
                for verdict in part.verdicts:
                    self._emit(verdict)
                summary["files"] += len(part.evidence)
                summary["changed"] += sum(1 for v in part.verdicts
                                          if v.kind == CHECKED and not v.again)
                summary["removed"] += sum(1 for v in part.verdicts if v.kind == REMOVED)
                summary["with_findings"] += sum(1 for v in part.verdicts if v.findings)
                self._index_part(part, full)
                self._recognise(part.evidence)
                last = part.scope is None
                del part
                if stop is not None and stop.is_set() and not last:
                    break  # between two parts; the next start reconciles again
            else:
                summary["complete"] = not stopped
            if self._rebuilt_late:  # rebuilt from a later part: the parts before it are missing
                self._resync = True
                self._next_rescan = min(self._next_rescan, time.monotonic() + self.tick)
            self.stats.reconciles += 1
            release_memory()
            summary["seconds"] = round(time.perf_counter() - started, 3)
            self._emit(Status("reconciled", summary))
        except Exception as exc:  # noqa: BLE001 - keep watching; the next rescan tries again
            self._check_root()
            if raise_errors:
                raise
            self._emit(Status("error", {"stage": source, "message": _message(exc)}))
        finally:
            with self._lock:
                self._busy = False

    def _indexed_paths(self) -> set[str] | None:
        """The paths the index holds (None: the index step cannot say, or failed to)."""
        try:
            return self.index.paths()
        except Exception:  # noqa: BLE001 - the index is a cache: the rescan goes on without it
            return None

    def _index_part(self, part, full: bool) -> None:
        """Index one reconcile part: every document when ``full`` (at start, after the index
        was busy), else only what the cache did not know (a rescan after lost events).

        A missing or broken index is rebuilt by the sync of a folder's part from that part
        alone, and the next parts add theirs: at start the index is built one top-level
        folder at a time (memory stays per folder, a stop falls between two folders). When
        that happens after the first part, the parts before are synced by a rescan at once."""
        if self._resync:
            return  # the index failed earlier in this reconcile: the retry syncs everything
        if part.scope is None:
            self._indexing(self.index.remove, [v.path for v in part.verdicts])
            if not self._resync:  # documents of files not on disk
                self._indexing(self.index.prune, part.present)
        elif full and part.scope:
            # repairs what changed behind the cache
            stats = self._indexing(self.index.sync, part.evidence, part.scope)
            if stats is not None and stats.rebuilt and self._synced:
                self._rebuilt_late = True
            self._synced += 1
        else:  # root files, or a rescan: what is new or changed only
            changed = {v.path for v in part.verdicts}
            known = self._known  # what the index holds: a file it lacks is added too
            self._indexing(self.index.update,
                           [ev for ev in part.evidence if full or ev.path in changed
                            or (known is not None and ev.path not in known)])

    # ---- the loop --------------------------------------------------------------------------
    def _observer(self):
        try:
            return start_observer(self.root, self, polling=self.polling, interval=self.interval)
        except FileOperationError:
            self._check_root()  # the folder itself went away: that is the message
            raise

    def _wait_time(self) -> float:
        due = self.tracker.next_due()
        wait = self.tick if due is None else min(self.tick, due)
        return max(0.005, min(wait, self._next_rescan - time.monotonic()))

    def run(self, stop: threading.Event | None = None, *, once: bool = False) -> WatchStats:
        """Reconcile, then watch until ``stop`` is set (``once``: reconcile and return)."""
        stop = stop if stop is not None else threading.Event()
        self._stopping = stop
        self._once = once
        self._log = EventLog(self.log_path) if self.log_path is not None else None
        observer = None
        overflow = OverflowListener(self._overflowed)
        ended: dict = {}
        try:
            self._emit(Status("started", {
                "root": str(self.root), "observer": "polling" if self.polling else "native",
                "quiet": self.quiet, "rescan_every": self.rescan_every, "once": once}))
            if not once and not stop.is_set():
                overflow.attach()
                observer = self._observer()
            self._next_rescan = float("inf")
            self.reconcile(stop=stop, raise_errors=once)
            self._next_rescan = min(self._next_rescan, time.monotonic() + self.rescan_every)
            self.ready.set()
            while not once and not stop.is_set():
                self._check_root()
                self.step(stop)
                if stop.is_set():
                    break
                if self._lost_events.is_set():
                    self._lost_events.clear()
                    self._emit(Status("overflow", {}))
                    self._next_rescan = 0.0
                if time.monotonic() >= self._next_rescan:
                    self._next_rescan = time.monotonic() + self.rescan_every
                    self.reconcile("rescan", stop=stop)
                if not observer.is_alive():
                    raise FileOperationError(f"对 {self.root} 的监视意外中止",
                                             hint="检查档案文件夹是否仍然存在，然后重新运行。")
                stop.wait(self._wait_time())
        except ArchiveError as exc:
            ended["error"] = exc.message  # the caller shows it; the stop line need not
            raise
        finally:
            if self.ocr is not None:
                self.ocr.close()
            if observer is not None:
                observer.stop()
                observer.join(timeout=10)
            overflow.detach()
            self._emit(Status("stopped", {**self.stats.__dict__, **ended}))
            if self._log is not None:
                self._log.close()
                self._log = None
        return self.stats
