"""Readable and JSON views of a tree (strings and dicts; nothing is printed here)."""
from __future__ import annotations

from typing import Iterator

from .model import Indicator, Requirement, Tree

_SOURCE_NOTE = {"explicit": "（文件中指定）", "parsed": "", "default": ""}
#: what tree show and tree import say of a requirement from which no rule could be read
UNREAD = "未识别的要求"
UNREAD_HINT = ("按默认规则计：考核期内至少 1 份任意材料；如需按要求核对，请在指标体系 YAML 文件中为这些要求"
               "写明 rules（写法见 README 的“Writing rules by hand”）")


def unread(req: Requirement) -> bool:
    """A requirement whose text gave no rule: it has only the default rule."""
    return bool(req.rules) and all(rule.source == "default" for rule in req.rules)


def unread_line(ind: Indicator, number: int, req: Requirement) -> str:
    """One line naming an unread requirement: indicator, number, text and note."""
    text = " ".join(req.text.split())
    note = " ".join(req.note.split())
    return f"{ind.id} {ind.name} 第 {number} 条：{text}" + (f"（{note}）" if note else "")


def unread_requirements(tree: Tree) -> Iterator[tuple[Indicator, int, Requirement]]:
    """(indicator, requirement number from 1, requirement) of every requirement read as the
    default rule, in tree order."""
    for ind in tree.walk():
        for number, req in enumerate(ind.requirements, 1):
            if unread(req):
                yield ind, number, req


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
                # true: nothing could be read, the default rule applies (未识别的要求)
                "unrecognized": unread(req),
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
            if unread(req):
                lines.append(f"{pad}     → ⚠ {UNREAD}（按默认：{req.rules[0].describe()}）")
            else:
                for rule in req.rules:
                    lines.append(f"{pad}     → {rule.describe()}{_SOURCE_NOTE.get(rule.source, '')}")
            if not req.rules:
                lines.append(f"{pad}     → 无需本单位提交材料（不评材料）")
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
    count = sum(1 for _ in unread_requirements(tree))
    if count:
        lines.append(f"{UNREAD} {count} 条（标 ⚠ 处）：{UNREAD_HINT}。")
    return "\n".join(lines)
