"""The gap report over Evidence records built directly and small trees from YAML text."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from archive_tool.check import accepts, by_owner, check
from archive_tool.check.periods import label_of, periods
from archive_tool.config import ArchiveConfig
from archive_tool.errors import UsageError
from archive_tool.evidence import Caption, Evidence, Finding
from archive_tool.lint import LintReport
from archive_tool.report.gap_common import rule_line
from archive_tool.scan import ScanResult
from indicator_tree import load_tree_text

EXT = {"photo": ".jpg", "clipping": ".png", "report": ".docx", "record": ".docx",
       "document": ".pdf", "av": ".mp4", "other": ".zip"}
YEAR = (date(2018, 1, 1), date(2018, 12, 31))


def tree_of(leaves: str, window: tuple[date, date] = YEAR, head: str = "") -> object:
    """A tree with one level-I indicator I-1 holding the given leaves (YAML list items)."""
    text = f"""
id: t
title: 测试指标
window: {{start: {window[0]}, end: {window[1]}}}
indicators:
  - id: I-1
    name: 思想政治建设
{head}    children:
{leaves}
"""
    return load_tree_text(text)


def leaf(ind_id: str, rules: str, owners: str = "", extra: str = "") -> str:
    out = f"""      - id: {ind_id}
        name: 指标{ind_id}
"""
    if owners:
        out += f"        owners: [{owners}]\n"
    out += extra
    out += f"""        requirements:
          - text: 材料
            rules: {rules}
"""
    return out


@dataclass
class Planted(Evidence):
    """A record with the findings lint would report about it (handed to check in the report)."""

    planted: list[Finding] = field(default_factory=list)


def ev(name: str, kind: str, day: date | None, ind: str = "II-1", findings=(), **kw) -> Evidence:
    path = f"I-1 思想政治建设/{ind} 指标{ind}/{name}{EXT[kind]}"
    return Planted(path=path, size=1, mtime_ns=0, ext=EXT[kind], kind=kind, indicator_id=ind,
                   in_leaf=True, seq=1, theme=name, date=day,
                   planted=[Finding(rule, path, "error", f"{rule} 消息", f"{rule} 修改")
                            for rule in findings], **kw)


def run(tree, evidence, as_of, folder_findings=(), **kw):
    config = ArchiveConfig(root=Path("/tmp/archive"), tree=tree, tree_file="tree.yaml", unit="",
                           organizers=(), window_start=tree.window_start,
                           window_end=tree.window_end)
    result = ScanResult(config=config, evidence=list(evidence), folders=[])
    findings = [f for e in evidence for f in getattr(e, "planted", ())] + list(folder_findings)
    return check(result, LintReport(result, findings), as_of=as_of, **kw)


def only_leaf(report):
    (found,) = [ind for ind in report.leaves() if ind.assessed]
    return found


# ---- periods --------------------------------------------------------------------------------
def test_period_labels_and_clipping():
    assert [p.label for p in periods("quarter", *YEAR)] == ["2018Q1", "2018Q2", "2018Q3", "2018Q4"]
    assert [p.label for p in periods("half", *YEAR)] == ["2018H1", "2018H2"]
    assert [p.label for p in periods("year", date(2016, 1, 1), date(2018, 12, 31))] == \
        ["2016", "2017", "2018"]
    months = periods("month", date(2018, 2, 15), date(2018, 4, 10))
    assert [(p.label, p.start, p.end) for p in months] == [
        ("2018-02", date(2018, 2, 15), date(2018, 2, 28)),
        ("2018-03", date(2018, 3, 1), date(2018, 3, 31)),
        ("2018-04", date(2018, 4, 1), date(2018, 4, 10))]
    assert [p.label for p in periods("window", *YEAR)] == ["全期"]
    assert label_of("quarter", date(2018, 12, 31)) == "2018Q4"
    assert periods("quarter", date(2018, 2, 1), date(2018, 1, 1)) == []


# ---- each rule kind x period x status -------------------------------------------------------
RULE_TO_EVIDENCE = {"photo": "photo", "clipping": "clipping", "report": "report",
                    "record": "record", "document": "document", "any": "document"}


@pytest.mark.parametrize("kind", list(RULE_TO_EVIDENCE))
@pytest.mark.parametrize("period", ["month", "quarter", "half", "year", "window"])
@pytest.mark.parametrize("case", ["complete", "short", "missing", "not_started"])
def test_rule_kind_period_status(kind, period, case):
    tree = tree_of(leaf("II-1", f"[{{kind: {kind}, min: 2, period: {period}}}]"))
    per_period = {"complete": 2, "short": 1, "missing": 0, "not_started": 0}[case]
    status = {"short": "missing"}.get(case, case)  # 1 of 2 in an ended period is missing
    evidence = [ev(f"{p.label}-{i}", RULE_TO_EVIDENCE[kind], p.start)
                for p in periods(period, *YEAR) for i in range(per_period)]
    as_of = date(2017, 12, 1) if case == "not_started" else date(2019, 1, 15)
    report = run(tree, evidence, as_of)
    gap = only_leaf(report)
    (rule,) = gap.rules
    assert rule.status == status
    assert gap.status == status
    assert {p.status for p in rule.periods} == {status}
    assert {p.found for p in rule.periods} == {per_period}
    assert rule.found == len(evidence)
    assert report.ok == (status in ("complete", "not_started"))


def test_periods_show_each_status_on_the_as_of_date():
    tree = tree_of(leaf("II-4", "[{kind: any, min: 2, period: quarter}]"))
    evidence = [ev("a", "photo", date(2018, 2, 1), "II-4"), ev("b", "report", date(2018, 3, 1), "II-4"),
                ev("c", "document", date(2018, 5, 1), "II-4")]
    report = run(tree, evidence, date(2018, 10, 15))
    (rule,) = only_leaf(report).rules
    assert [(p.label, p.found, p.status) for p in rule.periods] == [
        ("2018Q1", 2, "complete"), ("2018Q2", 1, "missing"), ("2018Q3", 0, "missing"),
        ("2018Q4", 0, "in_progress")]
    assert rule.status == "missing" and only_leaf(report).status == "missing"
    assert rule_line(rule).endswith("：2018Q1 ✓ 2/2 2018Q2 ✗ 1/2 2018Q3 ✗ "
                                    "2018Q4 进行中：还差 2 份活动材料（本期还剩 77 天）")
    assert [p.needed for p in rule.periods] == [0, 1, 2, 2]


def test_period_in_progress_met_is_complete():
    tree = tree_of(leaf("II-4", "[{kind: any, min: 1, period: quarter}]"))
    evidence = [ev(f"q{q}", "document", date(2018, 3 * q - 1, 1), "II-4") for q in range(1, 5)]
    report = run(tree, evidence, date(2018, 11, 1))
    (rule,) = only_leaf(report).rules
    assert [p.status for p in rule.periods] == ["complete"] * 4
    assert only_leaf(report).status == "complete"
    assert rule_line(rule).endswith("2018Q1 ✓ 2018Q2 ✓ 2018Q3 ✓ 2018Q4 ✓")


def test_last_day_of_a_period_is_due_today():
    tree = tree_of(leaf("II-4", "[{kind: any, min: 1, period: quarter}]"))
    report = run(tree, [], date(2018, 3, 31))
    first = only_leaf(report).rules[0].periods[0]
    assert (first.status, first.days_left, first.needed) == ("in_progress", 0, 1)
    assert "2018Q1 进行中：还差 1 份活动材料（今天到期）" in rule_line(only_leaf(report).rules[0])
    assert report.ok  # nothing has ended short, and no inspection day is set
    report = run(tree, [], date(2018, 4, 1))
    assert only_leaf(report).rules[0].periods[0].status == "missing"
    assert not report.ok


# ---- which kinds count ----------------------------------------------------------------------
def test_kind_acceptance():
    # one vocabulary names rules and files (indicator_tree.rules.nouns): a 总结 (report) or a
    # 签到表 (record) never stands in for the 方案 or 制度 a document rule asks for
    assert not accepts("document", "report") and not accepts("document", "record")
    assert accepts("document", "document") and accepts("any", "record")
    assert not accepts("document", "photo")
    assert accepts("any", "av") and not accepts("any", "other")
    assert not accepts("photo", "clipping") and not accepts("report", "document")


def test_wrong_kind_is_listed_as_not_asked():
    tree = tree_of(leaf("II-1", "[{kind: report}]"))
    evidence = [ev("照片", "photo", date(2018, 3, 1)), ev("说明报告", "report", date(2018, 3, 1))]
    gap = only_leaf(run(tree, evidence, date(2019, 1, 1)))
    assert gap.status == "complete"
    assert [(n.path.rsplit("/", 1)[-1], n.rule) for n in gap.not_counted] == \
        [("照片.jpg", "KIND_NOT_ASKED")]


def test_one_file_counts_toward_every_rule_it_qualifies_for():
    tree = tree_of(leaf("II-1", "[{kind: photo, min: 1}, {kind: any, min: 1, period: half}]"))
    evidence = [ev("活动", "photo", date(2018, 3, 1)), ev("活动2", "photo", date(2018, 9, 1))]
    report = run(tree, evidence, date(2019, 1, 1))
    assert [r.status for r in only_leaf(report).rules] == ["complete", "complete"]
    assert report.summary()["counted"] == 2


# ---- files that do not count ----------------------------------------------------------------
def test_uncaptioned_photo_is_not_counted_and_listed():
    tree = tree_of(leaf("II-1", "[{kind: photo, min: 2}]"))
    evidence = [ev("有说明", "photo", date(2018, 3, 1)),
                ev("无说明", "photo", None, findings=["CAPTION_MISSING"])]
    report = run(tree, evidence, date(2019, 1, 1))
    gap = only_leaf(report)
    assert gap.rules[0].found == 1 and gap.status == "missing"
    (item,) = gap.not_counted  # no separate DATE_UNKNOWN: the caption brings the date
    assert item.path.endswith("无说明.jpg") and item.rule == "CAPTION_MISSING"
    assert item.message == "CAPTION_MISSING 消息" and item.fix == "CAPTION_MISSING 修改"
    summary = report.summary()
    assert (summary["counted"], summary["not_counted"]) == (1, 1)


def test_incomplete_caption_keeps_a_photo_out_even_of_an_any_rule():
    tree = tree_of(leaf("II-1", "[{kind: any, min: 1}]"))
    evidence = [ev("无主办单位", "photo", date(2018, 3, 1), findings=["CAPTION_NO_ORGANIZER"])]
    gap = only_leaf(run(tree, evidence, date(2019, 1, 1)))
    assert gap.status == "missing"
    assert [n.rule for n in gap.not_counted] == ["CAPTION_NO_ORGANIZER"]


def test_clipping_needs_a_caption_only_when_the_rule_asks():
    evidence = [ev("样报", "clipping", date(2018, 3, 1), findings=["CAPTION_MISSING"])]
    loose = only_leaf(run(tree_of(leaf("II-1", "[{kind: clipping}]")), evidence, date(2019, 1, 1)))
    assert loose.status == "complete" and not loose.not_counted
    strict = only_leaf(run(tree_of(leaf("II-1", "[{kind: clipping, caption: true}]")), evidence,
                           date(2019, 1, 1)))
    assert strict.status == "missing" and strict.not_counted[0].rule == "CAPTION_MISSING"


def test_disqualifying_and_harmless_findings():
    tree = tree_of(leaf("II-1", "[{kind: document, min: 5}]"))
    evidence = [ev("坏名", "document", date(2018, 3, 1), findings=["NAME_FORMAT"]),
                ev("坏文件", "document", date(2018, 3, 1), findings=["FILE_UNREADABLE"]),
                ev("冒号", "document", date(2018, 3, 1), findings=["NAME_ASCII_COLON"]),
                ev("扫描件", "document", date(2018, 3, 1), findings=["FILE_NO_TEXT"]),
                ev("无页脚", "document", date(2018, 3, 1), findings=["FOOTER_MISSING"])]
    gap = only_leaf(run(tree, evidence, date(2019, 1, 1)))
    assert gap.rules[0].found == 3
    assert sorted(n.rule for n in gap.not_counted) == ["FILE_UNREADABLE", "NAME_FORMAT"]


def test_file_inside_an_unknown_folder_is_not_counted():
    tree = tree_of(leaf("II-1", "[{kind: document}]"))
    folder = "I-1 思想政治建设/II-1 指标II-1/杂项"
    item = ev("文件", "document", date(2018, 3, 1), unknown_dirs=(folder,))
    item.path = f"{folder}/01：文件.pdf"
    finding = Finding("PLACE_UNKNOWN_DIR", folder, "error", "文件夹「杂项」不对应指标", "改名")
    gap = only_leaf(run(tree, [item], date(2019, 1, 1), folder_findings=[finding]))
    assert gap.status == "missing"
    assert [(n.rule, n.message) for n in gap.not_counted] == \
        [("PLACE_UNKNOWN_DIR", "文件夹「杂项」不对应指标")]


def test_report_length_per_rule():
    tree = tree_of(leaf("II-1", "[{kind: report, words: [300, 600]}]"))
    short = ev("短", "report", date(2018, 3, 1), char_count=120, findings=["REPORT_LENGTH"])
    good = ev("好", "report", date(2018, 3, 1), char_count=450)
    unknown = ev("未知", "report", date(2018, 3, 1), char_count=None)
    gap = only_leaf(run(tree, [short, good, unknown], date(2019, 1, 1)))
    assert gap.rules[0].found == 2
    assert [(n.path.rsplit("/", 1)[-1], n.rule) for n in gap.not_counted] == \
        [("短.docx", "REPORT_LENGTH")]


def test_date_reasons():
    tree = tree_of(leaf("II-1", "[{kind: document, min: 4}]"))
    evidence = [ev("无日期", "document", None),
                ev("去年", "document", date(2017, 12, 31), date_source="docx"),
                ev("将来", "document", date(2018, 9, 1)), ev("好", "document", date(2018, 3, 1))]
    gap = only_leaf(run(tree, evidence, date(2018, 6, 1)))
    reasons = {n.path.rsplit("/", 1)[-1]: n.rule for n in gap.not_counted}
    assert reasons == {"无日期.pdf": "DATE_UNKNOWN", "去年.pdf": "DATE_OUTSIDE_WINDOW",
                       "将来.pdf": "DATE_AFTER_AS_OF"}
    messages = {n.path.rsplit("/", 1)[-1]: n.message for n in gap.not_counted}
    assert messages["将来.pdf"] == "日期 2018-09-01 晚于报告日期 2018-06-01"
    assert messages["去年.pdf"] == ("日期 2017-12-31（取自 Word 文档属性中的创建时间）不在考核期"
                                  "（2018-01-01 至 2018-12-31）内")
    fixes = {n.path.rsplit("/", 1)[-1]: n.fix for n in gap.not_counted}
    assert "在文件名主题中写明日期" in fixes["去年.pdf"]
    assert gap.rules[0].found == 1


@pytest.mark.parametrize("rules", ["[{kind: document}]",
                                   "[{kind: document, deadline: 2018-06-30}]"])
def test_an_unreadable_file_is_not_also_undated(rules):
    tree = tree_of(leaf("II-1", rules))
    broken = ev("坏", "document", None, findings=["FILE_UNREADABLE"])
    gap = only_leaf(run(tree, [broken], date(2018, 6, 1)))
    assert [n.rule for n in gap.not_counted] == ["FILE_UNREADABLE"]


# ---- deadlines ------------------------------------------------------------------------------
DEADLINE_TREE = leaf("II-1", "[{kind: report, deadline: 2018-06-30}]")


def test_deadline_not_yet_reached():
    tree = tree_of(DEADLINE_TREE)
    pending = only_leaf(run(tree, [], date(2018, 5, 1)))
    assert pending.status == "in_progress" and not pending.short
    (period,) = pending.rules[0].periods
    assert (period.days_left, period.ends) == (60, "deadline")
    done = only_leaf(run(tree, [ev("报告", "report", date(2018, 4, 1))], date(2018, 5, 1)))
    assert done.status == "complete"
    assert done.rules[0].periods[0].end == date(2018, 6, 30)


def test_deadline_passed():
    tree = tree_of(DEADLINE_TREE)
    assert only_leaf(run(tree, [], date(2018, 7, 1))).status == "missing"
    late = only_leaf(run(tree, [ev("报告", "report", date(2018, 7, 5))], date(2018, 8, 1)))
    assert late.status == "missing"
    assert [n.rule for n in late.not_counted] == ["AFTER_DEADLINE"]
    assert "2018-06-30" in late.not_counted[0].message


def test_requirement_deadline_cuts_periodic_rules():
    tree = tree_of("""      - id: II-1
        name: 学习
        requirements:
          - text: 每季度至少开展一次学习
            deadline: 2018-06-30
""")
    (rule,) = only_leaf(run(tree, [], date(2018, 12, 1))).rules
    assert [p.label for p in rule.periods] == ["2018Q1", "2018Q2"]


# ---- leaves and parents ---------------------------------------------------------------------
def test_leaf_status_from_rules():
    tree = tree_of(leaf("II-1", "[{kind: report, min: 1}, {kind: photo, min: 1, "
                                "deadline: 2018-12-31}]"))
    report = run(tree, [ev("报告", "report", date(2018, 3, 1))], date(2018, 6, 1))
    gap = only_leaf(report)
    assert [r.status for r in gap.rules] == ["complete", "in_progress"]
    assert gap.status == "in_progress"
    quarterly = tree_of(leaf("II-1", "[{kind: report, period: quarter}]"))
    gap = only_leaf(run(quarterly, [ev("报告", "report", date(2018, 3, 1))], date(2018, 3, 15)))
    assert [p.status for p in gap.rules[0].periods] == ["complete"] + ["not_started"] * 3
    assert gap.status == "complete" and not gap.short  # met early; the rest has not started


def test_leaf_without_asked_evidence_is_not_assessed():
    tree = tree_of(leaf("II-1", "[]") + leaf("II-2", "[{kind: report}]"))
    report = run(tree, [], date(2019, 1, 1))
    free = next(i for i in report.leaves() if i.id == "II-1")
    assert free.status == "not_assessed" and not free.assessed and free.rules == []
    assert not free.short
    summary = report.summary()
    assert (summary["assessed"], summary["due"], summary["not_assessed"]) == (1, 1, 1)
    top = report.indicators[0]
    assert (top.leaves_due, top.leaves_complete, top.status) == (1, 0, "missing")


def test_parents_roll_up_coverage_and_points():
    text = """
id: t
title: 测试
window: {start: 2018-01-01, end: 2018-12-31}
indicators:
  - id: I-1
    name: 一
    children:
      - id: II-1
        name: 甲
        score: 4
        requirements: [{text: 材料, rules: [{kind: report}]}]
      - id: II-2
        name: 乙
        score: 6
        requirements: [{text: 材料, rules: [{kind: report}]}]
      - id: II-3
        name: 丙
        score: 5
        requirements: [{text: 材料, rules: [{kind: report, deadline: 2018-12-31}]}]
  - id: I-2
    name: 二
    score: 10
    children:
      - id: II-4
        name: 丁
        requirements: [{text: 材料, rules: [{kind: report}]}]
      - id: II-5
        name: 戊
        requirements: [{text: 材料, rules: [{kind: report}]}]
"""
    tree = load_tree_text(text)
    evidence = [ev("报告", "report", date(2018, 3, 1), "II-1"),
                ev("报告", "report", date(2018, 3, 1), "II-4")]
    report = run(tree, evidence, date(2018, 6, 1))
    one, two = report.indicators
    # the window rules of II-1/2/4/5 are in progress: met -> complete, else in progress
    assert (one.status, one.leaves_due, one.leaves_complete) == ("in_progress", 3, 1)
    assert one.at_stake == 0 and not one.short  # nothing ended short, no inspection day
    report = run(tree, evidence, date(2019, 1, 1))
    one, two = report.indicators
    assert (one.leaves_due, one.leaves_complete, one.coverage) == (3, 1, 1 / 3)
    assert one.status == "missing" and one.at_stake == 11  # II-2 (6) and II-3 (5)
    assert two.status == "missing" and two.at_stake == 5  # half of its assessed leaves
    summary = report.summary()
    assert (summary["score"], summary["at_stake"]) == (25, 16)  # 4 + 6 + 5 + 10
    assert summary["coverage"] == round(2 / 5, 4)
    partial = run(tree, [], date(2019, 1, 1))
    assert {i.status for i in partial.indicators} == {"missing"}


def test_files_outside_leaf_folders():
    tree = tree_of(leaf("II-1", "[{kind: report}]"))
    parent = Planted(path="I-1 思想政治建设/01：总结.docx", size=1, mtime_ns=0, ext=".docx",
                     kind="document", indicator_id="I-1", in_leaf=False, date=date(2018, 3, 1))
    parent.planted = [Finding("PLACE_OUTSIDE", parent.path, "error", "不在末级", "移动")]
    loose = Evidence(path="01：杂项.docx", size=1, mtime_ns=0, ext=".docx", kind="document",
                     date=date(2018, 3, 1))
    report = run(tree, [parent, loose], date(2019, 1, 1))
    assert [(n.rule, n.message) for n in report.indicators[0].not_counted] == \
        [("PLACE_OUTSIDE", "不在末级")]
    assert [(n.path, n.rule) for n in report.outside] == [("01：杂项.docx", "PLACE_OUTSIDE")]
    assert report.summary()["outside"] == 1


# ---- window -------------------------------------------------------------------------------
def test_window_override_and_bad_window():
    tree = tree_of(leaf("II-1", "[{kind: any, period: quarter}]"))
    report = run(tree, [], date(2019, 1, 1), date_from=date(2018, 7, 1))
    assert [p.label for p in only_leaf(report).rules[0].periods] == ["2018Q3", "2018Q4"]
    assert report.window_start == date(2018, 7, 1)
    with pytest.raises(UsageError):
        run(tree, [], date(2019, 1, 1), date_from=date(2018, 7, 1), date_to=date(2018, 6, 1))


def test_config_window_wins_over_the_tree():
    tree = tree_of(leaf("II-1", "[{kind: any, period: half}]"))
    config = ArchiveConfig(root=Path("/tmp/a"), tree=tree, tree_file="tree.yaml", unit="",
                           organizers=(), window_start=date(2018, 1, 1),
                           window_end=date(2018, 6, 30))
    result = ScanResult(config=config, evidence=[], folders=[])
    report = check(result, LintReport(result, []), as_of=date(2019, 1, 1))
    assert [p.label for p in only_leaf(report).rules[0].periods] == ["2018H1"]


# ---- owners ---------------------------------------------------------------------------------
def test_by_owner_groups_missing_leaves():
    tree = tree_of(leaf("II-1", "[{kind: report}]", owners="张三")
                   + leaf("II-2", "[{kind: report}]", owners="张三, 办公室")
                   + leaf("II-3", "[{kind: report}]")
                   + leaf("II-4", "[{kind: report}]", owners="李四")
                   + leaf("II-5", "[{kind: report}]", extra="        lead: [组织人事处]\n"),
                   head="    lead: [机关党委]\n")
    evidence = [ev("报告", "report", date(2018, 3, 1), "II-4")]
    report = run(tree, evidence, date(2019, 1, 1))
    groups = by_owner(report)
    assert [(g.owner, [i.id for i in g.indicators]) for g in groups] == [
        ("张三", ["II-1", "II-2"]), ("办公室", ["II-2"]), ("机关党委", ["II-3"]),
        ("组织人事处", ["II-5"])]
    assert all(i.status == "missing" for g in groups for i in g.indicators)
    assert groups[0].to_dict()["indicators"][0]["parents"] == ["I-1"]


def test_by_owner_without_any_owner():
    tree = tree_of(leaf("II-1", "[{kind: report}]"))
    groups = by_owner(run(tree, [], date(2019, 1, 1)))
    assert [g.owner for g in groups] == ["（未指定责任人）"]


def test_caption_object_is_not_what_counts():
    """check judges captions by lint's findings only: a record with a caption and no finding
    counts, whatever the caption says (lint is the one place that reads captions)."""
    tree = tree_of(leaf("II-1", "[{kind: photo}]"))
    photo = ev("照片", "photo", date(2018, 3, 1), caption=Caption("活动", "xmp"))
    assert only_leaf(run(tree, [photo], date(2019, 1, 1))).status == "complete"


def test_scores_only_on_leaves_are_summed():
    tree = tree_of(leaf("II-1", "[{kind: report}]", extra="        score: 3\n")
                   + leaf("II-2", "[{kind: report}]", extra="        score: 2\n"))
    report = run(tree, [ev("报告", "report", date(2018, 3, 1))], date(2019, 1, 1))
    top = report.indicators[0]
    assert top.score is None and top.at_stake == 2
    assert (report.summary()["score"], report.summary()["at_stake"]) == (5, 2)


def test_a_scored_parent_puts_its_unassigned_points_at_stake():
    """I-1 has 10 points, II-1 carries 4 of them: the other 6 ride on the unscored II-2/II-3."""
    tree = tree_of(leaf("II-1", "[{kind: report}]", extra="        score: 4\n")
                   + leaf("II-2", "[{kind: report}]") + leaf("II-3", "[{kind: report}]"),
                   head="    score: 10\n")
    evidence = [ev("报告", "report", date(2018, 3, 1), "II-1"),
                ev("报告", "report", date(2018, 3, 1), "II-2")]
    top = run(tree, evidence, date(2019, 1, 1)).indicators[0]
    assert top.at_stake == 3  # II-3 missing: half of the 6 unassigned points
    assert run(tree, evidence[:1], date(2019, 1, 1)).indicators[0].at_stake == 6


# ---- deadlines in another window ------------------------------------------------------------
def test_a_tree_deadline_moves_to_the_archive_window_year():
    """The 2018 table reused for 2019: "6月底前" means 2019-06-30 there, not a one-day span."""
    tree = tree_of(DEADLINE_TREE)
    y2019 = {"date_from": date(2019, 1, 1), "date_to": date(2019, 12, 31)}
    on_time = ev("报告", "report", date(2019, 3, 1))
    gap = only_leaf(run(tree, [on_time], date(2019, 10, 1), **y2019))
    (rule,) = gap.rules
    assert rule.deadline == date(2019, 6, 30)
    assert [(p.start, p.end) for p in rule.periods] == [(date(2019, 1, 1), date(2019, 6, 30))]
    assert gap.status == "complete" and "2019-06-30 前" in rule.text
    late = only_leaf(run(tree, [ev("报告", "report", date(2019, 7, 2))], date(2019, 10, 1),
                         **y2019))
    assert [n.rule for n in late.not_counted] == ["AFTER_DEADLINE"]
    assert "2019-06-30" in late.not_counted[0].message


def test_a_deadline_that_cannot_fall_in_the_window_is_dropped():
    tree = tree_of(DEADLINE_TREE)  # 2018-06-30
    gap = only_leaf(run(tree, [ev("报告", "report", date(2019, 9, 1))], date(2019, 12, 31),
                        date_from=date(2019, 7, 1), date_to=date(2019, 12, 31)))
    assert gap.rules[0].deadline is None and gap.status == "complete"


# ---- owners per requirement -----------------------------------------------------------------
OWNED = """      - id: II-1
        name: 甲
        owners: [张三]
        requirements:
          - text: 要求一
            owners: [李四]
            rules: [{kind: report}]
          - text: 要求二
            rules: [{kind: photo}]
"""


def test_each_owner_gets_only_the_rules_of_their_requirements():
    report = run(tree_of(OWNED), [ev("报告", "report", date(2018, 3, 1))], date(2019, 1, 1))
    gap = only_leaf(report)
    assert [r.owners for r in gap.rules] == [("李四",), ("张三",)]
    assert [r.requirement_no for r in gap.rules] == [1, 2]
    assert gap.owners == ("李四", "张三")
    groups = by_owner(report)
    assert [(g.owner, [(i.id, i.status, [r.requirement for r in i.rules])
                       for i in g.indicators]) for g in groups] == \
        [("张三", [("II-1", "missing", ["要求二"])])]  # 李四's report is there


def test_an_ownerless_requirement_falls_back_to_the_ancestor():
    tree = tree_of(OWNED.replace("        owners: [张三]\n", ""), head="    owners: [王五]\n")
    groups = by_owner(run(tree, [], date(2019, 1, 1)))
    assert [(g.owner, [r.requirement for r in g.indicators[0].rules]) for g in groups] == \
        [("李四", ["要求一"]), ("王五", ["要求二"])]


# ---- files that do not count ----------------------------------------------------------------
def test_files_in_a_leaf_that_asks_for_nothing_are_listed():
    tree = tree_of(leaf("II-1", "[]"))
    (gap,) = run(tree, [ev("评价", "document", date(2018, 3, 1))], date(2019, 1, 1)).leaves()
    assert [(n.rule, n.path.rsplit("/", 1)[-1]) for n in gap.not_counted] == \
        [("NOT_ASSESSED", "评价.pdf")]


def test_a_file_counted_for_one_rule_says_so_where_another_rejects_it():
    tree = tree_of(leaf("II-1", "[{kind: report}, {kind: report, words: [525, 1050]}]"))
    short = ev("报告", "report", date(2018, 3, 1), char_count=420)
    gap = only_leaf(run(tree, [short], date(2019, 1, 1)))
    assert [r.found for r in gap.rules] == [1, 0]
    (item,) = gap.not_counted
    assert item.rule == "REPORT_LENGTH" and item.message.endswith("（已计入本指标的其他要求）")
