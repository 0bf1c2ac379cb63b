"""Wording shared by the gap report renderers (text, Markdown, HTML, XLSX)."""
from __future__ import annotations

import unicodedata
from itertools import groupby

from indicator_tree.kinds import RULE_LABELS

from ..check.model import (COMPLETE, IN_PROGRESS, MISSING, NOT_ASSESSED, NOT_STARTED,
                           STATUS_LABELS, STATUS_MARKS, GapReport, IndicatorGap, NotCounted,
                           PeriodGap, RuleGap)

TITLE = "档案查缺报告"
NOT_COUNTED_TITLE = "已提交但不计入"
#: the owner view with nothing to chase
NO_GAPS = "没有缺材料或进行中的指标。"


def status_text(status: str) -> str:
    """``✗ 缺失``"""
    return f"{STATUS_MARKS[status]} {STATUS_LABELS[status]}"


def indicator_status(ind: IndicatorGap) -> str:
    """``✗ 缺失``, ``— 无需提交材料``; a leaf that is complete so far but short at the inspection
    day (periods not started yet) says so: ``✓ 齐全（迎检前还需补充）``."""
    text = status_text(ind.status)
    if ind.short and ind.status in (COMPLETE, NOT_STARTED):
        text += "（迎检前还需补充）"
    return text


def points(value: float | None) -> str:
    if value is None:
        return ""
    value = round(value, 1)
    return str(int(value)) if float(value).is_integer() else str(value)


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.0f}%"


def coverage_text(ind: IndicatorGap) -> str:
    return f"{ind.leaves_complete}/{ind.leaves_due}" if ind.leaves_due else "—"


def score_text(ind: IndicatorGap) -> str:
    if ind.score is None and not ind.at_stake:
        return ""
    text = points(ind.score) if ind.score is not None else ""
    if ind.at_stake:
        text += f"（风险 {points(ind.at_stake)}）"
    return text


def owners_text(ind: IndicatorGap) -> str:
    return "、".join(ind.owners)


def need_text(rule: RuleGap, period: PeriodGap) -> str:
    """``还差 2 张现场照片``; a rule counting activities: ``还差 1 次活动``."""
    if rule.each:
        return f"还差 {period.needed} 次活动"
    return f"还差 {period.needed} {rule.unit}{RULE_LABELS.get(rule.kind, '材料')}"


_ENDS = {"inspection": "距迎检日", "cutoff": "距截止日", "deadline": "距截止日", "period": "本期"}


_UNTIL = {"inspection": "，迎检日", "cutoff": "，截止日", "deadline": "，截止日"}


def days_text(period: PeriodGap) -> str:
    """``今天到期``, ``本期还剩 20 天``, ``距迎检日还剩 20 天``, ``距截止日还剩 3 天``."""
    if not period.days_left:
        return "今天到期"
    return f"{_ENDS.get(period.ends, '本期')}还剩 {period.days_left} 天"


def period_token(period: PeriodGap, rule: RuleGap | None = None) -> str:
    """``2018Q1 ✓``, ``2018Q3 ✗``, ``2018Q2 ✗ 1/2`` (missing, with what was found),
    ``2018Q4 进行中：还差 1 份活动材料（本期还剩 20 天）``, ``2018Q4 未开始``; one the
    inspectors will see: ``2018Q4 未开始：需 1 份活动材料（2018-10-01 至 2018-11-30，迎检日）``."""
    if period.status == COMPLETE:
        return f"{period.label} ✓" + (f" {period.found}/{period.required}"
                                      if period.required > 1 else "")
    if period.status == MISSING:
        return f"{period.label} ✗" + (f" {period.found}/{period.required}"
                                      if period.found else "")
    if period.status == IN_PROGRESS:
        need = need_text(rule, period) if rule is not None else \
            f"{period.found}/{period.required}"
        return f"{period.label} 进行中：{need}（{days_text(period)}）"
    if period.short and rule is not None:  # not begun, but the inspectors will look at it
        what = (f"{period.required} 次活动" if rule.each else
                f"{period.required} {rule.unit}{RULE_LABELS.get(rule.kind, '材料')}")
        return (f"{period.label} 未开始：需 {what}（{period.start} 至 {period.end}"
                f"{_UNTIL.get(period.ends, '')}）")
    return f"{period.label} 未开始"


def rule_line(rule: RuleGap) -> str:
    """``每季度至少 1 份活动材料：2018Q1 ✓ 2018Q2 ✓ 2018Q3 ✗ 2018Q4 进行中：还差 1 份活动材料
    （本期还剩 77 天）``"""
    return f"{rule.text}：" + " ".join(period_token(p, rule) for p in rule.periods)


def activity_line(rule: RuleGap) -> str:
    """``活动：2018-03-05 学雷锋 ✓ 2/2；2018-05-04 青年节 ✗ 1/2`` (rules counting activities)."""
    if not rule.activities:
        return ""
    return "活动：" + "；".join(f"{a.label} {'✓' if a.complete else '✗'} {a.files}/{a.required}"
                               for a in rule.activities)


def standing_line(rule: RuleGap) -> str:
    """``考核期前制定、仍然有效（计入）：01：学习制度.docx（2016-03-01）``"""
    if not rule.standing:
        return ""
    return "考核期前制定、仍然有效（计入）：" + "；".join(
        f"{file_name(s.path)}（{s.date}）" for s in rule.standing)


def rule_notes(rule: RuleGap) -> list[str]:
    """The lines shown under a rule: its activities, its documents in force."""
    return [line for line in (activity_line(rule), standing_line(rule)) if line]


def requirement_note(rules: list[RuleGap], width: int = 100) -> str:
    """``注：每月组织一次集中学习，提供学习记录和签到表；完成时间：全年``: what a requirement's rules
    were read from, so that "还差 1 份活动记录" says which (a task table's 具体要求 column)."""
    lines = [line.strip().rstrip("。；;") for line in rules[0].note.splitlines() if line.strip()]
    return excerpt("注：" + "；".join(lines), width) if lines else ""


def rules_by_requirement(leaf: IndicatorGap) -> list[tuple[str, list[RuleGap]]]:
    """A leaf's rules grouped under the requirement they come from, in order, each group headed
    ``要求 2（办公室）：<requirement text>`` (the owners only where they are not the whole leaf's).

    Several requirements of one indicator often carry the same note ("每季度至少开展一次活动"),
    so the rule text alone does not tell them apart; the requirement does.
    """
    out = []
    for number, group in groupby(leaf.rules, key=lambda r: r.requirement_no):
        rules = list(group)
        if not rules[0].requirement:
            out.append(("", rules))
            continue
        owners = rules[0].owners
        who = f"（{'、'.join(owners)}）" if owners and set(owners) != set(leaf.owners) else ""
        out.append((f"要求 {number}{who}：{rules[0].requirement}", rules))
    return out


def excerpt(text: str, width: int = 60) -> str:
    """The text cut to about ``width`` terminal columns, with an ellipsis when cut."""
    out, used = [], 0
    for ch in text:
        used += display_width(ch)
        if used > width:
            return "".join(out).rstrip("，。、；：,. ") + "…"
        out.append(ch)
    return text


def grouped_not_counted(items: list[NotCounted]) -> list[tuple[str, list[NotCounted]]]:
    """Entries grouped by file, in order."""
    return [(path, list(group)) for path, group in groupby(items, key=lambda n: n.path)]


def file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def outlook_line(report: GapReport) -> str:
    """The summary's first finding: what will be missing on the inspection day if nothing more
    is filed (without an inspection day: what has already ended short)."""
    s = report.summary()
    by = s["short_by_status"]
    stake = (f"；失分风险 {points(s['at_stake'])} 分（共 {points(s['score'])} 分）"
             if s["score"] is not None else "")
    if report.inspection is not None:
        if not s["short"]:
            return f"迎检日（{report.inspection}）：应查指标的材料已经齐全"
        parts = [f"{label} {by[key]} 项" for key, label in
                 ((MISSING, "周期已结束"), (IN_PROGRESS, "进行中"), (NOT_STARTED, "尚未开始"))
                 if by[key]]
        if report.as_of > report.inspection:  # the report looks back at the inspection
            return (f"迎检日（{report.inspection}）时：有 {s['short']} 项指标缺材料"
                    f"（{'，'.join(parts)}），共缺 {s['short_periods']} 期{stake}")
        return (f"迎检日（{report.inspection}）若不再补充材料：将有 {s['short']} 项指标缺材料"
                f"（{'，'.join(parts)}），共缺 {s['short_periods']} 期{stake}")
    line = (f"已有 {s['short']} 项指标缺材料（周期已结束仍不足，共 {s['short_periods']} 期）"
            if s["short"] else "没有已结束而不齐全的周期")
    if s[IN_PROGRESS]:
        line += f"；{s[IN_PROGRESS]} 项进行中，本期尚未达到要求"
    return line + stake + "；未设迎检日（档案配置写 inspection: 日期，或用 --inspection）"


def summary_lines(report: GapReport) -> list[str]:
    s = report.summary()
    head = f"考核期：{report.window_start} 至 {report.window_end}    报告日期：{report.as_of}"
    if report.inspection is not None:
        head += f"    迎检日：{report.inspection}"
    lines = [head, outlook_line(report)]
    lines.append(f"应查末级指标 {s['assessed']} 项：齐全 {s[COMPLETE]}，缺失 {s[MISSING]}，"
                 f"进行中 {s[IN_PROGRESS]}，未开始 {s[NOT_STARTED]}；覆盖率 "
                 f"{percent(s['coverage'])}（已开始 {s['due']} 项中齐全 {s[COMPLETE]} 项）"
                 + (f"；无需提交材料 {s[NOT_ASSESSED]} 项" if s[NOT_ASSESSED] else ""))
    lines.append(f"文件 {s['files']} 个：计入 {s['counted']} 个，{NOT_COUNTED_TITLE} "
                 f"{s['not_counted']} 个，不在指标文件夹内 {s['outside']} 个")
    return lines


def final_line(report: GapReport) -> str:
    """The report's last line: the verdict behind the exit code."""
    if report.inspection is not None:
        when = "时" if report.as_of > report.inspection else "将"
        return (f"✓ 迎检日（{report.inspection}）不缺材料。" if report.ok
                else f"✗ 迎检日（{report.inspection}）{when}缺材料，见上方缺项明细。")
    return ("✓ 没有已结束而不齐全的周期。" if report.ok
            else "✗ 有已结束而不齐全的周期，见上方缺项明细。")


def needs_detail(ind: IndicatorGap) -> bool:
    """Indicators shown in the detail part: leaves that are short or in progress or count a
    document made before the window, and any indicator holding files that do not count (a
    parent's folder, a leaf that asks for nothing)."""
    return bool(ind.not_counted) or (ind.is_leaf and ind.assessed and (
        ind.short or ind.status == IN_PROGRESS or any(r.standing for r in ind.rules)))



def display_width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))
