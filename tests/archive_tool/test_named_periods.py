"""A document's name may say which period it is about (2024年上半年工作总结, 二季度会议记录,
2024年志愿服务台账): it counts there, whatever day it was written (dating.named_span)."""
from __future__ import annotations

from datetime import date

import pytest

from archive_tool.dating import named_span

from .test_check import leaf, only_leaf, run, tree_of
from .test_check import ev as make_ev

Y2024 = (date(2024, 1, 1), date(2024, 12, 31))


def ev(name, kind, day, source="docx", **kw):
    return make_ev(name, kind, day, date_source=source if day else None, **kw)


@pytest.mark.parametrize("theme, span", [
    ("2024年上半年创建工作总结", ("2024-01-01", "2024-06-30", "2024年上半年")),
    ("下半年道德評議活動方案", ("2024-07-01", "2024-12-31", "下半年")),
    ("二季度學習會議記錄", ("2024-04-01", "2024-06-30", "二季度")),
    ("2024年第三季度推进会纪要", ("2024-07-01", "2024-09-30", "2024年第三季度")),
    ("2024Q4创建信息", ("2024-10-01", "2024-12-31", "2024Q4")),
    ("2024年度创建工作实施方案", ("2024-01-01", "2024-12-31", "2024年度")),
    ("2024年志願服務台賬", ("2024-01-01", "2024-12-31", "2024年")),
    ("2023年度工作总结", ("2023-01-01", "2023-12-31", "2023年度")),
    ("2024年3月学习记录", None),              # a month: the name's date, not a span
    ("2018年以来志愿服务开展情况", None),
    ("2023-2024年工作", None),
    ("2023年工作总结及2024年工作计划", None),  # two years named: none
    ("上半年总结和下半年计划", None),
    ("四季歌", None),
    ("学习记录", None),
])
def test_named_span(theme, span):
    got = named_span(theme, Y2024)
    assert (got and (got.start.isoformat(), got.end.isoformat(), got.text)) == span


HALF = leaf("II-1", "[{kind: report, period: half}]")
HALF_CUT = leaf("II-1", "[{kind: report, period: half, cutoffs: [2024-06-30, 2024-12-31]}]")


def periods(report):
    return {p.label: (p.status, p.found) for p in only_leaf(report).rules[0].periods}


def test_a_summary_written_after_its_half_year_counts_for_that_half():
    report = run(tree_of(HALF, Y2024), [ev("2024年上半年创建工作总结", "report", date(2024, 7, 3))],
                 date(2024, 10, 20))
    assert periods(report) == {"2024H1": ("complete", 1), "2024H2": ("in_progress", 0)}


def test_after_a_cut_off_it_counts_nowhere_not_in_the_next_half():
    """The first half's summary filed on July 3 under "6月30日前、12月31日前" is late for the
    first half and is not the second half's summary either."""
    report = run(tree_of(HALF_CUT, Y2024), [ev("2024年上半年创建工作总结", "report", date(2024, 7, 3))],
                 date(2024, 10, 20))
    assert periods(report) == {"2024H1": ("missing", 0), "2024H2": ("in_progress", 0)}
    (item,) = only_leaf(report).not_counted
    assert item.rule == "AFTER_DEADLINE" and "2024-06-30" in item.message


def test_a_caption_date_is_the_event_date_whatever_the_name_says():
    report = run(tree_of(leaf("II-1", "[{kind: photo, period: half}]"), Y2024),
                 [ev("上半年活动照片", "photo", date(2024, 7, 3), source="caption")], date(2024, 10, 20))
    assert periods(report)["2024H2"] == ("complete", 1)


def test_an_undated_ledger_named_for_its_year_counts_for_the_year_not_for_a_month():
    ledger = ev("2024年志愿服务台账", "record", None)
    report = run(tree_of(leaf("II-1", "[{kind: record}]"), Y2024), [ledger], date(2024, 10, 20))
    assert periods(report) == {"全期": ("complete", 1)}
    report = run(tree_of(leaf("II-1", "[{kind: record, period: month}]"), Y2024), [ledger],
                 date(2024, 10, 20))
    (item,) = only_leaf(report).not_counted
    assert item.rule == "DATE_UNKNOWN"
    assert item.message == "文件名只写明「2024年」，无法确定属于哪个月（每月计）"


def test_last_years_summary_is_not_this_years():
    report = run(tree_of(leaf("II-1", "[{kind: report}]"), Y2024),
                 [ev("2023年度工作总结", "report", date(2024, 1, 10))], date(2024, 10, 20))
    assert periods(report) == {"全期": ("in_progress", 0)}
    (item,) = only_leaf(report).not_counted
    assert item.rule == "DATE_OUTSIDE_WINDOW" and "文件名写明「2023年度」" in item.message


def test_a_plan_written_before_the_year_it_names_is_that_years():
    plan = ev("2024年度创建工作计划", "document", date(2023, 12, 20))
    report = run(tree_of(leaf("II-1", "[{kind: document}]"), Y2024), [plan], date(2024, 3, 1))
    assert periods(report) == {"全期": ("complete", 1)}
    # a summary written after the year it names counts for it, but not after the report date
    summary = ev("2024年度工作总结", "report", date(2025, 1, 8))
    tree = tree_of(leaf("II-1", "[{kind: report, period: year}]"), Y2024)
    assert periods(run(tree, [summary], date(2025, 1, 10))) == {"2024": ("complete", 1)}
    assert only_leaf(run(tree, [summary], date(2025, 1, 5))).not_counted[0].rule == "DATE_AFTER_AS_OF"
