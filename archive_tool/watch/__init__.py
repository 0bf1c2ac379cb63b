"""Watch an archive and check every file the moment it is complete.

::

    import threading
    from archive_tool import Archive
    from archive_tool.watch import watch

    stop = threading.Event()
    watch(Archive.open("档案"), stop, report=print)   # verdicts and status changes go to report
                                                  # until stop.set(); once=True reconciles

The watcher is a client of :class:`archive_tool.Archive`, like the command line: it imports the
package face (``archive_tool``), watchdog and the standard library, nothing deeper. What it
asks of the archive (judge a complete file, forget one gone, reconcile everything, keep the
index) is :attr:`archive_tool.Archive.verdicts` and :meth:`archive_tool.Archive.live_index`.

- :mod:`.stability`: the FileStabilityTracker, pure logic (quiet delay, two agreeing stats);
- :mod:`.handler`: watchdog events -> touches, departures, folders arrived;
- :mod:`.service`: the loop, the observer, periodic rescans;
- :mod:`.status`: the watcher's changes of state and its counts;
- :mod:`.runtime`: signals, memory handed back, inotify overflow heard;
- :mod:`.log`: the JSON-lines event log ``.archive/watch.log``;
- :mod:`.index`: the pluggable index step.

The library never imports the watcher (it is a front end, started by ``archive-tool watch``);
this face imports nothing at once, so ``archive_tool.watch.runtime`` (signal handling) loads
before watchdog, the scanner and the extractors.
"""
from __future__ import annotations


def watch(archive, stop=None, *, once: bool = False, **options):
    """Watch ``archive`` (an :class:`archive_tool.Archive`) until ``stop`` (a
    ``threading.Event``) is set, checking each file once it is complete (``once``: reconcile
    and return). ``options`` are those of :class:`.service.Watcher` (``polling``,
    ``interval``, ``quiet``, ``rescan_every``, ``report``, ``index``, ``log``, ``ocr``);
    returns its :class:`.status.WatchStats`."""
    from .service import Watcher

    return Watcher(archive, **options).run(stop, once=once)
