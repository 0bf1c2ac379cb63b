"""The points rules as data: the shipped linyi-2018 file of seed 000, and validation of a unit's own."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from archive_tool.cli import main
from archive_tool.errors import UsageError
from archive_tool.points import load_rules, shipped_rules
from archive_tool.points.problems import PointsConfigError
from archive_tool.points.ruleset import load_rules_text
from indicator_tree import shipped_ids

GOOD = """
id: demo
base: 100
ranks: [科级以上, 一般职工]
participation: {person: P, unit: U}
items:
  - {id: P, kind: add, text: 个人参加, points: 0.5}
  - {id: U, kind: add, text: 整体参加, points: 1}
  - {id: X, kind: deduct, text: 处分, ranks: {科级以上: 5, 一般职工: 4}}
"""


def test_the_shipped_rules_transcribe_seed_000():
    assert shipped_rules() == ["linyi-2018"]
    rules = load_rules("linyi-2018")
    assert rules.base == 100 and rules.per_capita == "net" and rules.honours_top == 3
    assert rules.get(rules.person_item).amount() == Decimal("0.5")
    assert rules.get(rules.unit_item).amount() == 1
    assert rules.get("A2").amount() == 10 and rules.get("A3").amount() == 3
    assert rules.get("A4").amount(level="二等奖") == 2
    # thirteen kinds of deductions, some by rank
    clauses = {i.clause for i in rules.items if i.kind == "deduct"}
    assert clauses == {f"二（三）{n}" for n in range(1, 14)}
    assert rules.get("D2a").amount(rank="科级以上") == -20
    assert rules.get("D2a").amount(rank="一般职工") == -10
    assert rules.get("D3c").amount(rank=rules.rank_of("科级以上领导干部")) == -5
    assert rules.get("D11").amount(level="省级") == -6
    with pytest.raises(UsageError, match="没有职级「一般职工」"):
        rules.get("D4a").amount(rank="一般职工")  # only 科级以上 leaders can be dismissed
    with pytest.raises(UsageError, match="需要写明职级"):
        rules.get("D2a").amount()


def test_the_rules_are_not_taken_for_a_tree():
    assert "linyi-2018" in shipped_ids()
    from importlib import resources
    trees = {f.name for f in (resources.files("indicator_tree") / "trees").iterdir()}
    assert not any("point" in name or "积分" in name for name in trees)


def test_every_problem_is_named_with_its_item_and_field():
    bad = GOOD.replace("points: 0.5", "points: -1").replace("kind: deduct", "kind: minus") \
        .replace("一般职工: 4", "干部: 4") + "  - {id: P, kind: add, text: 重复, points: 1}\n" \
        + "  - {id: Y, kind: add, text: 两种, points: 1, levels: {一: 1}, colour: red}\n"
    with pytest.raises(PointsConfigError) as info:
        load_rules_text(bad, "我的规则.yaml")
    found = {(p.where, p.field) for p in info.value.problems}
    assert found == {("项目 P", "points"), ("项目 X", "kind"), ("项目 X", "ranks.干部"),
                     ("项目 P", "id"), ("项目 Y", "points"), ("项目 Y", "colour")}
    assert "我的规则.yaml 有 6 处问题" in info.value.message


def test_participation_must_name_fixed_additions():
    bad = GOOD.replace("unit: U}", "unit: X}").replace("person: P", "person: Q")
    with pytest.raises(PointsConfigError) as info:
        load_rules_text(bad, "r.yaml")
    assert {p.field for p in info.value.problems} == {"participation.person",
                                                       "participation.unit"}


def test_a_key_written_twice_and_bad_yaml_are_reported():
    with pytest.raises(PointsConfigError, match="字段 base：第 4 行重复写了这个字段"):
        load_rules_text(GOOD.replace("base: 100", "base: 100\nbase: 90"), "r.yaml")
    with pytest.raises(PointsConfigError, match="YAML 语法错误（第 2 行"):
        load_rules_text("id: x\n  - : :\n", "r.yaml")


def test_points_rules_command(tmp_path):
    res = CliRunner().invoke(main, ["points", "rules"])
    assert res.exit_code == 0 and res.output.startswith("linyi-2018")
    res = CliRunner().invoke(main, ["points", "rules", "linyi-2018", "--format", "json"])
    data = json.loads(res.stdout)
    assert data["participation"]["person"] == "A1-person" and len(data["items"]) == 25
    own = tmp_path / "我的规则.yaml"
    own.write_text(GOOD.replace("points: 0.5", "points: zero"), encoding="utf-8")
    res = CliRunner().invoke(main, ["points", "rules", str(own)])
    assert res.exit_code == 2 and "项目 P：字段 points：应为数字" in res.output
