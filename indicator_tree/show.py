"""Readable and JSON views of a tree (strings and dicts; nothing is printed here)."""
from __future__ import annotations

from .model import Indicator, Tree

_SOURCE_NOTE = {"explicit": "（文件中指定）", "parsed": "", "default": "（未识别出要求，默认）"}


def indicator_json(ind: Indicator) -> dict:
    return {
        "id": ind.id,
        "name": ind.name,
        "level": ind.level,
        "score": ind.score,
        # everyone answering for the indicator: its owners, lead office and requirements' owners
        "owners": list(ind.all_owners()),
        "lead": list(ind.lead),
        "support": list(ind.support),
        "requirements": [
            {
                "text": req.text,
                "note": req.note,
                "owners": list(req.owners),
                "deadline": req.deadline.isoformat() if req.deadline else None,
                "rules": [rule.to_dict() for rule in req.rules],
            }
            for req in ind.requirements
        ],
        "children": [indicator_json(child) for child in ind.children],
    }


def tree_json(tree: Tree) -> dict:
    """The documented JSON shape of ``tree show --format json``."""
    return {
        "id": tree.id,
        "title": tree.title,
        "source": tree.source,
        "window": {"start": tree.window_start.isoformat(), "end": tree.window_end.isoformat()},
        "levels": list(tree.level_names),
        "indicators": [indicator_json(ind) for ind in tree.indicators],
    }


def _score(value: float | None) -> str:
    if value is None:
        return ""
    return f"（{int(value) if float(value).is_integer() else value} 分）"


def _indented(head: str, text: str) -> str:
    """``head`` + the text, its second and later lines aligned under its first."""
    pad = " " * sum(2 if ord(ch) > 0x2E7F else 1 for ch in head)
    return head + f"\n{pad}".join(text.split("\n"))


def tree_text(tree: Tree) -> str:
    """An indented, readable tree with owners and parsed rules."""
    lines = [f"{tree.id}  {tree.title}",
             f"考核期：{tree.window_start} 至 {tree.window_end}"
             + (f"    来源：{tree.source}" if tree.source else "")]

    def visit(ind: Indicator, depth: int) -> None:
        pad = "  " * depth
        lines.append(f"{pad}{ind.id} {ind.name}{_score(ind.score)}")
        who = []
        if ind.owners:
            who.append(f"责任人：{'、'.join(ind.owners)}")
        if ind.lead:
            who.append(f"牵头：{'、'.join(ind.lead)}")
        if ind.support:
            who.append(f"配合：{'、'.join(ind.support)}")
        if who:
            lines.append(f"{pad}  {'  '.join(who)}")
        for pos, req in enumerate(ind.requirements, 1):
            lines.append(_indented(f"{pad}  {pos}. ", req.text))
            if req.note:
                lines.append(_indented(f"{pad}     注：", req.note))
            if req.owners:
                lines.append(f"{pad}     责任人：{'、'.join(req.owners)}")
            for rule in req.rules:
                lines.append(f"{pad}     → {rule.describe()}{_SOURCE_NOTE.get(rule.source, '')}")
            if not req.rules:
                lines.append(f"{pad}     → 无需本单位提交材料")
        for child in ind.children:
            visit(child, depth + 1)

    for top in tree.indicators:
        visit(top, 0)
    counts = {}
    for ind in tree.walk():
        counts[ind.level] = counts.get(ind.level, 0) + 1
    names = list(tree.level_names)
    summary = "，".join(
        f"{names[level - 1] if level - 1 < len(names) else f'{level} 级指标'} {n} 项"
        for level, n in sorted(counts.items()))
    lines.append(f"共 {summary}。")
    return "\n".join(lines)
