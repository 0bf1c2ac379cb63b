"""Replacing a file whole or not at all: a temporary file beside it, synced, then renamed.

Every write of an evidence file goes through :func:`write_atomic`: the new content goes to
``.~<name>.<hex>.tmp`` in the same folder (:func:`.leftovers.temp_path`), is flushed to the disk
(``fsync``), and only then renamed over the file; the folder is synced after the rename. A
crash at any moment leaves either the old file or the new one, never a mix, and at worst a
temporary file that the next scan deletes. ``on_ready(digest)`` is called between the sync
and the rename with the SHA-256 of the new content: the undo log records it there, so a
transaction interrupted right after the rename still knows the file holds its own write.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO, Callable

from .leftovers import temp_path

Fill = Callable[[BinaryIO], None]


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to the disk; a no-op where folders cannot be
    opened (Windows) or synced (some network shares)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, content: bytes | Fill, *, mode: int | None = None,
                 times_ns: tuple[int, int] | None = None,
                 on_ready: Callable[[str], object] | None = None) -> str:
    """Replace (or create) ``path`` with ``content`` (bytes, or a function writing to a binary
    file); returns the new content's SHA-256. The file keeps its permission bits (``mode``
    when given) and gets the access and modification times ``times_ns`` when given. OSError
    when anything fails; the temporary file is then removed."""
    path = Path(path)
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = None
    tmp = temp_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o666)
        with os.fdopen(fd, "wb") as fp:
            if isinstance(content, (bytes, bytearray)):
                fp.write(content)
            else:
                content(fp)
            fp.flush()
            os.fsync(fp.fileno())
        digest = (hashlib.sha256(content).hexdigest()
                  if isinstance(content, (bytes, bytearray)) else _digest(tmp))
        if mode is not None:
            os.chmod(tmp, mode)
        if times_ns is not None:
            os.utime(tmp, ns=times_ns)
        if on_ready is not None:
            on_ready(digest)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    sync_folder(path.parent)
    return digest


def copy_atomic(source: Path, target: Path) -> str:
    """Replace ``target`` by a copy of ``source``: bytes, permission bits and modification
    time (a restored file looks to a scan as it did before)."""
    st = source.stat()

    def fill(fp: BinaryIO) -> None:
        with open(source, "rb") as src:
            for block in iter(lambda: src.read(1 << 20), b""):
                fp.write(block)

    return write_atomic(target, fill, mode=stat.S_IMODE(st.st_mode),
                        times_ns=(st.st_atime_ns, st.st_mtime_ns))
