"""The undo log: backups before changes, exact restores, refusals, rollback of failed blocks."""
from __future__ import annotations

import json
import os
import stat

import pytest

from archive_tool.errors import FileOperationError, UsageError
from archive_tool.undo import UndoLog


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "档案" / "I-1 思想政治建设"
    folder.mkdir(parents=True)
    (folder / "01：学习会.jpg").write_bytes(b"\xff\xd8original bytes\x00\xff")
    (folder / "2 签到表.docx").write_bytes(b"PK docx")
    return tmp_path / "档案"


PHOTO = "I-1 思想政治建设/01：学习会.jpg"
DOCX = "I-1 思想政治建设/2 签到表.docx"


def test_modify_then_undo_restores_exact_bytes_mode_and_mtime(root):
    photo = root / PHOTO
    os.chmod(photo, 0o640)
    os.utime(photo, ns=(1_500_000_000_000_000_000, 1_500_000_000_000_000_000))
    original = photo.read_bytes()
    log = UndoLog(root)
    with log.transaction("caption set") as tx:
        tx.record_modify(photo)
        photo.write_bytes(b"changed")
    backups = list((root / ".archive" / "undo").rglob("*"))
    assert any(p.is_file() and p.read_bytes() == original for p in backups)
    [tx_info] = log.history()
    assert (tx_info.label, tx_info.status) == ("caption set", "committed")
    assert [(op.kind, op.path) for op in tx_info.operations] == [("modify", PHOTO)]

    result = log.undo_last()
    assert result.label == "caption set"
    assert [(op.kind, op.path) for op in result.reverted] == [("modify", PHOTO)]
    assert photo.read_bytes() == original
    assert stat.S_IMODE(photo.stat().st_mode) == 0o640
    assert photo.stat().st_mtime_ns == 1_500_000_000_000_000_000
    assert log.history()[0].status == "undone"
    with pytest.raises(UsageError):
        log.undo_last()


def test_log_is_json_lines_with_relative_posix_paths(root):
    with UndoLog(root).transaction("lint --fix") as tx:
        tx.rename(root / DOCX, root / "I-1 思想政治建设/02：签到表.docx")
    lines = (root / ".archive" / "undo.log").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["event"] for r in records] == ["begin", "op", "commit"]
    assert records[1]["src"] == DOCX and records[1]["path"] == "I-1 思想政治建设/02：签到表.docx"


def test_undo_reverts_the_newest_transaction_first(root):
    log = UndoLog(root)
    new_name = "I-1 思想政治建设/02：签到表.docx"
    with log.transaction("lint --fix") as tx:
        tx.rename(DOCX, new_name)
    with log.transaction("caption set") as tx:
        tx.record_modify(PHOTO)
        (root / PHOTO).write_bytes(b"captioned")
    assert log.undo_last().label == "caption set"
    assert (root / new_name).exists()
    result = log.undo_last()
    assert result.label == "lint --fix"
    assert [(op.kind, op.src, op.path) for op in result.reverted] == [
        ("rename", DOCX, new_name)]
    assert (root / DOCX).read_bytes() == b"PK docx" and not (root / new_name).exists()
    assert [t.status for t in log.history()] == ["undone", "undone"]


def test_modify_and_rename_in_one_transaction(root):
    log = UndoLog(root)
    new_name = "I-1 思想政治建设/01：学习会（改）.jpg"
    original = (root / PHOTO).read_bytes()
    with log.transaction("caption set") as tx:
        tx.record_modify(PHOTO)
        (root / PHOTO).write_bytes(b"captioned")
        tx.rename(PHOTO, new_name)
    log.undo_last()
    assert (root / PHOTO).read_bytes() == original
    assert not (root / new_name).exists()


def test_created_file_is_deleted_on_undo(root):
    sidecar = root / "I-1 思想政治建设/01：学习会.heic.txt"
    log = UndoLog(root)
    with log.transaction("caption set") as tx:
        tx.record_modify(sidecar)  # does not exist yet: recorded as created
        sidecar.write_text("说明", encoding="utf-8")
    assert log.history()[0].operations[0].kind == "create"
    log.undo_last()
    assert not sidecar.exists()


def test_refuses_when_the_file_changed_since(root):
    log = UndoLog(root)
    with log.transaction("caption set") as tx:
        tx.record_modify(PHOTO)
        (root / PHOTO).write_bytes(b"captioned")
    (root / PHOTO).write_bytes(b"edited later by someone")
    with pytest.raises(FileOperationError) as info:
        log.undo_last()
    assert "又被修改" in info.value.message and info.value.hint
    assert (root / PHOTO).read_bytes() == b"edited later by someone"
    assert log.history()[0].status == "committed"


def test_refuses_when_the_old_name_is_taken(root):
    log = UndoLog(root)
    new_name = "I-1 思想政治建设/02：签到表.docx"
    with log.transaction("lint --fix") as tx:
        tx.rename(DOCX, new_name)
    (root / DOCX).write_bytes(b"a new file with the old name")
    with pytest.raises(FileOperationError) as info:
        log.undo_last()
    assert DOCX in info.value.message and "archive-tool undo" in info.value.hint
    assert (root / DOCX).read_bytes() == b"a new file with the old name"
    assert (root / new_name).read_bytes() == b"PK docx"


def test_a_block_that_raises_is_rolled_back(root):
    log = UndoLog(root)
    original = (root / PHOTO).read_bytes()
    new_name = "I-1 思想政治建设/02：签到表.docx"
    with pytest.raises(RuntimeError):
        with log.transaction("lint --fix") as tx:
            tx.rename(DOCX, new_name)
            tx.record_modify(PHOTO)
            (root / PHOTO).write_bytes(b"half written")
            tx.record_rename("I-1 思想政治建设/03.docx", "I-1 思想政治建设/04.docx")  # not done
            raise RuntimeError("disk full")
    assert (root / PHOTO).read_bytes() == original
    assert (root / DOCX).exists() and not (root / new_name).exists()
    assert [t.status for t in log.history()] == ["rolled_back"]
    with pytest.raises(UsageError):
        log.undo_last()


def test_empty_transactions_leave_no_trace(root):
    with UndoLog(root).transaction("lint --fix"):
        pass
    assert UndoLog(root).history() == []


@pytest.mark.parametrize("path", ["../outside.jpg", "/etc/passwd", ".archive/config.yaml"])
def test_paths_outside_the_root_are_refused(root, path):
    with pytest.raises(UsageError):
        with UndoLog(root).transaction("caption set") as tx:
            tx.record_modify(path)


def test_an_incomplete_transaction_is_recovered_first_and_the_cut_line_ended(root):
    log = UndoLog(root)
    log.dir.mkdir(exist_ok=True)
    log.log_path.write_text(
        json.dumps({"event": "begin", "txid": "t1", "label": "caption set", "time": "x"}) + "\n"
        + '{"event": "op", "txid": "t1", "ind', encoding="utf-8")  # the process died here
    assert [(t.txid, t.status) for t in log.history()] == [("t1", "incomplete")]
    assert log.interrupted().txid == "t1"
    with pytest.raises(UsageError) as info:  # no new change before the old one is undone
        with log.transaction("caption set") as tx:
            tx.record_modify(PHOTO)
    assert "上次操作未完成" in info.value.message and "archive-tool undo" in info.value.hint
    result = log.undo_last()
    assert (result.txid, result.interrupted, result.reverted) == ("t1", True, ())
    assert [(t.txid, t.status) for t in log.history()] == [("t1", "rolled_back")]
    assert log.interrupted() is None
    with pytest.raises(UsageError):
        log.undo_last()


def test_a_modified_file_renamed_away_afterwards_is_said_to_be_gone(root):
    log = UndoLog(root)
    with log.transaction("caption set") as tx:
        tx.record_modify(PHOTO)
        (root / PHOTO).write_bytes(b"captioned")
    moved = root / "I-1 思想政治建设" / "03：学习会.jpg"
    os.rename(root / PHOTO, moved)
    with pytest.raises(FileOperationError) as info:
        log.undo_last()
    assert "不见了" in info.value.message and "又被修改" not in info.value.message
    assert PHOTO in info.value.message and "改回" in info.value.hint
    assert moved.read_bytes() == b"captioned" and log.history()[0].status == "committed"


def test_a_transaction_whose_every_change_was_refused_is_ended(root):
    """A rename refused (the file went away) leaves no change behind and no transaction left
    open: the next change starts, nothing waits for undo."""
    from archive_tool.undo_recorder import RenameRefused

    log = UndoLog(root)
    with log.transaction("lint --fix") as tx:
        with pytest.raises(RenameRefused):
            tx.rename("I-1 思想政治建设/不在了.jpg", "I-1 思想政治建设/05：不在了.jpg")
    assert log.interrupted() is None
    assert [t.status for t in log.history()] == ["rolled_back"]
    with log.transaction("caption set") as tx:
        tx.record_modify(PHOTO)
        (root / PHOTO).write_bytes(b"captioned")
    assert [t.status for t in log.history()] == ["rolled_back", "committed"]
