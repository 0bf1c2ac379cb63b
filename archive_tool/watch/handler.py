"""Turn watchdog events into what the watcher acts on: touches, departures, folders arrived.

How files really arrive:

- a file copied or moved in from elsewhere: "created" (a move from outside the watched tree has
  no source), then "modified" and "closed" while a slow copy goes on;
- an atomic save (Word, WPS, most editors): the new content is written to a temporary name,
  then moved over the real one — only the move's destination names the file;
- a rename inside the archive: a move, source gone and destination new;
- a folder moved in: "created" for the folder (watchdog adds "created" for what is inside, but
  the folder is walked anyway); a folder moved out: "deleted" for the folder only.

Paths are matched with :func:`archive_tool.layout.is_ignored_path` on the path relative to the
root, never with watchdog's patterns (which watchdog 7 matches against absolute paths).
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from typing import Protocol

from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_DELETED,
                             EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, FileSystemEvent,
                             FileSystemEventHandler)

from archive_tool import FileOperationError, is_ignored_path, os_reason

TOUCH, GONE, FOLDER = "touch", "gone", "folder"
_WRITES = (EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_CLOSED)


@dataclass(frozen=True)
class Action:
    """``touch`` a file, a file or folder ``gone``, a ``folder`` arrived (walk it)."""

    kind: str
    path: str


class Sink(Protocol):
    def act(self, actions: list[Action]) -> None: ...


def relative(path: str | bytes, root: str) -> str | None:
    """``path`` relative to ``root`` as a posix path; None for the root itself or outside it."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not path:
        return None
    rel = os.path.relpath(path, root)
    if rel == "." or rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def translate(event: FileSystemEvent, root: str) -> list[Action]:
    """The actions one event asks for (none for ignored paths and for folder modifications)."""
    kind = event.event_type
    src = relative(event.src_path, root)
    if src is not None and is_ignored_path(src):
        src = None
    if kind == EVENT_TYPE_MOVED:
        dest = relative(event.dest_path, root)
        if dest is not None and is_ignored_path(dest):
            dest = None
        out = [Action(GONE, src)] if src is not None else []
        if dest is not None:
            out.append(Action(FOLDER if event.is_directory else TOUCH, dest))
        return out
    if src is None:
        return []
    if kind == EVENT_TYPE_DELETED:
        return [Action(GONE, src)]
    if event.is_directory:
        return [Action(FOLDER, src)] if kind == EVENT_TYPE_CREATED else []
    if kind in _WRITES:
        return [Action(TOUCH, src)]
    return []  # opened, closed without writing, attributes


class TouchHandler(FileSystemEventHandler):
    """A watchdog handler that passes the actions of each event to ``sink``."""

    def __init__(self, root: str | os.PathLike, sink: Sink):
        self.root = os.fspath(root)
        self.sink = sink

    def dispatch(self, event: FileSystemEvent) -> None:
        actions = translate(event, self.root)
        if actions:
            self.sink.act(actions)


def start_observer(root, sink: Sink, *, polling: bool = False, interval: float = 2.0):
    """A started watchdog observer passing the actions of every event below ``root`` to
    ``sink``: native events, or ``polling`` every ``interval`` seconds (network shares).
    FileOperationError when the system refuses (the inotify limit reached, no such folder)."""
    if polling:
        from watchdog.observers.polling import PollingObserver

        observer = PollingObserver(timeout=interval)
    else:
        from watchdog.observers import Observer

        observer = Observer()
    observer.schedule(TouchHandler(root, sink), str(root), recursive=True)
    try:
        observer.start()
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EMFILE):
            raise FileOperationError(
                f"无法监视 {root}：系统的 inotify 监视数量已达上限",
                hint="提高上限（sudo sysctl fs.inotify.max_user_watches=524288），"
                     "或加 --polling 改用轮询。") from None
        raise FileOperationError(f"无法监视 {root}：{os_reason(exc)}",
                                 hint="检查文件夹是否存在、是否可读；网络共享盘请加 --polling。"
                                 ) from None
    return observer
