"""The gap report on the inspection day, per-activity rules, per-period cut-offs and documents
in force, over Evidence records built directly and trees written in YAML."""
from __future__ import annotations

from datetime import date

import pytest

from archive_tool.check import by_owner
from archive_tool.errors import UsageError
from archive_tool.evidence import Caption
from archive_tool.report.gap_common import activity_line, outlook_line, rule_line, standing_line
from archive_tool.report.gap_text import gap_owners_text, gap_text

from .test_check import ev, leaf, only_leaf, run, tree_of

QUARTERLY = leaf("II-1", "[{kind: photo, min: 2, period: quarter}]", owners="张三")


def photos(*days: date, ind: str = "II-1"):
    return [ev(f"照片{i}", "photo", day, ind) for i, day in enumerate(days)]


# ---- in progress, due today, the inspection day ----------------------------------------------
def test_a_period_in_progress_says_what_is_still_needed_and_the_days_left():
    report = run(tree_of(QUARTERLY), photos(date(2018, 10, 2)), date(2018, 10, 15))
    (rule,) = only_leaf(report).rules
    q4 = rule.periods[-1]
    assert (q4.status, q4.found, q4.needed, q4.days_left, q4.ends) == \
        ("in_progress", 1, 1, 77, "period")
    assert rule_line(rule).endswith("2018Q4 进行中：还差 1 张现场照片（本期还剩 77 天）")


def test_on_its_last_day_a_short_period_is_due_today_not_missing():
    report = run(tree_of(QUARTERLY), photos(date(2018, 3, 30)), date(2018, 3, 31))
    q1 = only_leaf(report).rules[0].periods[0]
    assert (q1.status, q1.days_left) == ("in_progress", 0)
    assert "2018Q1 进行中：还差 1 张现场照片（今天到期）" in rule_line(only_leaf(report).rules[0])
    assert report.ok  # no inspection day: nothing has ended short yet
    judged = run(tree_of(QUARTERLY), photos(date(2018, 3, 30)), date(2018, 3, 31),
                 inspection=date(2018, 3, 31))
    assert not judged.ok and only_leaf(judged).short


def test_a_period_ending_after_the_inspection_day_is_judged_on_that_day():
    evidence = photos(date(2018, 10, 2), date(2018, 11, 29), date(2018, 12, 1))
    report = run(tree_of(QUARTERLY), evidence, date(2018, 12, 5), inspection=date(2018, 11, 30))
    (rule,) = only_leaf(report).rules
    q4 = rule.periods[-1]
    assert (q4.end, q4.ends, q4.found, q4.status) == (date(2018, 11, 30), "inspection", 2,
                                                       "complete")
    gap = only_leaf(report)
    assert [(n.rule, n.message) for n in gap.not_counted] == [
        ("AFTER_INSPECTION", "日期 2018-12-01 晚于迎检日 2018-11-30")]


def test_periods_starting_after_the_inspection_day_are_not_judged():
    tree = tree_of(leaf("II-1", "[{kind: any, period: month}]"))
    report = run(tree, [], date(2018, 11, 1), inspection=date(2018, 11, 30))
    labels = [p.label for p in only_leaf(report).rules[0].periods]
    assert labels[-1] == "2018-11" and "2018-12" not in labels


def test_with_an_inspection_day_everything_not_yet_filed_is_short():
    """On 2018-05-10, with the inspection on 2018-11-30: Q1 ended short (missing), Q2 is in
    progress, Q3 and Q4 have not started; on the inspection day all four will be short."""
    evidence = photos(date(2018, 2, 1))
    report = run(tree_of(QUARTERLY), evidence, date(2018, 5, 10), inspection=date(2018, 11, 30))
    (rule,) = only_leaf(report).rules
    assert [(p.status, p.short) for p in rule.periods] == [
        ("missing", True), ("in_progress", True), ("not_started", True), ("not_started", True)]
    summary = report.summary()
    assert (summary["short"], summary["short_periods"]) == (1, 4)
    assert summary["short_by_status"] == {"missing": 1, "in_progress": 0, "not_started": 0}
    assert not report.ok
    assert outlook_line(report) == ("迎检日（2018-11-30）若不再补充材料：将有 1 项指标缺材料"
                                    "（周期已结束 1 项），共缺 4 期")
    text = gap_text(report)
    assert text.splitlines()[1].endswith("迎检日：2018-11-30")
    assert text.splitlines()[2].startswith("迎检日（2018-11-30）若不再补充材料")
    assert text.splitlines()[-1] == "✗ 迎检日（2018-11-30）将缺材料，见上方缺项明细。"


def test_a_leaf_complete_so_far_is_still_short_for_the_inspection():
    evidence = photos(date(2018, 2, 1), date(2018, 2, 2))
    report = run(tree_of(QUARTERLY), evidence, date(2018, 3, 15), inspection=date(2018, 11, 30))
    gap = only_leaf(report)
    assert (gap.status, gap.short) == ("complete", True)
    assert report.summary()["short_by_status"]["not_started"] == 1
    assert "✓ 齐全（迎检前还需补充）" in gap_text(report)
    calm = run(tree_of(QUARTERLY), evidence, date(2018, 3, 15))
    assert calm.ok and not only_leaf(calm).short


def test_nothing_missing_on_the_inspection_day():
    evidence = photos(*(date(2018, m, d) for m in (2, 5, 8, 11) for d in (1, 2)))
    report = run(tree_of(QUARTERLY), evidence, date(2018, 11, 5), inspection=date(2018, 11, 30))
    assert report.ok
    assert outlook_line(report) == "迎检日（2018-11-30）：应查指标的材料已经齐全"


def test_an_inspection_day_before_the_window_is_refused():
    with pytest.raises(UsageError) as info:
        run(tree_of(QUARTERLY), [], date(2018, 5, 1), inspection=date(2017, 11, 30))
    assert "迎检日" in info.value.message


# ---- activities -------------------------------------------------------------------------------
EACH = leaf("II-1", "[{kind: photo, min: 2, each: 2, period: half}]")


def captioned(name: str, day: date, theme: str, activity: str = ""):
    item = ev(name, "photo", day, caption=Caption(f"{day} {theme}", "xmp", day, "", "机关党委",
                                                  theme))
    if activity:
        item.activity = f"I-1 思想政治建设/II-1 指标II-1/{activity}"
        item.path = f"{item.activity}/{item.name}"
    return item


def test_activities_count_when_they_have_their_photos():
    evidence = [captioned("01：学雷锋", date(2018, 3, 5), "学雷锋志愿服务"),
                captioned("02：学雷锋", date(2018, 3, 5), "学雷锋志愿服务2"),
                captioned("03：植树", date(2018, 3, 12), "义务植树"),
                captioned("04：献血", date(2018, 5, 4), "无偿献血", "2018-05 无偿献血"),
                captioned("05：献血", date(2018, 5, 6), "献血现场", "2018-05 无偿献血")]
    report = run(tree_of(EACH), evidence, date(2018, 9, 1))
    (rule,) = only_leaf(report).rules
    h1 = rule.periods[0]
    assert (h1.found, h1.status) == (2, "complete")  # 学雷锋 (2 photos) and the 献血 folder
    assert [(a.label, a.files, a.complete) for a in rule.activities] == [
        ("2018-03-05 学雷锋志愿服务", 2, True), ("2018-03-12 义务植树", 1, False),
        ("2018-05 无偿献血", 2, True)]
    assert activity_line(rule) == ("活动：2018-03-05 学雷锋志愿服务 ✓ 2/2；"
                                   "2018-03-12 义务植树 ✗ 1/2；2018-05 无偿献血 ✓ 2/2")
    assert "每半年至少 2 次活动，每次 2 张现场照片" in rule.text
    (short,) = only_leaf(report).not_counted
    assert short.rule == "ACTIVITY_SHORT" and short.path.endswith("03：植树.jpg")
    assert "「2018-03-12 义务植树」只有 1 张现场照片，每次活动需 2 张现场照片" in short.message
    assert report.summary()["counted"] == 4


def test_an_activity_short_of_photos_leaves_the_period_short():
    evidence = [captioned("01：学雷锋", date(2018, 3, 5), "学雷锋"),
                captioned("02：学雷锋", date(2018, 3, 5), "学雷锋"),
                captioned("03：植树", date(2018, 3, 12), "义务植树")]
    report = run(tree_of(EACH), evidence, date(2018, 7, 1))
    h1 = only_leaf(report).rules[0].periods[0]
    assert (h1.found, h1.required, h1.status, h1.needed) == (1, 2, "missing", 1)
    assert "2018H1 ✗ 1/2" in rule_line(only_leaf(report).rules[0])


# ---- cut-offs ---------------------------------------------------------------------------------
CUTOFFS = leaf("II-1", "[{kind: report, period: half, cutoffs: [2018-06-20, 2018-12-20]}]")


def test_each_period_is_judged_on_its_cut_off():
    evidence = [ev("上半年", "report", date(2018, 6, 25)), ev("下半年", "report", date(2018, 12, 1))]
    report = run(tree_of(CUTOFFS), evidence, date(2018, 12, 25))
    (rule,) = only_leaf(report).rules
    assert [(p.label, p.end, p.ends, p.status) for p in rule.periods] == [
        ("2018H1", date(2018, 6, 20), "cutoff", "missing"),
        ("2018H2", date(2018, 12, 20), "cutoff", "complete")]
    (late,) = only_leaf(report).not_counted
    assert (late.rule, late.path.rsplit("/", 1)[-1]) == ("AFTER_DEADLINE", "上半年.docx")
    assert "截止日期 2018-06-20" in late.message
    assert rule.text.endswith("分别于 2018-06-20、2018-12-20 前")
    in_time = run(tree_of(CUTOFFS), evidence, date(2018, 6, 20))
    first = only_leaf(in_time).rules[0].periods[0]
    assert (first.status, first.days_left) == ("in_progress", 0)


def test_cut_offs_of_another_year_move_into_the_window():
    report = run(tree_of(CUTOFFS), [], date(2019, 7, 1), date_from=date(2019, 1, 1),
                 date_to=date(2019, 12, 31))
    assert only_leaf(report).rules[0].cutoffs == (date(2019, 6, 20), date(2019, 12, 20))


# ---- documents in force -----------------------------------------------------------------------
def test_a_standing_document_made_before_the_window_counts_and_is_named():
    tree = tree_of(leaf("II-1", "[{kind: document}]") + leaf("II-2", "[{kind: document, "
                                                             "period: quarter}]"))
    rules = ev("学习制度", "document", date(2016, 3, 1), date_source="docx")
    numbered = ev("关于开展学习的通知（临环发〔2017〕12号）", "document", date(2017, 5, 2), "II-2")
    notice = ev("会议通知", "document", date(2017, 5, 2))
    report = run(tree, [rules, notice, numbered], date(2019, 1, 1))
    first, second = report.leaves()
    assert first.status == "complete"
    assert [(s.path.rsplit("/", 1)[-1], s.date) for s in first.rules[0].standing] == \
        [("学习制度.pdf", date(2016, 3, 1))]
    assert standing_line(first.rules[0]) == "考核期前制定、仍然有效（计入）：学习制度.pdf（2016-03-01）"
    assert [(n.rule, n.path.rsplit("/", 1)[-1]) for n in first.not_counted] == \
        [("DATE_OUTSIDE_WINDOW", "会议通知.pdf")]  # a notice is no standing document
    # a quarterly rule wants new material each quarter: an old document does not do
    assert second.status == "missing" and second.not_counted[0].rule == "DATE_OUTSIDE_WINDOW"
    assert "考核期前制定、仍然有效" in gap_text(report)


# ---- owners -----------------------------------------------------------------------------------
def test_owners_see_their_rules_in_progress_and_their_files_that_do_not_count():
    tree = tree_of("""      - id: II-1
        name: 学习
        owners: [张三]
        requirements:
          - text: 每季度学习
            rules: [{kind: photo, min: 1, period: quarter}]
          - text: 年度总结
            owners: [李四]
            rules: [{kind: report, deadline: 2018-12-31}]
""")
    evidence = [ev("无说明", "photo", None, findings=["CAPTION_MISSING"]),
                ev("一季度", "photo", date(2018, 2, 1)), ev("总结", "report", date(2017, 12, 1))]
    report = run(tree, evidence, date(2018, 5, 10))
    groups = {g.owner: g.indicators for g in by_owner(report)}
    (mine,) = groups["张三"]
    assert [r.requirement for r in mine.rules] == ["每季度学习"]
    assert [n.rule for n in mine.not_counted] == ["CAPTION_MISSING"]
    (theirs,) = groups["李四"]
    assert [r.requirement for r in theirs.rules] == ["年度总结"]
    assert [n.rule for n in theirs.not_counted] == ["DATE_OUTSIDE_WINDOW"]
    text = gap_owners_text(report, by_owner(report))
    assert "2018Q2 进行中：还差 1 张现场照片（本期还剩 51 天）" in text
    assert "全期 进行中：还差 1 份报告/总结（距截止日还剩 235 天）" in text


def test_every_renderer_shows_activities_and_what_is_still_needed():
    import io
    from html import unescape

    import openpyxl

    from archive_tool.report.gap_html import gap_html
    from archive_tool.report.gap_markdown import gap_markdown
    from archive_tool.report.gap_xlsx import write_gap_xlsx

    evidence = [captioned("01：学雷锋", date(2018, 3, 5), "学雷锋"),
                captioned("02：学雷锋", date(2018, 3, 5), "学雷锋"),
                captioned("03：植树", date(2018, 8, 12), "义务植树")]
    report = run(tree_of(EACH), evidence, date(2018, 9, 1), inspection=date(2018, 11, 30))
    needed = "2018H2 进行中：还差 2 次活动（距迎检日还剩 90 天）"
    activities = "活动：2018-03-05 学雷锋 ✓ 2/2；2018-08-12 义务植树 ✗ 1/2"
    for page in (gap_text(report), gap_markdown(report), unescape(gap_html(report))):
        assert needed in page and activities in page
    buf = io.BytesIO()
    write_gap_xlsx(report, by_owner(report), buf)
    rows = list(openpyxl.load_workbook(io.BytesIO(buf.getvalue()))["缺项明细"]
                .iter_rows(values_only=True))
    h2 = next(r for r in rows if r[5] == "2018H2")
    assert h2[10:14] == ("进行中", "还差 2 次活动", 90, activities)
