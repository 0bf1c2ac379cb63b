"""The garbage collector while the records of a whole archive are built and judged.

CPython's collector runs its youngest generation every 700 new container objects, and a full
collection (every live object walked) after ten of the middle one whenever the objects promoted
since the last full one reach a quarter of those alive. Building records, findings and reports
of 40,000 files allocates about a million objects that all stay alive: the quarter is reached
again and again, so full collections come every 70,000 objects and each walks the whole
archive, a cost that grows with the square of the archive (1.2 s of a 3 s warm scan + lint +
check at 40,000 files, 8 full collections, none of which freed anything).

Nothing here creates reference cycles (the file readers break theirs:
:mod:`.extract.pdf`, :mod:`.captions.xmp`), so while records are built the youngest generation
is collected every 50,000 objects instead: the collector still runs and frees any cycle, about
seventy times less often. And what existed before the outermost call (the records of the scan
that a lint or check judges, the config, the tree) is frozen (:func:`gc.freeze`) for its
duration: the collections the call makes look at the objects it makes, not again at the
archive it was given (a warm scan + lint + check at 40,000 files made a middle and a full
collection walking hundreds of thousands of records: 140 ms of collections, now 70). The
thresholds are restored and the frozen objects returned to the collector when the outermost
call returns.
"""
from __future__ import annotations

import functools
import gc
import threading

#: new container objects between two collections of the youngest generation while building
BULK_THRESHOLD = 50_000

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] = ()
#: True when the outermost call froze the objects (none were frozen by the program before)
_froze = False


def _enter() -> None:
    global _depth, _saved, _froze
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(_saved[0], BULK_THRESHOLD), *_saved[1:])
            _froze = gc.get_freeze_count() == 0  # a program's own frozen objects stay so
            if _froze:
                gc.freeze()
        _depth += 1


def _leave() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0:
            if _froze:
                gc.unfreeze()
            gc.set_threshold(*_saved)


def building_records(function):
    """Decorator: ``function`` builds or judges the records of an archive (see above)."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        _enter()
        try:
            return function(*args, **kwargs)
        finally:
            _leave()
    return run
