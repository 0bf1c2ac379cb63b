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
"""
from .index import Index, NoIndex, SearchIndex
from .log import LOG_FILE, EventLog, read_log
from .process import CHECKED, FAILED, REMOVED, Verdict
from .runtime import release_memory, stop_on_signals
from .service import QUIET_NATIVE, QUIET_POLLING, RESCAN_EVERY, Status, Watcher, WatchStats
from .stability import FileStabilityTracker, Poll

__all__ = [
    "CHECKED", "FAILED", "LOG_FILE", "QUIET_NATIVE", "QUIET_POLLING", "REMOVED", "RESCAN_EVERY",
    "EventLog", "FileStabilityTracker", "Index", "NoIndex", "Poll", "SearchIndex", "Status",
    "Verdict", "WatchStats", "Watcher", "read_log", "release_memory", "stop_on_signals",
]
