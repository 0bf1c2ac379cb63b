"""The index step of the watcher, pluggable: the Whoosh index of :mod:`archive_tool.search`, or
nothing, or whatever a test passes in.

The watcher needs three things of an index: add or replace a few records, drop a few paths, and
bring the index in line with a scan of a folder (at start, one top-level folder at a time); and
may offer two more: ``prune(config, present)`` drops every document whose file is not among the
paths a reconcile found on disk, and ``paths(config)`` says which paths the index holds, so a
rescan adds the files it lacks (the index follows renames made, and the cache updated, by
another command).
Each may return what it did (an object with ``rebuilt``, ``reason`` and ``documents``, as
:class:`archive_tool.search.IndexStats`): the watcher reports an index it had to rebuild.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from ..evidence import Evidence


class Index(Protocol):
    def update(self, config, evidence: list[Evidence]) -> None:
        """Add or replace the documents of these records; nothing else changes."""

    def remove(self, config, paths: list[str]) -> None:
        """Drop the documents of these paths (files gone)."""

    def sync(self, result) -> None:
        """Make the index match a ScanResult below its scope (a folder, '' for the archive):
        add and replace what changed, drop documents below the scope that the scan lacks."""


class SearchIndex:
    """:mod:`archive_tool.search`'s index in ``<archive>/.archive/index``.

    ``wait`` is how long one update waits for another writer (a ``search``/``index`` run)
    before :class:`archive_tool.errors.IndexBusyError`; the watcher then retries on its next
    rescan instead of blocking the event loop.
    """

    def __init__(self, wait: float = 5.0):
        self.wait = wait

    def update(self, config, evidence: list[Evidence]):
        from ..search import update_index

        if evidence:
            return update_index(config, evidence, scope=None, wait=self.wait)
        return None

    def remove(self, config, paths: list[str]):
        from ..search import remove_paths

        if paths:
            return remove_paths(config, paths, wait=self.wait)
        return None

    def sync(self, result):
        """A missing or broken index is rebuilt from ``result`` alone: the watcher syncs the
        other top-level folders next (see Watcher._index_part)."""
        from ..search import update_index

        return update_index(result, wait=self.wait, partial_rebuild=True)

    def prune(self, config, present):
        """Drop the documents of files not among ``present`` (all the paths on disk)."""
        from ..search.prune import prune_index

        return prune_index(config, set(present), wait=self.wait)

    def paths(self, config) -> set[str] | None:
        """The paths of the documents in the index (None when there is no usable index)."""
        from ..search.prune import indexed_paths

        return indexed_paths(config)


class NoIndex:
    """No search index: the watcher only checks and keeps the cache."""

    def update(self, config, evidence: Iterable[Evidence]) -> None:
        pass

    def remove(self, config, paths: Iterable[str]) -> None:
        pass

    def sync(self, result) -> None:
        pass

    def prune(self, config, present) -> None:
        pass
