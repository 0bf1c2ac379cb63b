"""What scan adds to a file's record from work done once per content hash.

Some things cost more than reading a file's metadata: the perceptual hashes of a photo
(:mod:`.extract.image_facts`), a legacy .doc/.wps/.et/.xls read through LibreOffice
(:mod:`.extract.legacy`), the text OCR read on a scan (:mod:`.extract.ocr`, done by
:mod:`.ocr_run` during ``index`` and in the background of ``watch``). Their results live in the
store's ``content`` table keyed by the file's content hash, so a renamed, moved or copied file,
or a new cache version, never computes them again. :func:`enrich` runs on the files a scan
reads; :class:`Extras` gives :func:`archive_tool.scan.build_evidence` what a record shows of
them (the media facts read with the file come from its cached metadata).
"""
from __future__ import annotations

import os
import sqlite3
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from .evidence import IMAGE_EXTS
from .extract import image_facts, legacy, ocr
from .store import photo_hashes

IMAGE_KEY = f"image{image_facts.VERSION}"
LEGACY_KEY = f"legacy{legacy.VERSION}"
#: legacy conversion results copied into a file's metadata
_LEGACY_FIELDS = ("footers", "char_count", "title", "created", "pages")


def enrich(root: Path, store, rows: list[tuple], photos: PhotoHashes) -> list[tuple]:
    """The scan's new cache rows ``(path, size, mtime_ns, hash, meta, text)`` with what is
    computed once per content hash added to ``meta`` (and ``text`` for a legacy document);
    ``photos`` is the hasher the rows' photos were given to as they were read."""
    photos.finish()
    olds = [row for row in rows if _ext(row[0]) in legacy.EXTS and not row[4].get("error")
            and legacy.looks_legacy(root / row[0])]
    texts: dict[str, str] = {}
    if olds:
        texts = _legacy(root, store, olds)
    for row in rows:
        _emptiness(root, row[0], row[4])
    return [row[:5] + (texts[row[0]],) if row[0] in texts else row for row in rows]


def _emptiness(root: Path, rel: str, meta: dict) -> None:
    """``meta["empty"]`` for a document that opens and holds nothing (FILE_EMPTY): no text
    and, for a .docx, no pictures either (a document of pasted photos is not empty); a PDF
    without pages."""
    if meta.get("error") or meta.get("char_count") != 0:
        if meta.get("pages") == 0 and _ext(rel) == ".pdf" and not meta.get("error"):
            meta["empty"] = True
        return
    ext = _ext(rel)
    if ext in (".docx", ".docm"):
        meta["empty"] = not legacy.docx_has_pictures(root / rel)
    elif ext in (".txt", ".md", ".csv") or (ext in legacy.EXTS and meta.get("converted")):
        meta["empty"] = True


def _ext(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[name.rfind("."):].lower() if "." in name else ""


#: photos to hash in one scan before worker processes are worth their start (about half a
#: second: a fresh interpreter importing Pillow and imagehash); fewer are hashed in a thread
POOL_FROM = 48
#: photos in one task of a worker process (a task costs the scan a little: pickling, a pipe)
BATCH = 16


def _workers() -> int:
    """Worker processes for hashing: the cores beside the one the scan reads on (one at least,
    four at most: the scan itself reads one file at a time)."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class PhotoHashes:
    """The perceptual hashes of the photos a scan reads, computed while it goes on reading.

    A scan of many new photos (``expected`` of POOL_FROM or more) hashes them in worker
    processes (spawned: safe beside the watcher's threads, and the same on Windows), on the
    cores the scan does not use; a few are hashed in one thread. Threads alone do not help a
    large scan: hashing a photo is as much Python as decoding, and the two would take turns
    holding the GIL (measured on 10k files: +100 % to a cold scan in threads, +31 % in one
    process, sixteen photos a task). A worker that dies (a file that crashes Pillow) leaves its photos to this process.
    A content hash known to the store is never hashed again."""

    def __init__(self, root: Path, store, expected: int = 0):
        self.root, self.store = root, store
        self.processes = expected >= POOL_FROM
        self._pool = None
        self._metas: dict[str, list[dict]] = {}  # content hash -> the metadata waiting for it
        self._batch: list[tuple[str, Path]] = []  # (content hash, path) not yet given out
        self._tasks: list[tuple[list[tuple[str, Path]], Future]] = []
        self._known: dict[str, dict] = {}

    @staticmethod
    def wants(rel: str) -> bool:
        """Whether a file of this name is hashed (when it reads without error)."""
        return _ext(rel) in IMAGE_EXTS

    def add(self, rel: str, content_hash: str, meta: dict) -> None:
        """A file just read: hash it (in the background) when it is a photo."""
        if not self.wants(rel) or meta.get("error"):
            return
        waiting = self._metas.setdefault(content_hash, [])
        waiting.append(meta)
        if len(waiting) > 1:
            return  # a copy of a photo of this scan: hashed once
        known = self.store.content(IMAGE_KEY, [content_hash])
        if known:
            self._known.update(known)
            return
        self._batch.append((content_hash, self.root / rel))
        if len(self._batch) >= (BATCH if self.processes else 1):
            self._submit()

    def _submit(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        if self._pool is None:
            self._pool = self._start()
        paths = [str(path) for _, path in batch]
        try:
            future = self._pool.submit(image_facts.facts_of, paths)
        except (BrokenExecutor, RuntimeError, OSError):  # a worker died or could not start:
            # the rest in a thread
            self.close()
            self.processes = False
            self._pool = self._start()
            future = self._pool.submit(image_facts.facts_of, paths)
        self._tasks.append((batch, future))

    def _start(self):
        if self.processes:
            try:
                return ProcessPoolExecutor(_workers(), mp_context=get_context("spawn"))
            except (OSError, ImportError, NotImplementedError):
                self.processes = False  # no semaphores here (some containers): a thread
        return ThreadPoolExecutor(1, thread_name_prefix="photo-hash")

    @staticmethod
    def _results(batch: list[tuple[str, Path]], future: Future) -> list[tuple[str, dict]]:
        try:
            facts = future.result()
        except BrokenExecutor:  # its worker died: hashed here (a crash again is the scan's)
            facts = image_facts.facts_of([str(path) for _, path in batch])
        return [(h, found or {}) for (h, _), found in zip(batch, facts)]

    def finish(self) -> None:
        """Wait for the hashes, put them in the photos' metadata and the store."""
        try:
            self._submit()
            new = [(h, IMAGE_KEY, facts) for batch, future in self._tasks
                   for h, facts in self._results(batch, future)]
        finally:
            self.close()
        self._known.update((h, facts) for h, _, facts in new)
        for content_hash, metas in self._metas.items():
            for meta in metas:
                meta.update(self._known.get(content_hash, {}))
        self.store.put_content(new)
        self._metas, self._tasks = {}, []

    def close(self) -> None:
        """Stop the workers (the hashes not yet begun are dropped: a scan that failed)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _legacy(root: Path, store, rows: list[tuple]) -> dict[str, str]:
    known = store.content(LEGACY_KEY, [row[3] for row in rows])
    program = None
    todo = [row for row in rows if row[3] not in known]
    if todo:
        program = legacy.soffice()
    if program is not None:
        converted = legacy.convert(program, [root / row[0] for row in todo])
        fresh = {}
        for row in todo:
            fresh[row[3]] = converted.get(root / row[0], {"error": "LibreOffice 未能转换此文件"})
        store.put_content([(h, LEGACY_KEY, value) for h, value in fresh.items()])
        known.update(fresh)
    texts = {}
    for row in rows:
        got = known.get(row[3])
        if got is None:
            continue  # no LibreOffice: FILE_LEGACY_FORMAT with the fix
        meta = row[4]
        if got.get("error"):
            meta["legacy_error"] = got["error"]
            continue
        meta.update({k: got.get(k) for k in _LEGACY_FIELDS}, converted=True,
                    has_text_layer=bool(got.get("text")))
        texts[row[0]] = got.get("text", "")
    return texts


class _Pages:
    """Reads the recognised text of a scan from the store (a read-only connection of its own,
    opened on first use: records outlive the scan's Store)."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self._db: sqlite3.Connection | None = None

    def __call__(self, content_hash: str) -> str:
        try:
            if self._db is None:
                self._db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True,
                                           timeout=30, check_same_thread=False)
            rows = self._db.execute(
                "SELECT value FROM content WHERE hash=? AND key >= ? AND key < ? ORDER BY key",
                (content_hash, ocr.PAGE_KEY, ocr.PAGE_KEY + "\uffff")).fetchall()
        except sqlite3.Error:
            return ""  # the cache went away: the next scan rebuilds it
        return ocr.page_text(rows)

    def __del__(self) -> None:
        if self._db is not None:
            self._db.close()


class Extras:
    """What scan's records show of the content-hash work: OCR states and texts, the photo
    facts and media facts kept in a file's metadata."""

    def __init__(self, store, config):
        self.settings = config.ocr
        self.installed = ocr.available()
        self.summaries = store.content(ocr.SUMMARY_KEY)
        self.pages = _Pages(store.path)

    def ocr_info(self, ext: str, kind: str, theme: str, meta: dict,
                 content_hash: str) -> ocr.OcrInfo | None:
        if not ocr.wants_ocr(ext, kind, theme, meta):
            return None
        return self._info(content_hash)

    def _info(self, content_hash: str) -> ocr.OcrInfo:
        return ocr.info_from(self.summaries.get(content_hash), self.settings.enabled,
                             self.installed)

    def current(self, content_hash: str) -> tuple[ocr.OcrInfo, object]:
        """(OcrInfo, loader) of a scan as its recognition stands now (a record kept with another
        state is built again)."""
        info = self._info(content_hash)
        return info, self.loader(info, content_hash)

    def loader(self, info: ocr.OcrInfo | None, content_hash: str):
        if info is None or not info.has_text and not info.pages_read:
            return None
        return lambda read=self.pages, h=content_hash: read(h)

    @staticmethod
    def fields(meta: dict) -> dict:
        """Evidence fields kept in the metadata: duration, pixels, phash, empty."""
        pixels = meta.get("pixels")
        return {"duration": meta.get("duration"), "empty": bool(meta.get("empty")),
                "pixels": tuple(pixels) if pixels else None, "phash": photo_hashes(meta)}
