"""``<archive>/.archive/watch.log``: one JSON object per line, rotated by size.

What the watcher decided, for the archive group to read the next morning (``jq`` or any text
editor): a verdict per checked file, files removed, reconciles, errors, start and stop. Field
names are English, messages stay Chinese. The file rotates at ``max_bytes`` and keeps
``backups`` older files (``watch.log.1`` …), through :class:`logging.handlers.RotatingFileHandler`
on a private logger, so the application's own logging configuration is never touched.
"""
from __future__ import annotations

import json
import logging
import logging.handlers
import threading
from datetime import datetime
from pathlib import Path

from archive_tool import FileOperationError, os_reason

LOG_FILE = "watch.log"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5

_counter = 0
_counter_lock = threading.Lock()


class EventLog:
    """Append JSON lines to ``path``; use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS):
        global _counter
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handler = logging.handlers.RotatingFileHandler(
                self.path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        except OSError as exc:
            raise FileOperationError(f"无法写入监视日志 {self.path}：{os_reason(exc)}",
                                     hint="检查档案的 .archive 文件夹是否可写。") from None
        self._handler.setFormatter(logging.Formatter("%(message)s"))
        with _counter_lock:
            _counter += 1
            name = f"archive_tool.watch.eventlog.{_counter}"
        self._logger = logging.getLogger(name)
        self._logger.propagate = False
        self._logger.setLevel(logging.INFO)
        self._logger.addHandler(self._handler)

    def write(self, event: str, **fields) -> None:
        """One line: ``{"at": <local ISO time>, "event": event, **fields}``."""
        record = {"at": datetime.now().astimezone().isoformat(timespec="milliseconds"),
                  "event": event, **fields}
        self._logger.info(json.dumps(record, ensure_ascii=False, default=str))

    def close(self) -> None:
        self._logger.removeHandler(self._handler)
        self._handler.close()

    def __enter__(self) -> "EventLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_log(path: str | Path) -> list[dict]:
    """Every record of a log file (not its rotated predecessors), oldest first."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out
