"""The library's exception family. The CLI turns these into one-line messages, exit 2."""
from __future__ import annotations


class ArchiveError(Exception):
    """An expected failure: a message for the user and a concrete fix."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(ArchiveError):
    """The archive's configuration is missing or wrong."""


class NotAnArchiveError(ConfigError):
    """No ``.archive/`` folder above the given path."""


class UsageError(ArchiveError):
    """An argument that cannot work (unknown indicator, bad date …)."""


class FileOperationError(ArchiveError):
    """A file could not be read, written, renamed or restored."""


class IndexBusyError(ArchiveError):
    """Another process holds the search index and did not let go in time."""


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
