"""Rows of the 综合组's own xlsx (or docx) ledger -> stored ledger entries.

The table needs a header row with 日期, 科室（单位）or 姓名, and the points: one signed column
(分值 / 分数 / 加减分 / 积分 / 得分) or two (加分, 扣分). Optional columns: the rule (编号 /
条款 / 项目编号: an item id such as D3c; or 加扣分项目 / 项目 / 事项: the item's text), 姓名,
职级, 等级, 事由 / 说明 / 备注, 记录人, 佐证材料. A row of a known deduction item whose single
points column holds a positive number is a deduction of that amount, as the rules write it.

Importing is idempotent: each row is identified by the file's name, the sheet, the content of
its known columns (not 序号, which changes when a row above is deleted) and its occurrence; a row already imported is skipped, a row that can't be read is reported, and a
row imported before but no longer in the file is reported (the ledger is append-only: reverse
it with ``points correct``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..captions.dates import find_date
from ..errors import ArchiveError, UsageError
from .entries import Entry, Issue
from .ledger import LedgerFile, now_text, recorder
from .roster import PointsSetup
from .ruleset import points_text
from .tables import Header, Table, cell, find_header, read_blocks, tables_of

_ROLES = (
    ("minus", ("扣分",), True), ("plus", ("加分",), True),
    ("points", ("分值", "分数", "加减分", "积分", "得分", "加扣分值", "分"), True),
    ("date", ("日期", "时间"), False), ("person", ("姓名", "人员"), False),
    ("by", ("记录人", "经办人", "登记人"), False), ("rank", ("职级",), False),
    ("level", ("等级", "奖项", "级别"), False),
    ("evidence", ("佐证", "证据", "材料", "附件"), False),
    ("rule", ("编号", "条款", "项目编号", "规则"), True),
    ("item", ("加扣分项目", "项目", "事项", "加减分项目"), False),
    ("dept", ("科室", "单位", "部门", "处室"), False),
    ("note", ("事由", "内容", "说明", "备注", "依据", "原因", "活动"), False),
)


def _role(key: str) -> str | None:
    bare = re.sub(r"\(.*?\)", "", key) or key
    if bare in ("序号", "序"):
        return None
    for role, words, exact in _ROLES:
        if (bare in words) if exact else any(w in bare for w in words):
            return role
    return None


def _number(text: str) -> Decimal | None:
    text = unicodedata.normalize("NFKC", text).replace("分", "").replace(" ", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


@dataclass
class ImportResult:
    added: list[Entry] = field(default_factory=list)
    already: int = 0
    issues: list[Issue] = field(default_factory=list)


class _Rows:
    """Reads the rows of one table into entries."""

    def __init__(self, setup: PointsSetup, path: Path, table: Table, header: Header, by: str):
        self.setup, self.path, self.table, self.header, self.by = setup, path, table, header, by
        self.issues: list[Issue] = []
        self.occurrences: dict[str, int] = {}

    def skip(self, r: int, message: str, fix: str) -> None:
        self.issues.append(Issue("IMPORT_ROW_SKIPPED", self.path.name,
                                 f"{self.table.label} 第 {r} 行：{message}，未导入", fix))

    def value(self, row: list[str], role: str) -> str:
        return cell(row, self.header.first(role))

    def key(self, row: list[str]) -> str:
        columns = sorted(c for cols in self.header.columns.values() for c in cols)
        content = "\x1f".join(unicodedata.normalize("NFKC", cell(row, c)) for c in columns)
        base = hashlib.sha1(content.encode("utf-8")).hexdigest()[:12]
        self.occurrences[base] = self.occurrences.get(base, 0) + 1
        return f"{self.path.name}|{self.table.label}|{base}#{self.occurrences[base]}"

    def department(self, r: int, row: list[str]) -> tuple[str, str] | None:
        roster = self.setup.roster
        dept_text, person = self.value(row, "dept"), "".join(self.value(row, "person").split())
        dept = roster.department(dept_text) if dept_text else None
        if dept_text and dept is None:
            self.skip(r, f"科室单位「{dept_text}」不在名单中", "写成名单中的名称，或在 points.yaml 中加 aliases。")
            return None
        if person:
            match = roster.find(person, dept_text)
            if match.person is None:
                self.skip(r, f"「{person}」" + ("不在人员名册中" if not match.candidates else
                                               "在名册中有多人，表格没有写明科室单位"),
                          "核对姓名和科室单位；名册漏了的人先加到 points.yaml 的 people 中。")
                return None
            if dept is None or match.person.department == dept.name:
                return match.person.department, match.person.name
        if dept is None:
            self.skip(r, "没有写科室单位", "填写科室单位（或姓名）。")
            return None
        return dept.name, person

    def points(self, r: int, row: list[str], item) -> Decimal | None:
        plus, minus = _number(self.value(row, "plus")), _number(self.value(row, "minus"))
        single = _number(self.value(row, "points"))
        if plus is not None or minus is not None:
            return (plus or 0) - abs(minus or 0)
        if single is not None:
            return -abs(single) if item is not None and item.kind == "deduct" else single
        if item is not None:
            try:
                return item.amount(rank=self.value(row, "rank"), level=self.value(row, "level"))
            except ArchiveError as exc:
                self.skip(r, exc.message, exc.hint)
                return None
        self.skip(r, "没有分值", "填写分值（加分为正、扣分为负），或写明加扣分项目的编号。")
        return None

    def entry(self, r: int, row: list[str]) -> Entry | None:
        day = find_date(self.value(row, "date"))
        if day is None:
            self.skip(r, f"日期「{self.value(row, 'date')}」无法识别", "写成 2018-05-20 或 2018年5月20日。")
            return None
        who = self.department(r, row)
        if who is None:
            return None
        rules = self.setup.rules
        ref, text = self.value(row, "rule"), self.value(row, "item")
        item = (rules.item(ref) if ref else None) or (rules.item(text) if text else None)
        points = self.points(r, row, item)
        if points is None:
            return None
        note = "；".join(p for p in (self.value(row, "note"), text if item is None else "",
                                      ref if ref and item is None else "") if p)
        return Entry(id="", date=day, department=who[0], person=who[1],
                     rule=item.id if item else "", points=points,
                     rank=self.value(row, "rank") if item and item.ranks else "",
                     level=self.value(row, "level") if item and item.levels else "",
                     evidence=self.value(row, "evidence"), note=note,
                     recorded_by=self.value(row, "by") or recorder(self.by),
                     recorded_at=now_text(), source="import", key=self.key(row))

    def entries(self) -> list[Entry]:
        out = []
        for r, row in enumerate(self.table.rows[self.header.row + 1:], self.header.row + 2):
            if not any(row) or any(c.replace(" ", "") in ("合计", "总计", "小计") for c in row[:3]):
                continue
            entry = self.entry(r, row)
            if entry is not None:
                out.append(entry)
        return out


def import_ledger(setup: PointsSetup, path: Path, by: str = "") -> ImportResult:
    """Append the rows of ``path`` not imported before to the stored ledger."""
    tables = []
    for table in tables_of(read_blocks(path)):
        header = (find_header(table.rows, _role, ("date", "dept", "points"))
                  or find_header(table.rows, _role, ("date", "person", "points"))
                  or find_header(table.rows, _role, ("date", "dept", "plus"))
                  or find_header(table.rows, _role, ("date", "dept", "minus")))
        if header is not None:
            tables.append((table, header))
    if not tables:
        raise UsageError(f"{path.name} 中没有找到积分台账表格",
                         "表头应含 日期、科室（单位）或姓名，以及 分值（或 加分、扣分）。")
    result = ImportResult()
    entries: list[Entry] = []
    for table, header in tables:
        rows = _Rows(setup, path, table, header, by)
        entries += rows.entries()
        result.issues += rows.issues
    ledger = LedgerFile(setup.ledger_path)
    stored, _ = ledger.read()
    keys = {e.key for e in stored if e.key}
    new = [e for e in entries if e.key not in keys]
    result.already = len(entries) - len(new)
    result.added = ledger.append(new)
    current = {e.key for e in entries}
    reversed_ids = {e.reverses for e in stored if e.reverses}
    for old in stored:
        if old.source == "import" and old.key.startswith(f"{path.name}|") \
                and old.key not in current and old.id not in reversed_ids:
            result.issues.append(Issue("IMPORT_ROW_REMOVED", path.name,
                                       f"以前导入的条目 {old.id}（{old.date} {old.department} "
                                       f"{points_text(old.points)} 分）在表格中已找不到",
                                       f"如该行确应删除，运行 archive-tool points correct {old.id} "
                                       '--note "台账中已删除"。', old.date))
    return result
