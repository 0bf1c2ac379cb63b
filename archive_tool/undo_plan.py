"""What undoing one transaction takes, worked out on a model of the disk before anything moves.

The operations are walked newest first, as they will be reverted; a model of which names exist
(and where the content a name will hold after the later reversals is now) lets each step be
checked against the disk as it will be at that moment.

- **strict** (a committed transaction): every rename must still be in place and every file
  written must still hold what the transaction wrote (``after``); the first step that is not
  raises :class:`~archive_tool.errors.FileOperationError` and nothing is touched.
- **tolerant** (a transaction interrupted by a crash, or an undo interrupted half-way): a step
  that never happened, or was already reverted, is skipped; a file that changed since, or
  whose old name is taken now, is left as it is and reported (:attr:`Step.problem`), so
  reverting what is certainly the transaction's own never overwrites anybody's later work.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .errors import FileOperationError

if TYPE_CHECKING:  # pragma: no cover
    from .undo_model import Operation, Transaction

RENAME_BACK, RESTORE, DELETE = "rename_back", "restore", "delete"


@dataclass(frozen=True)
class Step:
    """One reversal: ``action`` (rename_back, restore, delete) on ``op``, or ``problem`` (why
    the operation is left as it is) with ``action`` None."""

    op: "Operation"
    action: str | None
    problem: str = ""


def sha256(path: Path) -> str | None:
    """The SHA-256 of a file, None when it does not exist."""
    try:
        digest = hashlib.sha256()
        with path.open("rb") as fp:
            for block in iter(lambda: fp.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except FileNotFoundError:
        return None


class _Model:
    """Which names exist once the steps planned so far are done, and where the content a name
    will then hold is now."""

    def __init__(self, absolute: Callable[[str], Path]):
        self.absolute = absolute
        self.exists: dict[str, bool] = {}
        self.origin: dict[str, str] = {}

    def present(self, rel: str) -> bool:
        if rel not in self.exists:
            self.exists[rel] = self.absolute(rel).exists()
        return self.exists[rel]

    def current_hash(self, rel: str) -> str | None:
        """The hash of what ``rel`` will hold: the file now at its origin."""
        if not self.present(rel):
            return None
        return sha256(self.absolute(self.origin.get(rel, rel)))

    def move(self, src: str, dst: str) -> None:
        self.exists[src], self.exists[dst] = False, True
        self.origin[dst] = self.origin.pop(src, src)


def plan(tx: "Transaction", absolute: Callable[[str], Path], root: Path, *, strict: bool,
         backup_hint: str) -> list[Step]:
    """The steps that undo ``tx``, newest first (see the module docstring)."""
    model = _Model(absolute)
    expected = {**tx.wrote, **tx.after}
    steps: list[Step] = []
    for index in range(len(tx.operations) - 1, -1, -1):
        op = tx.operations[index]
        if op.kind == "rename":
            steps.append(_rename(op, model, strict, tx.label, backup_hint))
        else:
            steps.append(_content(op, model, expected.get(index), index in expected, root,
                                  strict, tx.label, backup_hint))
    return steps


def _rename(op: "Operation", model: _Model, strict: bool, label: str, hint: str) -> Step:
    done, taken = model.present(op.path), model.present(op.src)
    if done and not taken:
        model.move(op.path, op.src)
        return Step(op, RENAME_BACK)
    if strict:
        if not done:
            raise FileOperationError(f"改名后的文件不见了，不能撤销：{op.path}", hint)
        raise FileOperationError(f"原文件名已被另一个文件占用，不能改回：{op.src}",
                                 f"先把「{op.src}」移走或改名，再运行 archive-tool undo。")
    if taken and not done:
        return Step(op, None)  # never renamed, or already renamed back
    if taken:
        return Step(op, None, f"原文件名「{op.src}」已被另一个文件占用，{op.path} 未改回")
    return Step(op, None, f"改名后的文件不见了：{op.path}")


def _content(op: "Operation", model: _Model, expected: str | None, known: bool, root: Path,
             strict: bool, label: str, hint: str) -> Step:
    """A modified or created file: restore the backup, or delete the file."""
    now = model.current_hash(op.path)
    original = sha256(root / op.backup) if op.kind == "modify" and op.backup else None
    if strict:
        if now is None and expected is not None:
            raise FileOperationError(
                f"文件在「{label}」之后被移走、改名或删除（不见了），不能撤销：{op.path}",
                f"先把它放回原处、改回这个名字，再运行 archive-tool undo。{hint}")
        if now != expected:
            raise FileOperationError(f"文件在「{label}」之后又被修改过，不能撤销：{op.path}", hint)
        if op.kind == "modify" and original is None:
            raise FileOperationError(f"撤销所需的备份不见了：{op.backup}", hint)
    elif op.kind == "modify":
        if now == original:
            return Step(op, None)  # never written, or already restored
        if not known or now != expected:
            why = "不见了" if now is None else "之后又被修改过"
            return Step(op, None, f"{op.path} {why}，未恢复（原文件备份在 {op.backup}）")
        if original is None:
            return Step(op, None, f"撤销所需的备份不见了：{op.backup}")
    else:
        if now is None:
            return Step(op, None)
        if known and now != expected:
            return Step(op, None, f"{op.path} 之后又被修改过，未删除")
    if op.kind == "modify":
        return Step(op, RESTORE if now != original else None)
    model.exists[op.path] = False
    return Step(op, DELETE if now is not None else None)
