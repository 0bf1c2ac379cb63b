"""The undo log of commands that change evidence files (``caption set``, ``lint --fix``).

``<root>/.archive/undo.log`` holds JSON lines, appended and never rewritten:

- ``{"event": "begin", "txid", "label", "time"}``
- ``{"event": "op", "txid", "index", "kind": "modify"|"create"|"rename", "path" | "src"+"dst",
  "backup"}`` written after the original bytes are copied to ``<root>/.archive/undo/<txid>/`` and
  before the caller changes the file
- ``{"event": "commit", "txid", "time", "after": {index: sha256}}`` the content each modified or
  created file had when the transaction ended (undo refuses when it has changed since)
- ``{"event": "rollback", "txid"}`` the block raised and its changes were reverted at once
- ``{"event": "undo", "txid", "time"}``

A transaction with a begin but no commit or rollback (the process died) is listed as
``incomplete``; its backups stay in place for a person to look at.

    with UndoLog(root).transaction("caption set") as tx:
        tx.record_modify(path)      # before changing path
        ...change path...
    UndoLog(root).undo_last()
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Iterator

from .errors import FileOperationError, UsageError, os_reason

ARCHIVE_DIR = ".archive"
LOG_NAME = "undo.log"
BACKUP_DIR = "undo"


@dataclass(frozen=True)
class Operation:
    """One recorded change. Paths are posix and relative to the archive root."""

    kind: str  # modify | create | rename
    path: str  # the file (for a rename: the new name)
    src: str | None = None  # a rename's old name
    backup: str | None = None  # the original bytes, relative to the root

    def to_dict(self) -> dict:
        return {"kind": self.kind, "path": self.path, "src": self.src}


@dataclass(frozen=True)
class Transaction:
    """One transaction of the log and its state: committed, undone, rolled_back or incomplete."""

    txid: str
    label: str
    time: str
    status: str
    operations: tuple[Operation, ...]
    after: dict[int, str | None] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"txid": self.txid, "label": self.label, "time": self.time, "status": self.status,
                "operations": [op.to_dict() for op in self.operations]}


@dataclass(frozen=True)
class UndoResult:
    """What ``undo_last`` reverted, in the order it did it."""

    txid: str
    label: str
    time: str
    reverted: tuple[Operation, ...]


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _sha256(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with path.open("rb") as fp:
            for block in iter(lambda: fp.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except FileNotFoundError:
        return None


def _copy_back(backup: Path, target: Path) -> None:
    """Restore ``target`` from ``backup`` atomically: bytes, mode and modification time (the
    backup was taken with them, so a scan sees the file as it was)."""
    tmp = target.with_name(f".~{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        shutil.copy2(backup, tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


class UndoLog:
    """The undo log of the archive at ``root``."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(os.path.abspath(root))
        self.dir = self.root / ARCHIVE_DIR
        self.log_path = self.dir / LOG_NAME

    # ---- paths -----------------------------------------------------------------------------
    def relative(self, path: str | os.PathLike) -> str:
        """``path`` (absolute, or relative to the root) as a posix path relative to the root.

        Refuses paths outside the root and inside ``.archive/``."""
        path = Path(path)
        full = Path(os.path.normpath(path if path.is_absolute() else self.root / path))
        try:
            rel = full.relative_to(self.root)
        except ValueError:
            # the same place spelled through a symbolic link (e.g. /tmp vs /private/tmp)
            try:
                rel = full.parent.resolve().joinpath(full.name).relative_to(self.root.resolve())
            except ValueError:
                raise UsageError(f"路径不在档案目录内：{path}",
                                 f"只能修改档案目录 {self.root} 中的文件。") from None
        if not rel.parts or rel.parts[0] == ARCHIVE_DIR:
            raise UsageError(f"不能记录对该路径的修改：{path}", "只能修改档案中的证明材料文件。")
        return rel.as_posix()

    def absolute(self, rel: str) -> Path:
        return self.root.joinpath(*PurePosixPath(rel).parts)

    # ---- log -------------------------------------------------------------------------------
    def _append(self, record: dict) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as fp:
                fp.write(json.dumps(record, ensure_ascii=False) + "\n")
                fp.flush()
                os.fsync(fp.fileno())
        except OSError as exc:
            raise FileOperationError(f"无法写入撤销日志：{self.log_path}（{os_reason(exc)}）",
                                     "检查 .archive 文件夹是否可写。") from exc

    def _records(self) -> list[dict]:
        try:
            text = self.log_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise FileOperationError(f"无法读取撤销日志：{self.log_path}（{os_reason(exc)}）",
                                     "检查 .archive 文件夹的权限。") from exc
        records = []
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash
            if isinstance(record, dict) and "txid" in record:
                records.append(record)
        return records

    def history(self) -> list[Transaction]:
        """Every transaction, oldest first."""
        found: dict[str, dict] = {}
        for record in self._records():
            event, txid = record.get("event"), record["txid"]
            if event == "begin":
                found[txid] = {"label": record.get("label", ""), "time": record.get("time", ""),
                               "status": "incomplete", "ops": {}, "after": {}}
                continue
            tx = found.get(txid)
            if tx is None:
                continue
            if event == "op":
                tx["ops"][int(record["index"])] = Operation(
                    record["kind"], record["path"], record.get("src"), record.get("backup"))
            elif event == "commit":
                tx["status"] = "committed"
                tx["after"] = {int(k): v for k, v in record.get("after", {}).items()}
            elif event == "rollback":
                tx["status"] = "rolled_back"
            elif event == "undo":
                tx["status"] = "undone"
        return [Transaction(txid, tx["label"], tx["time"], tx["status"],
                            tuple(tx["ops"][i] for i in sorted(tx["ops"])), tx["after"])
                for txid, tx in found.items()]

    # ---- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self, label: str) -> Iterator["_Recorder"]:
        """Record the changes made inside the block; a block that raises is reverted at once."""
        txid = datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)
        recorder = _Recorder(self, txid, label)
        try:
            yield recorder
        except BaseException as exc:
            if not recorder.operations:
                raise
            try:
                for op in reversed(recorder.operations):
                    self._revert(op, force=True)
            except OSError as failure:
                raise FileOperationError(
                    f"操作失败，且未能完全恢复原文件：{failure}",
                    f"原文件备份在 {self.dir / BACKUP_DIR / txid}，请手工恢复。") from exc
            self._append({"event": "rollback", "txid": txid, "time": _now()})
            raise
        if not recorder.operations:
            return  # nothing changed: nothing to undo
        after = {}
        for i, op in enumerate(recorder.operations):
            if op.kind in ("modify", "create"):
                after[str(i)] = _sha256(self.absolute(recorder.final_path(i)))
        self._append({"event": "commit", "txid": txid, "time": _now(), "after": after})

    def _revert(self, op: Operation, force: bool = False) -> None:
        """Undo one operation. ``force`` (rollback) tolerates a change not yet made."""
        target = self.absolute(op.path)
        if op.kind == "modify":
            if _sha256(target) != _sha256(self.root / op.backup):
                _copy_back(self.root / op.backup, target)
        elif op.kind == "create":
            if target.exists():
                target.unlink()
        elif op.kind == "rename":
            source = self.absolute(op.src)
            if source.exists() or (force and not target.exists()):
                return  # the rename never happened (rollback), or the old name is taken
            source.parent.mkdir(parents=True, exist_ok=True)
            os.rename(target, source)

    def undo_last(self) -> UndoResult:
        """Revert the newest committed, not yet undone transaction, newest change first.

        Refuses (FileOperationError, nothing changed) when a file was changed after the
        transaction, or when a renamed file's old name is taken by another file."""
        candidates = [tx for tx in self.history() if tx.status == "committed"]
        if not candidates:
            raise UsageError("没有可以撤销的操作。",
                             "只有 caption set、lint --fix 等修改文件的命令会记录撤销日志。")
        tx = candidates[-1]
        self._check(tx)
        for op in reversed(tx.operations):
            try:
                self._revert(op)
            except OSError as exc:
                raise FileOperationError(f"撤销时出错：{op.path}（{os_reason(exc)}）",
                                         f"原文件备份在 {self.dir / BACKUP_DIR / tx.txid}。") from exc
        self._append({"event": "undo", "txid": tx.txid, "time": _now()})
        return UndoResult(tx.txid, tx.label, tx.time, tuple(reversed(tx.operations)))

    def _check(self, tx: Transaction) -> None:
        """Refuse before touching anything: walk the operations newest first on a model of the
        disk (which names exist) and compare contents with the commit's hashes."""
        hint = f"如需恢复原文件，备份在 {self.dir / BACKUP_DIR / tx.txid}。"
        for i, op in enumerate(tx.operations):
            if op.kind not in ("modify", "create"):
                continue
            final = _final_path(tx.operations, i)
            now = _sha256(self.absolute(final))
            if now is None and tx.after.get(i) is not None:
                raise FileOperationError(
                    f"文件在「{tx.label}」之后被移走、改名或删除（不见了），不能撤销：{final}",
                    f"先把它放回原处、改回这个名字，再运行 archive-tool undo。{hint}")
            if now != tx.after.get(i):
                raise FileOperationError(f"文件在「{tx.label}」之后又被修改过，不能撤销：{final}",
                                         hint)
            if op.kind == "modify" and not (self.root / op.backup).is_file():
                raise FileOperationError(f"撤销所需的备份不见了：{op.backup}", hint)
        exists: dict[str, bool] = {}

        def present(rel: str) -> bool:
            if rel not in exists:
                exists[rel] = self.absolute(rel).exists()
            return exists[rel]

        for op in reversed(tx.operations):
            if op.kind == "rename":
                if not present(op.path):
                    raise FileOperationError(f"改名后的文件不见了，不能撤销：{op.path}", hint)
                if present(op.src):
                    raise FileOperationError(
                        f"原文件名已被另一个文件占用，不能改回：{op.src}",
                        f"先把「{op.src}」移走或改名，再运行 archive-tool undo。")
                exists[op.path], exists[op.src] = False, True
            elif op.kind == "create":
                exists[op.path] = False


def _final_path(operations: tuple[Operation, ...] | list[Operation], index: int) -> str:
    """Where the file of operation ``index`` is after the later renames of the transaction."""
    path = operations[index].path
    for op in operations[index + 1:]:
        if op.kind == "rename" and op.src == path:
            path = op.path
    return path


class _Recorder:
    """The handle of an open transaction."""

    def __init__(self, log: UndoLog, txid: str, label: str):
        self.log = log
        self.txid = txid
        self.label = label
        self.operations: list[Operation] = []

    def final_path(self, index: int) -> str:
        return _final_path(self.operations, index)

    def _record(self, op: Operation) -> None:
        if not self.operations:  # the log shows only transactions that changed something
            self.log._append({"event": "begin", "txid": self.txid, "label": self.label,
                              "time": _now()})
        record = {"event": "op", "txid": self.txid, "index": len(self.operations), **op.to_dict(),
                  "backup": op.backup}
        self.log._append(record)
        self.operations.append(op)

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
        backup_dir = self.log.dir / BACKUP_DIR / self.txid
        backup = backup_dir / f"{len(self.operations):03d}-{source.name}"
        try:
            backup_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, backup)
        except OSError as exc:
            raise FileOperationError(f"无法备份原文件：{rel}（{os_reason(exc)}）",
                                     "检查 .archive 文件夹是否可写、磁盘空间是否足够。") from exc
        self._record(Operation("modify", rel, backup=backup.relative_to(self.log.root).as_posix()))

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
        """Record and do a rename; never overwrites an existing ``dst``."""
        src_rel, dst_rel = self.log.relative(src), self.log.relative(dst)
        target = self.log.absolute(dst_rel)
        if target.exists():
            raise FileOperationError(f"目标文件已存在，未改名：{dst_rel}", "先处理同名文件再重试。")
        self.record_rename(src_rel, dst_rel)
        try:
            os.rename(self.log.absolute(src_rel), target)
        except OSError as exc:
            raise FileOperationError(f"无法改名：{src_rel}（{os_reason(exc)}）",
                                     "检查文件是否被其他程序占用。") from exc
