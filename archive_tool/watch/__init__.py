"""Watch an archive and check every file the moment it is complete.

::

    import threading
    from archive_tool.watch import Watcher

    stop = threading.Event()
    watcher = Watcher("档案", report=print)       # verdicts and status changes go to report
    watcher.run(stop)                             # until stop.set(); run(once=True) reconciles

- :mod:`.stability`: the FileStabilityTracker, pure logic (quiet delay, two agreeing stats);
- :mod:`.handler`: watchdog events -> touches, departures, folders arrived;
- :mod:`.process`: check complete files, forget gone ones, reconcile the archive (no threads);
- :mod:`.service`: the loop, the observer, periodic rescans;
- :mod:`.runtime`: signals, memory handed back, inotify overflow heard;
- :mod:`.log`: the JSON-lines event log ``.archive/watch.log``;
- :mod:`.index`: the pluggable index step.

The names below are imported on first use, so ``archive_tool.watch.runtime`` (signal handling)
can be loaded at once, before watchdog, the scanner and the extractors.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "Index": "index", "NoIndex": "index", "SearchIndex": "index",
    "LOG_FILE": "log", "EventLog": "log", "read_log": "log",
    "CHECKED": "process", "FAILED": "process", "REMOVED": "process", "Verdict": "process",
    "release_memory": "runtime", "stop_on_signals": "runtime",
    "QUIET_NATIVE": "service", "QUIET_POLLING": "service", "RESCAN_EVERY": "service",
    "Status": "service", "Watcher": "service", "WatchStats": "service",
    "FileStabilityTracker": "stability", "Poll": "stability",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
