"""The gap report as Markdown (GitHub-flavoured tables), by indicator or by owner."""
from __future__ import annotations

from ..check.model import STATUS_MARKS, GapReport, IndicatorGap, OwnerGap
from .gap_common import (NO_GAPS, NOT_COUNTED_TITLE, TITLE, coverage_text, file_name,
                         final_line, grouped_not_counted, indicator_status, needs_detail,
                         owners_text, requirement_note, rule_line, rule_notes,
                         rules_by_requirement, score_text,
                         summary_lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _leaf_detail(leaf: IndicatorGap) -> list[str]:
    lines = []
    for heading, rules in rules_by_requirement(leaf):
        pad = "  " if heading else ""
        if heading:
            lines.append(f"- {_cell(heading)}")
        if requirement_note(rules):
            lines.append(f"{pad}- {_cell(requirement_note(rules, 400))}")
        for rule in rules:
            lines.append(f"{pad}- {STATUS_MARKS[rule.status]} {_cell(rule_line(rule))}")
            lines += [f"{pad}  - {_cell(note)}" for note in rule_notes(rule)]
    if leaf.not_counted:
        lines += ["", f"**{NOT_COUNTED_TITLE}**", "",
                  "| 文件 | 规则 | 原因 | 修改 |", "|---|---|---|---|"]
        for path, items in grouped_not_counted(leaf.not_counted):
            for item in items:
                lines.append(f"| {_cell(file_name(path))} | `{item.rule}` | {_cell(item.message)} "
                             f"| {_cell(item.fix)} |")
    return lines


def _head(report: GapReport, title: str) -> list[str]:
    return [f"# {title}：{report.tree_title}（{report.tree_id}）", "",
            *(f"- {line}" for line in summary_lines(report)), ""]


def gap_markdown(report: GapReport) -> str:
    lines = _head(report, TITLE)
    lines += ["## 指标一览", "", "| 指标 | 状态 | 覆盖 | 分值 | 责任人 |", "|---|---|---|---|---|"]
    for ind in report.walk():
        indent = "　" * (ind.level - 1)  # a full-width space survives Markdown rendering
        lines.append(f"| {indent}{_cell(ind.id + ' ' + ind.name)} | {indicator_status(ind)} "
                     f"| {coverage_text(ind)} | {score_text(ind)} | {_cell(owners_text(ind))} |")
    details = [ind for ind in report.walk() if needs_detail(ind)]
    if details:
        lines += ["", "## 缺项明细"]
        for ind in details:
            who = f"（责任人：{owners_text(ind)}）" if ind.owners else ""
            lines += ["", f"### {ind.id} {ind.name} · {indicator_status(ind)}{who}", ""]
            lines += _leaf_detail(ind)
    if report.outside:
        lines += ["", "## 不在指标文件夹内的文件", "", "| 文件 | 规则 | 原因 |", "|---|---|---|"]
        for item in report.outside:
            lines.append(f"| {_cell(item.path)} | `{item.rule}` | {_cell(item.message)} |")
    lines += ["", final_line(report), ""]
    return "\n".join(lines)


def gap_owners_markdown(report: GapReport, groups: list[OwnerGap]) -> str:
    lines = _head(report, f"{TITLE}（按责任人）")
    if not groups:
        lines.append(f"✓ {NO_GAPS}")
    for group in groups:
        lines += [f"## {group.owner}（{len(group.indicators)} 项）"]
        for leaf in group.indicators:
            lines += ["", f"### {leaf.id} {leaf.name} · {indicator_status(leaf)}", ""]
            lines += _leaf_detail(leaf)
        lines.append("")
    return "\n".join(lines) + "\n"
