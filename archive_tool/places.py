"""Where things are in an archive: paths inside it, and the indicator each folder binds to.

Symbolic links are never followed out of the archive: a path that is, or goes through, a link
leading outside is refused (:func:`inside_archive`); one that stays inside is taken where it
really is. A folder binds to an indicator by the id its name starts with, where the tree puts
that indicator (:class:`Binder`).
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .config import ArchiveConfig, open_archive
from .dating import activity_folder_date
from .errors import UsageError
from .layout import folder_id


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def inside_archive(root: Path, path: str | Path) -> Path:
    """``path`` as a path below ``root`` with symbolic links resolved, or UsageError when it is,
    or goes through, a symbolic link that leaves the archive (links are never followed out)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.abspath(path))
    if not _under(real, real_root):
        raise UsageError(f"{path} 经符号链接指向档案之外的 {real}：archive-tool 不跟随符号链接",
                         f"只能处理档案 {root} 内的真实文件夹和文件；需要的材料请复制到档案中"
                         "相应的指标文件夹。")
    return Path(root) / Path(real).relative_to(real_root)


def resolve_target(path: str | Path, config: ArchiveConfig | None = None
                   ) -> tuple[ArchiveConfig, Path]:
    """The archive holding ``path`` (found from the path as given) and ``path`` inside it."""
    given = Path(os.path.abspath(path))
    config = config or open_archive(given)
    return config, inside_archive(config.root, given)


class Binder:
    """Folder path -> (indicator id, is leaf, unknown folders), memoised per scan.

    A folder binds to the indicator its id names only where the tree puts that indicator:
    inside the folder of its parent indicator (or at the root for a top-level one). An id
    folder anywhere else (``II-8 …/II-8 …``, ``II-8`` under ``I-1``) is misplaced: it counts
    among the unknown folders, so its files are reported and not counted.

    A folder right inside a leaf's folder whose name starts with a date (``2024-03 学雷锋``,
    ``2024-03-05 学雷锋``, ``3月 学雷锋``) is an activity folder: its files are the leaf's, one
    activity (:mod:`archive_tool.dating`). Any other folder there is unknown."""

    def __init__(self, config: ArchiveConfig):
        self.tree = config.tree
        self.window = (config.window_start, config.window_end)
        self.memo: dict[str, tuple[str | None, bool, tuple[str, ...]]] = {"": (None, False, ())}
        #: activity folder -> the date its name gives (None: a month without a year, ambiguous)
        self.activities: dict[str, date | None] = {}

    def indicator_of(self, folder: str):
        """The indicator named by the id of ``folder``'s own name, or None."""
        fid = folder_id(folder.rsplit("/", 1)[-1])
        return self.tree.get(fid) if fid else None

    def misplaced(self, folder: str) -> bool:
        """True for an indicator's folder that is not inside its parent indicator's folder."""
        ind = self.indicator_of(folder)
        if ind is None:
            return False
        parents = self.tree.ancestors(ind.id)
        return self.bind(folder.rpartition("/")[0])[0] != (parents[-1] if parents else None)

    def bind(self, folder: str) -> tuple[str | None, bool, tuple[str, ...]]:
        if folder in self.memo:
            return self.memo[folder]
        parent = folder.rpartition("/")[0]
        indicator, leaf, unknown = self.bind(parent)
        ind = self.indicator_of(folder)
        if ind is None and leaf and not unknown and parent not in self.activities:
            is_activity, day = activity_folder_date(folder.rsplit("/", 1)[-1], self.window)
            if is_activity:
                self.activities[folder] = day
                self.memo[folder] = (indicator, leaf, unknown)
                return self.memo[folder]
        if ind is None:
            result = (indicator, leaf, unknown + (folder,))
        elif self.misplaced(folder):
            result = (ind.id, ind.is_leaf, unknown + (folder,))
        else:
            result = (ind.id, ind.is_leaf, unknown)
        self.memo[folder] = result
        return result

    def activity(self, folder: str) -> str | None:
        """``folder`` when it is an activity folder inside a leaf, else None."""
        self.bind(folder)
        return folder if folder in self.activities else None

    def activity_date(self, folder: str) -> date | None:
        """The date an activity folder's name gives."""
        return self.activities.get(folder)
