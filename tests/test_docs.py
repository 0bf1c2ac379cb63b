"""The docs are tested: every command has help and is in the README; README YAML examples load."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from archive_tool.cli import main
from indicator_tree import load_tree_text

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path, command):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert command.help and command.help.strip()
    if not isinstance(command, click.Group) or not any(
            isinstance(c, click.Command) for c in command.commands.values()):
        assert "示例" in result.output or any(
            "示例" in (parent.help or "") for p, parent in COMMANDS if p == path[:1])


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_is_documented_in_the_readme(path):
    assert f"archive-tool {' '.join(path)}" in README or (
        len(path) > 1 and f"{path[-1]}" in README and f"archive-tool {path[0]}" in README)


def _yaml_blocks():
    return re.findall(r"```yaml\n(.*?)```", README, flags=re.S)


def test_the_readme_has_yaml_examples():
    assert len(_yaml_blocks()) >= 2


@pytest.mark.parametrize("block", _yaml_blocks())
def test_every_yaml_example_loads(block, tmp_path):
    data = yaml.safe_load(block)
    if "years" in data:
        from archive_tool.config import load_years, write_config
        for year in data["years"]:
            write_config(tmp_path / year, _yaml_blocks()[0])
        (tmp_path / ".archive").mkdir()
        (tmp_path / ".archive" / "config.yaml").write_text(block, encoding="utf-8")
        assert load_years(tmp_path).years == tuple(data["years"])
    elif "indicators" in data:
        tree = load_tree_text(block, "README.md")
        assert tree.get("II-1") is not None
    elif "departments" in data:  # .archive/points.yaml
        from archive_tool.points.roster import load_points_text
        roster = load_points_text(block, "README.md", tmp_path).roster
        assert roster.find("王德学").person.department == roster.department("规财科").name
    elif "items" in data:  # a points rules file
        from archive_tool.points.ruleset import load_rules_text
        assert load_rules_text(block, "README.md").get("D3c").amount(rank="一般职工") == -4
    else:
        from archive_tool.config import load_config
        archive = tmp_path / ".archive"
        archive.mkdir()
        (archive / "config.yaml").write_text(block, encoding="utf-8")
        (archive / "tree.yaml").write_text(_yaml_blocks()[0], encoding="utf-8")
        config = load_config(tmp_path)
        assert config.unit == "临沂市环境保护局" and "机关党委" in config.all_organizers


def test_the_test_command_is_marked_for_ci():
    marked = re.search(r"<!-- test-command -->\n```sh\n(.*?)\n```\n<!-- /test-command -->", README,
                       flags=re.S)
    assert marked and "pytest" in marked.group(1)


def test_click_speaks_chinese():
    """click's own words (usage, option headings, errors) are translated, not left in English."""
    runner = CliRunner()
    res = runner.invoke(main, ["check", "--help"])
    assert res.output.startswith("用法：") and "显示本帮助并退出。" in res.output
    res = runner.invoke(main, ["check", "--format", "pdf"])
    assert res.exit_code == 2
    assert "错误：'--format' 的值无效：'pdf' 不是可选值之一" in res.output
    assert "check --help' 查看帮助。" in res.output
    res = runner.invoke(main, ["chek"])
    assert "没有子命令 'chek'" in res.output and "check" in res.output
    res = runner.invoke(main, ["check", "/没有这个文件夹"])
    assert "'/没有这个文件夹' 不存在。" in res.output


def test_a_defect_is_one_message_and_exit_3_not_a_traceback(monkeypatch):
    import indicator_tree as it

    def broken():
        raise RuntimeError("出错了")

    monkeypatch.setattr(it, "shipped_ids", broken)  # our own code failing, not a library's
    res = CliRunner().invoke(main, ["tree", "list"])
    assert res.exit_code == 3
    assert "程序内部出错（RuntimeError：出错了）" in res.output and "--debug" in res.output
    assert "Traceback" not in res.output
    res = CliRunner().invoke(main, ["--debug", "tree", "list"])
    assert isinstance(res.exception, RuntimeError)


def test_the_library_example_runs_as_the_readme_says(tmp_path, monkeypatch, capsys):
    """README "Library use": the five lines open the sample, check it and print the missing
    indicators, which are those the gap report's JSON calls missing."""
    import json
    import shutil

    block = re.search(r"<!-- library-example -->\n```python\n(.*?)```", README, flags=re.S)
    code = block.group(1)
    assert len([line for line in code.splitlines() if line.strip()]) == 5
    sample = Path(__file__).resolve().parent.parent / "sample_archive"
    shutil.copytree(sample, tmp_path / "sample_archive",
                    ignore=shutil.ignore_patterns("state.sqlite*", "index", "undo*", "watch.log*"))
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.strip()
    assert printed in README  # the README says what it prints
    result = CliRunner().invoke(main, ["check", "sample_archive", "--as-of", "2018-10-15",
                                       "--format", "json"])

    def missing(items):
        for item in items:
            if not item["children"] and item["status"] == "missing":
                yield item["id"]
            yield from missing(item["children"])

    assert printed == str(list(missing(json.loads(result.stdout)["indicators"])))
