"""The index as a long-running front end keeps it current (the watcher): a few records added or
replaced, paths dropped, one folder brought in line with its scan, documents of files no longer
on disk pruned. Each step returns what it did (:class:`IndexStats`), or None when there was
nothing to do; one that waits longer than ``wait`` for another writer raises IndexBusyError, so
the caller retries later instead of blocking."""
from __future__ import annotations

from typing import Iterable

from ..config import ArchiveConfig
from ..evidence import Evidence
from .indexer import IndexStats, Rescan, remove_paths, update_index
from .prune import indexed_paths, prune_index


class LiveIndex:
    """The search index of one archive, ``rescan`` giving the whole archive's records when the
    index must be rebuilt."""

    def __init__(self, config: ArchiveConfig, rescan: Rescan, wait: float = 5.0):
        self.config, self.rescan, self.wait = config, rescan, wait

    def update(self, evidence: list[Evidence]) -> IndexStats | None:
        """Add or replace the documents of these records; nothing else changes."""
        if not evidence:
            return None
        return update_index(self.config, evidence, scope=None, rescan=self.rescan,
                            wait=self.wait)

    def remove(self, paths: Iterable[str]) -> IndexStats | None:
        """Drop the documents of these paths (files or folders gone)."""
        paths = list(paths)
        if not paths:
            return None
        return remove_paths(self.config, paths, rescan=self.rescan, wait=self.wait)

    def sync(self, evidence: list[Evidence], scope: str) -> IndexStats:
        """Make the index match a scan of the folder ``scope``: add and replace what changed,
        drop documents below it that the scan lacks. A missing or broken index is rebuilt from
        these records alone: the caller syncs the other folders next (the watcher's start)."""
        return update_index(self.config, evidence, scope=scope, rescan=self.rescan,
                            wait=self.wait, partial_rebuild=True)

    def prune(self, present: Iterable[str]) -> IndexStats:
        """Drop the documents of files not among ``present`` (all the paths on disk)."""
        return prune_index(self.config, set(present), rescan=self.rescan, wait=self.wait)

    def paths(self) -> set[str] | None:
        """The paths of the documents in the index (None when there is no usable index)."""
        return indexed_paths(self.config)
