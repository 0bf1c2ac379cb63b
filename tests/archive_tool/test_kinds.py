"""One vocabulary for rules and files: whatever kind the rule parser reads from a noun, a file
named with that noun is classified as (indicator_tree.rules.nouns, evidence.kind_of)."""
from __future__ import annotations

import opencc
import pytest

from archive_tool.evidence import kind_of
from indicator_tree.kinds import accepts
from indicator_tree.rules import rules_for
from indicator_tree.rules.nouns import NOUNS, rule_kind

#: the extension a file of each kind is saved with (av and photos are known by the medium)
_EXT = {"photo": ".jpg", "clipping": ".png", "report": ".docx", "record": ".docx",
        "document": ".pdf", "av": ".mp4"}
_TO_TRADITIONAL = opencc.OpenCC("s2t")


@pytest.mark.parametrize("noun", sorted(NOUNS))
def test_a_file_named_with_a_noun_counts_for_the_rule_that_noun_asks_for(noun):
    kind = rule_kind(noun)
    for theme in (f"2024年3月{noun}", f"道德讲堂{noun}", _TO_TRADITIONAL.convert(f"道德讲堂{noun}")):
        assert accepts(kind, kind_of(_EXT[kind], theme)), (noun, theme, kind_of(_EXT[kind], theme))


@pytest.mark.parametrize("text, name", [
    ("报送年度创建工作总结，800字左右。", "03：2024年工作总结.docx"),
    ("报送创建工作总结。", "03：2024年工作总结.docx"),
    ("建立志愿服务台账。", "01：志愿服务台账.xlsx"),
    ("建立志愿服务台账。", "02：10月志愿服务台账.jpg"),  # a photographed ledger page
    ("提供样报或网络截图。", "01：媒体报道.jpg"),
    ("提供会议纪要。", "01：电视问政节目录制会议纪要.docx"),
    ("提交学习心得体会，500字以内。", "01：學習心得體會.docx"),
    ("提供签到表。", "01：3月学习签到表.pdf"),
    ("提供活动视频资料。", "01：活动录像.mp4"),
])
def test_what_a_requirement_asks_for_is_counted_from_the_file_it_names(text, name):
    (rule,) = rules_for(text, "", 2024)
    stem, ext = name.rsplit(".", 1)
    assert accepts(rule.kind, kind_of("." + ext, stem.split("：", 1)[1]))


@pytest.mark.parametrize("ext, theme, kind", [
    (".docx", "关于报送2024年工作总结的通知", "document"),  # the head noun comes last
    (".docx", "学习党代会报告的会议记录", "record"),
    (".docx", "活动方案及总结", "report"),
    (".jpg", "志愿者签到现场", "photo"),                  # 签到现场: a photo of the sign-in
    (".jpg", "学雷锋活动记录", "photo"),                  # an activity photographed
    (".jpg", "样报照片", "clipping"),                     # a photo of a newspaper page
    (".jpg", "专题报告会", "photo"),                      # 报告会 is a meeting
    (".docx", "创建工作总结会签到表", "record"),
    (".jpg", "全市视频会议", "photo"),
    (".docx", "2024年创建工作", "document"),
])
def test_the_head_noun_and_the_medium_decide(ext, theme, kind):
    assert kind_of(ext, theme) == kind


def test_a_file_counts_for_its_own_kind_only():
    """A 总结 never stands in for the 方案 asked beside it, nor a 签到表 for a 制度."""
    rules = rules_for("提供活动方案和总结。", "", 2024)
    assert sorted(r.kind for r in rules) == ["document", "report"]
    summary = kind_of(".docx", "上半年活动总结")
    assert [accepts(r.kind, summary) for r in sorted(rules, key=lambda r: r.kind)] == [False, True]
    assert not accepts("document", kind_of(".docx", "学习签到表"))


def _readme_kinds() -> list[tuple[str, str]]:
    """(kind, file name) of every example file in the README's table of evidence kinds."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- kinds -->")[1].split("<!-- /kinds -->")[0]
    rows = [line.split("|")[1:-1] for line in table.splitlines() if line.startswith("| `")]
    return [(re.match(r" `(\w+)`", row[0]).group(1), name) for row in rows
            for name in re.findall(r"`([^`]+\.\w+)`", row[2])]


@pytest.mark.parametrize("kind, name", _readme_kinds())
def test_the_readme_kinds_table(kind, name):
    stem, ext = name.rsplit(".", 1)
    assert kind_of("." + ext, stem.split("：", 1)[-1]) == kind


def test_a_summary_is_no_short_explanatory_report_where_any_summary_is_asked(tmp_path):
    """REPORT_LENGTH only when every report the indicator asks for has a length: beside
    "提供活动方案和总结" a 1500-character 总结 is that summary, not a 说明报告 too long."""
    from archive_tool.lint import lint
    from archive_tool.scan import scan

    from ..conftest import new_archive
    from .scan_fixtures import docx, leaf

    root = new_archive(tmp_path, """id: t
title: 测试
window: {start: 2024-01-01, end: 2024-12-31}
indicators:
  - id: I-1
    name: 志愿服务
    requirements:
      - 说明报告，400字左右。
      - 开展党员志愿服务活动，提供活动方案和总结。
  - id: I-2
    name: 说明
    requirements:
      - 说明报告，400字左右。
""", unit="某局", name="archive")
    long = "志愿服务" * 375
    docx(leaf(root, "I-1") / "01：2024年志愿服务活动总结.docx", body=long, footer="01：2024年志愿服务活动总结")
    docx(leaf(root, "I-2") / "01：2024年志愿服务活动总结.docx", body=long, footer="01：2024年志愿服务活动总结")
    found = [(f.path.split(" ", 1)[0], f.message) for f in lint(scan(root)).findings
             if f.rule == "REPORT_LENGTH"]
    assert found == [("I-2", "报告 1500 字，要求 300–600 字")]
