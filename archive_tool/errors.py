"""The library's exception family. The CLI turns these into one-line messages, exit 2."""
from __future__ import annotations

from indicator_tree.errors import os_reason

__all__ = ["ArchiveError", "ConfigError", "FileOperationError", "IndexBusyError",
           "NotAnArchiveError", "UsageError", "os_reason"]


class ArchiveError(Exception):
    """An expected failure: a message for the user and a concrete fix."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(ArchiveError):
    """The archive's configuration is missing or wrong."""


class NotAnArchiveError(ConfigError):
    """No ``.archive/`` folder above the given path."""


class UsageError(ArchiveError):
    """An argument that cannot work (unknown indicator, bad date …)."""


class FileOperationError(ArchiveError):
    """A file could not be read, written, renamed or restored."""


class IndexBusyError(ArchiveError):
    """Another process holds the search index and did not let go in time."""

