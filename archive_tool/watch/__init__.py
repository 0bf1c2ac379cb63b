"""Watch an archive and check every file the moment it is complete.

::

    import threading
    from archive_tool import Archive

    stop = threading.Event()
    Archive.open("档案").watch(stop, report=print)  # verdicts and status changes go to report
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

The package holds nothing itself: :meth:`archive_tool.Archive.watch` runs the loop, and
``archive_tool.watch.runtime`` (signal handling) loads at once, before watchdog, the scanner and
the extractors.
"""
