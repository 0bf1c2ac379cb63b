"""The perceptual hashes of the archive's photos, computed when PHOTO_REUSED needs them.

A scan records a photo without its hashes (its record says ``phash is None``, its cache row
:data:`PENDING`): hashing a photo costs two to three times what reading it does, and a scan is
what every front end waits for (the watcher's start, the index, search, the web pages). Lint
calls :func:`settle` before it compares photos: the photos of its scan still to hash, and those
of the rest of the archive a scan left so, are hashed once per content hash ever (the store's
``content`` table keeps the result, so a renamed, moved or copied photo is never hashed again),
and their records and rows are brought up to date, so the next scan has them.

The other years' archives of a several-years archive (config ``years:``) are compared too, so
their caches' pending photos are hashed as well (their ``phash`` column written, nothing else).

Many photos (:data:`POOL_FROM`) are hashed in worker processes on every core (spawned: safe
beside the watcher's threads, and the same on Windows); a few in the caller's own process. A
worker that dies (a file that crashes Pillow) leaves its photos to the caller's process. A lint
that scans first (:meth:`archive_tool.Archive.lint`, the watcher's start) has them hashed while
its scan reads, on the cores the scan leaves free (:class:`Ahead`): on a first lint of 10k
files that takes the hashes' cost from +76 % to +27 % of scan and lint together.
"""
from __future__ import annotations

import os
import sqlite3
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable

from . import records
from .evidence import IMAGE_EXTS, Evidence
from .extract import image_facts
from .layout import ARCHIVE_DIR
from .naming import shown, split_ext
from .store import CACHE_FILE, PENDING, Store, photo_hashes

IMAGE_KEY = f"image{image_facts.VERSION}"
#: photos to hash before worker processes are worth their start (about half a second: a fresh
#: interpreter importing Pillow and imagehash); fewer are hashed in the caller's process
POOL_FROM = 48
#: photos in one task of a worker process (a task costs a little: pickling, a pipe)
BATCH = 16

Progress = Callable[[int, int, str], None]


def wants(rel: str) -> bool:
    """Whether a file of this name gets perceptual hashes (when it reads without error): an
    image, by the extension the scan reads it by."""
    return split_ext(rel)[1].lower() in IMAGE_EXTS


def _workers(beside: int = 0) -> int:
    """Worker processes: one a core but the ``beside`` ones the caller keeps busy, four at
    most, one at least."""
    return max(1, min(4, (os.cpu_count() or 1) - beside))


def _start(beside: int = 0) -> ProcessPoolExecutor | None:
    try:
        return ProcessPoolExecutor(_workers(beside), mp_context=get_context("spawn"))
    except (OSError, ImportError, NotImplementedError):
        return None  # no semaphores here (some containers): hashed in this process


def hash_photos(paths: list[Path], progress: Progress | None = None,
                labels: list[str] | None = None) -> list[dict]:
    """The facts (:func:`image_facts.image_facts`: pixels, pHash, dHash) of each photo, in
    order; ``{}`` for one Pillow cannot decode. ``progress(done, total, label)`` as they come."""
    labels = labels or [path.name for path in paths]
    pool = _start() if len(paths) >= POOL_FROM else None
    if pool is None:
        out = []
        for done, (path, label) in enumerate(zip(paths, labels), 1):
            if progress:
                progress(done, len(paths), label)
            out.append(image_facts.image_facts(path) or {})
        return out
    try:
        tasks: list[tuple[int, Future]] = []
        for start in range(0, len(paths), BATCH):
            tasks.append((start, pool.submit(image_facts.facts_of,
                                             [str(p) for p in paths[start:start + BATCH]])))
        out: list[dict] = [{}] * len(paths)
        for start, future in tasks:
            batch = paths[start:start + BATCH]
            out[start:start + len(batch)] = [found or {} for found in _result(batch, future)]
            if progress:
                progress(start + len(batch), len(paths), labels[start + len(batch) - 1])
        return out
    finally:
        pool.shutdown(cancel_futures=True)


def _result(batch: list[Path], future: Future) -> list[dict | None]:
    try:
        return future.result()
    except BrokenExecutor:  # its worker died: hashed here (a crash again is the caller's)
        return image_facts.facts_of([str(path) for path in batch])


class Ahead:
    """Photos hashed while the scan that lint will judge goes on reading (:meth:`add` for each
    file read), in worker processes on the cores the scan leaves free: lint's own hashing
    then waits only for what is left (:func:`settle`). Nothing starts before POOL_FROM new
    photos: fewer are hashed by :func:`settle` in its own process. A context manager (the
    workers are stopped at its end)."""

    def __init__(self, archive_dir: Path, wanted: bool = True):
        self.archive_dir = archive_dir
        self.wanted = wanted  # False: nothing hashed (a lint without PHOTO_REUSED)
        self._store: Store | None = None
        self._waiting: list[tuple[str, Path]] = []  # (content hash, file) not yet given out
        self._tasks: list[tuple[list[tuple[str, Path]], Future]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._seen: set[str] = set()
        self._started = False

    def add(self, rel: str, content_hash: str, meta: dict, path: Path) -> None:
        """A file the scan just read: hashed ahead when it is a photo of a content not yet
        hashed."""
        if (not self.wanted or not wants(rel) or meta.get("error")
                or content_hash in self._seen):
            return
        self._seen.add(content_hash)
        try:
            if self._store is None:
                self._store = Store(self.archive_dir)
            if self._store.content(IMAGE_KEY, [content_hash]):
                return  # hashed before (a photo moved or copied): looked up by settle
        except Exception:  # noqa: BLE001 - the cache cannot be read now: settle will say so
            return
        self._waiting.append((content_hash, path))
        if not self._started and len(self._waiting) >= POOL_FROM:
            self._started = True
            self._pool = _start(beside=1)  # the scan reads on one core
        if self._pool is not None and len(self._waiting) >= BATCH:
            batch, self._waiting = self._waiting, []
            self._tasks.append((batch, self._pool.submit(image_facts.facts_of,
                                                         [str(p) for _, p in batch])))

    def facts(self) -> dict[str, dict]:
        """content hash -> facts of the photos given out (waiting for them); the rest are
        :func:`settle`'s."""
        out = {}
        for batch, future in self._tasks:
            for (content_hash, _), found in zip(batch, _result([p for _, p in batch], future)):
                out[content_hash] = found or {}
        self._tasks = []
        return out

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._store is not None:
            self._store.close()
            self._store = None


def settle(result, progress: Progress | None = None, others: Iterable[Path] = (),
           ahead: Ahead | None = None) -> int:
    """Compute the hashes scans left pending: of ``result``'s photos (their records set and
    stored), of the rest of its archive's cache, and of the caches of ``others`` (the other
    years' archives PHOTO_REUSED compares with: their rows). The number of photos hashed
    (a content hashed once is looked up, never hashed again; a photo changed since its scan
    stays pending: the next scan reads it again). ``ahead``: what was hashed while the scan
    read."""
    todo = [ev for ev in result.evidence if ev.phash is None]
    own = {ev.path for ev in todo}
    with Store(result.root / ARCHIVE_DIR) as store:
        elsewhere = [row for row in store.unhashed() if row[0] not in own]
        years = [(root, rows) for root in others if (rows := _unhashed_of(root))]
        if not todo and not elsewhere and not years:
            return 0
        where: dict[str, tuple[Path, int, int]] = {}  # content hash -> a file of it, as scanned
        for root, rows in [(result.root, [(ev.path, ev.content_hash, ev.size, ev.mtime_ns)
                                          for ev in todo]), (result.root, elsewhere), *years]:
            for path, content_hash, size, mtime_ns in rows:
                where.setdefault(content_hash, (root / path, size, mtime_ns))
        early = ahead.facts() if ahead is not None else {}
        known = store.content(IMAGE_KEY, [h for h in where if h not in early])
        missing = [h for h in where if h not in known and h not in early]
        new = _hashed(result.root, {h: where[h] for h in missing}, progress)
        new.update((h, found) for h, found in early.items()
                   if h in where and _unchanged(*where[h]))
        store.put_content([(h, IMAGE_KEY, value) for h, value in new.items()])
        known.update(new)
        store.set_hashes(_updates(result, todo, elsewhere, known))
    for root, rows in years:
        _set_hashes_of(root, [(photo_hashes(known[h]), path, h) for path, h, *_ in rows
                              if h in known])
    return len(new)


def _hashed(root: Path, files: dict[str, tuple[Path, int, int]],
            progress: Progress | None) -> dict[str, dict]:
    """content hash -> facts of ``files``, leaving out a file whose size or modification time
    is no longer what its scan saw (its facts would be another content's)."""
    paths = [path for path, _, _ in files.values()]
    facts = hash_photos(paths, progress, [_label(root, path) for path in paths])
    return {h: found for (h, (path, size, mtime_ns)), found in zip(files.items(), facts)
            if _unchanged(path, size, mtime_ns)}


def _unchanged(path: Path, size: int, mtime_ns: int) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_size == size and st.st_mtime_ns == mtime_ns


def _label(root: Path, path: Path) -> str:
    try:
        return shown(path.relative_to(root).as_posix())
    except ValueError:  # another year's photo
        return path.name


def _updates(result, todo: list[Evidence], elsewhere: list[tuple],
             known: dict[str, dict]) -> list[tuple]:
    """Rows of :meth:`Store.set_hashes`: (path, content hash, record key, record, hashes) of
    the photos whose content is now hashed."""
    key = records.context_key(result.config)
    out = []
    for ev in todo:
        if ev.content_hash in known:
            ev.phash = photo_hashes(known[ev.content_hash])
            # an image keeps no text in the cache (scan's _has_text): False
            out.append((ev.path, ev.content_hash, key, records.encode(ev, False), ev.phash))
    for path, content_hash, *_ in elsewhere:  # their records get the hashes at their next scan
        if content_hash in known:
            out.append((path, content_hash, None, None, photo_hashes(known[content_hash])))
    return out


def _unhashed_of(root: Path) -> list[tuple[str, str, int, int]]:
    """(path, content hash, size, mtime_ns) of the photos another archive's cache holds
    without hashes (read as PHOTO_REUSED reads it: never made nor rebuilt from here)."""
    db_path = root / ARCHIVE_DIR / CACHE_FILE
    if not db_path.is_file():
        return []
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return db.execute(f"SELECT path, hash, size, mtime_ns FROM files "
                              f"WHERE phash='{PENDING}'").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return []  # unreadable, or made by an older version: its own next scan rebuilds it


def _set_hashes_of(root: Path, rows: list[tuple[str, str, str]]) -> None:
    """(hashes, path, content hash) into another archive's cache, on rows still pending."""
    try:
        db = sqlite3.connect(root / ARCHIVE_DIR / CACHE_FILE, timeout=5)
        try:
            with db:
                db.executemany(f"UPDATE files SET phash=? WHERE path=? AND hash=? "
                               f"AND phash='{PENDING}'", rows)
        finally:
            db.close()
    except sqlite3.Error:
        pass  # locked or read-only: hashed again (from this archive's content) next time


__all__ = ["Ahead", "BATCH", "IMAGE_KEY", "PENDING", "POOL_FROM", "hash_photos", "settle", "wants"]
