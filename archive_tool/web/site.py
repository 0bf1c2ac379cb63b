"""The archive a server serves, and the snapshot (scan → lint → check) its pages show.

Pages never scan: they read the current snapshot. It is made again

- when the server changed a file itself (an upload, a caption, a rename): the next page waits
  for it, so whoever made the change sees it (on 10,000 files this takes under a second);
- when it is older than ``max_age`` seconds (files staff dropped on the share): the page is
  served from the current one while a new one is made in the background.

Each new snapshot also brings the search index up to date, in one background worker that
does nothing else, so a search never competes with another writer of the index.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from datetime import date
from pathlib import Path

from . import library

log = logging.getLogger(__name__)
#: seconds a snapshot is shown before a new one is made in the background
DEFAULT_MAX_AGE = 30.0


class Site:
    def __init__(self, root: str | Path, *, as_of: date | None = None,
                 max_age: float = DEFAULT_MAX_AGE, year: str | None = None):
        self.archive = library.open_archive(root, year)
        #: where the unit's accounts belong (a folder of several years, else the archive)
        self.unit_root = library.unit_root(self.archive)
        #: the year served when the archive is one year of several ('' otherwise)
        self.year = self.archive.root.name if self.unit_root != self.archive.root else ""
        self.as_of = as_of
        self.max_age = max_age
        self._snap: library.Snapshot | None = None
        self._taken = 0.0
        self._changes = 0
        self._snap_changes = -1
        self._building = threading.Lock()
        self._state = threading.Lock()
        self._background: threading.Thread | None = None
        self._jobs: queue.Queue = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="archive-index", daemon=True)
        self._worker.start()
        self._unit_id: int | None = None

    # ---- the unit in the database ------------------------------------------------------------
    @property
    def unit(self):
        from .models import Unit

        if self._unit_id is None:
            unit, _ = Unit.objects.get_or_create(root=str(self.unit_root),
                                                 defaults={"name": self.archive.unit})
            self._unit_id = unit.pk
            return unit
        return Unit.objects.get(pk=self._unit_id)

    @property
    def unit_id(self) -> int:
        return self.unit.pk if self._unit_id is None else self._unit_id

    def forget_unit(self) -> None:
        """Look the unit up again (tests that roll the database back)."""
        self._unit_id = None

    # ---- snapshots ---------------------------------------------------------------------------
    def snapshot(self) -> library.Snapshot:
        """The current snapshot; made now when there is none or the server changed a file."""
        with self._state:
            snap, fresh = self._snap, self._snap_changes >= self._changes
            old = time.monotonic() - self._taken > self.max_age
        if snap is None or not fresh:
            return self.refresh()
        if old:
            self._refresh_in_background()
        return snap

    def refresh(self) -> library.Snapshot:
        """Make a new snapshot now (one at a time: a caller arriving while one is made waits
        for it and takes it when it covers the changes the caller saw)."""
        with self._state:
            wanted = self._changes
        with self._building:
            with self._state:
                if self._snap is not None and self._snap_changes >= wanted \
                        and time.monotonic() - self._taken <= self.max_age:
                    return self._snap
                changes = self._changes
            snap = library.build_snapshot(self.archive, self.as_of)
            with self._state:
                self._snap, self._snap_changes, self._taken = snap, changes, time.monotonic()
        self._jobs.put(("snapshot", snap))
        return snap

    def _refresh_in_background(self) -> None:
        with self._state:
            if self._background is not None and self._background.is_alive():
                return
            self._background = threading.Thread(target=self._quiet_refresh, daemon=True,
                                                name="archive-rescan")
            self._background.start()

    def _quiet_refresh(self) -> None:
        try:
            self.refresh()
        except Exception:  # noqa: BLE001 - the pages keep the last snapshot; logged
            log.exception("重新读取档案失败")

    def changed(self, evidence=None) -> None:
        """The server changed a file: the next page makes a new snapshot; ``evidence`` (the
        file's record after the change) goes into the search index at once."""
        with self._state:
            self._changes += 1
        if evidence is not None:
            self._jobs.put(("files", [evidence]))

    # ---- the search index ----------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            kind, payload = self._jobs.get()
            try:
                if kind == "snapshot":
                    library.update_search_index(payload)
                elif kind == "files":
                    library.index_evidence(self.archive, payload)
                else:  # a mark: every job queued before it is done
                    payload.set()
            except Exception:  # noqa: BLE001 - a search rebuilds a broken index; logged
                log.exception("更新检索索引失败")

    def index_settled(self, timeout: float = 20.0) -> bool:
        """Wait (up to ``timeout`` s) until the index holds every change queued so far."""
        done = threading.Event()
        self._jobs.put(("mark", done))
        return done.wait(timeout)


_current: Site | None = None


def install(site: Site) -> Site:
    """Make ``site`` the one the views serve."""
    global _current
    _current = site
    return site


def current() -> Site:
    if _current is None:
        raise RuntimeError("no archive is being served (archive_tool.web.site.install)")
    return _current
