"""Shared by the watcher's end-to-end tests (no tests here): an archive in tmp_path, real files,
and a watcher with a real watchdog observer running in a thread, recording what it reports.

Tests wait for conditions (a verdict seen, the watcher idle), never for a fixed time.
"""
import io
import threading
import time
from contextlib import contextmanager, nullcontext

import pytest
from docx import Document
from PIL import Image

from archive_tool.config import load_config
from archive_tool.search.index_files import write_lock
from archive_tool.search.indexer import index_dir, open_index
from archive_tool.store import Store
from archive_tool import CHECKED, Archive, Status, Verdict
from archive_tool.search import LiveIndex
from archive_tool.watch.service import Watcher

from ..conftest import L1, L2, L3  # noqa: F401 - the watch tests take them from here

QUIET = 0.3


@pytest.fixture
def archive(demo_archive):
    return demo_archive


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
    Image.new("RGB", (800, 600), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


def indexed(root, *, locked: bool = False) -> set[str]:
    """The paths in the index, read under its write lock as a search that finds it changing
    does (a writer deletes the files of the segments it merged when it commits); ``locked``:
    the caller holds the lock already."""
    folder = index_dir(load_config(root))
    with nullcontext() if locked else write_lock(folder):
        ix, reason = open_index(folder)
        assert ix is not None, reason
        with ix.reader() as reader:
            return {fields["path"] for _, fields in reader.iter_docs()}


def cached(root) -> set[str]:
    with Store(root / ".archive") as store:
        return set(store.rows())


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


class SearchIndex(LiveIndex):
    """The archive's search index as the watcher keeps it, made from the archive's path (tests
    subclass it to step in)."""

    def __init__(self, root, wait: float = 5.0):
        live = Archive.open(root).live_index(wait)
        super().__init__(live.config, live.rescan, wait)


@contextmanager
def running(root, *, quiet=QUIET, index=None, **kw):
    kw.setdefault("ocr", False)  # the OCR tests switch it on (test_ocr.py)
    stop = threading.Event()
    run = Run(None, stop, None)
    watcher = Watcher(Archive.open(root), quiet=quiet, report=run.record,
                      index=index if index is not None else SearchIndex(root), **kw)
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
