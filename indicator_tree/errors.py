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


#: what an OSError means, in the words of the messages (the system's own text is English)
_OS_REASONS = {
    "ENOENT": "文件或文件夹不存在",
    "ENOTDIR": "路径中有一段不是文件夹",
    "EISDIR": "这是一个文件夹",
    "EACCES": "没有权限",
    "EPERM": "没有权限（或文件被设为只读）",
    "EROFS": "所在的磁盘或共享是只读的",
    "ENOSPC": "磁盘空间已满",
    "EDQUOT": "磁盘配额已用完",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "EEXIST": "同名文件已存在",
    "ENAMETOOLONG": "文件名或路径太长",
    "EXDEV": "不能跨磁盘移动",
    "ENOTEMPTY": "文件夹不是空的",
    "EIO": "读写磁盘出错（磁盘或网络共享可能有故障）",
    "ELOOP": "符号链接层数太多",
    "EMFILE": "同时打开的文件太多",
    "ESTALE": "网络共享上的文件已失效，请重新连接共享",
}


def os_reason(exc: OSError) -> str:
    """An OSError in Chinese ("没有权限"), the system's own words where no translation exists."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name) or exc.strerror or str(exc)
