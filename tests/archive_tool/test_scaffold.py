"""The folder scaffold: plan as data, apply, init_archive, and ``archive-tool init``."""
import json
import os
import unicodedata

import pytest
import yaml
from click.testing import CliRunner

import indicator_tree as it
from archive_tool.cli import main
from archive_tool.config import ARCHIVE_DIR, load_config
from archive_tool.errors import FileOperationError, UsageError
from archive_tool.layout import (EVIDENCE_NAME_BUDGET, MAX_PATH, SHARE_ROOT_BUDGET,
                                 folder_counts, folder_name, level_limits, longest_path,
                                 target_paths)
from archive_tool.naming import safe_component, width
from archive_tool.scaffold import Conflict, Mkdir, Move, Orphan, apply, init_archive, plan

I1, I2 = "I-1 思想政治建设", "I-2 精神文明建设"


def tree_yaml(indicators, tree_id="demo-2018"):
    """Tree YAML text from nested (id, name, [children]) tuples."""
    def node(item):
        out = {"id": item[0], "name": item[1]}
        if len(item) > 2:
            out["children"] = [node(c) for c in item[2]]
        return out
    return yaml.safe_dump({"id": tree_id, "title": "演示", "window": {
        "start": "2018-01-01", "end": "2018-12-31"}, "indicators": [node(i) for i in indicators]},
        allow_unicode=True, sort_keys=False)


BASE = [("I-1", "思想政治建设", [("II-1", "加强学习"), ("II-2", "理论宣讲")]),
        ("I-2", "精神文明建设", [("II-3", "志愿服务")])]


def write_tree(tmp_path, indicators=BASE, name="tree.yaml", tree_id="demo-2018"):
    path = tmp_path / name
    path.write_text(tree_yaml(indicators, tree_id), encoding="utf-8")
    return path


def disk(root):
    """Every path below root -> file bytes (None for a folder), .archive/ included."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root)] = None
        for f in filenames:
            with open(os.path.join(dirpath, f), "rb") as fh:
                out[os.path.relpath(os.path.join(dirpath, f), root)] = fh.read()
    return out


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "档案"
    init_archive(root, write_tree(tmp_path), unit="临沂市环境保护局")
    return root


def put(folder, *names):
    for name in names:
        (folder / name).write_bytes(name.encode("utf-8"))


def test_init_creates_nested_folders_and_config(tmp_path):
    root = tmp_path / "档案"
    result = init_archive(root, write_tree(tmp_path), unit="临沂市环境保护局")
    assert result.created and not result.dry_run
    assert result.applied.created == 5
    assert (root / I1 / "II-1 加强学习").is_dir()
    assert (root / I1 / "II-2 理论宣讲").is_dir()
    assert (root / I2 / "II-3 志愿服务").is_dir()
    config = load_config(root)
    assert config.tree.id == "demo-2018" and config.unit == "临沂市环境保护局"
    assert (root / ARCHIVE_DIR / "tree.yaml").read_text(encoding="utf-8") == \
        (tmp_path / "tree.yaml").read_text(encoding="utf-8")
    # no placeholder files anywhere outside .archive/
    assert [p for p, data in disk(root).items()
            if data is not None and not p.startswith(ARCHIVE_DIR)] == []


def test_second_run_plans_nothing(archive, tmp_path):
    put(archive / I1 / "II-1 加强学习", "01：学习会.jpg")
    before = disk(archive)
    result = init_archive(archive, tmp_path / "tree.yaml")
    assert result.plan.actions == ()
    assert not result.tree_replaced and not result.config_changed
    assert disk(archive) == before
    assert plan(archive, load_config(archive).tree, folder_counts(archive)[0]).actions == ()


def test_renamed_indicator_renames_its_folder_and_keeps_files(archive, tmp_path):
    put(archive / I1 / "II-1 加强学习", "01：学习会.jpg", "02：心得.docx")
    tree = write_tree(tmp_path, [("I-1", "思想政治建设", [("II-1", "加强理论学习"),
                                                         ("II-2", "理论宣讲")]), BASE[1]])
    result = init_archive(archive, tree)
    assert result.plan.describe() == [
        f"改名 {I1}/II-1 加强学习  ->  {I1}/II-1 加强理论学习"]
    assert not (archive / I1 / "II-1 加强学习").exists()
    moved = archive / I1 / "II-1 加强理论学习"
    assert (moved / "01：学习会.jpg").read_bytes() == "01：学习会.jpg".encode()
    assert sorted(p.name for p in moved.iterdir()) == ["01：学习会.jpg", "02：心得.docx"]
    assert result.tree_replaced
    prev = archive / ARCHIVE_DIR / "tree.prev.yaml"
    assert "加强学习" in prev.read_text(encoding="utf-8")
    assert init_archive(archive, tree).plan.actions == ()


def test_moved_indicator_moves_its_folder_with_files(archive, tmp_path):
    put(archive / I1 / "II-2 理论宣讲", "01：宣讲.jpg")
    tree = write_tree(tmp_path, [("I-1", "思想政治建设", [("II-1", "加强学习")]),
                                 ("I-2", "精神文明建设", [("II-3", "志愿服务"), ("II-2", "理论宣讲")])])
    result = init_archive(archive, tree)
    assert result.plan.actions == (Move(f"{I1}/II-2 理论宣讲", f"{I2}/II-2 理论宣讲", "II-2"),)
    assert result.plan.describe()[0].startswith("移动 ")
    assert (archive / I2 / "II-2 理论宣讲" / "01：宣讲.jpg").is_file()
    assert not (archive / I1 / "II-2 理论宣讲").exists()


def test_added_indicator_gets_a_folder(archive, tmp_path):
    tree = write_tree(tmp_path, BASE + [("I-3", "文化建设", [("II-4", "文化活动")])])
    result = init_archive(archive, tree)
    assert result.plan.describe() == ["新建 I-3 文化建设", "新建 I-3 文化建设/II-4 文化活动"]
    assert (archive / "I-3 文化建设" / "II-4 文化活动").is_dir()


def test_removed_indicator_folder_is_kept_and_reported(archive, tmp_path):
    put(archive / I1 / "II-2 理论宣讲", "01：宣讲.jpg", "02：宣讲稿.docx", "~$宣讲稿.docx")
    put(archive / I2 / "II-3 志愿服务", "01：志愿.jpg")
    tree = write_tree(tmp_path, [("I-1", "思想政治建设", [("II-1", "加强学习")])])
    result = init_archive(archive, tree)
    assert set(result.plan.actions) == {Orphan(f"{I1}/II-2 理论宣讲", 2), Orphan(I2, 1)}
    assert f"保留（指标已删除，内有 2 个文件）{I1}/II-2 理论宣讲" in result.plan.describe()
    assert result.applied.kept == 2 and result.applied.moved == 0
    assert (archive / I1 / "II-2 理论宣讲" / "02：宣讲稿.docx").is_file()
    assert (archive / I2 / "II-3 志愿服务" / "01：志愿.jpg").is_file()
    # reported again later (tree.prev.yaml remembers the ids), still never deleted
    again = init_archive(archive, tree)
    assert again.plan.changes == () and len(again.plan.of(Orphan)) == 2


def test_staff_subfolders_in_leaf_folders_are_left_alone(archive, tmp_path):
    (archive / I1 / "II-1 加强学习" / "2018 上半年").mkdir()
    (archive / "其他材料").mkdir()
    assert init_archive(archive, tmp_path / "tree.yaml").plan.actions == ()


def test_indicator_folders_inside_a_staff_folder_or_old_copy_stay_where_they_are(archive,
                                                                                 tmp_path):
    old = archive / "2017年旧档案" / I1 / "II-1 加强学习"
    old.mkdir(parents=True)
    put(old, "01：去年的学习会.jpg")
    inside = archive / I1 / "II-1 加强学习" / "参考" / "II-3 志愿服务"
    inside.mkdir(parents=True)
    assert init_archive(archive, tmp_path / "tree.yaml").plan.actions == ()
    assert (old / "01：去年的学习会.jpg").is_file() and inside.is_dir()


def test_init_refuses_a_folder_holding_another_archive(tmp_path):
    share = tmp_path / "共享"
    inner = share / "2018年档案"
    init_archive(inner, write_tree(tmp_path))
    put(inner / I1 / "II-1 加强学习", "01：学习会.jpg")
    before = disk(share)
    with pytest.raises(UsageError, match="之内已有档案：2018年档案"):
        init_archive(share, tmp_path / "tree.yaml")
    assert disk(share) == before


def test_an_empty_root_is_refused_not_taken_for_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["init", "", "--tree", "linyi-2018"])
    assert res.exit_code == 2 and "路径为空" in res.output
    assert list(tmp_path.iterdir()) == []


def test_an_archive_below_an_archive_is_never_walked(archive, tmp_path):
    inner = archive / "其他材料" / "旧档案"
    (inner / ARCHIVE_DIR).mkdir(parents=True)
    (inner / I2).mkdir()
    counts, nested = folder_counts(archive)
    assert all(not p.startswith("其他材料/旧档案") for p in counts)
    assert nested == ["其他材料/旧档案"]
    assert init_archive(archive, tmp_path / "tree.yaml").plan.actions == ()


def test_parents_move_before_children_and_never_into_a_later_move(tmp_path):
    tree = it.load_tree_text(tree_yaml([("I-1", "思想建设", [("II-1", "学习")]),
                                        ("I-2", "精神文明", [("II-2", "宣讲")])]))
    existing = {"I-1 思想政治建设": 0, "I-1 思想政治建设/II-1 加强学习": 3,
                "I-1 思想政治建设/II-2 理论宣讲": 1, "I-2 精神文明建设": 0, ".archive": 2,
                ".archive/index": 5}
    result = plan(tmp_path, tree, existing)
    assert result.actions == (
        Move("I-1 思想政治建设", "I-1 思想建设", "I-1"),
        Move("I-1 思想建设/II-1 加强学习", "I-1 思想建设/II-1 学习", "II-1"),
        Move("I-2 精神文明建设", "I-2 精神文明", "I-2"),
        Move("I-1 思想建设/II-2 理论宣讲", "I-2 精神文明/II-2 宣讲", "II-2"),
    )
    for folder in existing:
        if not folder.startswith("."):
            (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    assert apply(result).moved == 4
    assert plan(tmp_path, tree, folder_counts(tmp_path)[0]).actions == ()


def test_a_second_folder_for_one_indicator_is_a_conflict_not_overwritten(archive, tmp_path):
    copy = archive / I2 / "II-1 加强学习（副本）"
    copy.mkdir()
    put(copy, "01：学习会.jpg")
    result = init_archive(archive, tmp_path / "tree.yaml")
    assert result.plan.actions == (Conflict(f"{I2}/II-1 加强学习（副本）", f"{I1}/II-1 加强学习",
                                            "II-1"),)
    assert result.plan.describe()[0].startswith("未动（")
    assert (copy / "01：学习会.jpg").is_file()


def test_apply_refuses_an_existing_destination(tmp_path):
    (tmp_path / "II-1 旧").mkdir()
    (tmp_path / "II-1 新").mkdir()
    from archive_tool.scaffold import Plan
    with pytest.raises(FileOperationError, match="目标已存在"):
        apply(Plan(tmp_path, (Move("II-1 旧", "II-1 新", "II-1"),)))
    assert (tmp_path / "II-1 旧").is_dir()


def test_windows_illegal_characters_become_full_width(tmp_path):
    assert safe_component('a\\b/c:d*e?f"g<h>i|j') == "a＼b／c：d＊e？f＂g＜h＞i｜j"
    assert safe_component("  学习   教育 .. ") == "学习 教育"
    assert safe_component("CON") == "_CON"
    decomposed = unicodedata.normalize("NFD", "Ⅱ-1 café")
    assert safe_component(decomposed) == unicodedata.normalize("NFC", "Ⅱ-1 café")
    root = tmp_path / "档案"
    init_archive(root, write_tree(tmp_path, [("I-1", "宣传: 网络*阵地?", [("II-1", '"学习"')])]))
    assert (root / "I-1 宣传： 网络＊阵地？" / "II-1 ＂学习＂").is_dir()


def test_long_names_are_shortened_and_the_deepest_path_fits(tmp_path):
    long_name = "深入学习宣传贯彻党的十九大精神" * 4  # 60 characters
    assert len(long_name) == 60
    ind = it.Indicator(id="III-15", name=long_name)
    name = folder_name(ind, 50)
    assert name.startswith("III-15 深入学习") and name.endswith("…") and width(name) <= 50
    assert folder_name(ind, 100) == f"III-15 {long_name}"

    def chain(depth):
        item = (f"L{depth}-1", long_name)
        return item if depth == 6 else item + ([chain(depth + 1)],)
    tree = it.load_tree_text(tree_yaml([chain(1)]))
    limits = level_limits(tree)
    assert len(limits) == 6 and all(limit < 50 for limit in limits)
    paths = target_paths(tree)
    deepest = max(paths.values(), key=width)
    assert deepest.count("/") == 5
    for part in deepest.split("/"):
        assert part.endswith("…")
    assert SHARE_ROOT_BUDGET + width(deepest) + 1 + EVIDENCE_NAME_BUDGET < MAX_PATH
    assert longest_path(tree) < MAX_PATH
    root = tmp_path / "档案"
    init_archive(root, write_tree(tmp_path, [chain(1)]))
    assert (root / deepest).is_dir()


def test_dry_run_touches_nothing(archive, tmp_path):
    new_root = tmp_path / "新档案"
    result = init_archive(new_root, tmp_path / "tree.yaml", dry_run=True)
    assert result.dry_run and result.created and len(result.plan.of(Mkdir)) == 5
    assert not new_root.exists()
    put(archive / I1 / "II-1 加强学习", "01：学习会.jpg")
    before = disk(archive)
    tree = write_tree(tmp_path, [("I-1", "思想建设", [("II-1", "学习")])], name="new.yaml")
    result = init_archive(archive, tree, unit="别的单位", dry_run=True)
    assert result.tree_replaced and result.config_changed and len(result.plan.of(Move)) == 2
    assert disk(archive) == before


def test_refuses_another_tree_id_unless_forced(archive, tmp_path):
    other = write_tree(tmp_path, BASE, name="other.yaml", tree_id="other-2019")
    with pytest.raises(UsageError) as info:
        init_archive(archive, other)
    assert "--force-tree" in info.value.hint
    result = init_archive(archive, other, force_tree=True)
    assert result.tree_replaced and load_config(archive).tree.id == "other-2019"
    assert "demo-2018" in (archive / ARCHIVE_DIR / "tree.prev.yaml").read_text(encoding="utf-8")


def test_refuses_a_root_inside_another_archive(archive, tmp_path):
    with pytest.raises(UsageError, match="已有档案"):
        init_archive(archive / I1 / "子档案", tmp_path / "tree.yaml")


def test_rerun_without_tree_uses_the_archives_copy(archive):
    copy = archive / ARCHIVE_DIR / "tree.yaml"
    copy.write_text(copy.read_text(encoding="utf-8").replace("志愿服务", "学雷锋志愿服务"),
                    encoding="utf-8")
    result = init_archive(archive, None)
    assert [type(a) for a in result.plan.actions] == [Move]
    assert (archive / I2 / "II-3 学雷锋志愿服务").is_dir()


@pytest.mark.skipif("linyi-2018" not in it.shipped_ids(), reason="shipped tree not there yet")
def test_shipped_tree(tmp_path):
    root = tmp_path / "档案"
    result = init_archive(root, "linyi-2018", unit="临沂市环境保护局")
    tree = it.load_shipped("linyi-2018")
    assert len(result.plan.of(Mkdir)) == sum(1 for _ in tree.walk())
    assert (root / ARCHIVE_DIR / "tree.yaml").read_text(encoding="utf-8") == \
        it.shipped_text("linyi-2018")
    assert longest_path(tree) < MAX_PATH
    assert init_archive(root, "linyi-2018").plan.actions == ()


# ---- the command ----------------------------------------------------------------------------
def test_cli_init_and_rerun(tmp_path):
    tree = write_tree(tmp_path)
    root = tmp_path / "档案"
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(root), "--tree", str(tree), "--unit", "环保局"])
    assert result.exit_code == 0, result.output
    assert f"新建 {I1}/II-1 加强学习" in result.output
    assert "已建立档案" in result.output
    result = runner.invoke(main, ["init", str(root), "--tree", str(tree)])
    assert result.exit_code == 0
    assert result.output.strip() == "文件夹已与指标体系一致，无需改动。"


def test_cli_dry_run_and_json(tmp_path):
    tree = write_tree(tmp_path)
    root = tmp_path / "档案"
    result = CliRunner().invoke(main, ["init", str(root), "--tree", str(tree), "--dry-run",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dry_run"] and data["created"] and data["summary"]["mkdir"] == 5
    assert data["actions"][0] == {"action": "mkdir", "path": I1, "indicator": "I-1"}
    assert not root.exists()


def test_cli_bad_tree_is_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(tree_yaml(BASE).replace("name: 加强学习", "name: 加强学习\n    score: 很多"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "档案"), "--tree", str(bad)])
    assert result.exit_code == 2
    assert "错误" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "档案").exists()


def test_cli_other_tree_id_exits_2(archive, tmp_path):
    other = write_tree(tmp_path, BASE, name="other.yaml", tree_id="other-2019")
    result = CliRunner().invoke(main, ["init", str(archive), "--tree", str(other)])
    assert result.exit_code == 2
    assert "--force-tree" in result.output and "Traceback" not in result.output


def test_removed_numeric_ids_are_known_from_the_previous_tree(tmp_path):
    v1 = [("1", "组织领导", [("1.1", "领导小组"), ("1.2", "工作制度")])]
    root = tmp_path / "档案"
    init_archive(root, write_tree(tmp_path, v1))
    (root / "2018 照片").mkdir()  # the staff's own folder: not an indicator's
    put(root / "1 组织领导" / "1.2 工作制度", "01：制度.docx")
    result = init_archive(root, write_tree(tmp_path, [("1", "组织领导", [("1.1", "领导小组")])]))
    assert result.plan.actions == (Orphan("1 组织领导/1.2 工作制度", 1),)


def test_force_tree_replaces_a_broken_copy(archive, tmp_path):
    (archive / ARCHIVE_DIR / "tree.yaml").write_text("id: [", encoding="utf-8")
    with pytest.raises(it.TreeError):
        init_archive(archive, tmp_path / "tree.yaml")
    result = init_archive(archive, tmp_path / "tree.yaml", force_tree=True)
    assert result.tree_replaced and result.plan.actions == ()
    assert load_config(archive).tree.id == "demo-2018"
    assert (archive / ARCHIVE_DIR / "tree.prev.yaml").read_text(encoding="utf-8") == "id: ["


def test_first_run_adopts_existing_indicator_folders(tmp_path):
    root = tmp_path / "档案"
    (root / "I-1 思想建设" / "II-1 学习").mkdir(parents=True)
    put(root / "I-1 思想建设" / "II-1 学习", "01：学习会.jpg")
    result = init_archive(root, write_tree(tmp_path))
    assert [type(a) for a in result.plan.changes] == [Move, Move, Mkdir, Mkdir, Mkdir]
    assert (root / I1 / "II-1 加强学习" / "01：学习会.jpg").is_file()


def test_a_unit_name_with_a_line_break_is_refused(tmp_path):
    with pytest.raises(UsageError, match="换行"):
        init_archive(tmp_path / "档案", write_tree(tmp_path), unit="临沂市\n环境保护局")
    assert not (tmp_path / "档案").exists()
