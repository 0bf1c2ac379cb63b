"""One change to evidence files at a time: the lock file ``<archive>/.archive/change.lock``.

Every command that changes evidence (``lint --fix``, ``caption set``, ``footer fix``, ``new``,
``undo``) holds it for the whole of its undo transaction. So a transaction the log shows as
begun and never ended while the lock is free was interrupted (kill -9, a power cut), and a
temporary file of ours found while the lock is free was left by such a write. The lock is an
advisory ``flock`` (POSIX) or ``msvcrt.locking`` (Windows) on the open file: the system releases
it when the process dies, however it dies.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

try:  # pragma: no cover - one of the two exists
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
    import msvcrt

LOCK_FILE = "change.lock"


class ChangeLock:
    """The change lock of the archive whose ``.archive`` folder is ``archive_dir``."""

    def __init__(self, archive_dir: str | os.PathLike):
        self.path = Path(archive_dir) / LOCK_FILE
        self._fd: int | None = None

    def _try(self) -> bool:
        try:
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows
                msvcrt.locking(self._fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock, waiting up to ``wait`` seconds for another process; False when it
        stays taken. OSError when the lock file cannot be opened (a read-only ``.archive``)."""
        if self._fd is not None:
            return True
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        deadline = time.monotonic() + wait
        while not self._try():
            if time.monotonic() >= deadline:
                os.close(self._fd)
                self._fd = None
                return False
            time.sleep(0.05)
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            else:  # pragma: no cover - Windows
                msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> "ChangeLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def is_free(archive_dir: str | os.PathLike) -> bool:
    """True when no process holds the change lock at this moment (False when the lock file
    cannot be opened: nothing can then be judged safe to clean up)."""
    lock = ChangeLock(archive_dir)
    try:
        free = lock.acquire()
    except OSError:
        return False
    lock.release()
    return free
