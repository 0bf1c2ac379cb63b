"""The handle of an open undo transaction: records each change before it is made."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Protocol

from .errors import FileOperationError, UsageError, os_reason
from .undo_model import BACKUP_DIR, Operation, final_path, now


class _Log(Protocol):
    """What a transaction needs of its :class:`archive_tool.undo.UndoLog`."""

    dir: Path
    root: Path

    def relative(self, path: str | os.PathLike) -> str: ...

    def absolute(self, rel: str) -> Path: ...

    def _append(self, record: dict) -> None: ...


class RenameRefused(FileOperationError):
    """The file system refused one rename (the name is too long for it, has a character it does
    not take, the file went away); nothing was changed for that file. ``errno`` says which."""

    def __init__(self, message: str, hint: str, errno: int | None):
        super().__init__(message, hint)
        self.errno = errno


class Recorder:
    """The handle of an open transaction."""

    def __init__(self, log: _Log, txid: str, label: str):
        self.log = log
        self.txid = txid
        self.label = label
        self.operations: list[Operation] = []
        #: the log's index of each operation (an operation refused is dropped from the list)
        self.indices: list[int] = []
        self._next = 0

    @property
    def begun(self) -> bool:
        """True once the transaction is in the log (a change was recorded, even one refused
        and dropped since)."""
        return self._next > 0

    def final_path(self, index: int) -> str:
        return final_path(self.operations, index)

    def _record(self, op: Operation) -> int:
        if not self._next:  # the log shows only transactions that changed something
            self.log._append({"event": "begin", "txid": self.txid, "label": self.label,
                              "time": now()})
        index, self._next = self._next, self._next + 1
        record = {"event": "op", "txid": self.txid, "index": index, **op.to_dict(),
                  "backup": op.backup}
        self.log._append(record)
        self.operations.append(op)
        self.indices.append(index)
        return index

    def _backup(self, rel: str, source: Path) -> str:
        """Copy ``source`` into the transaction's backup folder, synced to the disk."""
        backup_dir = self.log.dir / BACKUP_DIR / self.txid
        backup = backup_dir / f"{self._next:03d}-{source.name}"
        try:
            backup_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, backup)
            with open(backup, "rb") as fp:
                os.fsync(fp.fileno())
        except OSError as exc:
            raise FileOperationError(f"无法备份原文件：{rel}（{os_reason(exc)}）",
                                     "检查 .archive 文件夹是否可写、磁盘空间是否足够。") from exc
        return backup.relative_to(self.log.root).as_posix()

    def record_modify(self, path: str | os.PathLike) -> None:
        """Call before changing ``path``: its bytes are copied to the backup folder first. A path
        that does not exist yet is recorded as created (undo deletes it)."""
        rel = self.log.relative(path)
        source = self.log.absolute(rel)
        if any(op.kind in ("modify", "create") and op.path == rel for op in self.operations):
            return  # the first backup of a file in a transaction is its original
        if not source.exists():
            self._record(Operation("create", rel))
            return
        self._record(Operation("modify", rel, backup=self._backup(rel, source)))

    def record_written(self, path: str | os.PathLike, digest: str) -> None:
        """Call when the new content of ``path`` (recorded by :meth:`record_modify`) is on the
        disk under its temporary name, right before it is renamed into place: an interrupted
        transaction then knows the file holds its own write (``on_ready`` of
        :func:`archive_tool.atomic.write_atomic`)."""
        rel = self.log.relative(path)
        for op, index in zip(reversed(self.operations), reversed(self.indices)):
            if op.kind in ("modify", "create") and op.path == rel:
                self.log._append({"event": "wrote", "txid": self.txid, "index": index,
                                  "sha256": digest})
                return

    def record_create(self, path: str | os.PathLike) -> None:
        """Call before creating ``path`` (undo deletes it)."""
        rel = self.log.relative(path)
        if self.log.absolute(rel).exists():
            raise UsageError(f"文件已存在：{rel}", "修改已有文件请用 record_modify。")
        self._record(Operation("create", rel))

    def record_rename(self, src: str | os.PathLike, dst: str | os.PathLike) -> None:
        """Call before renaming ``src`` to ``dst`` (undo renames it back)."""
        self._record(Operation("rename", self.log.relative(dst), src=self.log.relative(src)))

    def rename(self, src: str | os.PathLike, dst: str | os.PathLike) -> None:
        """Record and do a rename; never overwrites an existing ``dst``. When the file system
        refuses it, the operation is marked as not done and :class:`RenameRefused` raised."""
        src_rel, dst_rel = self.log.relative(src), self.log.relative(dst)
        target = self.log.absolute(dst_rel)
        if os.path.lexists(target):  # (False for a name the system refuses: os.rename says so)
            raise FileOperationError(f"目标文件已存在，未改名：{dst_rel}", "先处理同名文件再重试。")
        self.record_rename(src_rel, dst_rel)
        try:
            os.rename(self.log.absolute(src_rel), target)
        except OSError as exc:
            self.log._append({"event": "skip", "txid": self.txid, "index": self.indices.pop()})
            self.operations.pop()
            raise RenameRefused(f"无法改名：{src_rel}（{os_reason(exc)}）",
                                "检查文件是否被其他程序占用。", exc.errno) from exc
