"""Errors of the indicator_tree package."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a tree file: where it is and what is expected."""

    file: str
    indicator: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.indicator:
            where.append(f"指标 {self.indicator}")
        if self.field:
            where.append(f"字段 {self.field}")
        return f"{'：'.join(where)}：{self.message}"


class TreeError(ValueError):
    """A tree file or table that cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem] | str, hint: str = ""):
        if isinstance(problems, str):
            problems = [Problem(problems, None, None, "无法读取")]
        self.problems = list(problems)
        self.hint = hint or "按提示修改指标体系文件后再运行 archive-tool tree validate 检查。"
        super().__init__("\n".join(str(p) for p in self.problems))
