"""Wording shared by the gap report renderers (text, Markdown, HTML, XLSX)."""
from __future__ import annotations

import unicodedata
from itertools import groupby

from ..check.model import (COMPLETE, MISSING, NOT_DUE, PARTIAL, STATUS_LABELS, STATUS_MARKS,
                           GapReport, IndicatorGap, NotCounted, RuleGap)

TITLE = "档案查缺报告"
NOT_COUNTED_TITLE = "已提交但不计入"
NOT_ASSESSED = "无需提交材料"


def status_text(status: str) -> str:
    """``✗ 缺失``"""
    return f"{STATUS_MARKS[status]} {STATUS_LABELS[status]}"


def indicator_status(ind: IndicatorGap) -> str:
    return status_text(ind.status) if ind.assessed else f"— {NOT_ASSESSED}"


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


def period_token(period) -> str:
    """``2018Q3 ✗``, ``2018Q2 1/2``, ``2018Q4 未到期``, ``全期 2/4``."""
    if period.status == NOT_DUE:
        return f"{period.label} 未到期" + (f" {period.found}/{period.required}"
                                          if period.found else "")
    if period.status == COMPLETE:
        return f"{period.label} ✓" + (f" {period.found}/{period.required}"
                                      if period.required > 1 else "")
    if period.status == PARTIAL:
        return f"{period.label} {period.found}/{period.required}"
    return f"{period.label} ✗"


def rule_line(rule: RuleGap) -> str:
    """``每季度至少 1 份活动材料：2018Q1 ✓ 2018Q2 ✓ 2018Q3 ✗ 2018Q4 未到期``"""
    return f"{rule.text}：" + " ".join(period_token(p) for p in rule.periods)


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


def summary_lines(report: GapReport) -> list[str]:
    s = report.summary()
    lines = [f"考核期：{report.window_start} 至 {report.window_end}    报告日期：{report.as_of}"]
    line = (f"应查末级指标 {s['assessed']} 项：齐全 {s[COMPLETE]}，不足 {s[PARTIAL]}，"
            f"缺失 {s[MISSING]}，未到期 {s[NOT_DUE]}；覆盖率 {percent(s['coverage'])}"
            f"（已到期 {s['due']} 项中齐全 {s[COMPLETE]} 项）")
    if s["score"] is not None:
        line += f"；失分风险 {points(s['at_stake'])} 分（共 {points(s['score'])} 分）"
    lines.append(line)
    lines.append(f"文件 {s['files']} 个：计入 {s['counted']} 个，{NOT_COUNTED_TITLE} "
                 f"{s['not_counted']} 个，不在指标文件夹内 {s['outside']} 个")
    return lines


def needs_detail(ind: IndicatorGap) -> bool:
    """Indicators shown in the detail part: leaves not complete, and any indicator holding files
    that do not count (a parent's folder, a leaf that asks for nothing)."""
    return bool(ind.not_counted) or (ind.is_leaf and ind.assessed
                                     and ind.status in (PARTIAL, MISSING))



def display_width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))
