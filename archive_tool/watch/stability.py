"""When is a file complete? Pure logic, no threads, no watchdog: a fake clock and stat test it.

A file that is still being written keeps changing; one that has been quiet for ``delay`` seconds
and whose size and mtime_ns are the same at two stats is taken as complete. Events say *that*
something happened (:meth:`FileStabilityTracker.touch`); stats say whether it is still happening,
so a writer that emits no events (another machine writing to an SMB share) is caught too.

The tracker stats a path once soon after it is touched and again when its quiet delay has
passed (and at least ``min_gap`` after the first stat): a file whose two stats agree is ready,
one whose stats differ starts a new quiet delay.
Paths are opaque keys (the watcher uses archive-relative posix paths); ``stat`` maps a key to an
``os.stat_result``-like object and raises ``OSError`` for a key that is gone.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Hashable

Signature = tuple[int, int]


@dataclass
class _Pending:
    #: clock() of the last touch, or of the last stat that saw the file change
    changed_at: float
    #: (size, mtime_ns) of the last stat, or None until it was stat'ed after the last touch
    signature: Signature | None = None
    #: clock() of that stat
    signed_at: float = 0.0


@dataclass
class Poll:
    """What one :meth:`FileStabilityTracker.poll` found."""

    #: complete files, in the order they were first touched
    ready: list = field(default_factory=list)
    #: touched paths that no longer exist (created and removed again, moved away unseen …)
    vanished: list = field(default_factory=list)


def _signature(st: os.stat_result) -> Signature:
    return (st.st_size, st.st_mtime_ns)


class FileStabilityTracker:
    """Pending paths and when each is complete. Thread-safe: events touch, the loop polls."""

    def __init__(self, delay: float, *, clock: Callable[[], float] = time.monotonic,
                 stat: Callable[[Hashable], os.stat_result] = os.stat,
                 min_gap: float | None = None):
        if delay < 0:
            raise ValueError("delay must be >= 0")
        self.delay = delay
        #: the least time between the two stats that must agree
        self.min_gap = min(delay, 0.25) if min_gap is None else min_gap
        self.clock = clock
        self.stat = stat
        self._pending: dict[Hashable, _Pending] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)

    def __contains__(self, path: Hashable) -> bool:
        with self._lock:
            return path in self._pending

    def pending(self) -> list:
        with self._lock:
            return list(self._pending)

    def touch(self, path: Hashable) -> None:
        """Something wrote to ``path`` (created, modified, closed, moved here): wait again."""
        now = self.clock()
        with self._lock:
            # a new entry, so a poll that stat'ed the old one in the meantime discards its stat
            self._pending[path] = _Pending(now)

    def forget(self, path: Hashable) -> bool:
        """Stop tracking ``path`` (deleted, moved away); True when it was pending."""
        with self._lock:
            return self._pending.pop(path, None) is not None

    def forget_under(self, prefix: str) -> list:
        """Stop tracking ``prefix`` and every path below it (``prefix/…``); the paths dropped."""
        with self._lock:
            gone = [p for p in self._pending
                    if isinstance(p, str) and (p == prefix or p.startswith(prefix + "/"))]
            for p in gone:
                del self._pending[p]
            return gone

    def next_due(self) -> float | None:
        """Seconds until the earliest pending path could be ready (0 when one needs a stat)."""
        now = self.clock()
        with self._lock:
            if not self._pending:
                return None
            waits = [0.0 if e.signature is None else
                     max(e.changed_at + self.delay, e.signed_at + self.min_gap) - now
                     for e in self._pending.values()]
        return max(0.0, min(waits))

    def poll(self, limit: int | None = None) -> Poll:
        """Stat what needs it; return (and stop tracking) up to ``limit`` ready paths."""
        now = self.clock()
        with self._lock:
            due = [(p, e) for p, e in self._pending.items() if e.signature is None or (
                now - e.changed_at >= self.delay and now - e.signed_at >= self.min_gap)]
        result = Poll()
        for path, entry in due:
            try:
                sig = _signature(self.stat(path))
            except OSError:
                sig = None
            with self._lock:
                if self._pending.get(path) is not entry:
                    continue  # touched or forgotten meanwhile
                if sig is None:
                    del self._pending[path]
                    result.vanished.append(path)
                    continue
                if entry.signature is None:
                    # the first stat after a touch: the quiet delay still runs from the touch
                    entry.signature, entry.signed_at = sig, now
                elif entry.signature != sig:
                    # changed without an event (a writer on another machine): wait again
                    entry.signature, entry.signed_at, entry.changed_at = sig, now, now
                elif limit is None or len(result.ready) < limit:
                    del self._pending[path]
                    result.ready.append(path)
        return result
