"""The command line as a skin: a reader that goes away, the undo hints, ``undo --help``."""
from __future__ import annotations

import ast
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import archive_tool
from archive_tool import UNDOABLE
from archive_tool.cli import EXIT_PIPE, main

from ..conftest import L1
from .scan_fixtures import docx, leaf, make_archive

PACKAGE = Path(archive_tool.__file__).resolve().parent
REPO = PACKAGE.parent


@pytest.mark.parametrize("command", [["lint"], ["check", "--as-of", "2018-10-15"],
                                     ["lint", "--format", "json"]])
def test_a_reader_gone_ends_the_command_quietly(tmp_path, command):
    """``archive-tool lint | head``: the reader closes the pipe; the command stops without a
    word on stderr (it used to say 程序内部出错（BrokenPipeError）, exit 3)."""
    root = make_archive(tmp_path)
    for number in range(30):
        docx(leaf(root, "II-1") / f"学习材料{number}.docx")  # findings to print
    child = subprocess.Popen([sys.executable, "-m", "archive_tool", *command[:1], str(root),
                              *command[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             cwd=REPO)
    child.stdout.close()  # the only reader is gone before the first line is written
    stderr = child.stderr.read().decode("utf-8")
    assert child.wait(timeout=120) == EXIT_PIPE
    assert stderr == ""


def _transaction_labels() -> set[str]:
    """The labels the library gives its undo transactions (an f-string: its constant start)."""
    labels = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "transaction" and node.args):
                arg = node.args[0]
                if isinstance(arg, ast.Constant):
                    labels.add(arg.value)
                elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                    labels.add(arg.values[0].value.strip())
    return labels


def test_undo_help_lists_every_change_that_can_be_undone():
    labels = _transaction_labels()
    assert labels >= {"lint --fix", "caption set", "footer fix", "new", "web upload"}
    assert labels <= set(UNDOABLE)
    help_text = "".join(CliRunner().invoke(main, ["undo", "--help"]).output.split())
    assert all(label.replace(" ", "") in help_text for label in UNDOABLE)


def _undo_hint(output: str) -> list[str]:
    line = next(line for line in output.splitlines() if "archive-tool undo" in line)
    return shlex.split(line[line.index("archive-tool undo"):].rstrip("。"))[1:]


@pytest.mark.parametrize("where", ["outside", "inside"])
def test_the_undo_hint_of_footer_fix_works_from_where_it_ran(demo_archive, monkeypatch, where):
    path = docx(demo_archive / L1 / "01：学习记录.docx")
    monkeypatch.chdir(demo_archive.parent if where == "outside" else demo_archive / L1)
    runner = CliRunner()
    fixed = runner.invoke(main, ["footer", "fix", str(path)])
    assert fixed.exit_code == 0, fixed.output
    args = _undo_hint(fixed.output)
    assert args == ["undo", "档案"] if where == "outside" else args == ["undo"]
    undone = runner.invoke(main, args)
    assert undone.exit_code == 0, undone.output
    assert "已撤销「footer fix」" in undone.output


def test_the_undo_hint_of_lint_fix_works_from_where_it_ran(demo_archive, monkeypatch):
    docx(demo_archive / L1 / "学习记录.docx")
    monkeypatch.chdir(demo_archive.parent)
    runner = CliRunner()
    fixed = runner.invoke(main, ["lint", "档案", "--fix", "--yes"])
    assert "已改名 1 个文件" in fixed.output
    undone = runner.invoke(main, _undo_hint(fixed.output))
    assert undone.exit_code == 0 and "已撤销「lint --fix」" in undone.output
    assert (demo_archive / L1 / "学习记录.docx").exists()
