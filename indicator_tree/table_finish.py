"""The imported table's nodes -> the frozen model: ids, the names of numbered rows' leaves,
requirements with their parsed rules (see :mod:`indicator_tree.table_build`)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from .model import Indicator, Requirement
from .rules import requirement_deadline, rules_for
from .table_cells import roman, squash, strip_numbering
from .yaml_format import ID_RE, MAX_ID_LEN

if TYPE_CHECKING:  # pragma: no cover
    from .table_build import Builder, _Node

#: the longest name given to a numbered row's leaf (the folder name is shortened further if need be)
TASK_NAME_LEN = 24


def _all(nodes: list["_Node"]) -> Iterator["_Node"]:
    for node in nodes:
        yield node
        yield from _all(node.children)


def _task_child(node: "_Node") -> bool:
    """A leaf made for a numbered row under an indicator of the table (it has no cell of its own)."""
    return node.parent is not None and not node.raw and bool(node.tasks)


def _first_clause(text: str) -> str:
    text = strip_numbering(squash(text))
    clause = re.split(r"[，,。；;：:、\n(（]", text, maxsplit=1)[0].strip()
    clause = clause.replace("/", "／").replace("\\", "＼").replace("..", "．．")
    return clause[:TASK_NAME_LEN]


def _task_names(parent: "_Node") -> None:
    """Names for the numbered rows' leaves of ``parent``: the first clause of the row's own
    requirement, or of its material note where rows share one (merged) requirement text; the
    row's 序号 is added where two would be named alike."""
    children = [c for c in parent.children if _task_child(c)]
    texts = [c.reqs[0].text if c.reqs else "" for c in children]
    for child, text in zip(children, texts):
        note = next((n for n in (child.reqs[0].notes if child.reqs else []) if n), "")
        source = note if (texts.count(text) > 1 and note) or not text else text
        child.name = _first_clause(source) or f"序号{child.tasks[0]}"
    names = [c.name for c in children]
    for child in children:
        if names.count(child.name) > 1:
            child.name = f"{child.name}（序号{child.tasks[0]}）"


def _ids(builder: "Builder") -> None:
    """Generated ids (I-1, II-3 …) for nodes without one; a numbered row's leaf under an
    indicator with an id of the table gets that id and its place (III-72.1, III-72.2)."""
    used = {n.id for n in _all(builder.top) if n.id}
    from_table = set(used)
    counters: dict[int, int] = {}
    for node in _all(builder.top):
        if node.id is None and _task_child(node) and node.parent.id in from_table:
            tasks = [c for c in node.parent.children if _task_child(c)]
            candidate = f"{node.parent.id}.{tasks.index(node) + 1}"
            if candidate not in used and ID_RE.match(candidate) and len(candidate) <= MAX_ID_LEN:
                node.id = candidate
                used.add(candidate)
        while node.id is None:
            counters[node.depth] = counters.get(node.depth, 0) + 1
            candidate = f"{roman(node.depth)}-{counters[node.depth]}"
            if candidate not in used:
                node.id = candidate
                used.add(candidate)


def _under(node: "_Node") -> str:
    return f"{node.parent.id} {node.parent.name} 下的" if node.parent else ""


def finish(builder: "Builder") -> tuple[Indicator, ...]:
    """The frozen indicators of an imported table; duplicate ids are reported as problems."""
    for node in _all(builder.top):
        if any(_task_child(c) for c in node.children):
            _task_names(node)
    _ids(builder)
    for node, table_id, where, first in builder.duplicates:
        node.notes.insert(0, f"原表编号：{table_id}")
        builder.problems.append(
            f"{where}：编号“{table_id}”重复：{_under(first)}“{first.name}”已用此编号，"
            f"{_under(node)}“{node.name}”改用编号 {node.id}（原编号记在 notes 中）；"
            "若表中编号在每个上级指标下重新编起，请核对导出 YAML 中的编号")
    return tuple(_freeze(n, builder.year) for n in builder.top)


def _freeze(node: "_Node", year: int) -> Indicator:
    reqs = []
    for req in node.reqs:
        note = "\n".join(dict.fromkeys(n.strip() for n in req.notes if n.strip()))
        deadline = req.deadline or requirement_deadline(req.text, note, year)
        rules = rules_for(req.text, note, year, deadline=req.deadline)
        reqs.append(Requirement(text=req.text, owners=tuple(req.owners), deadline=deadline,
                                rules=rules, note=note))
    return Indicator(id=node.id, name=node.name, level=node.depth,
                     children=tuple(_freeze(c, year) for c in node.children),
                     score=node.score, owners=tuple(node.owners), lead=tuple(node.lead),
                     support=tuple(node.support), requirements=tuple(reqs),
                     notes="\n".join(n for n in node.notes if n))
