"""Watchdog events -> the watcher's actions (pure: events are built by hand), and the event log."""
import json

import pytest
from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirModifiedEvent, DirMovedEvent,
                             FileClosedEvent, FileClosedNoWriteEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
                             FileOpenedEvent)

from archive_tool.watch.handler import FOLDER, GONE, TOUCH, Action, TouchHandler, translate
from archive_tool.watch.log import EventLog, read_log

ROOT = "/srv/档案"
LEAF = "I-1 思想政治建设/II-1 加强学习"


def p(rel):
    return f"{ROOT}/{rel}"


@pytest.mark.parametrize("event_cls", [FileCreatedEvent, FileModifiedEvent, FileClosedEvent])
def test_writes_touch(event_cls):
    assert translate(event_cls(p(f"{LEAF}/01：学习.docx")), ROOT) == \
        [Action(TOUCH, f"{LEAF}/01：学习.docx")]


@pytest.mark.parametrize("event", [FileOpenedEvent(p(f"{LEAF}/a.txt")),
                                   FileClosedNoWriteEvent(p(f"{LEAF}/a.txt")),
                                   DirModifiedEvent(p(LEAF))])
def test_reads_and_folder_modifications_do_nothing(event):
    assert translate(event, ROOT) == []


def test_moves():
    # a rename inside the archive
    assert translate(FileMovedEvent(p(f"{LEAF}/a.txt"), p(f"{LEAF}/01：a.txt")), ROOT) == \
        [Action(GONE, f"{LEAF}/a.txt"), Action(TOUCH, f"{LEAF}/01：a.txt")]
    # an atomic save: the temporary source is ignored, the destination touched
    assert translate(FileMovedEvent(p(f"{LEAF}/~WRL0001.tmp"), p(f"{LEAF}/01：a.docx")),
                     ROOT) == [Action(TOUCH, f"{LEAF}/01：a.docx")]
    # Word moving the old version to a backup name: only the departure counts
    assert translate(FileMovedEvent(p(f"{LEAF}/01：a.docx"), p(f"{LEAF}/~WRL0002.tmp")),
                     ROOT) == [Action(GONE, f"{LEAF}/01：a.docx")]
    # a folder renamed
    assert translate(DirMovedEvent(p("I-1 旧"), p("I-1 思想政治建设")), ROOT) == \
        [Action(GONE, "I-1 旧"), Action(FOLDER, "I-1 思想政治建设")]
    # moved out of the archive
    assert translate(FileMovedEvent(p(f"{LEAF}/a.txt"), "/tmp/a.txt"), ROOT) == \
        [Action(GONE, f"{LEAF}/a.txt")]


def test_deletes_and_folders():
    assert translate(FileDeletedEvent(p(f"{LEAF}/a.txt")), ROOT) == [Action(GONE, f"{LEAF}/a.txt")]
    assert translate(DirDeletedEvent(p(LEAF)), ROOT) == [Action(GONE, LEAF)]
    assert translate(DirCreatedEvent(p(LEAF)), ROOT) == [Action(FOLDER, LEAF)]


@pytest.mark.parametrize("rel", ["~$01：会议记录.docx", ".~lock.01：会议记录.docx#", "ppt3A2.tmp",
                                 "Thumbs.db", "desktop.ini", ".DS_Store", "._01：照片.jpg",
                                 ".archive/state.sqlite-wal", ".archive/index/MAIN_1.seg"])
def test_ignored_names_anywhere(rel):
    for path in (rel, f"{LEAF}/{rel}"):
        assert translate(FileCreatedEvent(p(path)), ROOT) == []
        assert translate(FileDeletedEvent(p(path)), ROOT) == []


def test_the_root_itself_and_paths_outside_are_ignored():
    assert translate(DirModifiedEvent(ROOT), ROOT) == []
    assert translate(FileCreatedEvent("/srv/其他/a.txt"), ROOT) == []
    assert translate(FileCreatedEvent(p("a.txt").encode()), ROOT) == [Action(TOUCH, "a.txt")]


def test_the_handler_passes_actions_to_its_sink():
    got = []

    class Sink:
        def act(self, actions):
            got.append(actions)
    handler = TouchHandler(ROOT, Sink())
    handler.dispatch(FileCreatedEvent(p(f"{LEAF}/~$x.docx")))
    handler.dispatch(FileCreatedEvent(p(f"{LEAF}/a.txt")))
    assert got == [[Action(TOUCH, f"{LEAF}/a.txt")]]


def test_event_log_writes_json_lines_and_rotates(tmp_path):
    path = tmp_path / ".archive" / "watch.log"
    with EventLog(path, max_bytes=2000, backups=2) as log:
        for i in range(60):
            log.write("verdict", kind="checked", path=f"{LEAF}/{i:02d}：学习.txt", ok=True)
    records = read_log(path)
    assert records and all(r["event"] == "verdict" for r in records)
    assert records[-1]["path"] == f"{LEAF}/59：学习.txt"
    assert (tmp_path / ".archive" / "watch.log.1").exists()
    assert (tmp_path / ".archive" / "watch.log.2").exists()
    assert not (tmp_path / ".archive" / "watch.log.3").exists()
    line = path.read_text(encoding="utf-8").splitlines()[0]
    assert "学习" in line and json.loads(line)["at"]           # Chinese kept readable
