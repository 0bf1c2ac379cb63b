"""``tree show``: the readable text and the JSON of the issue's shape."""
import indicator_tree as it

MULTILINE = """
id: d
title: t
window: {start: 2018-01-01, end: 2018-12-31}
indicators:
  - id: I-1
    name: 学习
    children:
      - id: II-1
        name: 加强学习
        requirements:
          - text: "组织学习。\\n第二行要求"
            note: |-
              每季度至少一次。
              第二行注释
"""


def test_later_lines_of_a_text_and_a_note_are_indented_under_the_first():
    lines = it.tree_text(it.load_tree_text(MULTILINE)).splitlines()
    at = lines.index("    1. 组织学习。")
    assert lines[at + 1:at + 4] == ["       第二行要求", "       注：每季度至少一次。",
                                    "           第二行注释"]


def test_json_owners_include_the_requirements_owners():
    tree = it.load_shipped("linyi-2018")
    shown = {}

    def visit(ind):
        shown[ind["id"]] = ind
        for child in ind["children"]:
            visit(child)

    for top in it.tree_json(tree)["indicators"]:
        visit(top)
    assert shown["II-13"]["owners"] == ["王峰", "刘巍", "曲丽娟"]
    assert all(shown[leaf.id]["owners"] for leaf in tree.leaves())
    assert set(shown["II-1"]) >= {"id", "name", "level", "score", "owners", "requirements", "children"}
    assert shown["II-1"]["requirements"][0]["owners"] == ["曲丽娟"]


UNREAD_TREE = """
id: d
title: t
window: {start: 2024-01-01, end: 2024-12-31}
indicators:
  - id: I-1
    name: 学习
    requirements:
      - 每月组织一次集中学习，提供学习记录。
      - 领导班子带头参与创建工作。
      - 参加市文明办组织的群众满意度测评。
"""


def test_show_says_what_it_read_and_flags_what_it_could_not():
    tree = it.load_tree_text(UNREAD_TREE)
    lines = it.tree_text(tree).splitlines()
    at = lines.index("  1. 每月组织一次集中学习，提供学习记录。")
    assert lines[at + 1] == "     → 每月至少 1 份活动记录"
    assert lines[at + 3] == "     → ⚠ 未识别的要求（按默认：考核期内至少 1 份活动材料）"
    assert lines[at + 5] == "     → 无需本单位提交材料（不评材料）"
    assert lines[-1].startswith("未识别的要求 1 条（标 ⚠ 处）")
    shown = it.tree_json(tree)["indicators"][0]["requirements"]
    assert [r["unrecognized"] for r in shown] == [False, True, False]
    assert shown[2]["rules"] == []
    assert [(ind.id, n) for ind, n, _ in it.unread_requirements(tree)] == [("I-1", 2)]


def test_show_of_a_tree_read_in_full_has_no_unread_line():
    text = it.tree_text(it.load_tree_text(UNREAD_TREE.replace("      - 领导班子带头参与创建工作。\n", "")))
    assert "未识别" not in text
