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
