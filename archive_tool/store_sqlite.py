"""The SQLite plumbing of the metadata cache (:mod:`archive_tool.store`): which database
errors mean "rebuild the cache" and which mean "not now", the words for the latter, the write
transaction, and the reader of cached texts that records share after a scan."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .errors import FileOperationError
from .naming import undecodable


class StaleSchema(Exception):
    """The database opens but its tables are not this version's."""


def is_broken(exc: BaseException) -> bool:
    """True for a cache that is damaged or of another version (rebuild it), False for a lock,
    a full disk or a permission problem (which rebuilding would not cure)."""
    if isinstance(exc, StaleSchema):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    name = getattr(exc, "sqlite_errorname", "")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return True
    text = str(exc).lower()
    if any(word in text for word in ("malformed", "not a database", "no such column",
                                     "no such table", "has no column")):
        return True
    return type(exc) is sqlite3.DatabaseError


def unavailable(path: Path, exc: sqlite3.DatabaseError, waited: float) -> FileOperationError:
    """A cache that works but cannot be used now (locked, read-only, disk full), in words."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return FileOperationError(
            f"缓存数据库 {path} 正被另一个 archive-tool 进程使用，"
            f"等了 {waited:g} 秒仍未释放",
            hint="等另一个 archive-tool（如正在全量检查的 watch 或 index）完成后重试。")
    if "readonly" in text or "read-only" in text:
        return FileOperationError(f"缓存数据库 {path} 是只读的，无法更新",
                                  hint="检查档案的 .archive 文件夹是否可写（共享盘权限）。")
    if "full" in text:
        return FileOperationError(f"磁盘空间已满，无法更新缓存数据库 {path}",
                                  hint="清理磁盘空间后重试。")
    return FileOperationError(f"缓存数据库无法使用：{path}（{exc}）",
                              hint=f"缓存可以重建：删除 {path} 后重新运行（证据文件不受影响）。")


class TextReader:
    """Reads cached texts on demand, after the scan's own connection is closed.

    Opens its read-only connection on first use; Evidence records share one reader per scan.
    """

    def __init__(self, db_path: Path, timeout: float = 30):
        self.db_path = db_path
        self.timeout = timeout
        self._db: sqlite3.Connection | None = None

    def __call__(self, path: str) -> str:
        if undecodable(path):
            return ""
        try:
            if self._db is None:
                self._db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True,
                                           timeout=self.timeout, check_same_thread=False)
            row = self._db.execute("SELECT text FROM files WHERE path=?", (path,)).fetchone()
        except sqlite3.DatabaseError as exc:
            if not is_broken(exc):
                raise unavailable(self.db_path, exc, self.timeout) from None
            return ""  # the cache was damaged since the scan: the next scan rebuilds it
        return row[0] if row else ""

    def __del__(self) -> None:
        if self._db is not None:
            self._db.close()


class Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *rest) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
            return
        try:
            self.db.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # a damaged database may refuse even that: the first error is the one to see
