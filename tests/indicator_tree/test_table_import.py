"""Importing a unit's own task table from real .docx / .xlsx files (merged cells and all)."""
from datetime import date

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from archive_tool.cli import main
from indicator_tree import TreeError, dump_tree, load_tree, load_tree_text, tree_json
from indicator_tree.table_import import import_table
from indicator_tree.table_cells import split_id_name, split_names, split_note, strip_numbering

TITLE = "2018 年文明单位创建任务分解表"

# Seed 000 (附件4) layout: the 责任人 header spans two grid columns; in the II-4 rows the 注 sits in
# the 责任人 column and the name moves one column right, as in the real table.
SEED000 = [
    ["项目", "项目内容", "项目要求", "责任人", "责任人"],
    ["I-1 思想政治建设", "II-1 加强学习",
     "1、组织干部职工学习习近平总书记系列重要讲话精神、党的十九大精神等。", "曲丽娟", ""],
    ["", "", "2、利用清明、五一、七一等重要纪念日，加强学习宣传教育。", "曲丽娟", ""],
    ["", "II-2 贯彻落实民主集中制", "1、领导班子团结协作，重大问题和重要事项集体研究决定。", "王 峰", ""],
    ["", "II-3 加强党风廉政建设",
     "1、积极开展廉政建设及反腐倡廉主题实践活动。 注：每季度至少开展一次活动。",
     "刘 巍 曲丽娟", ""],
    ["I-2 道德建设", "II-4 培育和践行社会主义核心价值观",
     "1、以爱国主义教育为重点，推广普及社会主义核心价值观。", "注：每半年至少组织 1 次宣讲活动。", "曲丽娟"],
    ["", "", "2、广泛宣传展示社会主义核心价值观 12 个主题词和公益广告。", "", "曲丽娟"],
    ["", "", "", "王 峰", ""],
]
#: (first row, first col, last row, last col), 0-based over the table rows
SEED000_MERGES = [(0, 3, 0, 4), (1, 0, 4, 0), (1, 1, 2, 1),
                  (5, 0, 6, 0), (5, 1, 6, 1), (5, 3, 6, 3)]

SEED003 = [
    ["序号", "测评内容", "测评标准", "材料具体要求", "上报时间", "牵头\n\n处室", "配合处室"],
    ["1", "Ⅲ-15\n志愿服务活动",
     "2)开展关爱空巢老人、留守儿童等志愿服务活动，开展党员志愿服务。",
     "③说明2020年本市开展环境保护志愿服务活动的情况(说明报告，400字左右；提供4张现场照片，"
     "2张样报图片或电视截屏或网络截图，每张图片需注明时间、主办单位、活动主题)。",
     "6月底", "办公室", "相关处室"],
    ["2", "Ⅲ-65\n突发公共事件应急处理", "3)按照国家要求制定重污染天气应急预案，完善应急减排措施清单。",
     "①说明本市制定重污染天气应急预案的情况(说明报告,700字左右)。", "6月底", "大气\n\n处", ""],
    ["3", "Ⅲ-72\n城市河湖管理", "1)建立河(湖)长巡河(湖)履职制度。",
     "①提供反映本市建立河(湖)长巡河(湖)履职制度的相关正式发文。", "定期上报", "治水治污办", ""],
    ["4", "", "2)开展辖区内河湖存在的乱占、乱采、乱堆、乱建等突出问题专项整治。",
     "说明2018年以来本市开展河湖专项整治的具体举措和实际成效(说明报告，700字左右)。", "定期上报", "", ""],
]

NO_IDS = [
    ["一级指标", "二级指标", "指标内容", "分值", "责任单位"],
    ["思想建设", "理论学习", "每季度至少开展一次集中学习。", "5", "办公室"],
    ["", "", "建立学习制度，提供正式发文。", "5", "办公室"],
    ["", "阵地建设", "设立道德讲堂。", "10", "机关党委"],
    ["道德建设", "志愿服务", "每月至少开展一次志愿服务活动。", "10", "机关党委、机关工会"],
]


def write_docx(path, rows, merges=(), paragraphs=(TITLE,)):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    covered = {(r, c) for r0, c0, r1, c1 in merges
               for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) not in covered:
                table.cell(r, c).text = value
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1)).text = rows[r0][c0]
    document.save(path)
    return path


def write_xlsx(path, rows, merges=(), title=TITLE):
    wb = openpyxl.Workbook()
    ws = wb.active
    offset = 0
    if title:
        ws.cell(1, 1).value = title
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        offset = 1
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.cell(r + 1 + offset, c + 1).value = value or None
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=r0 + 1 + offset, start_column=c0 + 1,
                       end_row=r1 + 1 + offset, end_column=c1 + 1)
    wb.save(path)
    return path


def assert_round_trip(tree):
    assert load_tree_text(dump_tree(tree)) == tree


# ---- seed 000 layout, Word and Excel -------------------------------------------------------------
def test_python_docx_repeats_merged_cells(tmp_path):
    """What the importer relies on: row.cells gives the top cell again on vMerge continuations."""
    path = write_docx(tmp_path / "t.docx", SEED000, SEED000_MERGES)
    table = docx.Document(path).tables[0]
    first, second = table.rows[1].cells[0], table.rows[2].cells[0]
    assert second.text == first.text == "I-1 思想政治建设"
    assert second._tc is first._tc
    header = table.rows[0].cells
    assert header[3] is header[4]  # a horizontal span: one _Cell, repeated
    column = [tc.vMerge for tc in table._tbl.xpath("./w:tr/w:tc[1]")]
    assert column[1:5] == ["restart", "continue", "continue", "continue"]


def test_broken_vertical_merge_is_read_anyway(tmp_path):
    """A continuation cell with nothing above makes python-docx's row.cells raise."""
    rows = [["项目", "项目要求", "责任人"], ["I-1 学习", "1、组织学习。", "曲丽娟"],
            ["", "2、开展宣讲。", "王 峰"]]
    path = write_docx(tmp_path / "t.docx", rows)
    document = docx.Document(path)
    document.tables[0].rows[0].cells[2]._tc.vMerge = "continue"
    document.tables[0].rows[2].cells[0]._tc.vMerge = "continue"
    document.save(path)
    with pytest.raises(ValueError):
        docx.Document(path).tables[0].rows[0].cells
    result = import_table(path)
    assert result.problems == []
    assert [r.owners for r in result.tree.get("I-1").requirements] == [("曲丽娟",), ("王峰",)]


def test_seed000_docx(tmp_path):
    result = import_table(write_docx(tmp_path / "table.docx", SEED000, SEED000_MERGES))
    tree = result.tree
    assert (tree.id, tree.title, tree.source) == ("table", TITLE, "table.docx")
    assert (tree.window_start, tree.window_end) == (date(2018, 1, 1), date(2018, 12, 31))
    assert [i.id for i in tree.indicators] == ["I-1", "I-2"]
    assert [c.id for c in tree.get("I-1").children] == ["II-1", "II-2", "II-3"]
    assert tree.get("I-2").name == "道德建设"
    learn = tree.get("II-1")
    assert (learn.name, learn.level) == ("加强学习", 2)
    assert [r.text for r in learn.requirements] == [
        "组织干部职工学习习近平总书记系列重要讲话精神、党的十九大精神等。",
        "利用清明、五一、七一等重要纪念日，加强学习宣传教育。"]
    assert tree.get("II-2").requirements[0].owners == ("王峰",)
    clean = tree.get("II-3").requirements[0]
    assert clean.text == "积极开展廉政建设及反腐倡廉主题实践活动。"
    assert clean.note == "每季度至少开展一次活动。"
    assert clean.owners == ("刘巍", "曲丽娟")
    assert [(r.kind, r.period, r.min_count) for r in clean.rules] == [("any", "quarter", 1)]
    values = tree.get("II-4").requirements
    assert len(values) == 2
    assert values[0].note == "每半年至少组织 1 次宣讲活动。"
    assert values[0].owners == values[1].owners == ("曲丽娟",)
    assert values[1].note == ""  # the merged 注 cell is read once, not per row
    assert [(r.kind, r.period) for r in values[0].rules] == [("any", "half")]
    assert len(result.problems) == 1
    assert "table.docx 表格 1 第 8 行" in result.problems[0] and "王峰" in result.problems[0]
    assert_round_trip(tree)


def test_seed000_docx_and_xlsx_give_the_same_tree(tmp_path):
    word = import_table(write_docx(tmp_path / "table.docx", SEED000, SEED000_MERGES))
    excel = import_table(write_xlsx(tmp_path / "table.xlsx", SEED000, SEED000_MERGES))
    as_word, as_excel = tree_json(word.tree), tree_json(excel.tree)
    assert as_word.pop("source") == "table.docx" and as_excel.pop("source") == "table.xlsx"
    assert as_excel == as_word
    assert len(excel.problems) == 1
    assert "工作表“Sheet” 第 9 行" in excel.problems[0] and "王峰" in excel.problems[0]
    assert_round_trip(excel.tree)


def test_unmerged_excel_with_repeated_cells(tmp_path):
    """Excel users often repeat the level cells on every row instead of merging them."""
    rows = [row[:] for row in SEED000[:5]]
    for r in range(2, 5):
        rows[r][0] = rows[1][0]
    rows[2][1] = rows[1][1]
    tree = import_table(write_xlsx(tmp_path / "t.xlsx", rows, [(0, 3, 0, 4)])).tree
    assert [c.id for c in tree.get("I-1").children] == ["II-1", "II-2", "II-3"]
    assert len(tree.get("II-1").requirements) == 2


# ---- seed 003 附件2 layout ---------------------------------------------------------------------
def test_seed003_material_requirements(tmp_path):
    path = write_docx(tmp_path / "舟山.docx", SEED003,
                      paragraphs=("浙江省舟山市生态环境局", "关于明确2020年创建全国文明城市任务分工的通知",
                                  "附件2"))
    result = import_table(path)
    tree = result.tree
    assert result.problems == []
    # the lines above the table (附件2 skipped), not the document's first paragraph; an id that is
    # never a bare year (the file name has no ASCII letter)
    assert tree.id == "imported-2020"
    assert tree.title == "浙江省舟山市生态环境局关于明确2020年创建全国文明城市任务分工的通知"
    assert tree.window_start == date(2020, 1, 1)
    assert [i.id for i in tree.indicators] == ["III-15", "III-65", "III-72"]
    volunteer = tree.get("III-15")
    assert (volunteer.name, volunteer.level) == ("志愿服务活动", 1)
    assert (volunteer.lead, volunteer.support) == (("办公室",), ("相关处室",))
    req = volunteer.requirements[0]
    assert req.text.startswith("开展关爱空巢老人")
    assert "4张现场照片" in req.note
    assert req.deadline == date(2020, 6, 30)
    rules = {r.kind: r for r in req.rules}
    assert (rules["photo"].min_count, rules["photo"].caption_required) == (4, True)
    assert (rules["clipping"].min_count, rules["clipping"].caption_required) == (2, True)
    assert rules["report"].words == (300, 600)
    assert all(r.deadline == date(2020, 6, 30) for r in req.rules)
    assert tree.get("III-65").lead == ("大气处",)
    assert tree.get("III-65").requirements[0].rules[0].words == (525, 1050)
    # two numbered rows of III-72: one leaf each (a file of one task never counts for the other)
    rivers = tree.get("III-72")
    assert [c.id for c in rivers.children] == ["III-72.1", "III-72.2"] and not rivers.requirements
    first, second = (c.requirements for c in rivers.children)
    assert len(first) == len(second) == 1 and second[0].text.startswith("开展辖区内河湖")
    assert [r.kind for r in first[0].rules] == ["document"]
    assert [r.kind for r in second[0].rules] == ["report"]
    assert "上报时间：定期上报" in first[0].note and first[0].deadline is None
    assert rivers.children[0].lead == ("治水治污办",)
    assert_round_trip(tree)


def test_year_argument_and_options_win(tmp_path):
    path = write_docx(tmp_path / "linyi_2018 表.docx", SEED003, paragraphs=())
    tree = import_table(path, year=2021).tree
    assert tree.id == "linyi-2018" and tree.title == "linyi_2018 表"
    assert tree.get("III-15").requirements[0].deadline == date(2021, 6, 30)
    tree = import_table(path, tree_id="mine", title="我的指标").tree
    assert (tree.id, tree.title, tree.window_start.year) == ("mine", "我的指标", 2018)


# ---- tables without ids ------------------------------------------------------------------------
def test_generated_ids_and_scores(tmp_path):
    result = import_table(write_xlsx(tmp_path / "t.xlsx", NO_IDS, [(1, 0, 3, 0), (1, 1, 2, 1)]))
    tree = result.tree
    assert result.problems == []
    assert [(i.id, i.name) for i in tree.indicators] == [("I-1", "思想建设"), ("I-2", "道德建设")]
    assert [(c.id, c.name) for c in tree.get("I-1").children] == [("II-1", "理论学习"),
                                                                  ("II-2", "阵地建设")]
    assert [c.id for c in tree.get("I-2").children] == ["II-3"]
    assert tree.get("II-1").score == 10 and tree.get("II-3").score == 10
    assert tree.get("II-3").lead == ("机关党委", "机关工会")
    assert tree.level_names == ("一级指标", "二级指标")
    assert_round_trip(tree)


def test_scoring_column_total(tmp_path):
    rows = [["序号", "项目", "工作内容", "评分标准", "牵头处室"],
            ["1", "组织保障", "1.把创建全国文明城市纳入党委重要议事日程；\n\n2.制订年度计划。",
             "1.创建工作列入单位重要议事日程 4 分；\n\n2.制定创建工作计划 5 分；\n\n（共15分）", "创建领导小组办公室"],
            ["2", "信息报送", "按要求及时参加相关会议，报送相关报表、信息、材料等。", "每少一次扣 1 分。（共10分）", ""]]
    tree = import_table(write_docx(tmp_path / "a.docx", rows)).tree
    assert [(i.id, i.name, i.score) for i in tree.indicators] == [
        ("I-1", "组织保障", 15.0), ("I-2", "信息报送", 10.0)]
    # each 评分标准 line is the note of the 工作内容 item it scores (where the rule parser reads it)
    assert tree.get("I-1").requirements[1].note == "制定创建工作计划 5 分；"
    assert tree.get("I-1").requirements[0].text.startswith("把创建全国文明城市")
    assert_round_trip(tree)


# ---- errors --------------------------------------------------------------------------------------
def test_legacy_doc_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "任务分解表.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old word file")
    with pytest.raises(TreeError) as err:
        import_table(path)
    assert ".docx" in err.value.hint and "另存为" in err.value.hint
    assert "任务分解表.doc" in str(err.value)


def test_corrupt_docx(tmp_path):
    path = tmp_path / "坏文件.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(TreeError) as err:
        import_table(path)
    assert "坏文件.docx" in str(err.value) and "另存为 .docx" in err.value.hint


def test_no_recognisable_table(tmp_path):
    path = write_docx(tmp_path / "名单.docx", [["序 号", "科 室 (单 位)", "人 数"], ["1", "办公室", "9"]])
    with pytest.raises(TreeError) as err:
        import_table(path)
    assert "项目要求" in err.value.hint and "测评内容" in err.value.hint


def test_requirement_without_indicator_is_reported(tmp_path):
    rows = [["项目", "项目要求", "责任人"], ["", "1、组织学习。", "曲丽娟"], ["I-1 学习", "1、开展活动。", "王 峰"]]
    result = import_table(write_xlsx(tmp_path / "t-2018.xlsx", rows, title=""))
    assert [i.id for i in result.tree.indicators] == ["I-1"]
    assert len(result.problems) == 1 and "第 2 行" in result.problems[0]
    assert "组织学习" in result.problems[0]


def test_shifted_rows_are_reported(tmp_path):
    """Rows whose cells slid one column (a merged cell lost on copy-paste) are flagged."""
    rows = [SEED000[0][:4], SEED000[1][:4],
            ["II-3 加强党风廉政建设", "", "1、积极开展廉政建设活动。", "曲丽娟"],
            ["", "", "2、落实全面从严治党要求。", "曲丽娟"],
            ["", "", "", "3、开展其他业务培训活动。"],
            ["", "4、开展警示教育活动。", "曲丽娟", ""]]
    result = import_table(write_xlsx(tmp_path / "t-2018.xlsx", rows, title=""))
    tree = result.tree
    assert [i.id for i in tree.indicators] == ["I-1", "II-3"]  # imported where it sits
    assert [r.text for r in tree.get("II-3").requirements] == [
        "积极开展廉政建设活动。", "落实全面从严治党要求。"]
    assert len(result.problems) == 3
    assert "第 3 行" in result.problems[0] and "编号“II-3”在第 1 级指标列" in result.problems[0]
    assert "第 5 行" in result.problems[1] and "开展其他业务培训活动" in result.problems[1]
    assert "只有责任人" not in result.problems[1]
    assert "第 6 行" in result.problems[2] and "开展警示教育活动" in result.problems[2]
    assert_round_trip(tree)


# ---- cell text helpers ---------------------------------------------------------------------------
@pytest.mark.parametrize("cell, expected", [
    ("I-1 思想政治建设", ("I-1", "思想政治建设")),
    ("Ⅲ-15\n志愿服务活动", ("III-15", "志愿服务活动")),
    ("ＩＩ－３ 加强党风廉政建设", ("II-3", "加强党风廉政建设")),
    ("《条例》\n\n落实", (None, "《条例》落实")),
    ("一、党务/政务公开", (None, "党务／政务公开")),
])
def test_split_id_name(cell, expected):
    assert split_id_name(cell) == expected


@pytest.mark.parametrize("cell, expected", [
    ("王 峰", ["王峰"]), ("刘 巍 曲丽娟", ["刘巍", "曲丽娟"]), ("曲丽娟 凌 绫", ["曲丽娟", "凌绫"]),
    ("秦增诗 曲丽娟 王德学", ["秦增诗", "曲丽娟", "王德学"]), ("杨 燕 宋 昊", ["杨燕", "宋昊"]),
    ("机关党委、机关工会", ["机关党委", "机关工会"]), ("大气\n\n处", ["大气处"]),
    ("治水治污办，水和海洋处\n科监处", ["治水治污办", "水和海洋处", "科监处"]),
])
def test_split_names(cell, expected):
    assert split_names(cell) == expected


def test_numbering_and_notes():
    assert strip_numbering("1、组织学习") == "组织学习"
    assert strip_numbering("2)开展") == "开展" and strip_numbering("①说明") == "说明"
    assert strip_numbering("1.5倍以上") == "1.5倍以上"
    assert strip_numbering("12345等投诉处理机制") == "12345等投诉处理机制"
    assert split_note("效果良好。 注：每年至少开展两次宣教活动。") == ("效果良好。", "每年至少开展两次宣教活动。")
    assert split_note("每张图片需注明时间") == ("每张图片需注明时间", "")
    assert split_note("组织活动（注：每月一次）") == ("组织活动", "每月一次")


# ---- CLI end to end ------------------------------------------------------------------------------
def test_cli_import_then_validate(tmp_path):
    table = write_docx(tmp_path / "table.docx", SEED000[:-1], SEED000_MERGES)
    out = tmp_path / "out.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["tree", "import", str(table), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已导入 6 项指标" in result.stdout
    assert load_tree(out).get("II-3").requirements[0].owners == ("刘巍", "曲丽娟")
    checked = runner.invoke(main, ["tree", "validate", str(out)])
    assert checked.exit_code == 0, checked.output
    again = runner.invoke(main, ["tree", "import", str(table), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr


def test_cli_unplaceable_row_exits_1(tmp_path):
    table = write_docx(tmp_path / "table.docx", SEED000, SEED000_MERGES)
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["tree", "import", str(table), "-o", str(out)])
    assert result.exit_code == 1
    assert "第 8 行" in result.stderr and "王峰" in result.stderr
    assert "第 8 行" not in result.stdout
    assert CliRunner().invoke(main, ["tree", "validate", str(out)]).exit_code == 0


def test_cli_legacy_file_exits_2(tmp_path):
    path = tmp_path / "表.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = CliRunner().invoke(main, ["tree", "import", str(path), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr
