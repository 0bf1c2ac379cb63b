"""Reconciling the index with what is on disk: which paths it holds, and dropping those whose
file is gone (the watcher's rescan, after another command renamed files and updated the cache
but not the index)."""
from __future__ import annotations

from typing import Callable

from ..config import ArchiveConfig
from . import analysis
from .index_files import DEFAULT_WAIT, index_dir, open_index, write_lock
from .indexer import (IndexStats, Rescan, _Broken, _delete, _environmental, _everything,
                      _rebuild)
from .schema import index_version
from .signatures import Signatures


def prune_index(config: ArchiveConfig, present: set[str], *, rescan: Rescan | None = None,
                wait: float = DEFAULT_WAIT,
                on_wait: Callable[[float], None] | None = None) -> IndexStats:
    """Delete the documents whose file is not among ``present`` (every path a scan of the whole
    archive found): the index is reconciled with what is on disk, not with the cache, so files
    renamed or deleted by another program while nobody saw it drop out. No index: nothing; a
    broken one is rebuilt from ``rescan()``."""
    folder = index_dir(config)
    stats = IndexStats()
    if not folder.is_dir():
        stats.reason = "missing"
        return stats
    with write_lock(folder, wait, on_wait) as waited:
        ix, reason = open_index(folder, read=False)
        try:
            if ix is None:
                raise _Broken(reason)
            stale = [p for p in _guarded_paths(ix, folder) if p not in present]
            if stale:
                stats.removed, stats.documents = _delete(ix, stale)
        except _Broken:
            version = index_version(analysis.prepare_for(config))
            stats = _rebuild(folder, config, _everything(rescan), None, "corrupt", version)
    stats.waited = waited
    return stats


def indexed_paths(config: ArchiveConfig) -> set[str] | None:
    """The paths of the documents in the archive's index; None when it has no usable one."""
    ix, _ = open_index(index_dir(config), read=False)
    if ix is None:
        return None
    try:
        return set(_guarded_paths(ix, index_dir(config)))
    except _Broken:
        return None


def _guarded_paths(ix, folder) -> list[str]:
    """The paths the index holds (from its signature table when that is current)."""
    try:
        return list(Signatures(folder).load(ix)[0])
    except Exception as exc:  # noqa: BLE001 - Whoosh raises anything on damaged files
        if _environmental(exc):
            raise
        raise _Broken(str(exc)) from exc
