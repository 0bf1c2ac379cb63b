"""The bulletin as rows (shared by every renderer) and as terminal text."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import FileOperationError, UsageError, os_reason
from ..report.gap_common import display_width, pad
from .bulletin import Bulletin, round2
from .entries import SOURCES, Entry
from .ruleset import points_text, signed

RANKING_HEADERS = ("排名", "科室（单位）", "人数", "加分", "扣分", "净得分", "人均得分", "累计总分",
                   "总分排名")
DETAIL_HEADERS = ("编号", "日期", "科室（单位）", "姓名", "加扣分项目", "分值", "活动或说明",
                  "佐证材料", "记录人", "更正")


def formula(bulletin: Bulletin) -> str:
    rules = bulletin.setup.rules
    if rules.per_capita == "net":
        return "人均得分 =（本期加分 − 本期扣分）÷ 人数"
    return f"人均得分 =（基本分 {points_text(rules.base)} + 年初至本期末的加分 − 扣分）÷ 人数"


def rule_text(bulletin: Bulletin, entry: Entry) -> str:
    item = bulletin.setup.rules.item(entry.rule) if entry.rule else None
    if item is None:
        return "其他（台账导入）" if entry.source == "import" else entry.rule or "其他"
    extra = entry.rank or entry.level
    count = f" ×{entry.count}" if entry.count > 1 else ""
    return f"{item.id} {item.text}" + (f"（{extra}）" if extra else "") + count


def correction_text(bulletin: Bulletin, entry: Entry) -> str:
    if entry.reverses:
        return f"撤销 {entry.reverses}"
    if entry.id in bulletin.reversed:
        return "已被更正"
    return ""


def ranking_rows(bulletin: Bulletin) -> list[list[str]]:
    return [[str(d.rank), d.name + ("★" if d.honoured else ""), str(d.size),
             points_text(d.additions), points_text(d.deductions), points_text(d.net),
             str(round2(d.per_capita)), points_text(d.total), str(d.points_rank)]
            for d in bulletin.departments]


def detail_rows(bulletin: Bulletin) -> list[list[str]]:
    rows = []
    for e in bulletin.entries:
        what = "；".join(p for p in (e.activity, e.note) if p)
        rows.append([e.id, e.date.isoformat(), e.department, e.person, rule_text(bulletin, e),
                     signed(e.points), what, e.evidence, e.recorded_by or SOURCES.get(e.source, ""),
                     correction_text(bulletin, e)])
    return rows


def honours_text(bulletin: Bulletin) -> str:
    rules = bulletin.setup.rules
    names = "、".join(d.name for d in bulletin.honoured)
    if not names:
        return f"{rules.honours_title}：本期没有科室单位得到加分，不评选。"
    award = f"，授予{rules.honours_award}" if rules.honours_award else ""
    return f"{rules.honours_title}：{names}（人均得分前 {rules.honours_top} 名{award}）。"


def table_lines(headers, rows, paint=None) -> list[str]:
    """Rows of cells as aligned columns (CJK characters take two), the header first."""
    paint = paint or _plain
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows])
              for i, h in enumerate(headers)]
    out = [paint("  ".join(pad(h, w) for h, w in zip(headers, widths)).rstrip(), "head")]
    out += ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return out


def _plain(text: str, kind: str) -> str:
    return text


def issue_lines(bulletin: Bulletin, paint=_plain) -> list[str]:
    if not bulletin.issues:
        return []
    lines = [paint(f"需要核对（{len(bulletin.issues)}）：", "head")]
    for issue in bulletin.issues:
        mark = "✗" if issue.severity == "error" else "!"
        lines.append(f"  {paint(mark + ' ' + issue.rule, issue.severity)}  {issue.path}")
        lines.append(f"      {issue.message}")
        lines.append(paint(f"      修改：{issue.fix}", "dim"))
    return lines


def bulletin_text(bulletin: Bulletin, *, detail: bool = False, paint=_plain) -> str:
    """The bulletin for a terminal: header, ranking, honours, issues (and entries)."""
    rules = bulletin.setup.rules
    span = bulletin.span
    lines = [paint(f"{bulletin.unit}文明单位创建工作积分通报（{span.title}）".strip(), "head"),
             f"期间：{span.start} 至 {span.end}    积分规则：{rules.title}（{rules.id}）",
             f"{formula(bulletin)}；按人均得分排名，★ 为{rules.honours_title}；"
             f"累计总分 = 基本分 {points_text(rules.base)} + 年初至本期末的净得分",
             ""]
    lines += table_lines(RANKING_HEADERS, ranking_rows(bulletin), paint)
    lines += ["", honours_text(bulletin)]
    counts = {}
    for e in bulletin.entries:
        counts[e.source] = counts.get(e.source, 0) + 1
    lines.append(f"本期条目 {len(bulletin.entries)} 条（"
                 + "，".join(f"{SOURCES[s]} {n}" for s, n in counts.items()) + "）。"
                 if counts else "本期没有积分条目。")
    if detail and bulletin.entries:
        lines += ["", paint("明细：", "head")]
        lines += table_lines(DETAIL_HEADERS, detail_rows(bulletin), paint)
    issues = issue_lines(bulletin, paint)
    if issues:
        lines += [""] + issues
    return "\n".join(lines)


def write_report_text(path: Path, text: str) -> None:
    """Write a text or JSON report (UTF-8, through a temporary file and a rename)."""
    tmp = path.with_name(f".{path.name}.new")
    try:
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise FileOperationError(f"无法写入 {path}：{os_reason(exc)}",
                                 "检查文件夹是否存在、是否可写，或换一个文件名。") from None


def entry_rows(bulletin: Bulletin, department: str | None = None) -> list[list[str]]:
    """The detail rows of every entry, or of one department's (named as the list or an alias
    names it); UsageError for a department not in the list."""
    rows = detail_rows(bulletin)
    if not department:
        return rows
    roster = bulletin.setup.roster
    dept = roster.department(department)
    if dept is None:
        raise UsageError(f"科室单位「{department}」不在名单中",
                         "可用的科室单位：" + "、".join(d.name for d in roster.departments))
    return [r for r in rows if r[2] == dept.name]


def entries_text(bulletin: Bulletin, rows: list[list[str]]) -> str:
    """The entries of ``rows`` as a table, their count, and the issues to check."""
    lines = table_lines(DETAIL_HEADERS, rows) if rows else []
    return "\n".join(lines + [f"共 {len(rows)} 条。"] + issue_lines(bulletin))


def entries_dict(bulletin: Bulletin, rows: list[list[str]]) -> dict:
    """``{"entries": [...], "issues": [...]}``: the entries of ``rows`` as the bulletin's JSON
    gives them, and every issue."""
    keep = {r[0] for r in rows}
    data = bulletin.to_dict()
    return {"entries": [e for e in data["entries"] if e["id"] in keep], "issues": data["issues"]}
