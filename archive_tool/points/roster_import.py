"""Departments and people from the unit's own Word/Excel tables -> ``.archive/points.yaml``.

- **Departments** come from a table like 附件1 of seed 000: a column naming the 科室（单位）
  and a column 人数 (序号 is ignored; 合计 rows are skipped). Two tables side by side in one
  (序号 科室 人数 序号 科室 人数) are read pair by pair.
- **People** come from a roster: 姓名 and 科室（单位）/部门, optionally 职级 (科级以上 / 一般职工,
  or a longer title that starts with one). A rank that is neither is reported, not guessed; a
  职务 column (科长, 副主任科员 …) is not read as a rank.

Without a departments table, the departments and their headcounts are counted from the roster
(and the result says so). Rows that cannot be read are listed, never dropped silently.
"""
from __future__ import annotations

import os
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FileOperationError, UsageError, os_reason
from ..layout import ARCHIVE_DIR
from .roster import POINTS_FILE, Department, Person, load_points_text, points_yaml
from .ruleset import RuleSet, load_rules
from .tables import Header, Table, cell, find_header, read_blocks, tables_of

_TOTAL_ROWS = {"合计", "总计", "小计", "共计"}


def _role(key: str) -> str | None:
    bare = re.sub(r"\(.*?\)", "", key) or key
    if any(w in bare for w in ("人数", "人员数", "编制数", "在编")):
        return "size"
    if "姓名" in bare or bare in ("名字", "人员"):
        return "name"
    if any(w in bare for w in ("职级", "级别", "层级")):  # not 职务: 科长, 副主任科员 … are no rank
        return "rank"
    if bare in ("序号", "编号", "序"):
        return "seq"
    if any(w in key for w in ("科室", "单位", "部门", "处室", "名称")):
        return "dept"
    return None


def _pairs(header: Header, lead: str, others: tuple[str, ...]) -> list[dict[str, int | None]]:
    """For each ``lead`` column, the nearest column of each other role before the next lead."""
    leads = header.columns.get(lead, [])
    groups = []
    for pos, col in enumerate(leads):
        stop = leads[pos + 1] if pos + 1 < len(leads) else 10_000
        start = leads[pos - 1] + 1 if pos else 0
        group: dict[str, int | None] = {lead: col}
        for role in others:
            cols = [c for c in header.columns.get(role, []) if start <= c < stop and c != col]
            after = [c for c in cols if c > col]
            group[role] = (after or cols or [None])[0]
        groups.append(group)
    return groups


def _count(text: str) -> int | None:
    match = re.fullmatch(r"(\d+)\s*人?", unicodedata.normalize("NFKC", text).strip())
    return int(match.group(1)) if match else None


def _name(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _tables(path: Path, required: tuple[str, ...]) -> list[tuple[Table, Header]]:
    found = []
    for table in tables_of(read_blocks(path)):
        header = find_header(table.rows, _role, required)
        if header is not None:
            found.append((table, header))
    if not found:
        names = "、".join({"dept": "科室（单位）", "size": "人数", "name": "姓名"}[r]
                         for r in required)
        raise UsageError(f"{path.name} 中没有找到含「{names}」表头的表格",
                         "确认表格第一行是表头（如 序号 / 科室（单位） / 人数，或 姓名 / 科室）。")
    return found


def import_departments(path: Path) -> tuple[list[Department], list[str]]:
    """Departments and headcounts from the tables of ``path``, and the rows it could not read."""
    departments: dict[str, Department] = {}
    problems: list[str] = []
    for table, header in _tables(path, ("dept", "size")):
        for group in _pairs(header, "dept", ("size",)):
            for r, row in enumerate(table.rows[header.row + 1:], header.row + 2):
                name = " ".join(cell(row, group["dept"]).split())
                if not name or _name(name) in _TOTAL_ROWS:
                    continue
                size = _count(cell(row, group["size"]))
                where = f"{path.name} {table.label} 第 {r} 行"
                if size is None or size < 1:
                    problems.append(f"{where}：「{name}」的人数「{cell(row, group['size'])}」"
                                    "不是正整数，未导入")
                elif _name(name) in {_name(d) for d in departments}:
                    problems.append(f"{where}：「{name}」重复，只保留第一次出现的人数")
                else:
                    departments[name] = Department(name, size)
    return list(departments.values()), problems


def import_people(path: Path, rules: RuleSet,
                  departments: list[Department] | None) -> tuple[list[Person], list[str]]:
    """People (name, department, rank) from the roster tables of ``path``."""
    known = {_name(d.name): d.name for d in departments or ()}
    people: list[Person] = []
    seen: set[tuple[str, str]] = set()
    problems: list[str] = []
    for table, header in _tables(path, ("name", "dept")):
        for group in _pairs(header, "name", ("dept", "rank")):
            for r, row in enumerate(table.rows[header.row + 1:], header.row + 2):
                name, dept = _name(cell(row, group["name"])), " ".join(
                    cell(row, group["dept"]).split())
                if not name:
                    continue
                where = f"{path.name} {table.label} 第 {r} 行"
                if departments is not None and _name(dept) not in known:
                    problems.append(f"{where}：{name} 的科室单位「{dept}」不在科室单位名单中，未导入")
                    continue
                if not dept:
                    problems.append(f"{where}：{name} 没有写科室单位，未导入")
                    continue
                dept = known.get(_name(dept), dept)
                rank_text = cell(row, group["rank"])
                rank = rules.rank_of(rank_text) if rank_text else ""
                if rank is None:
                    problems.append(f"{where}：{name} 的职级「{rank_text}」不是"
                                    f"{'、'.join(rules.ranks)}之一，未填写职级")
                if (name, dept) in seen:
                    problems.append(f"{where}：{name}（{dept}）重复，只导入一次")
                    continue
                seen.add((name, dept))
                people.append(Person(name, dept, rank or ""))
    return people, problems


@dataclass
class InitResult:
    path: Path
    departments: list[Department]
    people: list[Person]
    #: rows not imported or imported with a gap, each naming the file and row
    problems: list[str] = field(default_factory=list)
    #: departments whose headcount was counted from the roster
    counted: bool = False


def init_points(root: Path, rules_ref: str, departments_file: Path | None = None,
                people_file: Path | None = None, *, force: bool = False) -> InitResult:
    """Write ``.archive/points.yaml`` from the tables given (the old one kept as
    ``points.prev.yaml`` when ``force`` replaces it)."""
    if departments_file is None and people_file is None:
        raise UsageError("需要科室单位名单或人员名册",
                         "用 --departments 给出科室单位及人数的表格（如附件1），"
                         "和/或用 --people 给出人员名册。")
    target = root / ARCHIVE_DIR / POINTS_FILE
    if target.exists() and not force:
        raise UsageError(f"{target} 已存在", "加 --force 重新导入（原文件保留为 points.prev.yaml），"
                                              "或直接编辑该文件。")
    rules = load_rules(rules_ref, root / ARCHIVE_DIR)
    problems: list[str] = []
    departments = None
    if departments_file is not None:
        departments, problems = import_departments(departments_file)
    people: list[Person] = []
    if people_file is not None:
        people, found = import_people(people_file, rules, departments)
        problems += found
    counted = departments is None
    if departments is None:
        sizes: dict[str, int] = {}
        for person in people:
            sizes[person.department] = sizes.get(person.department, 0) + 1
        departments = [Department(name, size) for name, size in sizes.items()]
    if not departments:
        raise UsageError("没有读到任何科室单位", "检查表格的表头和内容后重试。")
    text = points_yaml(rules_ref, departments, people)
    load_points_text(text, str(target), root)  # what is written must load
    _write(target, text)
    return InitResult(target, departments, people, problems, counted)


def _write(target: Path, text: str) -> None:
    try:
        tmp = target.with_name(f".{target.name}.new")
        tmp.write_text(text, encoding="utf-8")
        if target.exists():
            shutil.copy2(target, target.with_name("points.prev.yaml"))
        os.replace(tmp, target)
    except OSError as exc:
        raise FileOperationError(f"无法写入 {target}：{os_reason(exc)}",
                                 "检查档案的 .archive 文件夹是否可写后重试。") from None
