"""The undo log of commands that change evidence files (``caption set``, ``lint --fix``,
``footer fix``, ``new``).

``<root>/.archive/undo.log`` holds JSON lines, appended (each synced to the disk) and never
rewritten:

- ``{"event": "begin", "txid", "label", "time"}``
- ``{"event": "op", "txid", "index", "kind": "modify"|"create"|"rename", "path" | "src"+"dst",
  "backup"}`` written after the original bytes are copied (and synced) to
  ``<root>/.archive/undo/<txid>/`` and before the caller changes the file
- ``{"event": "wrote", "txid", "index", "sha256"}`` the content the new file holds, written
  between syncing it and renaming it into place (:func:`archive_tool.atomic.write_atomic`)
- ``{"event": "skip", "txid", "index"}`` an operation recorded but not done (a rename the file
  system refused: a name too long, a character it does not take)
- ``{"event": "commit", "txid", "time", "after": {index: sha256}}`` the content each modified or
  created file had when the transaction ended (undo refuses when it has changed since)
- ``{"event": "rollback", "txid"}`` the block raised (an error, Ctrl-C, SIGTERM) and its changes
  were reverted at once; or, with ``"recovered": true``, an interrupted transaction reverted by
  ``undo``
- ``{"event": "undo-begin", "txid"}`` and ``{"event": "undo", "txid", "time"}`` around an undo

Every change happens while the process holds the change lock (:mod:`.locking`). A transaction
with a begin but no end, seen while the lock is free, was interrupted (kill -9, a power cut):
it is ``incomplete``, and ``undo`` reverts it before anything else, reverting what is certainly
its own and leaving (and naming) a file changed since. No new change starts while one is
interrupted. An undo interrupted half-way (``undoing``) is finished by the next ``undo``.

    with UndoLog(root).transaction("caption set") as tx:
        tx.record_modify(path)      # before changing path
        ...change path...
    UndoLog(root).undo_last()
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Iterator

from .atomic import copy_atomic
from .errors import FileOperationError, UsageError, os_reason
from .locking import ChangeLock
from .undo_model import (ARCHIVE_DIR, BACKUP_DIR, INTERRUPTED, LOG_NAME, Operation, Transaction,
                         UndoResult, final_path, now, parse_history)
from .undo_plan import DELETE, RENAME_BACK, RESTORE, plan, sha256 as _sha256
from .undo_recorder import Recorder, RenameRefused

__all__ = ["Operation", "RenameRefused", "Transaction", "UNDOABLE", "UndoLog", "UndoResult",
           "final_path"]
#: seconds a change waits for another command that is changing files
LOCK_WAIT = 30.0
#: the commands whose changes are recorded here, as their transactions are labelled (``new``'s
#: label names the kind: ``new report``); ``undo --help`` lists them
UNDOABLE = ("lint --fix", "caption set", "footer fix", "new", "web upload")


def _copy_back(backup: Path, target: Path) -> None:
    """Restore ``target`` from ``backup`` atomically: bytes, mode and modification time (the
    backup was taken with them, so a scan sees the file as it was)."""
    copy_atomic(backup, target)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM while a rollback runs (a second one would cut it short); only
    the main thread can change signal handlers, elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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
            with self.log_path.open("a+b") as fp:
                line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
                end = fp.seek(0, os.SEEK_END)
                if end:
                    fp.seek(end - 1)
                    if fp.read(1) != b"\n":  # a line cut short by a crash: end it first
                        line = b"\n" + line
                fp.write(line)
                fp.flush()
                os.fsync(fp.fileno())
        except OSError as exc:
            raise FileOperationError(f"无法写入撤销日志：{self.log_path}（{os_reason(exc)}）",
                                     "检查 .archive 文件夹是否可写。") from exc

    def _records(self) -> list[dict]:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
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
        return parse_history(self._records())

    def interrupted(self) -> Transaction | None:
        """The newest transaction (or undo) that was interrupted, when no command is changing
        files right now; None otherwise."""
        pending = [tx for tx in self.history() if tx.status in INTERRUPTED]
        if not pending:
            return None
        lock = ChangeLock(self.dir)
        try:
            if not lock.acquire():
                return None  # under way in another process
        except OSError:
            pass  # a read-only .archive: nothing can be running a change in it
        lock.release()
        return pending[-1]

    def describe(self, tx: Transaction) -> str:
        """What an interrupted transaction had done, in words: "「lint --fix」已改名 1001 个文件"."""
        renamed = sum(1 for op in tx.operations if op.kind == "rename"
                      and self.absolute(op.path).exists() and not self.absolute(op.src).exists())
        written = sum(1 for i, op in enumerate(tx.operations)
                      if op.kind != "rename" and i in tx.wrote)
        parts = [f"已改名 {renamed} 个文件"] if renamed else []
        parts += [f"已写入 {written} 个文件"] if written else []
        done = "，".join(parts) or "尚未改动文件"
        if tx.status == "undoing":
            return f"撤销「{tx.label}」（{tx.time}）时中断"
        return f"「{tx.label}」（{tx.time} 开始）中断，{done}"

    def refuse_if_interrupted(self) -> None:
        """UsageError naming an interrupted change (call while holding the change lock)."""
        pending = [tx for tx in self.history() if tx.status in INTERRUPTED]
        if pending:
            raise UsageError(f"上次操作未完成：{self.describe(pending[-1])}",
                             f"先运行 archive-tool undo {self.root} 恢复，再执行新的修改。")

    # ---- transactions ----------------------------------------------------------------------
    @contextmanager
    def _locked(self, wait: float = LOCK_WAIT) -> Iterator[None]:
        lock = ChangeLock(self.dir)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            taken = lock.acquire(wait)
        except OSError as exc:
            raise FileOperationError(f"无法使用档案的修改锁 {lock.path}：{os_reason(exc)}",
                                     "检查 .archive 文件夹是否可写。") from exc
        if not taken:
            raise FileOperationError(
                f"另一个 archive-tool 命令正在修改档案中的文件，等待 {wait:.0f} 秒后仍未结束",
                "等它结束后重试（如 lint --fix、caption set、footer fix、undo）。")
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def transaction(self, label: str) -> Iterator[Recorder]:
        """Record the changes made inside the block, holding the change lock; a block that
        raises (an error, Ctrl-C, SIGTERM turned into an exception) is reverted at once.
        UsageError when an earlier change was interrupted and not yet undone."""
        txid = datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)
        with self._locked():
            self.refuse_if_interrupted()
            recorder = Recorder(self, txid, label)
            try:
                yield recorder
            except BaseException as exc:
                if not recorder.operations:
                    raise
                with _signals_held():
                    self._rollback(recorder, txid, exc)
                raise
            if not recorder.operations:
                if recorder.begun:  # every change was refused: ended, nothing to undo
                    self._append({"event": "rollback", "txid": txid, "time": now()})
                return  # nothing changed: nothing to undo
            after = {}
            for i, op in enumerate(recorder.operations):
                if op.kind in ("modify", "create"):
                    after[str(recorder.indices[i])] = _sha256(
                        self.absolute(recorder.final_path(i)))
            self._append({"event": "commit", "txid": txid, "time": now(), "after": after})

    def _rollback(self, recorder: Recorder, txid: str, exc: BaseException) -> None:
        try:
            for op in reversed(recorder.operations):
                self._revert(op, force=True)
        except OSError as failure:
            raise FileOperationError(
                f"操作失败，且未能完全恢复原文件：{failure}",
                f"运行 archive-tool undo {self.root} 再试；原文件备份在 "
                f"{self.dir / BACKUP_DIR / txid}。") from exc
        self._append({"event": "rollback", "txid": txid, "time": now()})

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
        """Revert the newest interrupted change if there is one, else the newest committed,
        not yet undone transaction, newest change first.

        A committed transaction is refused (FileOperationError, nothing changed) when a file
        was changed after it, or when a renamed file's old name is taken by another file. An
        interrupted one is reverted as far as its changes are certainly its own; the rest is
        left and named (``left``)."""
        with self._locked():
            history = self.history()
            pending = [tx for tx in history if tx.status in INTERRUPTED]
            if pending:
                return self._recover(pending[-1])
            candidates = [tx for tx in history if tx.status == "committed"]
            if not candidates:
                raise UsageError("没有可以撤销的操作。",
                                 "只有 caption set、lint --fix 等修改文件的命令会记录撤销日志。")
            tx = candidates[-1]
            hint = f"如需恢复原文件，备份在 {self.dir / BACKUP_DIR / tx.txid}。"
            steps = plan(tx, self.absolute, self.root, strict=True, backup_hint=hint)
            self._append({"event": "undo-begin", "txid": tx.txid, "time": now()})
            for step in steps:
                try:
                    self._do(step)
                except OSError as exc:
                    raise FileOperationError(
                        f"撤销时出错：{step.op.path}（{os_reason(exc)}）",
                        f"问题解决后再次运行 archive-tool undo 完成撤销；原文件备份在 "
                        f"{self.dir / BACKUP_DIR / tx.txid}。") from exc
            self._append({"event": "undo", "txid": tx.txid, "time": now()})
            return UndoResult(tx.txid, tx.label, tx.time, tuple(s.op for s in steps))

    def _recover(self, tx: Transaction) -> UndoResult:
        """Revert an interrupted transaction (or finish an interrupted undo), tolerantly."""
        hint = f"原文件备份在 {self.dir / BACKUP_DIR / tx.txid}。"
        steps = plan(tx, self.absolute, self.root, strict=False, backup_hint=hint)
        reverted, left = [], [s.problem for s in steps if s.problem]
        for step in steps:
            if step.action is None:
                continue
            try:
                self._do(step)
                reverted.append(step.op)
            except OSError as exc:
                left.append(f"{step.op.path}：{os_reason(exc)}")
        if tx.status == "undoing":
            self._append({"event": "undo", "txid": tx.txid, "time": now()})
        else:
            self._append({"event": "rollback", "txid": tx.txid, "time": now(),
                          "recovered": True, "left": left})
        return UndoResult(tx.txid, tx.label, tx.time, tuple(reverted), True, tuple(left))

    def _do(self, step) -> None:
        op = step.op
        if step.action == RENAME_BACK:
            self.absolute(op.src).parent.mkdir(parents=True, exist_ok=True)
            os.rename(self.absolute(op.path), self.absolute(op.src))
        elif step.action == RESTORE:
            _copy_back(self.root / op.backup, self.absolute(op.path))
        elif step.action == DELETE:
            self.absolute(op.path).unlink(missing_ok=True)
