"""``<archive>/.archive/state.sqlite``: the per-file metadata cache and the event log.

A row per file keyed by its path relative to the root: size and mtime_ns (the cache key), the
content hash, the content-derived metadata as JSON, and the extracted text (read lazily). A file
whose size or mtime_ns changed is read again; an unchanged archive is scanned from this table
alone. WAL mode lets the watcher write while a ``check`` or ``search`` reads.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import FileOperationError

#: bump when the meaning of cached metadata changes: every file is read again once
CACHE_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,
    meta TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS files_hash ON files(hash);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    path TEXT,
    data TEXT NOT NULL DEFAULT '{}'
);
"""


@dataclass(frozen=True)
class CachedFile:
    """A cache row without its text."""

    path: str
    size: int
    mtime_ns: int
    hash: str
    meta: dict


class Store:
    """The archive's state database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, archive_dir: Path):
        self.path = Path(archive_dir) / "state.sqlite"
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                      check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise FileOperationError(
                f"缓存数据库无法打开：{self.path}（{exc}）",
                hint=f"缓存可以重建：删除 {self.path} 后重新运行（证据文件不受影响）。") from None
        if self._get_meta("cache_version") != CACHE_VERSION:
            with self.transaction():
                self.db.execute("DELETE FROM files")
                self._set_meta("cache_version", CACHE_VERSION)

    # ---- plumbing ----------------------------------------------------------------------------
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def transaction(self):
        return _Transaction(self.db)

    def _get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    get_meta = _get_meta

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._set_meta(key, value)

    # ---- files -------------------------------------------------------------------------------
    def all_files(self, prefix: str = "") -> dict[str, CachedFile]:
        """Every cached row (without text) under ``prefix`` (a posix folder path, '' = all)."""
        if prefix:
            rows = self.db.execute(
                "SELECT path, size, mtime_ns, hash, meta FROM files WHERE path = ? OR "
                "(path >= ? AND path < ?)", (prefix, prefix + "/", prefix + "0"))
        else:
            rows = self.db.execute("SELECT path, size, mtime_ns, hash, meta FROM files")
        return {r[0]: CachedFile(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows}

    def get(self, path: str) -> CachedFile | None:
        r = self.db.execute("SELECT path, size, mtime_ns, hash, meta FROM files WHERE path=?",
                            (path,)).fetchone()
        return CachedFile(r[0], r[1], r[2], r[3], json.loads(r[4])) if r else None

    def text(self, path: str) -> str:
        row = self.db.execute("SELECT text FROM files WHERE path=?", (path,)).fetchone()
        return row[0] if row else ""

    def put_many(self, rows: list[tuple[str, int, int, str, dict, str]]) -> None:
        """Insert or replace (path, size, mtime_ns, hash, meta, text) rows in one transaction."""
        if not rows:
            return
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO files(path, size, mtime_ns, hash, meta, text) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(p, s, m, h, json.dumps(meta, ensure_ascii=False), t)
                 for p, s, m, h, meta, t in rows])

    def delete_many(self, paths: list[str]) -> None:
        if not paths:
            return
        with self.transaction():
            self.db.executemany("DELETE FROM files WHERE path=?", [(p,) for p in paths])

    def paths_with_hash(self, content_hash: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM files WHERE hash=?",
                                              (content_hash,))]

    # ---- events ------------------------------------------------------------------------------
    def log_event(self, kind: str, path: str | None = None, **data) -> None:
        with self.transaction():
            self.db.execute("INSERT INTO events(at, kind, path, data) VALUES (?, ?, ?, ?)",
                            (time.time(), kind, path, json.dumps(data, ensure_ascii=False)))

    def events(self, limit: int = 100) -> list[dict]:
        rows = self.db.execute("SELECT at, kind, path, data FROM events ORDER BY id DESC LIMIT ?",
                               (limit,))
        return [{"at": r[0], "kind": r[1], "path": r[2], **json.loads(r[3])} for r in rows]


class TextReader:
    """Reads cached texts on demand, after the scan's own connection is closed.

    Opens its read-only connection on first use; Evidence records share one reader per scan.
    """

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self._db: sqlite3.Connection | None = None

    def __call__(self, path: str) -> str:
        if self._db is None:
            self._db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30,
                                       check_same_thread=False)
        row = self._db.execute("SELECT text FROM files WHERE path=?", (path,)).fetchone()
        return row[0] if row else ""

    def __del__(self) -> None:
        if self._db is not None:
            self._db.close()


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *rest) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
