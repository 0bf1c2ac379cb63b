"""Temporary files of our writes: how they are named, and removing those a killed write left.

Every write of an evidence file (``caption set``, ``footer fix``, ``undo`` restoring a file)
goes to ``.~<name>.<8 hex digits>.tmp`` beside the file and is renamed over it when complete
(:func:`archive_tool.atomic.write_atomic`). A process killed in between leaves that file
behind, possibly as large as the photo. Such names are ignored by every walk (``*.tmp``), so
they are never evidence; a scan that meets one while no command is changing files (the change
lock is free, :mod:`.locking`) deletes it.
"""
from __future__ import annotations

import os
import re
import secrets
import stat
from pathlib import Path

from .locking import ChangeLock

_LEFTOVER = re.compile(r"^\.~.+\.[0-9a-f]{8}\.tmp$", re.S)


def temp_path(path: Path) -> Path:
    """A fresh temporary name beside ``path`` (same folder, so the rename is atomic)."""
    return path.with_name(f".~{path.name}.{secrets.token_hex(4)}.tmp")


def is_leftover(name: str) -> bool:
    """True for a name :func:`temp_path` makes."""
    return bool(_LEFTOVER.match(name))


def remove_leftovers(archive_dir: Path, paths: list[str]) -> int:
    """Delete the temporary files ``paths`` (found by a walk) when no command is changing files;
    returns how many were deleted. Nothing happens while the change lock is taken: the files may
    be a write under way."""
    if not paths:
        return 0
    lock = ChangeLock(archive_dir)
    try:
        if not lock.acquire():
            return 0
    except OSError:
        return 0  # a read-only .archive: not ours to clean now
    removed = 0
    try:
        for path in paths:
            try:
                if stat.S_ISREG(os.lstat(path).st_mode) and is_leftover(os.path.basename(path)):
                    os.unlink(path)
                    removed += 1
            except OSError:
                continue
    finally:
        lock.release()
    return removed
