"""The points rules as data: a rules file (YAML) -> :class:`RuleSet`, validated once at load.

The rules of seed 000 ship as ``archive_tool/points/rules/linyi-2018.yaml`` (package data,
beside the linyi-2018 tree but not among the trees); a unit may write its own and put it in
``.archive/``. The format is documented in the README and in the shipped file's comments::

    id: linyi-2018
    base: 100                       # 基本分
    per_capita: net                 # net: (加分-扣分)÷人数；total: (基本分+加分-扣分)÷人数
    honours: {top: 3, title: 文明科室（单位）, award: 流动红旗}
    ranks: [科级以上, 一般职工]
    participation: {person: A1-person, unit: A1-unit, unit_covers_members: true}
    items:
      - {id: A1-person, kind: add, text: 以个人为单位参加, points: 0.5, per: 人次}
      - {id: D2a, kind: deduct, text: 判处有期徒刑以上刑罚, ranks: {科级以上: 20, 一般职工: 10}}
      - {id: A4, kind: add, text: 评比活动获奖, levels: {一等奖: 3, 二等奖: 2, 三等奖: 1}}

Amounts are written positive; ``kind`` gives the sign. An item has exactly one of ``points``
(a fixed amount), ``ranks`` (by the person's rank) or ``levels`` (一等奖, 省级 …).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .problems import Collector, PointsConfigError, Problem, parse_yaml, read_text

RULES_KEYS = ("id", "title", "source", "base", "per_capita", "honours", "ranks",
              "participation", "items")
ITEM_KEYS = ("id", "kind", "clause", "text", "points", "ranks", "levels", "per", "note")
HONOURS_KEYS = ("top", "title", "award")
PARTICIPATION_KEYS = ("person", "unit", "unit_covers_members")
KINDS = {"add": "加分", "deduct": "扣分"}
PER_CAPITA = ("net", "total")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
HINT = "按提示修改积分规则文件后，用 archive-tool points rules 文件名 检查。"


def points_text(value: Decimal) -> str:
    """``Decimal('0.50')`` -> ``"0.5"``, ``Decimal('10')`` -> ``"10"`` (no exponent)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + points_text(value)


def fold(text: str) -> str:
    """NFKC, no spaces, case-folded: how ids, ranks and levels are compared."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True)
class Item:
    """One addition or deduction of the rules."""

    id: str
    kind: str  # add | deduct
    text: str
    clause: str = ""
    points: Decimal | None = None
    ranks: tuple[tuple[str, Decimal], ...] = ()
    levels: tuple[tuple[str, Decimal], ...] = ()
    per: str = ""
    note: str = ""

    @property
    def sign(self) -> int:
        return 1 if self.kind == "add" else -1

    def amount(self, rank: str | None = None, level: str | None = None) -> Decimal:
        """The signed points of one occurrence; UsageError when the rank or level needed is
        missing or not one of the item's."""
        if self.points is not None:
            return self.sign * self.points
        choices, what, given = ((self.ranks, "职级", rank) if self.ranks
                                else (self.levels, "等级", level))
        names = "、".join(name for name, _ in choices)
        if not given:
            flag = "--rank" if self.ranks else "--level"
            raise UsageError(f"「{self.id} {self.text}」按{what}计分，需要写明{what}",
                             f"用 {flag} 写明：{names}。")
        for name, value in choices:
            if fold(name) == fold(given):
                return self.sign * value
        raise UsageError(f"「{self.id} {self.text}」没有{what}「{given}」", f"可用的{what}：{names}。")

    def describe(self) -> str:
        """``加 0.5 分/人次``, ``扣 科级以上 20 分、一般职工 10 分/人次``."""
        verb = KINDS[self.kind][0]
        per = f"/{self.per}" if self.per else ""
        if self.points is not None:
            return f"{verb} {points_text(self.points)} 分{per}"
        choices = self.ranks or self.levels
        return f"{verb} " + "、".join(f"{n} {points_text(v)} 分" for n, v in choices) + per

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "clause": self.clause,
                                "text": self.text, "per": self.per, "note": self.note}
        if self.points is not None:
            data["points"] = float(self.points)
        for key, choices in (("ranks", self.ranks), ("levels", self.levels)):
            if choices:
                data[key] = {name: float(value) for name, value in choices}
        return data


@dataclass(frozen=True)
class RuleSet:
    """A validated rules file."""

    id: str
    title: str
    source: str
    base: Decimal
    per_capita: str
    honours_top: int
    honours_title: str
    honours_award: str
    ranks: tuple[str, ...]
    person_item: str
    unit_item: str
    unit_covers_members: bool
    items: tuple[Item, ...]
    file: str = ""

    def item(self, ref: str) -> Item | None:
        """The item ``ref`` names: its id (any case, full-width allowed) or its exact text."""
        wanted = fold(ref)
        return next((i for i in self.items if fold(i.id) == wanted), None) or next(
            (i for i in self.items if fold(i.text) == wanted), None)

    def get(self, item_id: str) -> Item:
        found = self.item(item_id)
        if found is None:
            raise UsageError(f"积分规则「{self.id}」中没有「{item_id}」",
                             f"用 archive-tool points rules {self.id} 查看全部加扣分项目及编号。")
        return found

    def rank_of(self, text: str) -> str | None:
        """The rank ``text`` names: a rank, or a longer title that starts with exactly one
        (科级以上领导干部 -> 科级以上); None otherwise (never a guess from a job title)."""
        wanted = fold(text)
        exact = [r for r in self.ranks if fold(r) == wanted]
        if exact:
            return exact[0]
        starts = [r for r in self.ranks if wanted.startswith(fold(r))]
        return starts[0] if len(starts) == 1 else None

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "source": self.source,
                "base": float(self.base), "per_capita": self.per_capita,
                "honours": {"top": self.honours_top, "title": self.honours_title,
                            "award": self.honours_award},
                "ranks": list(self.ranks),
                "participation": {"person": self.person_item, "unit": self.unit_item,
                                  "unit_covers_members": self.unit_covers_members},
                "items": [item.to_dict() for item in self.items]}


# ---- loading ----------------------------------------------------------------------------------
def _number(c: Collector, value: Any, where: str | None, field: str,
            positive: bool = True) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        c.add(where, field, f"应为数字，实际是 {type(value).__name__}")
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        c.add(where, field, f"应为数字：{value!r}")
        return None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        c.add(where, field, "应为正数（加分或扣分由 kind 决定）" if positive else "不能为负数")
        return None
    return number


def _choices(c: Collector, value: Any, where: str, field: str) -> tuple[tuple[str, Decimal], ...]:
    if not isinstance(value, dict) or not value:
        c.add(where, field, "应写成 {名称: 分值, …}，如 {一等奖: 3, 二等奖: 2}")
        return ()
    out = []
    for name, amount in value.items():
        number = _number(c, amount, where, f"{field}.{name}")
        if number is not None:
            out.append((str(name).strip(), number))
    return tuple(out)


def _item(c: Collector, data: Any, number: int, ranks: tuple[str, ...]) -> Item | None:
    if not isinstance(data, dict):
        c.add(f"第 {number} 项", None, "应为一个映射（id、kind、text、points …）")
        return None
    item_id = c.text(data.get("id"), f"第 {number} 项", "id", required=True)
    where = f"项目 {item_id}" if item_id else f"第 {number} 项"
    c.keys(data, ITEM_KEYS, where)
    if item_id and not ID_RE.match(item_id):
        c.add(where, "id", "编号只能含字母、数字和 . _ -，不超过 20 个字符")
    kind = data.get("kind")
    if kind not in KINDS:
        c.add(where, "kind", "应为 add（加分）或 deduct（扣分）")
    amounts = [key for key in ("points", "ranks", "levels") if data.get(key) is not None]
    if len(amounts) != 1:
        c.add(where, "points", "应恰好写 points（固定分值）、ranks（按职级）或 levels（按等级）之一")
    points = _number(c, data["points"], where, "points") if "points" in amounts else None
    by_rank = _choices(c, data["ranks"], where, "ranks") if "ranks" in amounts else ()
    for name, _ in by_rank:
        if name not in ranks:
            c.add(where, f"ranks.{name}", f"不是规则中的职级；可用职级：{'、'.join(ranks) or '（未写 ranks）'}")
    levels = _choices(c, data["levels"], where, "levels") if "levels" in amounts else ()
    return Item(id=item_id, kind=kind if kind in KINDS else "add",
                text=c.text(data.get("text"), where, "text", required=True),
                clause=c.text(data.get("clause"), where, "clause"), points=points,
                ranks=by_rank, levels=levels, per=c.text(data.get("per"), where, "per"),
                note=c.text(data.get("note"), where, "note"))


def _participation(c: Collector, data: Any, items: dict[str, Item],
                   broken: set[str]) -> tuple[str, str, bool]:
    if not isinstance(data, dict):
        c.add(None, "participation", "应写成 {person: 项目编号, unit: 项目编号}")
        return "", "", True
    c.keys(data, PARTICIPATION_KEYS, None, "participation.")
    refs = []
    for key in ("person", "unit"):
        ref = c.text(data.get(key), None, f"participation.{key}", required=True)
        item = items.get(ref)
        if ref and ref not in broken and (item is None or item.kind != "add"
                                          or item.points is None):
            c.add(None, f"participation.{key}", f"应为 items 中一个固定分值的加分项目编号：{ref}")
        refs.append(ref)
    covers = data.get("unit_covers_members", True)
    if not isinstance(covers, bool):
        c.add(None, "participation.unit_covers_members", "应为 true 或 false")
        covers = True
    return refs[0], refs[1], covers


def _honours(c: Collector, data: Any) -> tuple[int, str, str]:
    if data is None:
        return 3, "文明科室", ""
    if not isinstance(data, dict):
        c.add(None, "honours", "应写成 {top: 3, title: 文明科室, award: 流动红旗}")
        return 3, "文明科室", ""
    c.keys(data, HONOURS_KEYS, None, "honours.")
    top = data.get("top", 3)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        c.add(None, "honours.top", "应为正整数（每期评出的名次数）")
        top = 3
    return (top, c.text(data.get("title"), None, "honours.title") or "文明科室",
            c.text(data.get("award"), None, "honours.award"))


def load_rules_text(text: str, file: str = "<rules>") -> RuleSet:
    """Parse and validate a rules file; PointsConfigError naming every problem."""
    data = parse_yaml(text, file, "")
    c = Collector(file)
    if not isinstance(data, dict):
        c.add(None, None, "内容应为一个映射（id、base、ranks、participation、items …）")
        raise c.fail(HINT)
    c.keys(data, RULES_KEYS, None)
    rules_id = c.text(data.get("id"), None, "id", required=True)
    if rules_id and not ID_RE.match(rules_id):
        c.add(None, "id", "编号只能含字母、数字和 . _ -，不超过 20 个字符")
    ranks = c.names(data.get("ranks"), None, "ranks")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        c.add(None, "items", "应为加扣分项目的列表，至少一项")
        raw_items = []
    items: dict[str, Item] = {}
    broken: set[str] = set()  # items with problems of their own (not reported again)
    for number, raw in enumerate(raw_items, 1):
        before = len(c.problems)
        item = _item(c, raw, number, ranks)
        if item is None or not item.id:
            continue
        if len(c.problems) > before:
            broken.add(item.id)
        if fold(item.id) in {fold(i) for i in items}:
            c.add(f"项目 {item.id}", "id", "编号重复")
            continue
        items[item.id] = item
    person, unit, covers = _participation(c, data.get("participation"), items, broken)
    top, title, award = _honours(c, data.get("honours"))
    per_capita = data.get("per_capita", "net")
    if per_capita not in PER_CAPITA:
        c.add(None, "per_capita", "应为 net（净得分÷人数）或 total（含基本分的总分÷人数）")
    base = _number(c, data.get("base", 100), None, "base", positive=False)
    if c.problems:
        raise c.fail(HINT)
    return RuleSet(id=rules_id, title=c.text(data.get("title"), None, "title") or rules_id,
                   source=c.text(data.get("source"), None, "source"), base=base,
                   per_capita=per_capita, honours_top=top, honours_title=title,
                   honours_award=award, ranks=ranks, person_item=person, unit_item=unit,
                   unit_covers_members=covers, items=tuple(items.values()), file=file)


def _shipped_files() -> dict[str, Any]:
    folder = resources.files("archive_tool.points") / "rules"
    return {f.name[:-5]: f for f in folder.iterdir() if f.name.endswith(".yaml")}


def shipped_rules() -> list[str]:
    """Ids of the shipped rules files, sorted."""
    return sorted(_shipped_files())


def load_rules(ref: str, folder: Path | None = None) -> RuleSet:
    """The rules ``ref`` names: a file inside ``folder`` (the archive's ``.archive/``), a path,
    or the id of a shipped rules file."""
    candidates = [folder / ref] if folder is not None and "/" not in ref and "\\" not in ref \
        else []
    if Path(ref).suffix.lower() in (".yaml", ".yml") or Path(ref).is_file():
        candidates.append(Path(ref))
    for path in candidates:
        if path.is_file():
            return load_rules_text(read_text(path, HINT), str(path))
    files = _shipped_files()
    if ref in files:
        return load_rules_text(files[ref].read_text(encoding="utf-8"), f"{ref}.yaml")
    raise PointsConfigError(
        [Problem(ref, None, None, "没有这个积分规则文件，也不是内置积分规则的编号")],
        f"内置积分规则：{', '.join(sorted(files))}；自己的规则文件放在档案的 .archive/ 中。")
