"""The gap report as terminal text: a table of indicators, then what is missing per leaf.

``style(text, kind)`` may colour ("complete", "missing", "in_progress", "not_started",
"not_assessed", "dim", "head");
the CLI passes a click.style-based one and echoes with colour only on a tty.
"""
from __future__ import annotations

from ..check.model import GapReport, IndicatorGap, OwnerGap
from .gap_common import (NO_GAPS, NOT_COUNTED_TITLE, TITLE, coverage_text, display_width,
                         excerpt, file_name, final_line, grouped_not_counted, indicator_status,
                         needs_detail, owners_text, pad, requirement_note, rule_line, rule_notes,
                         rules_by_requirement, score_text, status_text, summary_lines)

HEADERS = ("指标", "状态", "覆盖", "分值", "责任人")


def _plain(text: str, kind: str) -> str:
    return text


def _table(rows: list[tuple[list[str], str]], paint) -> list[str]:
    """Rows of cells (the second cell is the status, coloured by the row's status kind)."""
    widths = [max([display_width(h)] + [display_width(r[0][i]) for r in rows])
              for i, h in enumerate(HEADERS)]
    out = [paint("  ".join(pad(h, w) for h, w in zip(HEADERS, widths)).rstrip(), "head")]
    for cells, kind in rows:
        parts = [pad(cell, w) for cell, w in zip(cells, widths)]
        parts[1] = paint(parts[1], kind)
        out.append("  ".join(parts).rstrip())
    return out


def _rows(report: GapReport) -> list[tuple[list[str], str]]:
    rows = []
    for ind in report.walk():
        indent = "  " * (ind.level - 1)
        rows.append(([f"{indent}{ind.id} {ind.name}", indicator_status(ind), coverage_text(ind),
                      score_text(ind), owners_text(ind)],
                     ind.status if ind.assessed else "dim"))
    return rows


def _leaf_detail(leaf: IndicatorGap, paint, indent: str = "") -> list[str]:
    lines = []
    for heading, rules in rules_by_requirement(leaf):
        if heading:
            lines.append(paint(f"{indent}  {excerpt(heading, 70)}", "dim"))
        if requirement_note(rules):
            lines.append(paint(f"{indent}    {requirement_note(rules)}", "dim"))
        for rule in rules:
            lines.append(f"{indent}    {paint(status_text(rule.status)[:1], rule.status)} "
                         f"{rule_line(rule)}")
            lines += [paint(f"{indent}      {note}", "dim") for note in rule_notes(rule)]
    if leaf.not_counted:
        lines.append(f"{indent}  {NOT_COUNTED_TITLE}：")
        for path, items in grouped_not_counted(leaf.not_counted):
            lines.append(f"{indent}    {file_name(path)}")
            for item in items:
                lines.append(f"{indent}      {paint(item.rule, 'missing')} {item.message}")
                if item.fix:
                    lines.append(paint(f"{indent}        修改：{item.fix}", "dim"))
    return lines


def _outside(report: GapReport, paint) -> list[str]:
    if not report.outside:
        return []
    lines = ["", paint("不在指标文件夹内的文件（不计入任何指标）", "head")]
    for item in report.outside:
        lines.append(f"  {item.path}  {paint(item.rule, 'missing')} {item.message}")
    return lines


def gap_text(report: GapReport, *, style=None) -> str:
    """The whole report by indicator."""
    paint = style or _plain
    lines = [paint(f"{TITLE}：{report.tree_title}（{report.tree_id}）", "head"),
             *summary_lines(report), ""]
    lines += _table(_rows(report), paint)
    details = [ind for ind in report.walk() if needs_detail(ind)]
    if details:
        lines += ["", paint("缺项明细", "head")]
        for ind in details:
            who = f"（责任人：{owners_text(ind)}）" if ind.owners else ""
            lines.append(f"{ind.id} {ind.name}  "
                         f"{paint(indicator_status(ind), ind.status if ind.assessed else 'dim')}{who}")
            lines += _leaf_detail(ind, paint)
    lines += _outside(report, paint)
    lines.append("")
    lines.append(final_line(report))
    return "\n".join(lines)


def gap_owners_text(report: GapReport, groups: list[OwnerGap], *, style=None) -> str:
    """What is missing, grouped by owner: the list sent to each person."""
    paint = style or _plain
    lines = [paint(f"{TITLE}（按责任人）：{report.tree_title}（{report.tree_id}）", "head"),
             *summary_lines(report)]
    if not groups:
        lines += ["", f"✓ {NO_GAPS}"]
    for group in groups:
        lines += ["", paint(f"{group.owner}（{len(group.indicators)} 项）", "head")]
        for leaf in group.indicators:
            lines.append(f"  {leaf.id} {leaf.name}  {paint(indicator_status(leaf), leaf.status)}")
            lines += _leaf_detail(leaf, paint, indent="  ")
    return "\n".join(lines)
