"""Reading the text of scans: the OCR worker process and the run over a scan's pending files.

:func:`recognize` takes a ScanResult, finds the scans whose text is still to be read
(``Evidence.ocr.status == "pending"``), and reads each content once, page by page, in a worker
process (:mod:`archive_tool.extract.ocr_worker`) that loads the model once for the whole run.
Every page's text (its lines, and where each line sits for the tables of sign-in sheets) is
stored as soon as it is read (key ``ocr1:pNNNN`` of the content hash), so an interrupted run, a
re-index or a renamed file never reads a page twice; the file's summary
(:data:`~archive_tool.extract.ocr.SUMMARY_KEY`) says what was read. A page that takes longer
than ``ocr.page_seconds`` kills the worker (a new one starts for the next file), a crash of the
worker ends that file: both are recorded as ``failed`` with the reason (rule OCR_FAILED), and
the run goes on. At most ``ocr.max_pages`` pages of a file are read (FILE_OVER_LIMIT).
"""
from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from .extract import ocr
from .extract.count import count_chars, squeeze_cjk_spaces
from .ocr_config import OcrSettings
from .store import Store

#: seconds the worker may take to load the model
START_SECONDS = 180.0
Progress = Callable[[int, int, str], None]


class WorkerFailed(Exception):
    """The worker crashed, hung past the time limit, or could not start."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Worker:
    """One OCR worker process, started on first use and again after a failure."""

    def __init__(self, start_seconds: float = START_SECONDS):
        self.start_seconds = start_seconds
        self.proc: subprocess.Popen | None = None
        self.lines: queue.Queue = queue.Queue()

    def _start(self) -> None:
        self.lines = queue.Queue()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "archive_tool.extract.ocr_worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
        threading.Thread(target=self._pump, args=(self.proc, self.lines), daemon=True).start()
        ready = self._answer(self.start_seconds, "启动文字识别程序超时")
        if not ready.get("ready"):
            self.close()
            raise WorkerFailed(f"文字识别程序无法启动（{ready.get('error', '')}）")

    @staticmethod
    def _pump(proc: subprocess.Popen, lines: queue.Queue) -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)  # the worker ended

    def _answer(self, seconds: float, late: str) -> dict:
        try:
            line = self.lines.get(timeout=seconds)
        except queue.Empty:
            self.close()
            raise WorkerFailed(late) from None
        if line is None:
            code = self.proc.wait() if self.proc else None
            self.proc = None
            raise WorkerFailed(f"文字识别程序异常退出（代码 {code}）")
        return json.loads(line)

    def page(self, path: str, ext: str, index: int, seconds: float) -> dict:
        """The worker's answer for one page; WorkerFailed on a crash or a time-out."""
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        try:
            self.proc.stdin.write(json.dumps({"path": path, "ext": ext, "page": index},
                                             ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
        except OSError:
            self.close()
            raise WorkerFailed("文字识别程序异常退出") from None
        return self._answer(seconds, f"第 {index + 1} 页识别超过 {seconds:g} 秒")

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
            self.proc = None

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@dataclass
class OcrStats:
    """What one run did."""

    files: int = 0
    pages_read: int = 0
    #: pages found already read (a re-run, a renamed or copied file)
    pages_cached: int = 0
    failed: int = 0
    seconds: float = 0.0
    #: the files read, as paths relative to the root
    paths: list[str] = field(default_factory=list)
    #: scans whose text cannot be read here (the OCR extra is not installed), and what to
    #: install to read them
    unavailable: int = 0
    install_hint: str = ocr.INSTALL_HINT

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()
                if k not in ("paths", "unavailable", "install_hint")}


def pending(result) -> list:
    """One record per content still to be read (the first of its copies)."""
    seen: set[str] = set()
    out = []
    for ev in result.evidence:
        if ev.ocr_status == ocr.PENDING and ev.content_hash not in seen:
            seen.add(ev.content_hash)
            out.append(ev)
    return out


def read_file(worker: Worker, store: Store, path: str, ext: str, content_hash: str,
              settings: OcrSettings, stats: OcrStats,
              stop: threading.Event | None = None, boxes: bool = False) -> dict | None:
    """Read one scan's pages (those not read before) and store them and its summary; None
    when ``stop`` was set meanwhile (the pages read are kept, no failure is recorded).
    ``boxes``: a page stored without its boxes (:func:`ocr.has_boxes`) is read again."""
    done = store.content_of(content_hash, ocr.PAGE_KEY)
    if boxes:
        done = {key: page for key, page in done.items() if ocr.has_boxes(page)}
    # pages read before (an interrupted run) say how many the file has: none is read again
    total = next((page["pages"] for page in done.values() if page.get("pages")), None)
    index, reason = 0, ""
    while index < settings.max_pages and (total is None or index < total):
        key = f"{ocr.PAGE_KEY}{index:04d}"
        if key in done:
            stats.pages_cached += 1
            index += 1
            continue
        started = time.perf_counter()
        try:
            answer = worker.page(path, ext, index, settings.page_seconds)
        except WorkerFailed as exc:
            if stop is not None and stop.is_set():
                return None  # stopped, not failed: the next run goes on from here
            reason = exc.reason
            break
        total = answer.get("pages") if answer.get("pages") is not None else total
        if not answer.get("ok"):
            reason = f"第 {index + 1} 页无法识别（{answer.get('error', '')[:80]}）"
            break
        page = {"lines": answer.get("lines", []), "pages": total,
                "seconds": round(time.perf_counter() - started, 2),
                "boxes": answer.get("boxes", []), "size": answer.get("size")}
        store.put_content([(content_hash, key, page)])
        done[key] = page
        stats.pages_read += 1
        index += 1
    summary = _summary(done, total, reason, settings)
    store.put_content([(content_hash, ocr.SUMMARY_KEY, summary)])
    return summary


def _summary(done: dict, total: int | None, reason: str, settings: OcrSettings) -> dict:
    lines = [line for key in sorted(done) for line in done[key].get("lines", ())]
    text = squeeze_cjk_spaces("\n".join(lines))
    printed = ocr.printed_date(lines)
    limits = []
    if total is not None and total > settings.max_pages and not reason:
        limits.append(f"共 {total} 页，文字识别只读取了前 {settings.max_pages} 页"
                      "（配置 ocr.max_pages）")
    return {"status": ocr.FAILED if reason else ocr.DONE, "chars": count_chars(text),
            "pages_read": len(done), "pages_total": total, "reason": reason,
            "date": printed.isoformat() if printed else None, "limits": limits,
            "page_seconds": settings.page_seconds}


def recognize(result, *, settings: OcrSettings | None = None, progress: Progress | None = None,
              stop: threading.Event | None = None, worker: Worker | None = None) -> OcrStats:
    """Read the text of the scans of ``result`` still to be read; see the module docstring.
    Nothing to read, or the OCR extra not installed: nothing is done."""
    settings = settings or result.config.ocr
    stats = OcrStats()
    todo = pending(result)
    if not todo or not settings.enabled or not ocr.available():
        return stats
    started = time.perf_counter()
    own = worker is None
    worker = worker or Worker()
    try:
        with Store(result.config.archive_dir) as store:
            for number, ev in enumerate(todo, 1):
                if stop is not None and stop.is_set():
                    break
                if progress is not None:
                    progress(number, len(todo), ev.path)
                summary = read_file(worker, store, str(result.root / ev.path), ev.ext,
                                    ev.content_hash, settings, stats, stop)
                if summary is None:
                    break
                stats.files += 1
                stats.failed += summary["status"] == ocr.FAILED
                stats.paths.append(ev.path)
    finally:
        if own:
            worker.close()
        stats.seconds = time.perf_counter() - started
    return stats
