"""PLACE_OUTSIDE, PLACE_UNKNOWN_DIR: files and folders where the tree has no place for them."""
from __future__ import annotations

import difflib
import unicodedata
from typing import Iterable

from ..evidence import Finding
from .context import ERROR, LintContext, rule

def _leaf_hint(ctx: LintContext, indicator_id: str | None) -> str:
    if indicator_id is None:
        leaves = [ind for ind in ctx.tree.leaves()][:3]
    else:
        leaves = [ind for ind in ctx.tree.get(indicator_id).walk() if ind.is_leaf][:3]
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


def _closest_indicator(ctx: LintContext, folder_name: str) -> str | None:
    choices = {f"{ind.id} {ind.name}": ind for ind in ctx.tree.walk()}
    name = unicodedata.normalize("NFKC", folder_name)
    match = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.3)
    if not match:
        by_name = {ind.name: key for key, ind in choices.items()}
        hit = difflib.get_close_matches(name.split(" ", 1)[-1], list(by_name), n=1, cutoff=0.3)
        match = [by_name[hit[0]]] if hit else []
    return match[0] if match else None


@rule("PLACE_UNKNOWN_DIR", ERROR, "文件夹不对应任何指标")
def place_unknown_dir(ctx: LintContext) -> Iterable[Finding]:
    unknown = [f for f in ctx.result.folders if f.indicator_id is None]
    reported: list[str] = []
    for folder in unknown:
        if any(folder.path.startswith(p + "/") for p in reported):
            continue
        reported.append(folder.path)
        name = folder.path.rsplit("/", 1)[-1]
        closest = _closest_indicator(ctx, name)
        fix = (f"改名为「{closest}」（文件夹名以指标编号开头），或把其中的文件移到对应指标文件夹"
               if closest else "把文件夹改名为「指标编号 指标名称」，或把其中的文件移到对应指标文件夹")
        count = sum(1 for ev in ctx.result.evidence
                    if ev.path.startswith(folder.path + "/"))
        yield ctx.finding("PLACE_UNKNOWN_DIR", folder.path,
                          f"文件夹「{name}」不对应指标体系中的任何指标（内有 {count} 个文件）", fix)
