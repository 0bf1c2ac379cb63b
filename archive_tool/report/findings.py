"""Text rendering of lint findings, grouped by folder (JSON is ``LintReport.to_dict``)."""
from __future__ import annotations

from itertools import groupby

from ..evidence import Finding

_MARK = {"error": "✗", "warning": "!"}


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def findings_text(findings: list[Finding], summary: dict, *, style=None) -> str:
    """Findings grouped by folder; ``style(text, kind)`` may colour ("error", "warning", "dim")."""
    paint = style or (lambda text, kind: text)
    lines: list[str] = []
    for folder, items in groupby(findings, key=lambda f: _folder(f.path)):
        lines.append(paint(folder or "（档案根目录）", "folder"))
        for f in items:
            name = f.path.rsplit("/", 1)[-1]
            lines.append(f"  {paint(_MARK.get(f.severity, '-'), f.severity)} {f.rule:<22} "
                         f"{name}：{f.message}")
            lines.append(paint(f"      修改：{f.fix}", "dim"))
    if summary["findings"]:
        lines.append("")
        lines.append(f"共检查 {summary['files']} 个文件，发现 {summary['findings']} 个问题"
                     f"（错误 {summary['errors']}，警告 {summary['warnings']}）。")
        if any(f.rename_to for f in findings):
            lines.append("可自动改名的问题可用 archive-tool lint --fix 修正（会先列出计划并询问）。")
    else:
        lines.append(f"✓ 共检查 {summary['files']} 个文件，没有发现问题。")
    return "\n".join(lines)
