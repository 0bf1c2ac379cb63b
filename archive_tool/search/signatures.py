"""What the index holds, known without reading it: path -> signature of every document, kept in
``<archive>/.archive/index/signatures.sqlite`` beside Whoosh's files.

An update compares each record's signature (:func:`.schema.signature`) with the one its document
was indexed with; reading them back from Whoosh's stored fields means unpickling every document
(0.4 s at 10,000 files, for every update, even of one file). This table answers the same from an
index lookup. It is written by whoever commits to the index, under the index's write lock, and
stamped with the index generation (the number of Whoosh's table of contents) the commit made:
a table of another generation (a writer killed between its commit and the table, an older
version, a damaged file) is not trusted, the signatures are read from Whoosh once and the table
written again whole. Like the index, it is a cache: deleting it costs one slow update.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

from whoosh import index as whoosh_index

FILE = "signatures.sqlite"
_INDEX_NAME = whoosh_index._DEF_INDEX_NAME
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sigs (path TEXT PRIMARY KEY, sig TEXT NOT NULL);
"""


def generation(ix) -> int:
    """The generation of the index's latest table of contents (-1: none)."""
    return whoosh_index.TOC._latest_generation(ix.storage, _INDEX_NAME)


def from_whoosh(ix) -> dict[str, str]:
    """path -> signature of every document, read from the index's stored fields (slow)."""
    with ix.reader() as reader:
        return {fields["path"]: fields.get("sig", "") for _, fields in reader.iter_docs()}


class _Stale(Exception):
    """The table was not current when a commit began."""


class Signatures:
    """The signature table of one index folder."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / FILE

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.executescript(_SCHEMA)
        return db

    def _stamp(self, db: sqlite3.Connection) -> int | None:
        row = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else None

    def load(self, ix, paths: Iterable[str] | None = None) -> tuple[dict[str, str], bool]:
        """(path -> signature, True) from the table when it matches the index's generation:
        of every document, or only of ``paths``; else every document's from Whoosh and False
        (write the table whole after the next commit). Failures of Whoosh propagate."""
        try:
            db = self._connect()
            try:
                if self._stamp(db) == generation(ix):
                    if paths is None:
                        return dict(db.execute("SELECT path, sig FROM sigs")), True
                    return self._some(db, list(paths)), True
            finally:
                db.close()
        except (sqlite3.Error, ValueError, OSError, UnicodeError):
            self.forget()  # damaged: Whoosh's stored fields say the same, slowly
        return from_whoosh(ix), False

    @staticmethod
    def _some(db: sqlite3.Connection, paths: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(paths), 500):
            chunk = paths[start:start + 500]
            out.update(db.execute(f"SELECT path, sig FROM sigs WHERE path IN "
                                  f"({','.join('?' * len(chunk))})", chunk))
        return out

    def save(self, ix, before: int, changed: dict[str, str], gone: Iterable[str] = ()) -> None:
        """After a commit that began on generation ``before``: the documents ``changed`` (path
        -> signature) and ``gone`` (files, or folders with everything below), stamped with the
        new generation; a table that was not current before is dropped instead."""
        def apply(db: sqlite3.Connection) -> None:
            if self._stamp(db) != before:
                raise _Stale
            for path in gone:
                db.execute("DELETE FROM sigs WHERE path = ? OR (path >= ? AND path < ?)",
                           (path, path.rstrip("/") + "/", path.rstrip("/") + "0"))
            db.executemany("INSERT OR REPLACE INTO sigs(path, sig) VALUES (?, ?)",
                           changed.items())
        self._write(ix, apply)

    def save_whole(self, ix, whole: dict[str, str]) -> None:
        """The table made again from ``whole`` (every document), stamped with the index's
        generation."""
        def apply(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM sigs")
            db.executemany("INSERT INTO sigs(path, sig) VALUES (?, ?)", whole.items())
        self._write(ix, apply)

    def _write(self, ix, apply) -> None:
        """Run ``apply`` and stamp the table in one transaction; on any failure the table is
        dropped (nothing is raised: an untrusted table costs one slow update, no more)."""
        try:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                apply(db)
                db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', ?)",
                           (str(generation(ix)),))
                db.execute("COMMIT")
            finally:
                db.close()
        except (sqlite3.Error, OSError, UnicodeError, _Stale):
            self.forget()

    def forget(self) -> None:
        """Make the table untrusted (a writer that cannot keep it current)."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError:
                pass
