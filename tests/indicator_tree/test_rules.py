"""The rule parser on every seed phrasing the foundation issue lists."""
from datetime import date

import pytest

from indicator_tree import EvidenceRule, cn_number, parse_deadline, parse_rules, rules_for


def only(text, year=2018):
    rules = parse_rules(text, year)
    assert len(rules) == 1, rules
    return rules[0]


@pytest.mark.parametrize("text, period, count", [
    ("每季度至少开展一次活动", "quarter", 1),
    ("每半年至少组织 1 次最美人物、道德模范和“身边好人”事迹宣讲等学习宣传活动", "half", 1),
    ("每月至少组织一次志愿服务活动", "month", 1),
    ("每年至少开展5次志愿服务活动", "year", 5),
    ("每年至少开展两次宣教活动", "year", 2),
    ("每季度至少1次", "quarter", 1),
    ("每月至少召开一次工作例会", "month", 1),
])
def test_frequencies(text, period, count):
    rule = only(text)
    assert (rule.kind, rule.period, rule.min_count) == ("any", period, count)
    assert rule.source == "parsed"


def test_photos_with_caption_requirement():
    rule = only("提供2020年市委宣传部、市文明办部署开展倡导绿色生活反对铺张浪费行动的7张现场照片"
                "(每张图片需注明活动时间、主办单位、活动主题)")
    assert (rule.kind, rule.min_count, rule.caption_required) == ("photo", 7, True)


def test_photos_and_clippings():
    rules = parse_rules("4张现场照片，2张样报图片或电视截屏或网络截图，每张图片需注明活动时间、主办单位、活动主题")
    kinds = {r.kind: r for r in rules}
    assert set(kinds) == {"photo", "clipping"}
    assert kinds["photo"].min_count == 4 and kinds["clipping"].min_count == 2
    assert kinds["clipping"].caption_required


@pytest.mark.parametrize("text, words", [
    ("说明报告，400字左右", (300, 600)),
    ("(说明报告,700字左右)", (525, 1050)),
    ("（说明报告，300字左右）", (225, 450)),
])
def test_report_lengths(text, words):
    rule = only(text)
    assert (rule.kind, rule.words) == ("report", words)


def test_report_with_photos_in_one_requirement_merges_counts():
    text = ("③说明2020年本市开展环境保护志愿服务活动的情况(说明报告，400字左右；提供4张现场照片，"
            "2张样报图片或电视截屏或网络截图，每张图片需注明时间、主办单位、活动主题)。"
            "④说明2018年以来……的情况(说明报告，400字左右；2020年的2张现场照片，1张样报图片或电视截屏或网络截图)")
    kinds = {r.kind: r for r in parse_rules(text, 2020)}
    assert kinds["report"].min_count == 2 and kinds["report"].words == (300, 600)
    assert kinds["photo"].min_count == 6
    assert kinds["clipping"].min_count == 3


def test_formal_document():
    rule = only("①提供反映本市建立河(湖)长巡河(湖)履职制度的相关正式发文。")
    assert (rule.kind, rule.min_count, rule.period) == ("document", 1, "window")


@pytest.mark.parametrize("text, year, expected", [
    ("6月底", 2020, date(2020, 6, 30)),
    ("规范文件于2020年4月底前完成", None, date(2020, 4, 30)),
    ("2月底", 2020, date(2020, 2, 29)),
    ("2019年12月31日前报送", 2020, date(2019, 12, 31)),
    ("活动完成后及时上报", 2020, None),
    ("6月底", None, None),
])
def test_deadlines(text, year, expected):
    assert parse_deadline(text, year) == expected


def test_deadline_applies_to_parsed_rules():
    rule = only("说明报告，700字左右。6月底", 2020)
    assert rule.deadline == date(2020, 6, 30)


@pytest.mark.parametrize("token, value", [
    ("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25), ("5", 5),
    ("１２", 12), ("半", None), ("", None),
])
def test_chinese_numerals(token, value):
    assert cn_number(token) == value


def test_unparsable_requirement_defaults_to_one_document():
    (rule,) = rules_for("领导班子团结协作、作风民主，重大问题和重要事项按有关规定集体研究决定。")
    assert (rule.kind, rule.min_count, rule.period, rule.source) == ("any", 1, "window", "default")


def test_note_is_parsed_with_text():
    (rule,) = rules_for("以爱国主义教育为重点，推广普及社会主义核心价值观。", "每季度至少开展一次活动。", 2018)
    assert rule.period == "quarter"


def test_explicit_rules_override_parsed_ones():
    explicit = [EvidenceRule(kind="photo", min_count=3, source="explicit")]
    assert rules_for("每月至少组织一次志愿服务活动", explicit=explicit) == tuple(explicit)
    assert rules_for("每月至少组织一次志愿服务活动", explicit=[]) == ()


def test_requirement_deadline_reaches_rules():
    (rule,) = rules_for("说明报告，400字左右", deadline=date(2020, 6, 30))
    assert rule.deadline == date(2020, 6, 30)


def test_document_and_report_in_one_requirement():
    text = ("①提供反映本市建立河(湖)长巡河(湖)履职制度的相关正式发文。"
            "②说明2018年以来本市“一河(湖)一档”“一河(湖)一策”的情况(说明报告，700字左右)。")
    kinds = sorted(r.kind for r in parse_rules(text, 2020))
    assert kinds == ["document", "report"]


def test_photo_item_does_not_borrow_a_document_word_from_the_next_item():
    text = "①提供3张现场照片。②说明制度建设情况(说明报告，400字左右)"
    assert sorted(r.kind for r in parse_rules(text)) == ["photo", "report"]


# ---- documents only where a document is asked for ----------------------------------------------
@pytest.mark.parametrize("text", [
    "②提供本市应急减排措施清单的主要内容(说明报告，700字左右)",
    "提供相关文件的主要内容（说明报告，400字左右）",
])
def test_a_thing_named_by_a_report_is_no_document(text):
    assert [r.kind for r in parse_rules(text, 2020)] == ["report"]


@pytest.mark.parametrize("text", [
    "提供年度工作计划", "提供实施方案", "提供任务清单", "提供学习制度",
])
def test_plans_lists_and_rules_handed_in_are_documents(text):
    """The issue: 方案 / 制度 / 计划 … asked for are documents (an earlier reading had them
    asked for nothing, so a missing plan was never a gap)."""
    assert [(r.kind, r.min_count) for r in parse_rules(text)] == [("document", 1)]


@pytest.mark.parametrize("text", [
    "提供学习贯彻文件精神的情况", "严格落实请销假制度", "把社会主义核心价值观要求融入单位规章制度",
])
def test_rules_carried_out_and_spirits_studied_are_no_document(text):
    assert parse_rules(text) == ()


@pytest.mark.parametrize("text", [
    "提供反映本市建立河(湖)长巡河(湖)履职制度的相关正式发文。", "提供市委印发的实施方案", "提供相关文件",
    "说明报告，400字左右；提供相关文件",
])
def test_documents_asked_for(text):
    assert "document" in [r.kind for r in parse_rules(text, 2020)]


# ---- deadlines per clause ------------------------------------------------------------------------
def test_each_clause_keeps_its_own_deadline():
    text = "提供正式发文（规范文件于2020年4月底前完成）；说明报告，400字左右（于2020年6月底前报送）"
    kinds = {r.kind: r.deadline for r in parse_rules(text, 2020)}
    assert kinds == {"document": date(2020, 4, 30), "report": date(2020, 6, 30)}


def test_deadlines_in_one_sentence_go_to_their_own_part():
    text = "提供正式发文，于2020年4月底前完成，说明报告，400字左右，于2020年6月底前报送"
    kinds = {r.kind: r.deadline for r in parse_rules(text, 2020)}
    assert kinds == {"document": date(2020, 4, 30), "report": date(2020, 6, 30)}


def test_a_drafts_date_is_no_deadline():
    """The issue: 初稿 dates are draft dates, the final report is not rejected after them."""
    text = "提供正式发文（规范文件于2020年4月底前完成）；说明报告，400字左右（于2020年6月底前完成初稿）"
    kinds = {r.kind: r.deadline for r in parse_rules(text, 2020)}
    assert kinds == {"document": date(2020, 4, 30), "report": None}


def test_a_deadline_of_another_clause_is_not_borrowed():
    text = "①提供正式发文（4月底前完成）。②说明工作情况(说明报告，400字左右)"
    kinds = {r.kind: r.deadline for r in parse_rules(text, 2020)}
    assert kinds == {"document": date(2020, 4, 30), "report": None}


def test_a_standalone_deadline_applies_to_rules_without_one():
    text = "提供正式发文（4月底前完成）；说明报告，400字左右\n上报时间：6月底"
    kinds = {r.kind: r.deadline for r in parse_rules(text, 2020)}
    assert kinds == {"document": date(2020, 4, 30), "report": date(2020, 6, 30)}


def test_requirement_deadline_changes_no_rule():
    from indicator_tree.rules import requirement_deadline
    mixed = ("提供正式发文（4月底前完成）", "说明报告，400字左右（6月底前完成初稿）")
    assert requirement_deadline(*mixed, year=2020) is None
    assert requirement_deadline("说明报告，400字左右", "6月底", 2020) == date(2020, 6, 30)
    assert requirement_deadline("说明报告，400字左右（6月底前）", "", 2020) == date(2020, 6, 30)


# ---- more phrasings --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, words", [
    ("说明报告（400字左右）", (300, 600)),
    ("说明报告(八百字左右)", (600, 1200)),
    ("工作总结，800字左右", (600, 1200)),
    ("撰写调研报告，不少于1000字", (1000, 3000)),
    ("心得体会1500字以上", (1500, 4500)),
])
def test_report_lengths_in_more_forms(text, words):
    rule = only(text)
    assert (rule.kind, rule.words) == ("report", words)


@pytest.mark.parametrize("text", ["牢记24字核心价值观", "落实十六字方针", "宣传12个字"])
def test_a_count_of_characters_is_not_a_report(text):
    assert parse_rules(text) == ()


@pytest.mark.parametrize("text, period, count", [
    ("每季度开展至少一次", "quarter", 1),
    ("每月组织不少于2次志愿服务", "month", 2),
    ("每个季度至少开展一次", "quarter", 1),
    ("每个月至少一次", "month", 1),
    ("每两个月至少开展一次", "half", 3),
    ("每三个月至少开展一次", "quarter", 1),
    ("每4个月至少开展1次", "year", 3),
    ("每五个月至少一次", "year", 2),
    ("每两年至少开展一次", "window", 1),
    ("每周至少一次", "month", 4),
    ("每两周至少开展一次学习", "month", 2),
    ("每季度至少召開一次會議", "quarter", 1),
    ("每半年至少組織 1 次宣講活動", "half", 1),
])
def test_more_frequencies(text, period, count):
    rule = only(text)
    assert (rule.kind, rule.period, rule.min_count) == ("any", period, count)


def test_traditional_script_is_read():
    kinds = {r.kind: r for r in parse_rules("說明報告，400字左右；提供4張現場照片，每張圖片需註明活動時間", 2020)}
    assert kinds["report"].words == (300, 600)
    assert kinds["photo"].min_count == 4
    assert parse_deadline("於2020年4月底前完成") == date(2020, 4, 30)


@pytest.mark.parametrize("token, value", [("八百", 800), ("一千二百", 1200), ("三百五十", 350),
                                          ("两千", 2000), ("一二", None), ("十十", None)])
def test_hundreds_and_thousands(token, value):
    assert cn_number(token) == value


def test_the_kinds_live_in_one_table():
    """Rule kinds, file kinds, their names and what counts toward what: indicator_tree.kinds,
    and the tree's loader, the evidence classifier and the gap report take them from there."""
    from archive_tool.evidence import kind_of
    from indicator_tree import KINDS
    from indicator_tree.kinds import ACCEPTS, FILE_KINDS, FILE_LABELS, RULE_KINDS, RULE_LABELS

    assert KINDS == RULE_KINDS and set(RULE_LABELS) == set(RULE_KINDS)
    assert set(FILE_LABELS) == set(FILE_KINDS) and set(ACCEPTS) == set(RULE_KINDS)
    assert ACCEPTS["any"] == set(FILE_KINDS) - {"other"}
    assert {kind_of(ext, "") for ext in (".jpg", ".docx", ".mp4", ".zip")} <= set(FILE_KINDS)
