"""The archive configuration: find_root, load_config, write_config."""
from datetime import date

import pytest

import archive_tool.config as config_module
from archive_tool.config import (ARCHIVE_DIR, config_text, find_root, load_config, open_archive,
                                 write_config)
from archive_tool.errors import ConfigError, NotAnArchiveError
from indicator_tree import TreeError

TREE = """\
id: demo-2018
title: 演示指标体系
window: {start: 2018-01-01, end: 2018-12-31}
indicators:
  - id: I-1
    name: 思想政治建设
    owners: [办公室, 机关党委]
    children:
      - id: II-1
        name: 加强学习
        lead: 机关党委
        support: [宣传处]
"""


def make_archive(root, config="tree: tree.yaml\nunit: 临沂市环境保护局\n", tree=TREE):
    archive = root / ARCHIVE_DIR
    archive.mkdir(parents=True)
    (archive / "tree.yaml").write_text(tree, encoding="utf-8")
    (archive / "config.yaml").write_text(config, encoding="utf-8")
    return root


def test_find_root_from_a_nested_file(tmp_path):
    root = make_archive(tmp_path / "档案")
    leaf = root / "I-1 思想政治建设" / "II-1 加强学习"
    leaf.mkdir(parents=True)
    photo = leaf / "01：学习会.jpg"
    photo.write_bytes(b"x")
    assert find_root(photo) == root
    assert find_root(leaf) == root
    assert find_root(root) == root
    assert open_archive(photo).root == root


def test_find_root_outside_an_archive_says_to_run_init(tmp_path):
    (tmp_path / ARCHIVE_DIR).mkdir()  # a .archive/ without config.yaml does not count
    with pytest.raises(NotAnArchiveError) as info:
        find_root(tmp_path / "somewhere")
    assert "archive-tool init" in info.value.hint


def test_load_config_fields_and_defaults(tmp_path):
    root = make_archive(tmp_path, "tree: tree.yaml\nunit: 临沂市环境保护局\n"
                                  "organizers: [市文明办, 临沂市环境保护局, 机关党委]\n")
    config = load_config(root)
    assert config.root == tmp_path
    assert config.tree.id == "demo-2018"
    assert config.tree_file == "tree.yaml"
    assert config.unit == "临沂市环境保护局"
    assert config.organizers == ("临沂市环境保护局", "市文明办", "机关党委")
    assert config.all_organizers == ("临沂市环境保护局", "市文明办", "机关党委", "办公室", "宣传处")
    assert (config.window_start, config.window_end) == (date(2018, 1, 1), date(2018, 12, 31))


def test_window_override_may_be_partial(tmp_path):
    root = make_archive(tmp_path, "tree: tree.yaml\nwindow: {start: 2016-01-01}\n")
    config = load_config(root)
    assert (config.window_start, config.window_end) == (date(2016, 1, 1), date(2018, 12, 31))
    assert config.unit == "" and config.organizers == ()


@pytest.mark.parametrize("text, key", [
    ("tree: tree.yaml\nunits: 环保局\n", "units"),
    ("tree: tree.yaml\nwindow: {begin: 2018-01-01}\n", "window.begin"),
    ("tree: tree.yaml\nwindow: {start: 2018-13-01}\n", "window.start"),
    ("tree: tree.yaml\nwindow: {end: 明年}\n", "window.end"),
    ("tree: tree.yaml\nwindow: {start: 2019-01-01, end: 2018-01-01}\n", "window"),
    ("tree: ../tree.yaml\n", "tree"),
    ("unit: 环保局\n", "tree"),
    ("tree: tree.yaml\norganizers: {a: 1}\n", "organizers"),
    ("tree: tree.yaml\nunit: [1, 2]\n", "unit"),
])
def test_bad_config_names_the_file_and_key(tmp_path, text, key):
    root = make_archive(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(root)
    assert f"字段 {key}：" in info.value.message
    assert "config.yaml" in info.value.message
    assert info.value.hint


def test_yaml_syntax_error_is_a_config_error(tmp_path):
    root = make_archive(tmp_path, "tree: [tree.yaml\n")
    with pytest.raises(ConfigError, match="YAML"):
        load_config(root)


def test_missing_config_is_not_an_archive(tmp_path):
    with pytest.raises(NotAnArchiveError):
        load_config(tmp_path)


def test_broken_tree_copy_raises_the_loaders_tree_error(tmp_path):
    root = make_archive(tmp_path, tree=TREE.replace("name: 加强学习", "name: 加强学习\n        score: 很多"))
    with pytest.raises(TreeError) as info:
        load_config(root)
    assert any(p.indicator == "II-1" and p.field == "score" for p in info.value.problems)


def test_write_config_round_trips(tmp_path):
    path = write_config(tmp_path, TREE, "tree.yaml", "临沂市环境保护局", ("市文明办",),
                        (date(2018, 3, 1), None))
    assert path == tmp_path / ARCHIVE_DIR / "config.yaml"
    assert (tmp_path / ARCHIVE_DIR / "tree.yaml").read_text(encoding="utf-8") == TREE
    config = load_config(tmp_path)
    assert config.organizers == ("临沂市环境保护局", "市文明办")
    assert config.window_start == date(2018, 3, 1)
    assert not list((tmp_path / ARCHIVE_DIR).glob(".*.new"))


def test_documented_example_is_valid(tmp_path):
    doc = config_module.__doc__
    example = doc.split("::\n", 1)[1].split("\n\n", 1)[0]
    text = "\n".join(line[4:] for line in example.splitlines())
    root = make_archive(tmp_path, text)
    config = load_config(root)
    assert config.unit == "临沂市环境保护局"
    assert config.organizers == ("临沂市环境保护局", "市文明办", "机关党委")
    assert config_text("tree.yaml", "临沂市环境保护局").endswith("tree: tree.yaml\nunit: 临沂市环境保护局\n")


def test_find_root_normalises_dot_dot(tmp_path):
    root = make_archive(tmp_path / "档案")
    (root / "a").mkdir()
    assert find_root(root / "a" / "..") == root


def test_timezone_and_inspection_day(tmp_path):
    root = make_archive(tmp_path, "tree: tree.yaml\ntimezone: Asia/Urumqi\ninspection: 2018-11-30\n")
    config = load_config(root)
    assert (config.timezone, config.inspection) == ("Asia/Urumqi", date(2018, 11, 30))
    assert str(config.zone) == "Asia/Urumqi"
    defaults = load_config(make_archive(tmp_path / "b"))
    assert (defaults.timezone, defaults.inspection) == ("Asia/Shanghai", None)


@pytest.mark.parametrize("line, field", [("timezone: Asia/Beijing", "timezone"),
                                         ("timezone: 8", "timezone"),
                                         ("inspection: 2018-13-01", "inspection")])
def test_a_bad_timezone_or_inspection_day_names_the_field(tmp_path, line, field):
    root = make_archive(tmp_path, f"tree: tree.yaml\n{line}\n")
    with pytest.raises(ConfigError) as info:
        load_config(root)
    assert f"字段 {field}" in info.value.message


def test_init_again_keeps_the_timezone_and_the_inspection_day(tmp_path):
    from archive_tool.scaffold import init_archive

    tree = tmp_path / "tree.yaml"
    tree.write_text(TREE, encoding="utf-8")
    root = tmp_path / "档案"
    init_archive(root, str(tree), unit="甲单位")
    config = root / ARCHIVE_DIR / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "timezone: Asia/Urumqi\ninspection: 2018-11-30\n", encoding="utf-8")
    init_archive(root, str(tree), unit="乙单位")  # the unit changes: config.yaml is rewritten
    again = load_config(root)
    assert (again.unit, again.timezone, again.inspection) == ("乙单位", "Asia/Urumqi",
                                                              date(2018, 11, 30))


def test_a_year_inside_a_folder_of_years_inherits_what_it_does_not_set(tmp_path):
    year = make_archive(tmp_path / "档案" / "2018年", "tree: tree.yaml\ntimezone: Asia/Urumqi\n")
    (tmp_path / "档案" / ARCHIVE_DIR).mkdir()
    (tmp_path / "档案" / ARCHIVE_DIR / "config.yaml").write_text(
        "years: [2018年]\ninspection: 2018-11-30\ntimezone: Europe/London\n", encoding="utf-8")
    config = load_config(year)
    assert (config.inspection, config.timezone) == (date(2018, 11, 30), "Asia/Urumqi")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "档案")
    assert "多年度档案" in info.value.message and "2018年" in info.value.hint
