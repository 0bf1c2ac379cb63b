"""Dump trees to YAML text and files: the other half of :mod:`indicator_tree.yaml_format`.

:func:`dump_tree` writes what :func:`~indicator_tree.yaml_format.load_tree_text` reads back into
an equal tree; parsed rules are left to the loader, explicit ones are written out.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, TreeError, os_reason
from .model import EvidenceRule, Indicator, Tree


def _rule_dict(rule: EvidenceRule) -> dict:
    out: dict[str, Any] = {"kind": rule.kind, "min": rule.min_count, "period": rule.period}
    if rule.words:
        out["words"] = list(rule.words)
    if rule.deadline:
        out["deadline"] = rule.deadline.isoformat()
    out["caption"] = rule.caption_required
    if rule.each:
        out["each"] = rule.each
    if rule.cutoffs:
        out["cutoffs"] = [d.isoformat() for d in rule.cutoffs]
    return out


def _indicator_dict(ind: Indicator) -> dict:
    out: dict[str, Any] = {"id": ind.id, "name": ind.name}
    if ind.score is not None:
        out["score"] = int(ind.score) if float(ind.score).is_integer() else ind.score
    for key in ("owners", "lead", "support"):
        if getattr(ind, key):
            out[key] = list(getattr(ind, key))
    if ind.notes:
        out["notes"] = ind.notes
    if ind.requirements:
        reqs = []
        for req in ind.requirements:
            item: dict[str, Any] = {"text": req.text}
            if req.note:
                item["note"] = req.note
            if req.owners:
                item["owners"] = list(req.owners)
            if req.deadline:
                item["deadline"] = req.deadline.isoformat()
            explicit = [r for r in req.rules if r.source == "explicit"]
            if explicit or not req.rules:
                # no rules at all (an explicit empty list, or a text asking nothing): write it out
                item["rules"] = [_rule_dict(r) for r in explicit]
            reqs.append(item)
        out["requirements"] = reqs
    if ind.children:
        out["children"] = [_indicator_dict(c) for c in ind.children]
    return out


def tree_to_dict(tree: Tree) -> dict:
    """The tree as plain data in the file format (parsed rules are left to the loader)."""
    out: dict[str, Any] = {"id": tree.id, "title": tree.title}
    if tree.source:
        out["source"] = tree.source
    out["window"] = {"start": tree.window_start.isoformat(), "end": tree.window_end.isoformat()}
    if tree.level_names:
        out["levels"] = list(tree.level_names)
    out["indicators"] = [_indicator_dict(i) for i in tree.indicators]
    return out


def dump_tree(tree: Tree) -> str:
    """YAML text that :func:`load_tree_text` reads back into an equal tree."""
    return yaml.safe_dump(tree_to_dict(tree), allow_unicode=True, sort_keys=False, width=100)


def save_tree(tree: Tree, path: str | Path, *, overwrite: bool = False) -> None:
    """Write ``tree`` as YAML to ``path``; a :class:`TreeError` with the reason when it can't be
    written (the file exists and ``overwrite`` is false, no such folder, no permission)."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise TreeError([Problem(str(path), None, None, "输出文件已存在")],
                        hint="换一个文件名，或加 --force 覆盖。")
    try:
        path.write_text(dump_tree(tree), encoding="utf-8")
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            reason = f"目录“{path.parent}”不存在"
        elif isinstance(exc, PermissionError):
            reason = "没有写入权限"
        elif isinstance(exc, IsADirectoryError):
            reason = "这是一个目录"
        else:
            reason = os_reason(exc)
        raise TreeError([Problem(str(path), None, None, f"无法写入：{reason}")],
                        hint="确认输出目录存在且可以写入，或用 -o 换一个输出路径。") from None
