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

import os
from dataclasses import dataclass
from typing import Protocol

from watchdog.events import (EVENT_TYPE_CLOSED, EVENT_TYPE_CREATED, EVENT_TYPE_DELETED,
                             EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, FileSystemEvent,
                             FileSystemEventHandler)

from archive_tool import is_ignored_path

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
