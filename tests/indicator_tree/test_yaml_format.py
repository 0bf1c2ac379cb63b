"""Loading tree files: everything validated once, every problem named with file, id and field."""
from datetime import date

import pytest

from indicator_tree import TreeError, dump_tree, load_tree, load_tree_text

GOOD = """
id: demo-2018
title: 示例指标体系
window: {start: 2018-01-01, end: 2018-12-31}
levels: [一级指标, 二级指标]
indicators:
  - id: I-1
    name: 思想政治建设
    score: 10
    children:
      - id: Ⅱ-1
        name: 加强学习
        owners: [曲丽娟]
        requirements:
          - 组织干部职工学习党的十九大精神。
          - text: 利用重要纪念日加强学习宣传教育。
            note: 每季度至少开展一次活动。
            owners: 曲丽娟
          - text: 提供现场照片
            deadline: 2018-06-30
            rules:
              - {kind: photo, min: 4, period: half}
"""


def problems_of(text):
    with pytest.raises(TreeError) as info:
        load_tree_text(text, "bad.yaml")
    return [str(p) for p in info.value.problems]


def test_good_tree_loads_with_levels_and_rules():
    tree = load_tree_text(GOOD, "good.yaml")
    assert tree.window_start == date(2018, 1, 1)
    leaf = tree.get("II-1")  # Ⅱ folded to II
    assert leaf.level == 2 and tree.ancestors("II-1") == ("I-1",)
    first, second, third = leaf.requirements
    assert first.rules[0].source == "default"
    assert second.rules[0].period == "quarter" and second.owners == ("曲丽娟",)
    assert third.rules[0].source == "explicit" and third.rules[0].caption_required
    assert third.rules[0].deadline == date(2018, 6, 30)


def test_dump_round_trips():
    tree = load_tree_text(GOOD)
    assert load_tree_text(dump_tree(tree)) == tree


def test_duplicate_ids_are_named():
    text = GOOD.replace("id: Ⅱ-1", "id: I-1")
    assert any("I-1" in p and "重复" in p for p in problems_of(text))


def test_every_problem_is_reported_at_once():
    text = """
id: demo
title: ""
window: {start: 2018-13-01, end: 2018-12-31}
colour: red
indicators:
  - id: I-1
    name: 学习/教育
    score: 十分
    extra: 1
    children:
      - id: II-1
        name: ""
        requirements:
          - text: 照片
            rules: [{kind: video, min: 0}]
"""
    found = problems_of(text)
    joined = "\n".join(found)
    assert "bad.yaml：字段 title：不能为空" in joined
    assert "window.start" in joined
    assert "colour" in joined and "未知字段" in joined
    assert "指标 I-1：字段 name" in joined and "/" in joined
    assert "指标 I-1：字段 score" in joined
    assert "指标 I-1：字段 extra" in joined
    assert "指标 II-1：字段 name：不能为空" in joined
    assert "kind" in joined
    assert len(found) >= 8


def test_window_end_before_start():
    text = GOOD.replace("end: 2018-12-31", "end: 2017-12-31")
    assert any("早于" in p for p in problems_of(text))


def test_dotdot_name_refused():
    text = GOOD.replace("name: 加强学习", "name: ../加强学习")
    assert any("II-1" in p and ".." in p for p in problems_of(text))


def test_yaml_syntax_error_gives_line():
    problems = problems_of("id: x\n  title: [unclosed\n")
    assert "YAML" in problems[0] and "行" in problems[0]


def test_missing_file(tmp_path):
    with pytest.raises(TreeError) as info:
        load_tree(tmp_path / "none.yaml")
    assert "不存在" in str(info.value)


def test_not_a_mapping():
    assert "映射" in problems_of("- a\n- b\n")[0]


def test_duplicate_keys_are_named_with_indicator_field_and_line():
    text = GOOD.replace("        name: 加强学习\n", "        name: 加强学习\n        name: 学习\n").replace(
        "          - text: 提供现场照片\n", "          - text: 提供现场照片\n            text: 照片\n")
    text = text.replace("    score: 10\n", "    score: 10\n    children: []\n", 1)
    found = problems_of(text)
    assert any("指标 II-1：字段 name：写了两次（第 14 行" in p for p in found), found
    assert any("指标 II-1：字段 requirements[3].text：写了两次" in p for p in found), found
    assert any("指标 I-1：字段 children：写了两次" in p for p in found), found
    assert all("只会保留后一个" in p for p in found)


def test_a_duplicate_window_key_and_top_level_key():
    text = GOOD.replace("title: 示例指标体系\n", "title: 示例指标体系\ntitle: 另一个\n").replace(
        "window: {start: 2018-01-01, end: 2018-12-31}", "window: {start: 2018-01-01, end: 2018-12-31, end: 2018-06-30}")
    found = problems_of(text)
    assert any(p.startswith("bad.yaml：字段 title：写了两次") for p in found), found
    assert any("字段 window.end：写了两次" in p for p in found), found


def test_yaml_merge_keys_are_not_duplicates():
    text = GOOD.replace("levels: [一级指标, 二级指标]\n", "levels: [一级指标, 二级指标]\n") \
        .replace("      - id: Ⅱ-1\n", "      - &leaf\n        id: Ⅱ-1\n") + \
        "      - <<: *leaf\n        id: II-2\n"
    tree = load_tree_text(text, "good.yaml")
    assert tree.get("II-2").name == "加强学习"


def test_every_bad_field_of_a_rule_is_reported():
    text = GOOD.replace("{kind: photo, min: 4, period: half}",
                        "{kind: foto, min: 0, period: weekly, words: [600, 300], caption: 1}")
    found = "\n".join(problems_of(text))
    for field in ("kind", "min", "period", "words", "caption"):
        assert f"rules[1].{field}" in found, (field, found)


@pytest.mark.parametrize("score", [".nan", ".inf", "-5", "-0.5"])
def test_scores_must_be_finite_and_not_negative(score):
    found = problems_of(GOOD.replace("score: 10", f"score: {score}"))
    assert any("指标 I-1：字段 score" in p and "不小于 0" in p for p in found), found


def test_zero_score_is_fine():
    assert load_tree_text(GOOD.replace("score: 10", "score: 0")).get("I-1").score == 0


def test_long_ids_are_refused_with_the_reason():
    long_id = "II-" + "1" * 60
    found = problems_of(GOOD.replace("id: Ⅱ-1", f"id: {long_id}"))
    assert any(f"指标 {long_id}：字段 id" in p and "最多 20 个" in p and "260" in p for p in found)
    assert load_tree_text(GOOD.replace("id: Ⅱ-1", "id: II-1.2.3-abcdefghi")).get("II-1.2.3-abcdefghi")


@pytest.mark.parametrize("field, value", [("name", '"加强\\n学习"'), ("owners", '["曲丽娟\\n王峰"]'),
                                          ("name", '"加强\\t学习"')])
def test_names_with_line_breaks_are_refused(field, value):
    text = GOOD.replace("        name: 加强学习\n", f"        name: 加强学习\n        {field}: {value}\n")
    text = text.replace("        owners: [曲丽娟]\n", "") if field == "owners" else \
        text.replace("        name: 加强学习\n", "", 1)
    found = problems_of(text)
    assert any(f"指标 II-1：字段 {field}" in p and "换行" in p for p in found), found


def test_os_errors_are_told_in_chinese():
    import errno

    from indicator_tree.errors import os_reason

    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "文件或文件夹不存在"
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间已满"
    assert os_reason(OSError(errno.EMLINK, "Too many links")) == "Too many links"  # untranslated
