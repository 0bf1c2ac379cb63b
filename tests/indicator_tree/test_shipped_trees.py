"""The shipped trees (indicator_tree/trees/*.yaml) load and match their seed documents."""
from __future__ import annotations

import re
from datetime import date

import pytest
from click.testing import CliRunner

import indicator_tree as it
from archive_tool.cli import main

SHIPPED = ("linyi-2018", "yimeng-2021", "zhoushan-2020")

#: linyi-2018: every level-II indicator under its level-I indicator (附件4, with the table's broken
#: column alignment resolved by the numbering and 附件2's 责任分工 sections).
LINYI_PARENTS = {
    "II-1": "I-1", "II-2": "I-1", "II-3": "I-1",
    "II-4": "I-2", "II-5": "I-2", "II-6": "I-2", "II-7": "I-2", "II-8": "I-2", "II-9": "I-2",
    "II-10": "I-2",
    "II-11": "I-3", "II-12": "I-3",
    "II-13": "I-4",
    "II-14": "I-5", "II-15": "I-5", "II-16": "I-5",
    "II-17": "I-6", "II-18": "I-6", "II-19": "I-6",
    "II-20": "I-7", "II-21": "I-7", "II-22": "I-7", "II-23": "I-7", "II-24": "I-7",
    "II-25": "I-7",
}
LINYI_TOP = [f"I-{n}" for n in range(1, 8)]


def rule_kinds(ind: it.Indicator) -> list[it.EvidenceRule]:
    return [rule for _, rule in ind.rules()]


def test_the_three_trees_are_shipped():
    assert set(SHIPPED) <= set(it.shipped_ids())


@pytest.mark.parametrize("tree_id", SHIPPED)
def test_shipped_tree_loads(tree_id):
    tree = it.load_shipped(tree_id)
    assert tree.id == tree_id
    assert tree.source
    assert tree.window_start == date(int(tree_id[-4:]), 1, 1)
    assert tree.window_end == date(int(tree_id[-4:]), 12, 31)
    for ind in tree.leaves():
        assert ind.requirements, ind.id


@pytest.mark.parametrize("tree_id", [
    "linyi-2018",
    "yimeng-2021",
    "zhoushan-2020",
])
def test_shipped_tree_round_trips(tree_id):
    tree = it.load_shipped(tree_id)
    assert it.load_tree_text(it.dump_tree(tree)) == tree


# ---- linyi-2018 -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def linyi():
    return it.load_shipped("linyi-2018")


def test_linyi_levels(linyi):
    assert [ind.id for ind in linyi.indicators] == LINYI_TOP
    level2 = [ind.id for ind in linyi.walk() if ind.level == 2]
    assert level2 == [f"II-{n}" for n in range(1, 26)]
    assert sum(1 for _ in linyi.walk()) == 32
    assert all(ind.level in (1, 2) for ind in linyi.walk())
    assert linyi.level_names == ("项目", "项目内容")


def test_linyi_parent_map(linyi):
    parents = {child.id: top.id for top in linyi.indicators for child in top.children}
    assert parents == LINYI_PARENTS


def test_linyi_every_requirement_has_owners(linyi):
    known = {"曲丽娟", "王峰", "凌绫", "秦增诗", "刘巍", "王德学"}
    for ind in linyi.leaves():
        for req in ind.requirements:
            assert req.owners, (ind.id, req.text)
            assert set(req.owners) <= known, (ind.id, req.owners)
            assert not any(" " in name for name in req.owners)


def test_linyi_multi_owner_cells_are_lists(linyi):
    assert linyi.get("II-13").requirements[1].owners == ("刘巍", "曲丽娟")
    assert linyi.get("II-23").requirements[1].owners == ("秦增诗", "曲丽娟", "王德学")
    assert linyi.get("II-7").requirements[0].owners == ("凌绫",)


def test_linyi_ii20_keeps_both_requirements(linyi):
    texts = [req.text for req in linyi.get("II-20").requirements]
    assert len(texts) == 2
    assert texts[1] == "有专门机构和人员负责日常创建工作。"
    assert not any(text.startswith("1、") for text in texts)


def test_linyi_ii4_is_quarterly(linyi):
    ind = linyi.get("II-4")
    assert any(req.note == "每季度至少开展一次活动。" for req in ind.requirements)
    rules = rule_kinds(ind)
    assert any(r.period == "quarter" and r.min_count == 1 for r in rules)


def test_linyi_ii5_is_twice_a_year(linyi):
    rules = rule_kinds(linyi.get("II-5"))
    assert any(r.period == "year" and r.min_count == 2 for r in rules)


def test_linyi_ii8_is_monthly(linyi):
    rules = rule_kinds(linyi.get("II-8"))
    assert any(r.period == "month" and r.min_count == 1 for r in rules)


# ---- zhoushan-2020 ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def zhoushan():
    return it.load_shipped("zhoushan-2020")


def test_zhoushan_groups(zhoushan):
    assert [ind.id for ind in zhoushan.indicators] == ["A", "B", "C"]
    assert [c.id for c in zhoushan.get("A").children] == [f"A-{n}" for n in range(1, 10)]
    assert [c.id for c in zhoushan.get("B").children] == [
        "III-10", "III-15", "III-31", "III-32", "III-33", "III-49", "III-65", "III-71",
        "III-72", "III-73", "III-74", "III-75", "III-85"]
    assert [c.id for c in zhoushan.get("C").children] == ["C-1"]
    assert zhoushan.get("C-1").lead == ("治水治污办",)


def test_zhoushan_common_goal_scores_sum_to_100(zhoushan):
    scores = [c.score for c in zhoushan.get("A").children]
    assert None not in scores
    assert sum(scores) == 100


def test_zhoushan_rows_of_one_item_are_requirements(zhoushan):
    # 附件2 has 21 rows of 个性目标, each a requirement; rows asking for their own materials are
    # their own leaves (one folder each), the 部门评价 rows of III-73 stay one leaf.
    leaves = [ind for ind in zhoushan.get("B").walk() if ind.is_leaf]
    assert sum(len(leaf.requirements) for leaf in leaves) == 21
    assert [c.id for c in zhoushan.get("III-75").children] == ["III-75.1", "III-75.2", "III-75.3"]
    assert [c.requirements[0].owners for c in zhoushan.get("III-75").children] == [
        ("办公室",), ("生态处",), ("综合处",)]
    assert [c.id for c in zhoushan.get("III-72").children] == ["III-72.1", "III-72.2"]
    assert [c.id for c in zhoushan.get("III-85").children] == ["III-85.1", "III-85.2"]
    assert len(zhoushan.get("III-73").requirements) == 5


def test_zhoushan_each_memorial_day_asks_its_own_photos(zhoushan):
    """The seed: 每类4张现场照片，2张样报图片 — for each of 六五, 5.22, 6.17."""
    for child in zhoushan.get("III-75").children:
        assert sorted((r.kind, r.min_count) for _, r in child.rules()) == [("clipping", 2), ("photo", 4)]


def test_zhoushan_iii15_material_rules(zhoushan):
    rules = rule_kinds(zhoushan.get("III-15"))
    assert any(r.kind == "report" and r.words == (300, 600) for r in rules)
    assert any(r.kind == "photo" and r.caption_required for r in rules)
    assert any(r.kind == "clipping" for r in rules)


def test_zhoushan_iii65_deadline(zhoushan):
    reqs = zhoushan.get("III-65").requirements
    assert reqs[0].deadline == date(2020, 6, 30)
    assert all(r.deadline == date(2020, 6, 30) for r in rule_kinds(zhoushan.get("III-65")))


def test_zhoushan_department_evaluations_ask_nothing(zhoushan):
    for ind_id in ("III-71", "III-73", "III-74"):
        for req in zhoushan.get(ind_id).requirements:
            assert req.rules == (), (ind_id, req.text)


def test_zhoushan_iii72_asks_document_and_report(zhoushan):
    first = zhoushan.get("III-72.1").requirements[0]
    assert {r.kind for r in first.rules} == {"document", "report"}
    (second,) = zhoushan.get("III-72.2").requirements
    assert [r.kind for r in second.rules] == ["report"]


# ---- yimeng-2021 ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def yimeng():
    return it.load_shipped("yimeng-2021")


def test_yimeng_levels(yimeng):
    assert [ind.id for ind in yimeng.indicators] == LINYI_TOP
    level2 = [ind.id for ind in yimeng.walk() if ind.level == 2]
    assert level2 == [f"II-{n}" for n in range(1, len(level2) + 1)]
    assert yimeng.level_names == ("一级指标", "二级指标")
    assert not any("/" in ind.name for ind in yimeng.walk())


def test_yimeng_volunteer_item_is_five_a_year(yimeng):
    found = [(ind, req) for ind in yimeng.leaves() for req in ind.requirements
             if "每年至少开展5次志愿服务活动" in req.text]
    assert len(found) == 1
    ind, req = found[0]
    assert ind.name == "开展学雷锋志愿服务活动"
    assert any(r.kind == "any" and r.period == "year" and r.min_count == 5 for r in req.rules)


# ---- CLI --------------------------------------------------------------------------------------
def test_cli_tree_show_linyi_lists_all_ids():
    result = CliRunner().invoke(main, ["tree", "show", "linyi-2018"])
    assert result.exit_code == 0, result.output
    shown = set(re.findall(r"^\s*(I{1,2}-\d+) ", result.output, flags=re.M))
    assert shown == set(LINYI_TOP) | set(LINYI_PARENTS)
    assert len(shown) == 32


def test_cli_tree_list_lists_shipped_trees():
    result = CliRunner().invoke(main, ["tree", "list"])
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.splitlines() if line.strip()}
    assert set(SHIPPED) <= listed


def test_zhoushan_iii65_asks_two_reports_and_no_document(zhoushan):
    """② "提供本市应急减排措施清单的主要内容(说明报告，700字左右)" asks for a report about the list."""
    rules = rule_kinds(zhoushan.get("III-65"))
    assert [(r.kind, r.min_count, r.words) for r in rules] == [("report", 2, (525, 1050))]


#: the notice's 三、报送要求: "规范文件于2020年4月底前完成，说明报告于2020年6月底前完成初稿"; the
#: second is a draft's date, which rejects no final report (an earlier transcription made it every
#: report's deadline); 上报时间 "6月底" of III-65 and III-85.1 is a deadline
DOCUMENTS_DUE, REPORTS_DUE = date(2020, 4, 30), date(2020, 6, 30)


def test_zhoushan_every_report_and_document_of_the_individual_goals_is_due(zhoushan):
    seen = set()
    for ind in zhoushan.get("B").walk():
        for req, rule in ind.rules():
            seen.add(ind.id)
            if rule.kind == "report":
                due = REPORTS_DUE if ind.id in ("III-65", "III-85.1") else None
                assert rule.deadline == due, (ind.id, req.text)
            elif rule.kind == "document":
                assert rule.deadline == DOCUMENTS_DUE, (ind.id, req.text)
            else:  # activities: reported when they take place
                assert rule.deadline is None, (ind.id, rule)
    assert {"III-15", "III-31", "III-32", "III-33", "III-49", "III-72.1", "III-72.2", "III-85.1",
            "III-85.2"} <= seen


def test_zhoushan_explicit_rules_are_what_the_parser_reads(zhoushan):
    """Rules written out only to place the notice's deadlines keep the note's counts."""
    def bare(rules):
        return sorted((r.kind, r.min_count, r.period, r.words or (), r.caption_required)
                      for r in rules)

    explicit = [(ind, req) for ind in zhoushan.walk() for req in ind.requirements
                if req.rules and all(r.source == "explicit" for r in req.rules)]
    assert {ind.id for ind, _ in explicit} == {"III-72.1"}
    for ind, req in explicit:
        assert bare(req.rules) == bare(it.rules_for(req.text, req.note, 2020)), ind.id
