"""The unit's departments (with headcounts) and staff roster: ``.archive/points.yaml``.

Kept beside the archive's ``config.yaml`` in a file of its own::

    # .archive/points.yaml
    rules: linyi-2018               # the points rules: a shipped id or a file inside .archive/
    departments:                    # 科室（单位） and 人数, as in 附件1
      - {name: 规划与财务科, size: 7, aliases: [规财科]}
      - {name: 大气科, size: 11}
    people:                         # name -> department (rank where a deduction depends on it)
      - {name: 王德学, department: 规划与财务科, rank: 科级以上}
      - {name: 刘巍, department: 大气科}

Names are compared NFKC-folded and without spaces ("王 峰" is 王峰). A name that matches no
one, or two people, is never resolved by guessing: :meth:`Roster.find` says so and the caller
reports it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError
from ..layout import ARCHIVE_DIR
from .problems import Collector, parse_yaml, read_text
from .ruleset import RuleSet, fold, load_rules

POINTS_FILE = "points.yaml"
LEDGER_FILE = "points-ledger.jsonl"
KEYS = ("rules", "departments", "people")
DEPARTMENT_KEYS = ("name", "size", "aliases")
PERSON_KEYS = ("name", "department", "rank", "aliases")
HINT = "按提示修改 .archive/points.yaml（格式见 README 的“积分制”一节）。"

_HEADER = """\
# archive-tool 积分制配置（archive-tool points init 生成，可手工修改；格式见 README“积分制”一节）
# rules: 积分规则（内置编号，或 .archive/ 中的文件名）
# departments: 纳入积分管理的科室单位及人数（人均得分按此人数计算）；aliases: 签到表上的其他写法
# people: 人员名册（姓名 -> 科室单位）；rank: 职级（部分扣分项按职级计分）
"""


@dataclass(frozen=True)
class Department:
    name: str
    size: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    name: str
    department: str
    rank: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """The people a written name may be: one (found), none (unknown) or several (ambiguous)."""

    name: str
    candidates: tuple[Person, ...]

    @property
    def person(self) -> Person | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


class Roster:
    """Departments and people, with lookups by folded name and alias."""

    def __init__(self, departments: tuple[Department, ...], people: tuple[Person, ...]):
        self.departments = departments
        self.people = people
        self._departments: dict[str, Department] = {}
        for dept in departments:
            for key in (dept.name, *dept.aliases):
                self._departments.setdefault(fold(key), dept)
        self._people: dict[str, list[Person]] = {}
        for person in people:
            for key in dict.fromkeys(fold(k) for k in (person.name, *person.aliases)):
                self._people.setdefault(key, []).append(person)

    def department(self, text: str) -> Department | None:
        """The department ``text`` names (its name or an alias), or None."""
        return self._departments.get(fold(text)) if text.strip() else None

    def knows(self, name: str) -> bool:
        return fold(name) in self._people

    def find(self, name: str, department: str = "") -> Match:
        """Who ``name`` is; a department written beside it tells namesakes apart."""
        found = tuple(self._people.get(fold(name), ()))
        dept = self.department(department) if len(found) > 1 and department else None
        if dept is not None:
            narrowed = tuple(p for p in found if p.department == dept.name)
            if narrowed:
                found = narrowed
        return Match(name, found)

    def members(self, department: str) -> list[Person]:
        return [p for p in self.people if p.department == department]


@dataclass(frozen=True)
class PointsSetup:
    """An archive's points configuration: its rules and roster, validated once."""

    root: Path
    rules: RuleSet
    roster: Roster
    rules_ref: str

    @property
    def file(self) -> Path:
        return self.root / ARCHIVE_DIR / POINTS_FILE

    @property
    def ledger_path(self) -> Path:
        return self.root / ARCHIVE_DIR / LEDGER_FILE


# ---- loading ------------------------------------------------------------------------------------
def _departments(c: Collector, raw: Any) -> list[Department]:
    if not isinstance(raw, list) or not raw:
        c.add(None, "departments", "应为科室单位的列表，如 - {name: 办公室, size: 9}")
        return []
    out: list[Department] = []
    seen: dict[str, str] = {}
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            c.add(f"科室单位第 {number} 项", None, "应写成 {name: 名称, size: 人数}")
            continue
        name = c.text(item.get("name"), f"科室单位第 {number} 项", "name", required=True)
        where = f"科室单位 {name or number}"
        c.keys(item, DEPARTMENT_KEYS, where)
        size = item.get("size")
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            c.add(where, "size", "应为人数（正整数）：人均得分按它计算")
            size = 1
        aliases = c.names(item.get("aliases"), where, "aliases")
        keys = {fold(k): k for k in (*aliases, name) if k}
        for key, written in keys.items():
            if key in seen:
                c.add(where, "name" if written == name else "aliases",
                      "科室单位重复" if seen[key] == name
                      else f"「{written}」已用于科室单位「{seen[key]}」")
        for key in keys:
            seen.setdefault(key, name)
        if name:
            out.append(Department(name, size, tuple(a for a in aliases if a != name)))
    return out


def _people(c: Collector, raw: Any, roster: Roster, rules: RuleSet | None) -> list[Person]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        c.add(None, "people", "应为人员的列表，如 - {name: 王峰, department: 办公室}")
        return []
    out: list[Person] = []
    seen: set[tuple[str, str]] = set()
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            c.add(f"人员第 {number} 项", None, "应写成 {name: 姓名, department: 科室单位}")
            continue
        name = "".join(c.text(item.get("name"), f"人员第 {number} 项", "name", True).split())
        where = f"人员 {name or number}"
        c.keys(item, PERSON_KEYS, where)
        dept_text = c.text(item.get("department"), where, "department", required=True)
        dept = roster.department(dept_text)
        if dept_text and dept is None:
            c.add(where, "department", f"「{dept_text}」不在 departments 中")
        rank = c.text(item.get("rank"), where, "rank")
        if rank and rules is not None:
            known = rules.rank_of(rank)
            if known is None:
                c.add(where, "rank", f"「{rank}」不是积分规则中的职级：{'、'.join(rules.ranks)}")
            rank = known or ""
        if name and dept and (fold(name), dept.name) in seen:
            c.add(where, "name", f"在「{dept.name}」中重复")
        elif name and dept:
            seen.add((fold(name), dept.name))
            out.append(Person(name, dept.name, rank, c.names(item.get("aliases"), where,
                                                              "aliases")))
    return out


def load_points_text(text: str, file: str, root: Path) -> PointsSetup:
    """Parse and validate points.yaml; its rules are loaded from ``root/.archive`` or shipped."""
    data = parse_yaml(text, file, HINT)
    c = Collector(file)
    if not isinstance(data, dict):
        c.add(None, None, "内容应为一个映射（rules、departments、people）")
        raise c.fail(HINT)
    c.keys(data, KEYS, None)
    rules_ref = c.text(data.get("rules"), None, "rules", required=True)
    rules = load_rules(rules_ref, root / ARCHIVE_DIR) if rules_ref else None
    roster = Roster(tuple(_departments(c, data.get("departments"))), ())
    people = _people(c, data.get("people"), roster, rules)
    if c.problems:
        raise c.fail(HINT)
    return PointsSetup(root=root, rules=rules, roster=Roster(roster.departments, tuple(people)),
                       rules_ref=rules_ref)


def load_points(root: str | Path) -> PointsSetup:
    """The points configuration of the archive at ``root``."""
    root = Path(root)
    path = root / ARCHIVE_DIR / POINTS_FILE
    if not path.is_file():
        raise ConfigError(f"档案 {root} 还没有积分制配置（{ARCHIVE_DIR}/{POINTS_FILE}）",
                          "先运行 archive-tool points init 档案 --departments 附件1.docx "
                          "[--people 人员名册.xlsx] 导入科室单位和人员。")
    return load_points_text(read_text(path, HINT), str(path), root)


# ---- writing ------------------------------------------------------------------------------------
def _flow(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=True, width=1000,
                          sort_keys=False).strip()


def points_yaml(rules_ref: str, departments: list[Department], people: list[Person]) -> str:
    """The text of a points.yaml: a commented header, one line per department and person."""
    lines = [_HEADER.rstrip("\n"), f"rules: {rules_ref}", "departments:"]
    for dept in departments:
        data: dict[str, Any] = {"name": dept.name, "size": dept.size}
        if dept.aliases:
            data["aliases"] = list(dept.aliases)
        lines.append(f"  - {_flow(data)}")
    lines.append("people:" if people else "people: []")
    for person in people:
        data = {"name": person.name, "department": person.department}
        if person.rank:
            data["rank"] = person.rank
        if person.aliases:
            data["aliases"] = list(person.aliases)
        lines.append(f"  - {_flow(data)}")
    return "\n".join(lines) + "\n"
