"""``archive-tool tree …`` on bad input: one Chinese message with a fix, exit 2, no traceback."""
import re

import openpyxl
import pytest
from click.testing import CliRunner

from archive_tool.cli import main
from indicator_tree import TreeError
from indicator_tree.table_import import import_table

from .test_table_import import write_docx

ROWS = [["项目", "项目要求", "责任人"], ["I-1 学习", "组织学习。", "曲丽娟"]]
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


def run(*args):
    return CliRunner().invoke(main, list(args))


def assert_usage_error(result, *words):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for word in words:
        assert word in result.stderr, result.stderr


def test_output_in_a_missing_folder(tmp_path):
    table = write_docx(tmp_path / "2018.docx", ROWS)
    result = run("tree", "import", str(table), "-o", str(tmp_path / "nonexist" / "x.yaml"))
    assert_usage_error(result, "无法写入", "不存在", "建议")


def test_output_is_a_folder_that_exists(tmp_path):
    table = write_docx(tmp_path / "2018.docx", ROWS)
    result = run("tree", "import", str(table), "-o", str(tmp_path))
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("year", ["0", "12345", "-5"])
def test_year_out_of_range(tmp_path, year):
    table = write_docx(tmp_path / "2018.docx", ROWS)
    result = run("tree", "import", str(table), "-o", str(tmp_path / "x.yaml"), "--year", year)
    assert_usage_error(result, "--year")
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("year", [0, 12345])
def test_import_table_refuses_a_bad_year(tmp_path, year):
    with pytest.raises(TreeError) as err:
        import_table(write_docx(tmp_path / "2018.docx", ROWS), year=year)
    assert "考核年度" in str(err.value) and "--year" in err.value.hint


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_an_empty_file_is_called_empty(tmp_path, suffix):
    path = tmp_path / f"任务分解表{suffix}"
    path.write_bytes(b"")
    with pytest.raises(TreeError) as err:
        import_table(path)
    assert "文件为空" in str(err.value) and "损坏" not in str(err.value)
    result = run("tree", "import", str(path), "-o", str(tmp_path / "x.yaml"))
    assert_usage_error(result, "文件为空")


def test_a_damaged_xlsx_is_still_called_damaged(tmp_path):
    path = tmp_path / "坏.xlsx"
    openpyxl.Workbook().save(path)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(TreeError) as err:
        import_table(path)
    assert "已损坏" in str(err.value)


@pytest.mark.parametrize("command", ["list", "show", "validate", "import"])
def test_help_has_no_stray_space_between_chinese_lines(command):
    result = CliRunner().invoke(main, ["tree", command, "--help"], terminal_width=400)
    assert result.exit_code == 0
    assert not re.search(f"{CJK} {CJK}", result.output), result.output
