"""``lint --fix``: plan the safe renames from findings, apply them with an undo log."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import FileOperationError
from .evidence import Finding
from .undo import UndoLog


@dataclass(frozen=True)
class Rename:
    src: str
    dst: str
    rule: str


def plan_renames(root: Path, findings: list[Finding]) -> list[Rename]:
    """One rename per file that has a fixable finding; never onto an existing or planned name."""
    planned: list[Rename] = []
    targets: set[str] = set()
    chosen: dict[str, Finding] = {}
    for f in findings:
        if not f.rename_to:
            continue
        # a duplicate number's fix is already canonical and also cures the other name problems
        if f.path not in chosen or f.rule == "NAME_SEQ_DUP":
            chosen[f.path] = f
    for f in chosen.values():
        folder = f.path.rsplit("/", 1)[0] if "/" in f.path else ""
        dst = f"{folder}/{f.rename_to}" if folder else f.rename_to
        if dst == f.path or dst in targets or (root / dst).exists():
            continue
        planned.append(Rename(f.path, dst, f.rule))
        targets.add(dst)
    return planned


def apply_renames(root: Path, renames: list[Rename]) -> int:
    """Rename inside one undo transaction; returns how many were done."""
    with UndoLog(root).transaction("lint --fix") as tx:
        for item in renames:
            src, dst = root / item.src, root / item.dst
            if dst.exists():
                raise FileOperationError(f"目标文件已存在：{item.dst}",
                                         hint="重新运行 archive-tool lint 查看最新情况。")
            tx.record_rename(item.src, item.dst)
            try:
                os.rename(src, dst)
            except OSError as exc:
                raise FileOperationError(f"无法改名 {item.src}：{exc}",
                                         hint="检查文件是否被其他程序打开。") from None
    return len(renames)
