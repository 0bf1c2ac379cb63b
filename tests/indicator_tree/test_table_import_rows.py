"""Table import row by row: what a row is (data, repeated header, continuation), ids and
requirements. Real .docx / .xlsx files made with python-docx and openpyxl."""
from datetime import date

import pytest

from indicator_tree import dump_tree, load_tree_text
from indicator_tree.table_import import import_table

from .test_table_import import write_docx, write_xlsx

MATERIAL_HEADER = ["序号", "测评内容", "测评标准", "材料具体要求", "上报时间", "牵头处室"]


def round_trips(tree):
    return load_tree_text(dump_tree(tree)) == tree


# ---- repeated headers ---------------------------------------------------------------------------
def test_sparse_data_rows_are_not_taken_for_a_repeated_header(tmp_path):
    """Cells that merely contain 标准 / 要求 / 材料 / 时间 are data, not header names."""
    rows = [MATERIAL_HEADER,
            ["1", "Ⅲ-75 生态环境宣传教育", "围绕六五环境日开展主题宣传。", "4张现场照片", "6月底", "办公室"],
            ["2", "", "按照国家标准开展环境监测宣传。", "提供监测报告等材料", "", ""],
            ["", "", "执行上级要求，开展低碳日活动", "", "按活动时间上报", ""]]
    result = import_table(write_xlsx(tmp_path / "2020.xlsx", rows, title=""))
    first, second = result.tree.get("III-75").children  # numbered rows 1 and 2; row 3 continues 2
    assert [r.text for r in first.requirements] == ["围绕六五环境日开展主题宣传。"]
    assert [r.text for r in second.requirements] == ["按照国家标准开展环境监测宣传。",
                                                     "执行上级要求，开展低碳日活动"]
    assert second.requirements[0].note == "提供监测报告等材料"
    assert result.problems == []


def test_a_repeated_header_is_still_skipped(tmp_path):
    """A table continued on a new page repeats its header, spacing and line breaks aside."""
    rows = [MATERIAL_HEADER,
            ["1", "Ⅲ-75 生态环境宣传教育", "围绕六五环境日开展主题宣传。", "4张现场照片", "6月底", "办公室"],
            ["序 号", "测评\n内容", "测评标准", "材料具体要求", "上报时间", "牵头\n处室"],
            ["", "", "测评标准", "材料具体要求", "", ""],
            ["2", "Ⅲ-85 环境整治", "支持农村改水。", "说明报告，300字左右", "6月底", "治水治污办"]]
    result = import_table(write_docx(tmp_path / "2020.docx", rows))
    assert [i.id for i in result.tree.indicators] == ["III-75", "III-85"]
    assert [r.text for r in result.tree.get("III-75").requirements] == ["围绕六五环境日开展主题宣传。"]
    assert result.problems == []


# ---- ids -----------------------------------------------------------------------------------------
RESTARTING = [["一级指标", "二级指标", "指标内容", "责任人"],
              ["I-1 思想建设", "II-1 学习", "组织学习。", "曲丽娟"],
              ["", "II-2 民主", "民主决策。", "王峰"],
              ["I-2 道德建设", "II-1 核心价值观", "宣传核心价值观。", "曲丽娟"],
              ["", "II-2 阵地", "建设道德讲堂。", "王峰"]]


def test_ids_restarting_under_each_parent_are_not_merged(tmp_path):
    result = import_table(write_xlsx(tmp_path / "2018.xlsx", RESTARTING,
                                     [(1, 0, 2, 0), (3, 0, 4, 0)], title=""))
    tree = result.tree
    assert [(c.id, c.name) for c in tree.get("I-1").children] == [("II-1", "学习"), ("II-2", "民主")]
    assert [(c.id, c.name) for c in tree.get("I-2").children] == [("II-3", "核心价值观"),
                                                                  ("II-4", "阵地")]
    assert [r.text for r in tree.get("II-1").requirements] == ["组织学习。"]
    assert [r.text for r in tree.get("II-3").requirements] == ["宣传核心价值观。"]
    assert tree.get("II-3").notes == "原表编号：II-1"
    assert len(result.problems) == 2
    assert "第 4 行" in result.problems[0] and "编号“II-1”重复" in result.problems[0]
    assert "改用编号 II-3" in result.problems[0] and "核对" in result.problems[0]
    assert round_trips(tree)


def test_the_same_id_and_name_again_is_the_same_indicator(tmp_path):
    """Excel users repeat the level cells; a later sheet may continue an indicator."""
    rows = [RESTARTING[0], RESTARTING[1], ["I-1 思想建设", "II-1 学习", "开展宣讲。", "曲丽娟"],
            ["I-1 思想建设", "II-2 民主", "民主决策。", "王峰"],
            ["I-1 思想建设", "II-1 学习", "学习笔记。", "曲丽娟"]]
    result = import_table(write_xlsx(tmp_path / "2018.xlsx", rows, title=""))
    assert [c.id for c in result.tree.get("I-1").children] == ["II-1", "II-2"]
    assert [r.text for r in result.tree.get("II-1").requirements] == ["组织学习。", "开展宣讲。", "学习笔记。"]
    assert result.problems == []


def test_sheets_repeating_ids_with_other_names_are_kept_apart(tmp_path):
    path = write_xlsx(tmp_path / "2018.xlsx", RESTARTING[:3], [(1, 0, 2, 0)], title="")
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("第二部分")
    for row in [RESTARTING[0], ["I-1 道德建设", "II-1 核心价值观", "宣传核心价值观。", "曲丽娟"]]:
        ws.append(row)
    wb.save(path)
    result = import_table(path)
    tree = result.tree
    assert [(i.id, i.name) for i in tree.indicators] == [("I-1", "思想建设"), ("I-2", "道德建设")]
    assert [(c.id, c.name) for c in tree.get("I-2").children] == [("II-3", "核心价值观")]
    assert [r.text for r in tree.get("II-1").requirements] == ["组织学习。"]
    assert len(result.problems) == 2 and "第二部分" in result.problems[0]
    assert round_trips(tree)


# ---- deadlines ---------------------------------------------------------------------------------
def test_imported_rules_keep_the_deadline_of_their_clause(tmp_path):
    rows = [MATERIAL_HEADER,
            ["1", "Ⅲ-72 城市河湖管理", "建立河长巡河履职制度。",
             "提供正式发文（规范文件于2020年4月底前完成）；说明报告，400字左右（于2020年6月底前报送）",
             "", "治水治污办"]]
    tree = import_table(write_docx(tmp_path / "2020.docx", rows)).tree
    req = tree.get("III-72").requirements[0]
    assert {r.kind: r.deadline for r in req.rules} == {"document": date(2020, 4, 30),
                                                       "report": date(2020, 6, 30)}
    assert req.deadline is None
    assert round_trips(tree)


# ---- 附件1 cells: numbered items, 评分标准 ----------------------------------------------------------
SCORED = [["序号", "项目", "工作内容", "评分标准", "牵头处室"],
          ["1", "组织保障", "1.纳入重要议事日程；\n\n2.制订年度计划；\n\n3.机构完善。",
           "1.列入议事日程 4 分；\n\n2.制定计划 5 分；\n\n3.创建工作机构 6 分。\n\n（共15分）", "创建办"],
          ["4", "创建氛围", "1.建立完善学习制度；",
           "1.学习制度和计划 2 分，学习记录（集中学习每季度至少 1次）3 分；（共5分）", "办公室"],
          ["5", "信息报送", "按要求报送材料。\n注意时效。", "每少一次扣 1 分。（共10分）", ""]]


def test_numbered_items_of_a_cell_are_requirements_scored_line_by_line(tmp_path):
    tree = import_table(write_docx(tmp_path / "2020.docx", SCORED)).tree
    reqs = tree.get("I-1").requirements
    assert [r.text for r in reqs] == ["纳入重要议事日程；", "制订年度计划；", "机构完善。"]
    assert [r.note for r in reqs] == ["列入议事日程 4 分；", "制定计划 5 分；", "创建工作机构 6 分。"]
    assert tree.get("I-1").score == 15
    unnumbered = tree.get("I-3").requirements
    assert [r.text for r in unnumbered] == ["按要求报送材料。\n注意时效。"]
    assert round_trips(tree)


def test_a_scoring_frequency_is_a_rule_of_the_rows_requirements(tmp_path):
    """The 评分标准 names what is scored: 学习制度和计划 (two documents) and 学习记录, one a
    quarter (an earlier reading kept only "any file, quarterly", so a photo stood for the
    study records)."""
    tree = import_table(write_docx(tmp_path / "2020.docx", SCORED)).tree
    (req,) = tree.get("I-2").requirements
    assert req.note == "学习制度和计划 2 分，学习记录（集中学习每季度至少 1次）3 分；"
    assert sorted((r.kind, r.period, r.min_count) for r in req.rules) == [
        ("document", "window", 2), ("record", "quarter", 1)]


def test_scores_unlike_the_items_go_whole_to_each(tmp_path):
    rows = [SCORED[0], ["1", "学习", "1.集中学习；\n2.个人自学。", "每季度至少开展一次，得 5 分。", ""]]
    reqs = import_table(write_docx(tmp_path / "2020.docx", rows)).tree.get("I-1").requirements
    assert [r.note for r in reqs] == ["每季度至少开展一次，得 5 分。"] * 2
    assert all(r.rules[0].period == "quarter" for r in reqs)


def test_a_cell_merged_over_rows_with_their_own_materials_stays_one_requirement(tmp_path):
    rows = [MATERIAL_HEADER,
            ["1", "Ⅲ-75 生态环境宣传教育", "1)围绕六五环境日开展宣传。\n2)倡导绿色低碳。", "4张现场照片", "", "办公室"],
            ["2", "", "", "2张样报图片", "", "生态处"]]
    parent = import_table(write_docx(tmp_path / "2020.docx", rows, [(1, 1, 2, 1), (1, 2, 2, 2)])
                          ).tree.get("III-75")
    reqs = [req for child in parent.children for req in child.requirements]  # a leaf per row
    assert [r.text for r in reqs] == ["围绕六五环境日开展宣传。\n2)倡导绿色低碳。"] * 2
    assert [r.note for r in reqs] == ["4张现场照片", "2张样报图片"]
    assert [c.lead for c in parent.children] == [("办公室",), ("生态处",)]
    assert [c.id for c in parent.children] == ["III-75.1", "III-75.2"]


# ---- the same text twice -------------------------------------------------------------------------
def test_two_numbered_requirements_with_the_same_text_stay_two(tmp_path):
    rows = [["项目", "项目要求", "责任人"], ["I-1 学习", "1、开展学习活动。", "曲丽娟"],
            ["", "2、开展学习活动。", "王 峰"]]
    reqs = import_table(write_xlsx(tmp_path / "2018.xlsx", rows, [(1, 0, 2, 0)])).tree.get("I-1").requirements
    assert [(r.text, r.owners) for r in reqs] == [("开展学习活动。", ("曲丽娟",)),
                                                  ("开展学习活动。", ("王峰",))]


@pytest.mark.parametrize("merged", [True, False])
def test_a_requirement_cell_continued_below_adds_its_owners(tmp_path, merged):
    """Merged down over two rows, or repeated as is (Excel users repeat cells): one requirement."""
    rows = [["项目", "项目要求", "责任人"], ["I-1 学习", "1、开展学习活动。", "曲丽娟"],
            ["", "" if merged else "1、开展学习活动。", "王 峰"]]
    merges = [(1, 0, 2, 0)] + ([(1, 1, 2, 1)] if merged else [])
    reqs = import_table(write_xlsx(tmp_path / "2018.xlsx", rows, merges)).tree.get("I-1").requirements
    assert [(r.text, r.owners) for r in reqs] == [("开展学习活动。", ("曲丽娟", "王峰"))]


# ---- 部门评价 ---------------------------------------------------------------------------------------
def test_a_department_evaluation_asks_nothing_as_in_the_shipped_trees(tmp_path):
    rows = [MATERIAL_HEADER,
            ["1", "Ⅲ-74 城市声环境质量", "城市声环境功能区夜间监测总点次达标率≥75%。",
             "省级文明办征求省级主管部门意见、作出评价(部门评价)。", "协调省厅相关处室", "大气处"],
            ["2", "Ⅲ-72 城市河湖管理", "建立河长巡河履职制度。",
             "①提供相关正式发文。②省级文明办作出评价(部门评价)。", "", "治水治污办"]]
    tree = import_table(write_docx(tmp_path / "2020.docx", rows)).tree
    assert tree.get("III-74").requirements[0].rules == ()
    assert "rules: []" in dump_tree(tree)
    assert [r.kind for r in tree.get("III-72").requirements[0].rules] == ["document"]
    assert round_trips(tree)


# ---- the year ----------------------------------------------------------------------------------------
NO_YEAR = [["项目", "项目要求", "责任人"], ["I-1 学习", "组织学习，6月底前完成。", "曲丽娟"]]


def test_the_year_is_read_from_a_date_in_the_cells(tmp_path):
    rows = NO_YEAR + [["", "2018年以来的学习材料，于2020年4月底前完成整理。", "曲丽娟"]]
    result = import_table(write_xlsx(tmp_path / "任务.xlsx", rows, title=""))
    assert result.tree.window_start == date(2020, 1, 1)
    assert result.tree.get("I-1").requirements[0].rules[0].deadline == date(2020, 6, 30)
    assert result.problems == []


def test_else_the_year_the_cells_name_most(tmp_path):
    rows = NO_YEAR + [["", "说明2018年以来的情况。", "曲丽娟"], ["", "提供2019年的照片。", "曲丽娟"],
                      ["", "提供2019年的总结。", "曲丽娟"]]
    result = import_table(write_xlsx(tmp_path / "任务.xlsx", rows, title=""))
    assert result.tree.window_start == date(2019, 1, 1) and result.problems == []


def test_an_assumed_year_is_said_with_how_to_set_it(tmp_path):
    result = import_table(write_xlsx(tmp_path / "任务.xlsx", NO_YEAR, title=""))
    this_year = date.today().year
    assert result.tree.window_start == date(this_year, 1, 1)
    assert len(result.problems) == 1
    assert f"按今年 {this_year} 年计" in result.problems[0] and "--year" in result.problems[0]
    assert import_table(tmp_path / "任务.xlsx", year=2018).problems == []


def test_an_id_too_long_for_a_folder_is_not_taken(tmp_path):
    from indicator_tree.table_cells import split_id_name
    assert split_id_name("ABCDEF-1234-1234-1234-1234 名称")[0] is None
    assert split_id_name("III-15.2 名称") == ("III-15.2", "名称")
