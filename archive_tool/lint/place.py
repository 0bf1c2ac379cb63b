"""PLACE_OUTSIDE, PLACE_UNKNOWN_DIR: files and folders where the tree has no place for them.

An unknown folder is one whose name binds to no indicator, or an indicator's folder that is not
inside its parent indicator's folder (``II-8 …/II-8 …``). A suggested indicator is always one
that belongs where the folder is (a child of the indicator around it), never one of its own
ancestors: renaming a subfolder of II-8 to "II-8 …" would nest II-8 in itself."""
from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from typing import Iterable

from ..evidence import Finding
from .context import ERROR, LintContext, rule


def _leaf_hint(ctx: LintContext, indicator_id: str | None) -> str:
    """Where the file may go: leaves below ``indicator_id`` that ask for evidence (a 部门评价
    leaf with ``rules: []`` would not count it either)."""
    below = ctx.tree.leaves() if indicator_id is None else \
        [ind for ind in ctx.tree.get(indicator_id).walk() if ind.is_leaf]
    leaves = [ind for ind in below if any(True for _ in ind.rules())][:3]
    names = "、".join(f"「{ind.id} {ind.name}」" for ind in leaves)
    return f"移到对应的末级指标文件夹，如 {names}" if names else "移到对应的末级指标文件夹"


@rule("PLACE_OUTSIDE", ERROR, "文件不在末级指标文件夹内")
def place_outside(ctx: LintContext) -> Iterable[Finding]:
    # a file inside an unknown folder is covered by that folder's PLACE_UNKNOWN_DIR finding
    for ev in ctx.result.evidence:
        if ev.in_leaf or ev.unknown_dirs:
            continue
        where = f"上级指标「{ev.indicator_id}」的文件夹" if ev.indicator_id else "档案根目录"
        yield ctx.finding("PLACE_OUTSIDE", ev.path, f"文件放在{where}中，不在末级指标文件夹内",
                          _leaf_hint(ctx, ev.indicator_id))


def _closest_indicator(folder_name: str, choices) -> str | None:
    """The ``id name`` among ``choices`` (indicators) closest to a folder's name, or None."""
    choices = {f"{ind.id} {ind.name}": ind for ind in choices}
    name = unicodedata.normalize("NFKC", folder_name)
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.3)
    if not match:
        by_name = {ind.name: key for key, ind in choices.items()}
        hit = difflib.get_close_matches(name.split(" ", 1)[-1], list(by_name), n=1, cutoff=0.3)
        match = [by_name[hit[0]]] if hit else []
    return match[0] if match else None


def _parent(path: str) -> str:
    return path.rpartition("/")[0]


def _proper_folder(ctx: LintContext, indicator_id: str) -> str:
    """The folder of an indicator where the tree puts it: as found in the scan, else as the tree
    names it (``I-2 道德建设/II-8 开展学雷锋志愿服务活动``)."""
    for folder in ctx.result.folders:
        if folder.indicator_id == indicator_id and not ctx.binder.bind(folder.path)[2]:
            return folder.path
    return "/".join(f"{ind.id} {ind.name}" for ind in ctx.tree.path(indicator_id))


def _label(ctx: LintContext, indicator_id: str | None) -> str:
    if indicator_id is None:
        return "档案根目录"
    ind = ctx.tree.get(indicator_id)
    return f"「{ind.id} {ind.name}」"


def _unknown_fix(ctx: LintContext, path: str) -> str:
    """What to do with a folder whose name binds to no indicator, where it is."""
    name = path.rsplit("/", 1)[-1]
    home = ctx.binder.bind(_parent(path))[0]
    home_ind = ctx.tree.get(home) if home else None
    if home_ind is not None and home_ind.is_leaf:
        year = ctx.result.config.window_start.year
        return (f"一次活动的材料可放在以活动日期开头的子文件夹中，如「{year}-03-05 {name}」；"
                f"否则把其中的文件移到上一级指标文件夹{_label(ctx, home)}中，再删除这个文件夹")
    # only an indicator that belongs right here: never the folder's own ancestors
    choices = home_ind.children if home_ind is not None else ctx.tree.indicators
    closest = _closest_indicator(name, choices)
    if closest is None:
        ancestors = {home, *ctx.tree.ancestors(home)} if home else set()
        elsewhere = _closest_indicator(name, [ind for ind in ctx.tree.walk()
                                              if ind.id not in ancestors])
        if elsewhere is not None:
            return (f"把其中的文件移到「{_proper_folder(ctx, elsewhere.split(' ', 1)[0])}」，"
                    "再删除这个文件夹（或移到其他对应的指标文件夹）")
        return "把文件夹改名为「指标编号 指标名称」，或把其中的文件移到对应指标文件夹"
    target = closest.split(" ", 1)[0]
    sibling = next((f.path for f in ctx.result.folders if _parent(f.path) == _parent(path)
                    and f.indicator_id == target), None)
    if sibling is not None:
        return (f"把其中的文件移到旁边的「{sibling.rsplit('/', 1)[-1]}」文件夹，"
                "再删除这个文件夹")
    return f"改名为「{closest}」（文件夹名以指标编号开头），或把其中的文件移到对应指标文件夹"


def _misplaced(ctx: LintContext, path: str, count: int) -> tuple[str, str]:
    """(message, fix) for an indicator's folder outside its parent indicator's folder."""
    name = path.rsplit("/", 1)[-1]
    ind = ctx.binder.indicator_of(path)
    parents = ctx.tree.ancestors(ind.id)
    parent = parents[-1] if parents else None
    message = (f"文件夹「{name}」是指标 {ind.id} 的文件夹，应放在{_label(ctx, parent)}"
               f"{'下' if parent is None else '的文件夹中'}，不应在这里（内有 {count} 个文件）")
    proper = _proper_folder(ctx, ind.id)
    if any(f.path == proper for f in ctx.result.folders):
        return message, f"把其中的文件移到「{proper}」，再删除这个文件夹"
    if parent is None:
        return message, "把这个文件夹移到档案根目录下"
    return message, f"把这个文件夹移到「{_proper_folder(ctx, parent)}」中"


def _ancestors(path: str) -> list[str]:
    """The folders above ``path``: ``a/b/c`` -> ``a``, ``a/b``."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _files_below(ctx: LintContext) -> Counter:
    """Folder -> the files in it or below it, for every folder holding files."""
    below: Counter = Counter()
    for folder, count in Counter(ev.folder for ev in ctx.result.evidence).items():
        if folder:
            for above in _ancestors(folder) + [folder]:
                below[above] += count
    return below


@rule("PLACE_UNKNOWN_DIR", ERROR, "文件夹不对应任何指标")
def place_unknown_dir(ctx: LintContext) -> Iterable[Finding]:
    unknown = [f for f in ctx.result.folders if not ctx.binder.activity(f.path)
               and (f.indicator_id is None or ctx.binder.misplaced(f.path))]
    reported: set[str] = set()
    below = _files_below(ctx) if unknown else Counter()
    for folder in unknown:
        if any(above in reported for above in _ancestors(folder.path)):
            continue
        reported.add(folder.path)
        name = folder.path.rsplit("/", 1)[-1]
        count = below[folder.path]
        if folder.indicator_id is None:
            message = f"文件夹「{name}」不对应指标体系中的任何指标（内有 {count} 个文件）"
            fix = _unknown_fix(ctx, folder.path)
        else:
            message, fix = _misplaced(ctx, folder.path, count)
        yield ctx.finding("PLACE_UNKNOWN_DIR", folder.path, message, fix)
