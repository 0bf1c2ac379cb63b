"""Tree -> folder plan (pure) -> apply. Idempotent and rename-safe.

Every indicator gets a folder ``<id> <name>``, nested by level (the names and their path
budgets: :mod:`archive_tool.layout`). The id before the first space binds a folder to its
indicator, so when the tree renames or moves an indicator, its folder is renamed or moved with
every file in it. Folders of indicators that left the tree are kept and reported, never deleted;
nothing here ever deletes or overwrites anything. The folders are those the one walk finds
(:func:`archive_tool.layout.folder_counts`): a folder holding an archive of its own is never
walked, so never adopted.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Union

import indicator_tree as it
from indicator_tree import Tree

from .config import (PREV_TREE_FILE, TREE_FILE, ArchiveConfig, config_path, load_config,
                     load_settings, write_config)
from .errors import FileOperationError, UsageError, os_reason
from .layout import ARCHIVE_DIR, folder_counts, folder_id, is_ignored_path, target_paths

#: a folder id that looks like an indicator's (I-1, II-3, A1) though no tree names it
_ID_LIKE = re.compile(r"^(?=.*[A-Za-z])(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9._-]*$")


# ---- the plan -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Mkdir:
    path: str
    indicator: str


@dataclass(frozen=True)
class Move:
    src: str
    dst: str
    indicator: str

    @property
    def is_rename(self) -> bool:
        return self.src.rpartition("/")[0] == self.dst.rpartition("/")[0]


@dataclass(frozen=True)
class Orphan:  # the folder of an indicator no longer in the tree: kept and reported
    path: str
    file_count: int


@dataclass(frozen=True)
class Conflict:  # a second folder of an indicator whose folder is ``dst``: left untouched
    path: str
    dst: str
    indicator: str


Action = Union[Mkdir, Move, Orphan, Conflict]


def _describe(action: Action) -> str:
    if isinstance(action, Mkdir):
        return f"新建 {action.path}"
    if isinstance(action, Move):
        return f"{'改名' if action.is_rename else '移动'} {action.src}  ->  {action.dst}"
    if isinstance(action, Orphan):
        inside = f"内有 {action.file_count} 个文件" if action.file_count else "空文件夹"
        return f"保留（指标已删除，{inside}）{action.path}"
    return (f"未动（与 {action.dst} 同属指标 {action.indicator}，"
            f"请手工合并后删除）{action.path}")


def _as_dict(action: Action) -> dict:
    kind = {Mkdir: "mkdir", Move: "move", Orphan: "orphan", Conflict: "conflict"}[type(action)]
    return {"action": kind, **action.__dict__}


@dataclass(frozen=True)
class Plan:
    """What init would do: changes (Mkdir, Move) in order, then what it only reports."""

    root: Path
    actions: tuple[Action, ...] = ()

    @property
    def changes(self) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if isinstance(a, (Mkdir, Move)))

    def of(self, kind: type) -> list:
        return [a for a in self.actions if isinstance(a, kind)]

    def counts(self) -> dict[str, int]:
        """How many actions of each kind: mkdir, move, orphan, conflict."""
        return {name: len(self.of(kind)) for name, kind in (
            ("mkdir", Mkdir), ("move", Move), ("orphan", Orphan), ("conflict", Conflict))}

    def describe(self) -> list[str]:
        """One Chinese line per action."""
        return [_describe(a) for a in self.actions]

    def to_dict(self) -> dict:
        return {"root": str(self.root), "actions": [_as_dict(a) for a in self.actions]}


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


class _Planner:
    """The folders of one plan: which sit where indicator folders sit, where each is once the
    moves planned so far are done."""

    def __init__(self, tree: Tree, existing: Mapping[str, int], previous: Tree | None):
        self.tree, self.previous = tree, previous
        self.targets = target_paths(tree)
        self.folders = {p: n for p, n in existing.items() if p and not is_ignored_path(p)}
        self.known = {i.id for i in tree.walk()} | (
            {i.id for i in previous.walk()} if previous else set())
        self.moves: list[tuple[str, str]] = []
        self.bound: set[str] = set()

    def placed(self, path: str) -> bool:
        """True when every folder above ``path`` is an indicator's (of either tree)."""
        while path:
            path = _parent(path)
            if path and folder_id(path.rpartition("/")[2]) not in self.known:
                return False
        return True

    def now(self, path: str) -> str:
        for src, dst in self.moves:
            if _under(path, src):
                path = dst + path[len(src):]
        return path

    def bind(self) -> tuple[list[Action], list[Action]]:
        """Indicators, parents first, bound to their folders: the changes, then the conflicts."""
        by_id: dict[str, list[str]] = {}
        for path in self.folders:
            if self.placed(path):
                by_id.setdefault(folder_id(path.rpartition("/")[2]) or "", []).append(path)
        changes: list[Action] = []
        conflicts: list[Action] = []
        for ind in self.tree.walk():
            target = self.targets[ind.id]
            found = sorted(by_id.get(ind.id, []), key=lambda p: (
                self.now(p) != target, _parent(self.now(p)) != _parent(target), p))
            self.bound.update(found)
            if not found:
                changes.append(Mkdir(target, ind.id))
                continue
            chosen, *others = found
            if self.now(chosen) != target:
                changes.append(Move(self.now(chosen), target, ind.id))
                self.moves.append((self.now(chosen), target))
            conflicts.extend(Conflict(self.now(p), target, ind.id) for p in others)
        return changes, conflicts

    def orphans(self) -> list[Action]:
        """Folders of indicators gone, or id-like folders where indicator folders sit."""
        homes = {""} | {self.targets[i.id] for i in self.tree.walk() if not i.is_leaf}
        gone = {i.id for i in self.previous.walk()} if self.previous is not None else set()
        current = {self.now(p): n for p, n in self.folders.items()}
        orphans: list[Action] = []
        for path, orig in sorted((self.now(p), p) for p in self.folders):
            fid = folder_id(path.rpartition("/")[2])
            if (orig in self.bound or not fid or self.tree.get(fid) is not None
                    or not self.placed(orig) or any(_under(path, o.path) for o in orphans)):
                continue
            if fid in gone or (_ID_LIKE.match(fid) and _parent(path) in homes):
                count = sum(n for p, n in current.items() if _under(p, path))
                orphans.append(Orphan(path, count))
        return orphans


def plan(root: str | Path, tree: Tree, existing: Mapping[str, int],
         previous: Tree | None = None) -> Plan:
    """The actions that bring the folders ``existing`` (:func:`archive_tool.layout.folder_counts`)
    in line with ``tree``.

    Pure: reads nothing from disk. Indicators are handled parents first, so a folder is moved
    only into a parent that is already in its final place. Only folders that sit where indicator
    folders sit are bound to indicators: at the root, or in a folder that is itself such an
    indicator folder (of this tree or the ``previous`` one). A folder ``I-1 …`` inside a staff
    folder or an old copy (``2017年旧档案/I-1 …``) is never pulled out of it. A folder no
    indicator claims is an orphan when its id was in the ``previous`` tree, or when it looks like
    an indicator id and sits where indicator folders sit (the root or a non-leaf indicator's
    folder); folders inside leaf folders are the staff's own and are left alone.
    """
    planner = _Planner(tree, existing, previous)
    changes, conflicts = planner.bind()
    return Plan(Path(root), tuple(changes + conflicts + planner.orphans()))


# ---- applying -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ApplyResult:
    created: int = 0
    moved: int = 0
    kept: int = 0
    conflicts: int = 0


def apply(plan: Plan) -> ApplyResult:
    """Carry out the plan's changes with os.makedirs and os.rename only; never deletes."""
    created = moved = 0
    hint = ("检查文件夹是否被其他程序占用（资源管理器、WPS 中打开的文件）或无写权限，"
            "处理后重新运行 archive-tool init：已完成的步骤不会重复。")
    for action in plan.changes:
        if isinstance(action, Mkdir):
            path = plan.root / action.path
            try:
                os.makedirs(path, exist_ok=True)
            except OSError as exc:
                raise FileOperationError(f"无法新建文件夹 {path}：{os_reason(exc)}"
                                         f"（已完成 {created + moved} 步）", hint) from None
            created += 1
            continue
        src, dst = plan.root / action.src, plan.root / action.dst
        try:
            if os.path.lexists(dst) and not os.path.samefile(src, dst):
                raise FileOperationError(
                    f"无法把 {src} 改名为 {dst}：目标已存在（已完成 {created + moved} 步）",
                    "目标文件夹是刚出现的或只是大小写不同；手工合并两个文件夹后重新运行。")
            os.makedirs(dst.parent, exist_ok=True)
            os.rename(src, dst)
        except OSError as exc:
            raise FileOperationError(f"无法把 {src} 改名为 {dst}：{os_reason(exc)}"
                                     f"（已完成 {created + moved} 步）", hint) from None
        moved += 1
    return ApplyResult(created=created, moved=moved, kept=len(plan.of(Orphan)),
                       conflicts=len(plan.of(Conflict)))


# ---- init ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class InitResult:
    root: Path
    tree: Tree
    plan: Plan
    dry_run: bool = False
    #: True when this run creates the archive (config.yaml and the tree copy)
    created: bool = False
    #: True when the tree copy is replaced (the old one kept as tree.prev.yaml)
    tree_replaced: bool = False
    config_changed: bool = False
    applied: ApplyResult | None = None
    config: ArchiveConfig | None = field(default=None, compare=False)


def _enclosing_archive(root: Path) -> Path | None:
    for parent in root.parents:
        if config_path(parent).is_file():
            return parent
    return None


def _tree_source(tree_ref: str | Path) -> tuple[Tree, str]:
    tree = it.resolve_tree(tree_ref)
    if Path(tree_ref).is_file():
        return tree, Path(tree_ref).read_text(encoding="utf-8")
    return tree, it.shipped_text(str(tree_ref))


def _old_tree(text: str | None, name: str) -> Tree | None:
    if text is None:
        return None
    try:
        return it.load_tree_text(text, name)
    except it.TreeError:
        return None


def _new_root(root: str | Path) -> Path:
    """``root`` as an absolute path, or UsageError: empty, inside another archive, a file."""
    if not str(root).strip():
        raise UsageError("没有给出档案文件夹（路径为空）",
                         hint="写明文件夹路径，如 archive-tool init 档案 --tree linyi-2018；"
                              "当前文件夹写作 .")
    root = Path(os.path.abspath(root))
    outer = _enclosing_archive(root)
    if outer is not None:
        raise UsageError(f"{root} 位于已有档案 {outer} 之内，不能再建档案",
                         hint=f"对 {outer} 运行 archive-tool init，或换一个不在档案内的文件夹。")
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} 是一个文件，不是文件夹", hint="换一个文件夹路径。")
    return root


@dataclass
class _Trees:
    """The tree to apply and its text, the tree the folders were made for, the copy replaced."""

    tree: Tree
    text: str
    previous: Tree | None
    old_text: str | None
    replaced: bool


def _trees(root: Path, settings, tree_ref: str | Path | None, force_tree: bool) -> _Trees:
    archive = root / ARCHIVE_DIR
    if settings is None and tree_ref is None:
        raise UsageError(f"{root} 还不是档案，需要指定指标体系",
                         hint="加 --tree 内置编号（见 archive-tool tree list）或 YAML 文件路径。")
    old_text = previous = None
    if settings is not None:
        if tree_ref is None or not force_tree:
            previous = load_config(root).tree  # a broken copy raises its TreeError here
        old_file = archive / settings.tree_file
        old_text = old_file.read_text("utf-8", "replace") if old_file.is_file() else None
        previous = previous or _old_tree(old_text, str(old_file))
    tree, text = (previous, old_text) if tree_ref is None else _tree_source(tree_ref)
    if previous is not None and previous.id != tree.id and not force_tree:
        raise UsageError(
            f"档案 {root} 使用的指标体系是 {previous.id}，这次指定的是 {tree.id}",
            hint="同一档案应沿用同一指标体系；确需更换时加 --force-tree（原副本保存为 "
                 f"{ARCHIVE_DIR}/{PREV_TREE_FILE}，已有文件夹按编号保留）。")
    replaced = settings is not None and text != old_text
    if not replaced:
        prev_file = archive / PREV_TREE_FILE
        previous = _old_tree(prev_file.read_text("utf-8", "replace"), PREV_TREE_FILE) \
            if prev_file.is_file() else None
    return _Trees(tree, text, previous, old_text, replaced)


def init_archive(root: str | Path, tree_ref: str | Path | None, unit: str | None = None,
                 dry_run: bool = False, force_tree: bool = False) -> InitResult:
    """Create the archive at ``root`` or bring it up to date with a (changed) tree.

    ``tree_ref`` is a shipped tree id or a tree file; None on a later run re-applies the
    archive's own tree copy (after it was edited by hand). A tree with another id than the
    archive's is refused unless ``force_tree``. Nothing is written when ``dry_run``.
    """
    root = _new_root(root)
    settings = load_settings(root) if config_path(root).is_file() else None
    trees = _trees(root, settings, tree_ref, force_tree)
    tree, replaced = trees.tree, trees.replaced
    new_unit = unit.strip() if unit is not None else (settings.unit if settings else "")
    if any(unicodedata.category(ch).startswith("C") for ch in new_unit):
        raise UsageError(f"单位名称含有换行或控制字符：{new_unit!r}",
                         hint='单位名称写成一行，如 --unit "临沂市环境保护局"。')
    config_changed = settings is None or new_unit != settings.unit
    existing, nested = folder_counts(root)
    if nested and settings is None:
        raise UsageError(f"{root} 之内已有档案：{'、'.join(sorted(nested)[:3])}",
                         hint="每个档案单独建立：对其中的档案运行 archive-tool init，或换一个"
                              "不包含其他档案的空文件夹。")
    result = plan(root, tree, existing, trees.previous)
    if dry_run:
        return InitResult(root, tree, result, dry_run=True, created=settings is None,
                          tree_replaced=replaced, config_changed=config_changed)
    if config_changed or replaced:
        if settings is None:
            write_config(root, trees.text, TREE_FILE, new_unit)
        else:
            write_config(root, trees.text, settings.tree_file, new_unit, settings.organizers,
                         (settings.window_start, settings.window_end),
                         previous_text=trees.old_text if replaced else None,
                         timezone=settings.timezone, inspection=settings.inspection)
    applied = apply(result)
    return InitResult(root, tree, result, created=settings is None, tree_replaced=replaced,
                      config_changed=config_changed, applied=applied, config=load_config(root))

