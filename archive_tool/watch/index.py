"""The index step of the watcher, pluggable: the archive's search index
(:meth:`archive_tool.Archive.live_index`), or nothing, or whatever a test passes in.

The watcher needs five things of an index: add or replace a few records, drop a few paths,
bring the index in line with a scan of a folder (at start, one top-level folder at a time),
drop every document whose file is not among the paths a reconcile found on disk, and say which
paths it holds (so a rescan adds the files it lacks: the index follows renames made, and the
cache updated, by another command). Each may return what it did (an object with ``rebuilt``,
``reason`` and ``documents``, as :class:`archive_tool.search.IndexStats`), or None: the watcher
reports an index it had to rebuild.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from archive_tool import Evidence


class Index(Protocol):
    def update(self, evidence: list[Evidence]):
        """Add or replace the documents of these records; nothing else changes."""

    def remove(self, paths: list[str]):
        """Drop the documents of these paths (files gone)."""

    def sync(self, evidence: list[Evidence], scope: str):
        """Make the index match a scan of the folder ``scope``: add and replace what changed,
        drop documents below it that the scan lacks."""

    def prune(self, present: Iterable[str]):
        """Drop the documents of files not among ``present`` (all the paths on disk)."""

    def paths(self) -> set[str] | None:
        """The paths the index holds; None when it cannot say."""


class NoIndex:
    """No search index: the watcher only checks and keeps the cache."""

    def update(self, evidence: list[Evidence]) -> None:
        pass

    def remove(self, paths: list[str]) -> None:
        pass

    def sync(self, evidence: list[Evidence], scope: str) -> None:
        pass

    def prune(self, present: Iterable[str]) -> None:
        pass

    def paths(self) -> None:
        return None
