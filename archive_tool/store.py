"""``<archive>/.archive/state.sqlite``: the per-file metadata cache.

A row per file keyed by its path relative to the root: size, mtime_ns and the signature of its
caption sidecars (the cache key), the content hash, the content-derived metadata as JSON, the
extracted text (read lazily), and the file's record as the scan last built it from them (its
name, caption and dates parsed: :mod:`archive_tool.records`), with the key of what it was built
under. A file whose size, mtime_ns or sidecars changed is read again; an unchanged file is
neither read nor parsed again: a warm scan of an unchanged archive decodes one record a file.
WAL mode lets the watcher write while a ``check`` or ``search`` reads.

A path that is not valid UTF-8 (:func:`~archive_tool.naming.undecodable`) cannot be a key of
the table: it is never cached, looking it up finds nothing, and deleting it does nothing.
"""
from __future__ import annotations

import functools
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import FileOperationError
from .naming import undecodable
from .store_sqlite import StaleSchema, Transaction, is_broken, unavailable

#: bump when the meaning of cached metadata changes: every file is read again once
CACHE_VERSION = "7"
#: the cache's file name inside .archive/
CACHE_FILE = "state.sqlite"
#: seconds a cache write waits for another process's transaction before giving up
LOCK_TIMEOUT = 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    meta TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    sidecar TEXT NOT NULL DEFAULT '',
    record_key TEXT NOT NULL DEFAULT '',
    record TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    phash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS files_hash ON files(hash);
-- content-derived data keyed by the content hash (OCR pages, perceptual hashes, legacy
-- conversions): kept across renames and cache versions, each file content read once ever
CREATE TABLE IF NOT EXISTS content (
    hash TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (hash, key)
);
"""
#: made once the columns added since are there: what a warm scan reads of every row
#: (:meth:`Store.rows`), apart from the metadata and the text (a scan of the table steps through
#: each long text's overflow pages to reach the columns after it); the photos whose perceptual
#: hashes are still to compute (:meth:`Store.unhashed`: a few rows, read by every lint)
_SCAN_INDEXES = ("CREATE INDEX IF NOT EXISTS files_scan ON files(path, size, mtime_ns, hash, "
                 "sidecar, record_key, record)",
                 "CREATE INDEX IF NOT EXISTS files_unhashed ON files(path) WHERE phash='?'")


@dataclass(frozen=True)
class CachedFile:
    """A cache row's content metadata (without its text)."""

    path: str
    size: int
    mtime_ns: int
    hash: str
    meta: dict


class Row(NamedTuple):
    """What a scan compares and reuses of a cache row: its key (size, mtime_ns, the sidecars'
    signature), the content hash and the record (metadata and text are not read)."""

    size: int
    mtime_ns: int
    hash: str
    sidecar: str
    record_key: str
    #: :mod:`archive_tool.records`' bytes (a str: a row of an older layout, built again)
    record: bytes | str


class NewRow(NamedTuple):
    """A row to write for a file just read (its kind and perceptual hashes have columns of their
    own: PHOTO_REUSED reads them of every photo, of other years' archives too)."""

    path: str
    size: int
    mtime_ns: int
    hash: str
    meta: dict
    text: str
    sidecar: str = ""
    record_key: str = ""
    record: bytes = b""
    kind: str = ""
    #: the perceptual hashes "phash:dhash", '' when none, PENDING while a photo's are unknown
    phash: str = ""


#: the ``phash`` column of a photo whose perceptual hashes are still to be computed
#: (:mod:`archive_tool.photo_hashes`)
PENDING = "?"


def photo_hashes(facts: dict) -> str:
    """``"phash:dhash"`` of an image's facts, '' when it has none."""
    return f"{facts['phash']}:{facts['dhash']}" if facts.get("phash") else ""


def hashes_column(phash: str | None) -> str:
    """The ``phash`` column of a record's perceptual hashes (None: not yet computed)."""
    return PENDING if phash is None else phash


#: the columns each table must have; a cache made by an older version lacks some: rebuilt
_COLUMNS = {"meta": {"key", "value"},
            "files": {"path", "size", "mtime_ns", "hash", "meta", "text"},
            "content": {"hash", "key", "value"}}
#: columns added since: an older cache gets them (its rows are dropped by the version change,
#: its content-derived data kept: OCR pages, perceptual hashes, legacy conversions)
_ADDED = {"files": {"sidecar": "TEXT NOT NULL DEFAULT ''",
                    "record_key": "TEXT NOT NULL DEFAULT ''",
                    "record": "TEXT NOT NULL DEFAULT ''",
                    "kind": "TEXT NOT NULL DEFAULT ''",
                    "phash": "TEXT NOT NULL DEFAULT ''"}}


def _guarded(method):
    """Run a cache method; when the database turns out to be damaged (SQLite finds a bad page
    only when it reads it), rebuild the cache and run the method once more on the empty one.
    A cache that cannot be used now (locked, read-only, full disk) is a FileOperationError."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not is_broken(exc):
                raise unavailable(self.path, exc, LOCK_TIMEOUT) from None
            self._rebuild()
            return method(self, *args, **kwargs)
    return run


class Store:
    """The archive's state database. Use as a context manager, or call :meth:`close`.

    The database is a disposable cache: one that is damaged (``database disk image is
    malformed``, not a database at all) or was made by an older version (other tables or
    columns) is deleted and made again, and the caller goes on as with an empty cache
    (``rebuilt`` tells it happened)."""

    def __init__(self, archive_dir: Path):
        self.path = Path(archive_dir) / CACHE_FILE
        self.db: sqlite3.Connection | None = None
        #: True when a damaged or outdated cache was replaced by an empty one
        self.rebuilt = False
        try:
            self._open()
        except (sqlite3.DatabaseError, StaleSchema) as exc:
            if not is_broken(exc):
                if self.db is not None:
                    self.db.close()
                raise unavailable(self.path, exc, LOCK_TIMEOUT) from None
            self._rebuild()

    def _open(self) -> None:
        self.db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None,
                                  check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        for table, columns in _COLUMNS.items():
            found = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            if not columns <= found:
                raise StaleSchema(table)
            for column, kind in _ADDED.get(table, {}).items():
                if column not in found:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        try:
            for index in _SCAN_INDEXES:
                self.db.execute(index)
        except sqlite3.OperationalError:
            pass  # a cache that cannot be written now: read without the index
        if self._get_meta("cache_version") != CACHE_VERSION:
            with self.transaction():
                self.db.execute("DELETE FROM files")
                self._set_meta("cache_version", CACHE_VERSION)

    def _cannot_open(self, exc: BaseException) -> FileOperationError:
        return FileOperationError(
            f"缓存数据库无法打开：{self.path}（{exc}）",
            hint=f"缓存可以重建：删除 {self.path} 后重新运行（证据文件不受影响）。")

    def _rebuild(self) -> None:
        """Delete the cache database (and its WAL files) and make an empty one."""
        if self.db is not None:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._open()
        except (OSError, sqlite3.DatabaseError, StaleSchema) as exc:
            raise self._cannot_open(exc) from None
        self.rebuilt = True

    # ---- plumbing ----------------------------------------------------------------------------
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def transaction(self):
        return Transaction(self.db)

    def _get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # ---- files -------------------------------------------------------------------------------
    @_guarded
    def rows(self, prefix: str = "", *, exact: bool = False) -> dict[str, Row]:
        """path -> :class:`Row` of every cached file under ``prefix`` (a posix folder path, ''
        = all; with ``exact`` the file ``prefix`` alone); no metadata is decoded."""
        if undecodable(prefix):
            return {}
        columns = "path, size, mtime_ns, hash, sidecar, record_key, record"
        if exact:
            rows = self.db.execute(f"SELECT {columns} FROM files WHERE path = ?", (prefix,))
        elif prefix:
            rows = self.db.execute(
                f"SELECT {columns} FROM files WHERE path = ? OR (path >= ? AND path < ?)",
                (prefix, prefix + "/", prefix + "0"))
        else:
            rows = self.db.execute(f"SELECT {columns} FROM files")
        return {r[0]: Row(*r[1:]) for r in rows}

    @_guarded
    def metas(self, paths: list[str]) -> dict[str, dict]:
        """path -> the content metadata of each of ``paths`` that is cached."""
        out: dict[str, dict] = {}
        paths = [p for p in paths if not undecodable(p)]
        for start in range(0, len(paths), 500):
            chunk = paths[start:start + 500]
            marks = ",".join("?" * len(chunk))
            out.update((p, json.loads(m)) for p, m in self.db.execute(
                f"SELECT path, meta FROM files WHERE path IN ({marks})", chunk))
        return out

    @_guarded
    def set_records(self, updates: list[tuple[str, str, str, str, str]]) -> None:
        """Store (path, record key, record, kind, perceptual hashes) for files whose record was
        built again (a cache of an older version gets its kind and hashes columns so)."""
        updates = [u for u in updates if not undecodable(u[0])]
        if updates:
            with self.transaction():
                self.db.executemany(
                    "UPDATE files SET record_key=?, record=?, kind=?, phash=? WHERE path=?",
                    [(key, record, kind, hashes, path)
                     for path, key, record, kind, hashes in updates])

    @_guarded
    def unhashed(self) -> list[tuple[str, str, int, int]]:
        """(path, content hash, size, mtime_ns) of the photos whose perceptual hashes are still
        to compute."""
        # the literal, not a parameter: SQLite uses the partial index files_unhashed then
        return self.db.execute(f"SELECT path, hash, size, mtime_ns FROM files "
                               f"WHERE phash='{PENDING}'").fetchall()

    @_guarded
    def set_hashes(self, updates: list[tuple[str, str, str | None, bytes | None, str]]) -> None:
        """Store (path, content hash, record key, record, perceptual hashes) of photos just
        hashed, on rows that still hold that content; the record only where the row's record
        was built under that key (None: the hashes alone)."""
        if updates:
            with self.transaction():
                self.db.executemany(
                    "UPDATE files SET phash=?, record=CASE WHEN ? IS NOT NULL AND record_key=? "
                    "THEN ? ELSE record END WHERE path=? AND hash=?",
                    [(hashes, key, key, record, path, content_hash)
                     for path, content_hash, key, record, hashes in updates])

    @_guarded
    def paths(self, folder: str | None = None) -> set[str]:
        """Cached paths (no metadata parsed): all of them (None), those below ``folder``, or
        those at the root ('')."""
        if folder is not None and undecodable(folder):
            return set()
        if folder is None:
            rows = self.db.execute("SELECT path FROM files")
        elif folder:
            rows = self.db.execute("SELECT path FROM files WHERE path >= ? AND path < ?",
                                   (folder + "/", folder + "0"))
        else:
            rows = self.db.execute("SELECT path FROM files WHERE instr(path, '/') = 0")
        return {r[0] for r in rows}

    @_guarded
    def has_files(self) -> bool:
        """True when at least one file is cached."""
        return self.db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is not None

    @_guarded
    def signatures(self) -> dict[str, tuple[int, int]]:
        """path -> (size, mtime_ns) of every cached file, without parsing their metadata."""
        return {p: (size, mtime) for p, size, mtime in
                self.db.execute("SELECT path, size, mtime_ns FROM files")}

    @_guarded
    def get(self, path: str) -> CachedFile | None:
        if undecodable(path):
            return None
        r = self.db.execute("SELECT path, size, mtime_ns, hash, meta FROM files WHERE path=?",
                            (path,)).fetchone()
        return CachedFile(r[0], r[1], r[2], r[3], json.loads(r[4])) if r else None

    @_guarded
    def text(self, path: str) -> str:
        if undecodable(path):
            return ""
        row = self.db.execute("SELECT text FROM files WHERE path=?", (path,)).fetchone()
        return row[0] if row else ""

    @_guarded
    def put_many(self, rows: list[NewRow]) -> None:
        """Insert or replace rows in one transaction (rows of undecodable paths are left
        out)."""
        rows = [row for row in rows if not undecodable(row.path)]
        if not rows:
            return
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO files(path, size, mtime_ns, hash, meta, text, sidecar, "
                "record_key, record, kind, phash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [row[:4] + (json.dumps(row.meta, ensure_ascii=False),) + row[5:]
                 for row in rows])

    @_guarded
    def delete_many(self, paths: list[str]) -> None:
        paths = [p for p in paths if not undecodable(p)]
        if not paths:
            return
        with self.transaction():
            self.db.executemany("DELETE FROM files WHERE path=?", [(p,) for p in paths])

    # ---- content-derived data, by content hash (see :mod:`.content_cache`) --------------------
    @_guarded
    def content(self, key: str, hashes=None) -> dict[str, object]:
        """hash -> the JSON value stored under ``key`` (for ``hashes``, or every hash)."""
        if hashes is None:
            rows = self.db.execute("SELECT hash, value FROM content WHERE key=?", (key,))
            return {h: json.loads(v) for h, v in rows}
        out = {}
        for h in set(hashes):
            row = self.db.execute("SELECT value FROM content WHERE hash=? AND key=?",
                                  (h, key)).fetchone()
            if row is not None:
                out[h] = json.loads(row[0])
        return out

    @_guarded
    def content_of(self, content_hash: str, prefix: str) -> dict[str, object]:
        """key -> JSON value of one hash's keys starting with ``prefix``."""
        rows = self.db.execute("SELECT key, value FROM content WHERE hash=? AND key >= ? AND "
                               "key < ?", (content_hash, prefix, prefix + "\uffff"))
        return {k: json.loads(v) for k, v in rows}

    @_guarded
    def put_content(self, rows: list[tuple[str, str, object]]) -> None:
        """Insert or replace (hash, key, JSON value) rows in one transaction."""
        if rows:
            with self.transaction():
                self.db.executemany(
                    "INSERT OR REPLACE INTO content(hash, key, value) VALUES (?, ?, ?)",
                    [(h, k, json.dumps(v, ensure_ascii=False)) for h, k, v in rows])
