"""What a long-running watcher needs from its process: stopping on signals, handing memory
back after big work, and hearing at once when the kernel dropped events."""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import logging
import signal
import threading
from typing import Callable, Iterator

#: watchdog's inotify module says "Inotify queue overflowed; …" here when events were lost
INOTIFY_LOGGER = "watchdog.observers.inotify_c"


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[threading.Event]:
    """Within the block, SIGINT (Ctrl-C) and SIGTERM set ``stop`` instead of killing the process.

    The loop then ends after its current batch. A second Ctrl-C raises KeyboardInterrupt at
    once (the index writer cancels, so the index stays as it was). Only the main thread can
    install handlers; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum, frame):
        if signum == signal.SIGINT and stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _libc_malloc_trim():
    try:
        name = ctypes.util.find_library("c")
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


_malloc_trim = _libc_malloc_trim()


def release_memory() -> None:
    """Give memory freed by a big batch or a rescan back to the system.

    A long-running process otherwise keeps the peak of its largest rescan: CPython frees the
    objects, but glibc keeps the fragmented heap. ``malloc_trim`` (glibc only) returns it.
    """
    gc.collect()
    if _malloc_trim is not None:
        _malloc_trim(0)


class OverflowListener(logging.Handler):
    """Calls ``on_overflow`` when watchdog reports an inotify queue overflow (events lost), so
    the watcher rescans now instead of at its next periodic rescan. Best effort: it relies on
    watchdog's log message; the periodic rescan remains the guarantee."""

    def __init__(self, on_overflow: Callable[[], None]):
        super().__init__(logging.WARNING)
        self.on_overflow = on_overflow
        self.logger = logging.getLogger(INOTIFY_LOGGER)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if "overflow" in record.getMessage().lower():
                self.on_overflow()
        except Exception:  # noqa: BLE001 - a logging handler must never raise
            self.handleError(record)

    def attach(self) -> None:
        self.logger.addHandler(self)

    def detach(self) -> None:
        self.logger.removeHandler(self)
