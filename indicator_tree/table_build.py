"""Building the tree from the grids of a task table, row by row (see :mod:`indicator_tree.table_import`).

The header gives each column a role; each row updates the current path of indicators (the level
columns, merged cells carrying down) and adds its requirement, owners, offices, notes and score
to the deepest indicator of the path. Rows that cannot be placed become problem lines.

In a table with a 序号 column each numbered row is one task, one leaf (one folder): a numbered
row under an indicator that already holds a numbered row (a merged category or indicator cell
over several rows) makes that indicator a parent with one child per row, each with that row's
requirement, 牵头 / 配合 offices and score. A row without a number continues the task above.
The frozen model is made by :mod:`indicator_tree.table_finish`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .model import Indicator
from .rules import single_deadline
from .table_cells import (classify_header, clean, header_key, id_kind, is_note, looks_like_names,
                          one_line, parse_score, split_id_name, split_names, split_note, squash,
                          strip_numbering)
from .table_read import Cell, Grid


# ---- building ----------------------------------------------------------------------------------
@dataclass
class _Req:
    text: str
    notes: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    deadline: date | None = None


@dataclass(eq=False)
class _Node:
    raw: str
    id: str | None
    name: str
    parent: "_Node | None"
    depth: int
    children: list["_Node"] = field(default_factory=list)
    reqs: list[_Req] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    score: float | None = None
    #: the 序号 of the numbered row(s) this node is the leaf of
    tasks: list[str] = field(default_factory=list)


def _add(target: list[str], names: list[str]) -> None:
    target.extend(n for n in names if n not in target)


def _is_header(row: list[Cell], names: set[str]) -> bool:
    """The header repeated: at least two filled cells, each exactly one of the table's header
    names (``names``, compared by :func:`header_key`). Never by substring: a data cell saying
    "按照国家标准……" or "提供……材料" is data."""
    texts = {header_key(cell.text) for cell in row if cell.text}
    return len(texts) >= 2 and texts <= names


def find_header(grid: Grid) -> tuple[int, list[str | None]] | None:
    """(index of the last header row, role per column) or None when no header is recognised."""
    for h, row in enumerate(grid.rows[:10]):
        roles = [classify_header(cell.text) for cell in row]
        known = {cell.origin for cell, role in zip(row, roles) if role}
        if len(known) < 2 or not any(r in ("level", "level_content") for r in roles):
            continue
        while h + 1 < len(grid.rows):  # a second header row naming sub-columns
            below = [classify_header(cell.text) for cell in grid.rows[h + 1]]
            if sum(1 for r in below if r) < 2:
                break
            roles = [b or a for a, b in zip(roles, below)]
            h += 1
        has_req = "req" in roles
        roles = [("level" if has_req else "req") if r == "level_content" else r for r in roles]
        if "level" in roles:
            return h, roles
    return None


class Builder:
    def __init__(self, path: Path, year: int):
        self.path, self.year = path, year
        self.top: list[_Node] = []
        #: every node that has (or had, for a duplicate) this id in the table
        self.by_id: dict[str, list[_Node]] = {}
        #: (node, its id in the table, where, the node that kept the id): renumbered in finish()
        self.duplicates: list[tuple[_Node, str, str, _Node]] = []
        self.path_nodes: list[_Node | None] = []
        self.layout: tuple | None = None
        self.kind_col: dict[str, int] = {}  # id kind (II#1) -> the level column such ids sit in
        self.problems: list[str] = []
        self.task: _Node | None = None  # the leaf of the numbered row being read
        self.due_label = "上报时间"

    def table(self, grid: Grid, h: int, roles: list[str | None]) -> None:
        levels = [c for c, role in enumerate(roles) if role == "level"]
        if tuple(roles) != self.layout:
            self.layout, self.path_nodes = tuple(roles), [None] * len(levels)
            self.kind_col = {}
        self.header_rows = [[header_key(cell.text) for cell in row] for row in grid.rows[:h + 1]]
        self.header_names = {header_key(cell.text) for row in grid.rows[:h + 1] for cell in row
                             if classify_header(cell.text)}
        due = [c for c, role in enumerate(roles) if role == "deadline"]
        self.due_label = squash(grid.rows[h][due[0]].text) if due else "上报时间"
        self.task = None
        for r in range(h + 1, len(grid.rows)):
            self.row(grid, r, roles, levels, self.header_rows[-1])

    def _where(self, grid: Grid, r: int) -> str:
        return f"{self.path.name} {grid.label} 第 {r + 1} 行"

    def row(self, grid: Grid, r: int, roles: list, levels: list[int], headers: list[str]) -> None:
        row = grid.rows[r]
        own: dict[str, list[str]] = {}
        cont: dict[str, list[str]] = {}
        spans: set[str] = set()  # roles whose cell is merged on into the next row
        repeated: set[str] = set()  # roles whose (unmerged) cell repeats the cell above
        for c, cell in enumerate(row):
            if not cell.text or grid.hcont(r, c):
                continue
            role = roles[c] or ("extra" if not headers[c] else "other")
            text = cell.text
            if is_note(text):
                role, text = "note", split_note(text)[1]
            elif role == "other":
                role, text = "note", f"{squash(headers[c])}：{text}"
            (cont if grid.vcont(r, c) else own).setdefault(role, []).append(text)
            if r + 1 < len(grid.rows) and grid.vcont(r + 1, c):
                spans.add(role)
            if r > 0 and not grid.vcont(r, c) and grid.rows[r - 1][c].text == cell.text:
                repeated.add(role)
        if not own:
            return  # empty, or wholly the continuation of merged cells above
        if [header_key(cell.text) for cell in row] in self.header_rows or _is_header(row, self.header_names):
            return  # the header repeated (table continued on a new page)
        if len({cell.origin for cell in row}) == 1:
            self.problems.append(f"{self._where(grid, r)}：整行合并的标题行“{squash(row[0].text)}”，"
                                 "不是指标行，未导入")
            return
        new = self.levels(grid, r, levels)
        if new is False:
            return
        if own.get("seq") and set(own) - {"seq", "level", "extra"}:
            self.task = self.task_of(new, own["seq"][0])
        elif own.get("seq"):  # "一 | 思想道德建设" and nothing else: a category's heading row
            self.task = None
        elif new is not None:
            self.task = None
        self.content(grid, r, own, cont, new, spans, repeated)

    def task_of(self, new: _Node | None, seq: str) -> _Node | None:
        """The leaf of a numbered row: the row's own indicator, or a new child of an indicator
        holding a numbered row already (see the module docstring)."""
        node = next((p for p in reversed(self.path_nodes) if p), None)
        if node is None or not node.tasks:
            if node is not None:
                node.tasks.append(seq)
            return node
        if not node.children:  # the first row's content moves into a child of its own
            first = _Node("", None, "", node, node.depth + 1, reqs=node.reqs, owners=node.owners,
                          lead=node.lead, support=node.support, score=node.score, tasks=node.tasks)
            node.reqs, node.owners, node.lead, node.support = [], [], [], []
            node.score, node.tasks = None, [seq]
            node.children.append(first)
        child = _Node("", None, "", node, node.depth + 1, tasks=[seq])
        node.children.append(child)
        return child

    def levels(self, grid: Grid, r: int, levels: list[int]) -> _Node | None | bool:
        """Update the current path; the row's new indicator, or False when the rest of the row
        must not be imported (requirement text found in an indicator column)."""
        new, reason = None, ""
        shifted = len(set(self.kind_col.values())) > 1  # ids of two kinds in two columns seen
        for k, c in enumerate(levels):
            cell, current = grid.rows[r][c], self.path_nodes[k]
            if not cell.text or grid.hcont(r, c) or is_note(cell.text) or (current and (
                    grid.vcont(r, c) or current.raw == squash(cell.text))):
                continue
            ind_id, name = split_id_name(cell.text)
            if not name:
                continue
            if shifted and not ind_id and strip_numbering(cell.text) != cell.text \
                    and c in self.kind_col.values():
                held = "；".join(_short(x.text) for x in grid.rows[r][c:] if x.text)
                self.problems.append(f"{self._where(grid, r)}：该行可能错位（{reason or '要求写在了指标列'}），"
                                     f"“{held}”未导入，请核对原表后在导出的 YAML 中补充")
                return False
            home = self.kind_col.setdefault(id_kind(ind_id), c) if ind_id else c
            if shifted and home != c and not reason:
                reason = (f"编号“{ind_id}”在第 {k + 1} 级指标列，同类编号在第 "
                          f"{levels.index(home) + 1} 级指标列")
            parent = next((p for p in reversed(self.path_nodes[:k]) if p), None)
            node = self.find(ind_id, name, parent)
            if node is None:
                node = _Node(squash(cell.text), ind_id, name, parent,
                             parent.depth + 1 if parent else 1)
                (parent.children if parent else self.top).append(node)
                if ind_id:
                    if self.by_id.get(ind_id):
                        self.duplicates.append((node, ind_id, self._where(grid, r),
                                                self.by_id[ind_id][0]))
                        node.id = None  # generated in finish()
                    self.by_id.setdefault(ind_id, []).append(node)
            self.path_nodes[k] = new = node
            self.path_nodes[k + 1:] = [None] * (len(levels) - k - 1)
        if reason:
            self.problems.append(f"{self._where(grid, r)}：该行可能错位（{reason}），已按所在列导入，"
                                 "请核对原表")
        return new

    def find(self, ind_id: str | None, name: str, parent: _Node | None) -> _Node | None:
        """The indicator a cell with this id names again: same id and name, under the same
        parent (or the row has no parent of its own, e.g. a sheet without the upper levels).
        An id met again under another parent or with another name is a duplicate, not a match:
        tables that restart II-1 under every I-n must not merge their indicators."""
        for node in self.by_id.get(ind_id, []) if ind_id else []:
            if node.name == name and (node.parent is parent or parent is None):
                return node
        return None

    def content(self, grid: Grid, r: int, own: dict, cont: dict, new: _Node | None,
                spans: set[str], repeated: set[str]) -> None:
        """Requirement, owners, notes, offices and score of one row, or a problem line.

        A requirement cell holding numbered items ("1.…\n2.…") gives one requirement per item,
        unless it is merged down over rows that carry their own materials (then it is one
        requirement those rows share). The row's 评分标准 goes into its requirements' notes, so
        the rule parser reads it ("集中学习每季度至少 1次"): item by item when it is numbered
        like the requirements, else whole to each.
        """
        if len(own.get("req", [])) > 1:  # 工作任务 | 具体要求: the first names it, the rest details it
            own = {**own, "req": own["req"][:1], "note": own["req"][1:] + own.get("note", [])}
        owners, notes = _owners_and_notes(own, cont)
        deadline = None
        for text in own.get("deadline", []) + cont.get("deadline", []):
            deadline = deadline or due_date(text, self.year)
        req_texts, req_notes = _requirements(own, "req" in spans)
        notes = req_notes + notes
        scoring = [t for t in map(_without_total, own.get("score_text", [])) if t]
        node = self.task or next((p for p in reversed(self.path_nodes) if p), None)  # the deepest
        if node is not None:
            self.offices_and_score(node, own, cont, bool(req_texts or cont.get("req")))
        due = [f"{self.due_label}：{one_line(t)}" for t in own.get("deadline", [])]
        if req_texts or (cont.get("req") and (notes or due or scoring)):
            texts = req_texts or [strip_numbering(split_note(cont["req"][0])[0])]
            if node is None:
                self.problems.append(f"{self._where(grid, r)}：要求“{_short(texts[0])}”前面没有指标名称，"
                                     "无法归入指标")
                return
            last = node.reqs[-1] if node.reqs else None
            again = not req_texts or "req" in repeated  # the requirement cell above, merged or repeated
            if again and last and last.text == texts[0] and not (notes or due or scoring):
                _add(last.owners, owners)
                return
            if node is self.task:  # a numbered row's 责任人 owns its leaf with its 牵头 office
                _add(node.owners, owners)
                owners = []
            scores = _pair(scoring, len(texts))
            for text, score in zip(texts, scores):
                node.reqs.append(_Req(text, notes + score + due, list(owners), deadline))
        elif new is not None:
            _add(new.owners, owners)
            new.notes += notes + due
        elif cont.get("req") and owners and node is not None and node.reqs:
            _add(node.reqs[-1].owners, owners)
        elif notes and not (owners or due or own.keys() - {"note", "material", "extra", "level"}) \
                and node is not None and node.reqs:
            node.reqs[-1].notes += notes
        elif owners and set(own) <= {"owners", "extra", "level", "seq"} \
                and all(len(name) <= 10 for name in owners) \
                and all(strip_numbering(t) == t for t in own.get("owners", [])):
            self.problems.append(f"{self._where(grid, r)}：只有责任人“{'、'.join(owners)}”，"
                                 "没有指标和要求，无法归入指标")
        elif set(own) - {"seq", "level", "lead", "support", "score", "score_text"} or node is None:
            held = "；".join(_short(t) for texts in own.values() for t in texts)
            self.problems.append(f"{self._where(grid, r)}：没有指标和要求，内容“{held}”无法归入指标")

    def offices_and_score(self, node: _Node, own: dict, cont: dict, has_req: bool) -> None:
        for role, target in (("lead", node.lead), ("support", node.support)):
            for text in own.get(role, []) + cont.get(role, []):
                _add(target, split_names(text))
        for text in own.get("score", []) + own.get("score_text", []):
            self.score(node, text)
        if not has_req:  # no requirement to score: keep the 评分标准 here
            node.notes += [t for t in map(clean, own.get("score_text", [])) if t not in node.notes]

    @staticmethod
    def score(node: _Node, text: str) -> None:
        """``（共15分）`` is the indicator's total; plain numbers on several rows add up."""
        value = parse_score(text)
        if value is not None:
            node.score = value if "共" in text else (node.score or 0) + value

    def finish(self) -> tuple[Indicator, ...]:
        from .table_finish import finish  # noqa: PLC0415 (table_finish builds on this module)

        return finish(self)


def _owners_and_notes(own: dict, cont: dict) -> tuple[list[str], list[str]]:
    """The row's 责任人 (a header-less column of short names counts too) and its notes."""
    notes = list(own.get("note", []) + own.get("material", []))
    owners: list[str] = []
    for text in own.get("owners", []) + cont.get("owners", []):
        _add(owners, split_names(text))
    for text in own.get("extra", []):
        if not owners and looks_like_names(text):
            owners = split_names(text)
        else:
            notes.append(text)
    return owners, notes


def _requirements(own: dict, merged_down: bool) -> tuple[list[str], list[str]]:
    """The row's requirement texts (one per numbered item of the cell, unless the cell is
    merged down over rows with their own materials) and the notes written inside the cell."""
    texts, notes = [], []
    for text in own.get("req", []):
        body, note = split_note(text)
        items = [body] if merged_down else split_items(body)
        texts += [strip_numbering(item) for item in items if strip_numbering(item)]
        if note:
            notes.append(note)
    return texts, notes


def due_date(text: str, year: int) -> date | None:
    """A deadline cell: an ISO date, or the one date of its text (several dates are per-period
    cut-offs, read by the rule parser from the cell's text in the requirement's note)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return single_deadline(text, year)


def split_items(text: str) -> list[str]:
    """``"1.纳入议程；\n2.制订计划；"`` -> one text per numbered item; a text with fewer than two
    numbered lines is one item. Unnumbered lines continue the item above (lines before the
    first number are an item of their own)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if strip_numbering(line) != line.strip()]
    if len(starts) < 2:
        return [text]
    cuts = sorted({0, *starts}) + [len(lines)]
    return ["\n".join(lines[a:b]) for a, b in zip(cuts, cuts[1:]) if a < b]


_TOTAL_RE = re.compile(r"[（(]\s*共\s*\d+(?:\.\d+)?\s*分\s*[)）]")


def _without_total(text: str) -> str:
    """A 评分标准 cell without its （共15分） total (that is the indicator's score)."""
    return clean(_TOTAL_RE.sub("", clean(text)))


def _pair(scoring: list[str], count: int) -> list[list[str]]:
    """The 评分标准 lines for each of ``count`` requirements of a row."""
    if len(scoring) == 1:
        items = split_items(scoring[0])
        if len(items) == count:
            return [[strip_numbering(item)] for item in items]
    return [list(scoring) for _ in range(count)]


def _short(text: str, limit: int = 30) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[:limit] + "…"
