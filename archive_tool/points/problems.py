"""Problems of the points files (rules, departments and roster) and their YAML reading.

Like a tree file, a points file is validated once, at load: every problem is collected with
its file, the item it belongs to and the field, then one :class:`PointsConfigError` carries
them all (a ConfigError, so the CLI says it in one message and exits 2).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from indicator_tree.yaml_format import _SafeLoader as SafeLoader  # the tree files' YAML reading:
# dates kept as text, keys written twice remembered (``mapping.duplicates``)

from ..errors import ConfigError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a points file: where it is and what is expected."""

    file: str
    #: the item it concerns: a rule id, a department or person name (None: the whole file)
    where: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(f"字段 {self.field}")
        return f"{'：'.join(parts)}：{self.message}"


class PointsConfigError(ConfigError):
    """A points file (rules, points.yaml) that cannot be loaded; carries every problem."""

    def __init__(self, problems: list[Problem], hint: str = ""):
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = str(self.problems[0])
        else:
            files = "、".join(dict.fromkeys(p.file for p in self.problems))
            message = f"{files} 有 {len(self.problems)} 处问题：\n" + "\n".join(
                f"  - {p}" for p in self.problems)
        super().__init__(message, hint or "按提示修改文件后重试（格式见 README 的“积分制”一节）。")


class Collector:
    """Gathers the problems of one file while it is read."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, where: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, where, field, message))

    def keys(self, data: dict, allowed: tuple[str, ...], where: str | None,
             prefix: str = "") -> None:
        """Unknown keys and keys written twice are problems (a typo never goes unnoticed)."""
        for key in data:
            if key not in allowed:
                self.add(where, f"{prefix}{key}", f"未知字段；可用字段：{', '.join(allowed)}")
        for key, line in getattr(data, "duplicates", ()):
            self.add(where, f"{prefix}{key}", f"第 {line} 行重复写了这个字段")

    def text(self, value: Any, where: str | None, field: str, required: bool = False) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(where, field, "不能为空")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.add(where, field, f"应为文字，实际是 {type(value).__name__}")
            return ""
        return " ".join(value.split())

    def names(self, value: Any, where: str | None, field: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(where, field, "应为一个名称或名称列表")
            return ()
        return tuple(dict.fromkeys(" ".join(v.split()) for v in value if v.strip()))

    def fail(self, hint: str = "") -> PointsConfigError:
        return PointsConfigError(self.problems, hint)


def parse_yaml(text: str, file: str, hint: str) -> Any:
    """The YAML data of ``text``; a PointsConfigError naming the line of a syntax error."""
    try:
        return yaml.load(text, Loader=SafeLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        raise PointsConfigError([Problem(file, None, None, f"YAML 语法错误（{where}）")],
                                hint or "检查缩进和冒号；文字中含冒号时用引号括起来。") from None


def read_text(path: Path, hint: str) -> str:
    """A UTF-8 text file, or a PointsConfigError saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PointsConfigError([Problem(str(path), None, None, "文件不存在")], hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PointsConfigError([Problem(str(path), None, None, f"无法读取（{exc}）")],
                                "文件应为 UTF-8 编码的 YAML 文本。") from None
