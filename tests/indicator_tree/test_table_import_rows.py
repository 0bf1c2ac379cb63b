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
    reqs = result.tree.get("III-75").requirements
    assert [r.text for r in reqs] == ["围绕六五环境日开展主题宣传。", "按照国家标准开展环境监测宣传。",
                                      "执行上级要求，开展低碳日活动"]
    assert reqs[1].note == "提供监测报告等材料"
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
