"""``lint --fix``: plan the safe renames from findings, apply them with an undo log.

A photo is renamed together with its caption sidecars (``学习会.jpg.txt`` or ``学习会.txt``
follow ``学习会.jpg`` to ``01：学习会.jpg.txt`` / ``01：学习会.txt``), in the same undo
transaction, so the caption is never left behind under the old name.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..captions.sidecars import name_key
from ..errors import FileOperationError, UsageError
from ..evidence import Finding
from ..naming import fits, split_ext
from ..places import inside_archive
from ..undo import RenameRefused, UndoLog

@dataclass(frozen=True)
class Rename:
    src: str
    dst: str
    rule: str
    #: the caption sidecars renamed with it: (old path, new path)
    sidecars: tuple[tuple[str, str], ...] = ()


@dataclass
class Applied:
    """What ``apply_renames`` did: the renames done, and those the file system refused with
    why (a name too long for it, a character it does not take, the file gone meanwhile)."""

    done: list[Rename] = field(default_factory=list)
    refused: list[tuple[Rename, str]] = field(default_factory=list)


def _free(root: Path, rel: str) -> bool:
    """True when ``rel`` can be a new name: the file system takes it and nothing has it."""
    if not fits(_name(rel)):
        return False
    try:
        os.lstat(root / rel)
    except FileNotFoundError:
        return True
    except OSError:
        return False  # a path the system refuses (too long …): not a name to rename to
    return False


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _sidecar_target(image: str, new_image: str, sidecar: str) -> str | None:
    """The new path of ``sidecar`` when ``image`` becomes ``new_image`` (same folder): the part
    of the sidecar's name after the image's name (or stem) is kept as it is, case included.
    Names are compared as the sidecar matcher compares them (NFC, any case); None when the
    sidecar's name starts with neither (the photo is then left alone)."""
    old, new, side = _name(image), _name(new_image), _name(sidecar)
    folder = sidecar[: len(sidecar) - len(side)]
    side_nfc = unicodedata.normalize("NFC", side)
    for before, after in ((old, new), (split_ext(old)[0], split_ext(new)[0])):
        before = unicodedata.normalize("NFC", before)
        if name_key(side_nfc[:len(before)]) == name_key(before):
            return folder + after + side_nfc[len(before):]
    return None


def plan_renames(root: Path, findings: list[Finding],
                 sidecars: Mapping[str, tuple[str, ...]] | None = None) -> list[Rename]:
    """One rename per file that has a fixable finding; never onto an existing or planned name.

    ``sidecars`` (``ScanResult.sidecars``) are renamed with their image; an image whose sidecar
    cannot follow it (the new name is taken, or another image shares the sidecar) is left alone.
    """
    sidecars = sidecars or {}
    owners: dict[str, int] = {}
    for found in sidecars.values():
        for side in found:
            owners[side] = owners.get(side, 0) + 1
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
        if dst == f.path or dst in targets or not _free(root, dst):
            continue
        pairs = tuple((side, _sidecar_target(f.path, dst, side))
                      for side in sidecars.get(f.path, ()))
        if any(new is None or owners.get(side, 0) > 1 or new in targets or not _free(root, new)
               for side, new in pairs):
            continue
        planned.append(Rename(f.path, dst, f.rule, pairs))
        targets.add(dst)
        targets.update(new for _, new in pairs)
    return planned


def apply_renames(root: Path, renames: list[Rename]) -> Applied:
    """Rename inside one undo transaction (sidecars with their image). A file whose rename the
    file system refuses is left as it is and reported (``refused``); the others go on. Refuses
    a rename whose folder lies, through a symbolic link, outside the archive."""
    applied = Applied()
    with UndoLog(root).transaction("lint --fix") as tx:
        for item in renames:
            for number, (src_rel, dst_rel) in enumerate(((item.src, item.dst), *item.sidecars)):
                _check_inside(root, src_rel, dst_rel)
                try:
                    tx.rename(src_rel, dst_rel)
                except RenameRefused as exc:
                    if number:  # a sidecar left behind would lose the photo's caption
                        raise
                    applied.refused.append((item, exc.message))
                    break
            else:
                applied.done.append(item)
    return applied


def _check_inside(root: Path, src_rel: str, dst_rel: str) -> None:
    src, dst = root / src_rel, root / dst_rel
    try:
        inside_archive(root, src.parent)
        inside_archive(root, dst.parent)
    except UsageError:
        raise FileOperationError(
            f"路径经符号链接指向档案之外，未改名：{src_rel}",
            "archive-tool 不跟随符号链接；请直接在档案内的文件夹中改名。") from None
    if src.is_symlink():
        raise FileOperationError(f"{src_rel} 是符号链接，未改名",
                                 "archive-tool 不跟随符号链接；请直接改名原文件。")


def moves(renames: list[Rename]) -> list[tuple[str, str]]:
    """Every (old path, new path) of the renames, sidecars included."""
    return [pair for item in renames for pair in ((item.src, item.dst), *item.sidecars)]
