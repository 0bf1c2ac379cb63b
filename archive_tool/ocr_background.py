"""Text recognition in a thread of its own, for a front end that runs long (the watcher):
:meth:`archive_tool.Archive.background_ocr`.

The watcher hands over every record it checked (:meth:`BackgroundOcr.submit`); the scans among
them whose text is still to be read are read one file at a time by one OCR worker process
(:mod:`archive_tool.ocr_run`), behind the watcher's own work. Each file read comes back through
:meth:`finished`: the watcher checks it again (its text, length and printed date are now
known) and the index takes its text. A crash or a time-out is recorded as the file's failure
(OCR_FAILED) and the thread goes on. Without the OCR extra nothing is started; the watcher says
once how to get it (status ``ocr_unavailable``).
"""
from __future__ import annotations

import queue
import threading
from typing import Iterable

from .evidence import Evidence
from .extract import ocr
from .ocr_run import OcrStats, Worker, read_file
from .store import Store


class BackgroundOcr:
    """Reads the scans submitted, in a daemon thread, until :meth:`close`."""

    def __init__(self, config):
        self.config = config
        self.settings = config.ocr
        self.enabled = self.settings.enabled and ocr.available()
        self.stats = OcrStats()
        self._todo: queue.Queue = queue.Queue()
        self._done: queue.Queue = queue.Queue()
        self._queued: set[str] = set()
        self._read: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._worker = Worker()
        #: how many scans were seen that cannot be read here (the extra not installed)
        self.unavailable = 0
        #: what to install to read them
        self.install_hint = ocr.INSTALL_HINT

    def submit(self, evidence: Iterable[Evidence]) -> None:
        """Queue the scans among ``evidence`` whose text is still to be read."""
        for ev in evidence:
            status = ev.ocr_status
            if status == ocr.UNAVAILABLE:
                self.unavailable += 1
            if status != ocr.PENDING or not self.enabled or ev.content_hash in self._queued:
                continue
            self._queued.add(ev.content_hash)
            self._todo.put((ev.path, ev.ext, ev.content_hash))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="archive-ocr",
                                                daemon=True)
                self._thread.start()

    def finished(self) -> list[str]:
        """The paths read since the last call."""
        out = []
        while True:
            try:
                out.append(self._done.get_nowait())
            except queue.Empty:
                return out

    def busy(self) -> bool:
        return not self._todo.empty() or bool(self._queued - self._read)

    def _run(self) -> None:
        with Store(self.config.archive_dir) as store:
            while not self._stop.is_set():
                try:
                    path, ext, content_hash = self._todo.get(timeout=0.2)
                except queue.Empty:
                    continue
                try:
                    summary = read_file(self._worker, store, str(self.config.root / path), ext,
                                        content_hash, self.settings, self.stats, self._stop)
                except Exception:  # noqa: BLE001 - the next rescan submits it again
                    summary = None
                if summary is None:
                    self._queued.discard(content_hash)
                    continue
                self.stats.files += 1
                self._read.add(content_hash)
                self._done.put(path)

    def close(self) -> None:
        self._stop.set()
        self._worker.close()
        if self._thread is not None:
            self._thread.join(timeout=30)
