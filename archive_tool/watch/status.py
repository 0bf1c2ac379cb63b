"""What the watcher tells besides verdicts: its changes of state and its counts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from archive_tool import ArchiveError

#: receives every Verdict and Status
Report = Callable[[object], None]


@dataclass(frozen=True)
class Status:
    """A change of the watcher's state: started, reconciled, overflow, index_busy, error,
    index_rebuilt (the index was missing, damaged or outdated and was built again), stopped."""

    kind: str
    data: dict = field(default_factory=dict)


@dataclass
class WatchStats:
    checked: int = 0
    with_findings: int = 0
    removed: int = 0
    failed: int = 0
    reconciles: int = 0
    #: index steps that failed (busy or an error): the index lags behind the cache
    index_failures: int = 0


def message(exc: BaseException) -> str:
    """An error in words: the library's own message, else the exception's type and text."""
    return exc.message if isinstance(exc, ArchiveError) else f"{type(exc).__name__}: {exc}"
