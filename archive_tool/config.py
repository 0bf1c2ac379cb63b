"""The archive's configuration: ``<archive>/.archive/config.yaml`` and the tree copy beside it.

An archive is a folder holding a ``.archive/`` folder with a ``config.yaml``. ``archive-tool
init`` writes both, and a copy of the indicator tree, so the archive keeps working when the
shipped tree changes or the original tree file is moved away. The format::

    # .archive/config.yaml
    tree: tree.yaml                 # the tree copy, a file name inside .archive/ (required)
    unit: 临沂市环境保护局           # this unit: the default 主办单位 of photo captions
    organizers:                     # other names that may appear as 主办单位 in captions
      - 市文明办
      - 机关党委
    window:                         # optional: override the tree's assessment window
      start: 2018-01-01
      end: 2018-12-31
    timezone: Asia/Shanghai         # the unit's time zone: evidence dates are its calendar dates
    inspection: 2018-11-30          # the inspection day: check judges every period on it
    ocr:                            # optional: text recognition of scans (the ocr extra)
      enabled: true                 #   false: never read scans (FILE_NO_TEXT stays)
      page_seconds: 60              #   time limit of one page (a page over it: OCR_FAILED)
      max_pages: 20                 #   pages read of one file (the rest: FILE_OVER_LIMIT)

Every key except ``tree`` may be left out; ``window`` may give only ``start`` or only ``end``.
Dates are written ``2018-06-30``. Unknown keys are refused, so a typo never goes unnoticed.

Several assessment years (inspections review three years of materials) are one archive per
year, made by ``init`` as usual, joined by a config of their own in the folder above them::

    # 档案/.archive/config.yaml
    years: [2022年, 2023年, 2024年] # the year archives: folders beside this .archive/
    inspection: 2024-11-30          # optional: for every year that does not set its own
    timezone: Asia/Shanghai         # optional: likewise

A year archive inside such a folder takes ``inspection`` and ``timezone`` from it when its own
config does not set them. ``check`` on the joined folder reports the years side by side
(:func:`load_years`); every other command works on one year and says so.

The configuration is validated once, in :func:`load_config`; everything downstream gets an
:class:`ArchiveConfig` and never looks at the YAML again.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from indicator_tree import Tree, load_tree
from indicator_tree.yaml_limits import YamlLimitError, check_limits

from .errors import ConfigError, FileOperationError, NotAnArchiveError, os_reason
from .layout import ARCHIVE_DIR
from .ocr_config import OcrSettings, parse_ocr

CONFIG_FILE = "config.yaml"
TREE_FILE = "tree.yaml"
PREV_TREE_FILE = "tree.prev.yaml"
CONFIG_KEYS = ("tree", "unit", "organizers", "window", "timezone", "inspection", "ocr")
YEARS_KEYS = ("years", "inspection", "timezone")
WINDOW_KEYS = ("start", "end")
DEFAULT_TIMEZONE = "Asia/Shanghai"

_HEADER = """\
# archive-tool 档案配置（由 archive-tool init 生成，可手工修改）
# tree: 指标体系副本（.archive/ 内的文件名）；unit: 本单位名称（照片说明默认的主办单位）
# organizers: 其他可能作为主办单位出现的名称；window: {start, end} 可覆盖指标体系的考核期
# timezone: 本单位时区（默认 Asia/Shanghai）；inspection: 迎检日（查缺报告按这一天判断各周期）
"""


class _Loader(yaml.SafeLoader):
    """safe_load with dates kept as text: PyYAML raises a bare ValueError on 2018-13-01."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp",
                        lambda loader, node: loader.construct_scalar(node))


@dataclass(frozen=True)
class Settings:
    """The validated content of ``config.yaml`` alone (the tree copy not yet loaded)."""

    tree_file: str
    unit: str = ""
    organizers: tuple[str, ...] = ()
    window_start: date | None = None
    window_end: date | None = None
    #: the IANA name written in config.yaml, None when not set
    timezone: str | None = None
    inspection: date | None = None
    ocr: OcrSettings = OcrSettings()


@dataclass(frozen=True)
class ArchiveConfig:
    """An archive: its root, its tree and its settings, validated once at load."""

    root: Path
    tree: Tree
    tree_file: str
    unit: str
    #: the unit first, then the other organizer names of config.yaml, without repeats
    organizers: tuple[str, ...]
    window_start: date
    window_end: date
    #: the inspection day (迎检日), None when not set
    inspection: date | None = None
    #: the unit's time zone (an IANA name, validated at load): dates are its calendar dates
    timezone: str = DEFAULT_TIMEZONE
    #: text recognition of scans (config ``ocr:``)
    ocr: OcrSettings = OcrSettings()

    @functools.cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def window(self) -> tuple[date, date]:
        return self.window_start, self.window_end

    @property
    def archive_dir(self) -> Path:
        return self.root / ARCHIVE_DIR

    @functools.cached_property
    def all_organizers(self) -> tuple[str, ...]:
        """Organizer names of the config, then every owner and office of the tree, no repeats
        (computed once: the scan asks for every captioned photo)."""
        return tuple(dict.fromkeys(self.organizers + self.tree.organizers()))


def config_path(root: str | Path) -> Path:
    return Path(root) / ARCHIVE_DIR / CONFIG_FILE


def find_root(path: str | Path) -> Path:
    """The nearest folder at or above ``path`` that holds ``.archive/config.yaml``."""
    start = Path(os.path.abspath(path))
    for candidate in (start, *start.parents):
        if config_path(candidate).is_file():
            return candidate
    raise NotAnArchiveError(
        f"{path} 不在任何档案中（它和上级文件夹里都没有 {ARCHIVE_DIR}/{CONFIG_FILE}）",
        hint="先用 archive-tool init 档案文件夹 --tree 指标体系 建立档案，或指定档案内的路径。")


def _fail(file: Path, key: str | None, message: str) -> ConfigError:
    where = f"{file}：字段 {key}" if key else str(file)
    return ConfigError(f"{where}：{message}",
                       hint=f"按提示修改 {file}（格式见 README 的“档案配置”一节）。")


def _names(file: Path, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(file, key, "应为一个名称或名称列表")
    return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))


def _day(file: Path, key: str, value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # the loader keeps dates as text
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _fail(file, key, f"日期无法识别：{value!r}，应写成 2018-06-30")


def _read(root: str | Path) -> tuple[Path, dict]:
    """The parsed ``config.yaml`` of ``root`` (a mapping), or ConfigError naming the problem."""
    file = config_path(root)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotAnArchiveError(f"{Path(root)} 不是档案：没有 {ARCHIVE_DIR}/{CONFIG_FILE}",
                                hint="先运行 archive-tool init 建立档案。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(file, None, f"无法读取（{exc}）；配置文件应为 UTF-8 编码的 YAML") from None
    try:
        check_limits(text)  # aliases and nesting, before anything is built
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except YamlLimitError as exc:
        raise _fail(file, None, f"YAML 第 {exc.line} 行：{exc.message}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "某处"
        raise _fail(file, None, f"YAML 语法错误（{where}）") from None
    if not isinstance(data, dict):
        raise _fail(file, None, "内容应为一个映射（tree、unit、organizers、window）")
    return file, data


def _timezone(file: Path, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        try:
            return ZoneInfo(value.strip()).key
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise _fail(file, "timezone", f"时区无法识别：{value!r}，应写成 IANA 时区名，如 "
                                  f"{DEFAULT_TIMEZONE}")


def load_settings(root: str | Path) -> Settings:
    """Read and validate ``config.yaml`` of the archive at ``root`` (the tree is not loaded).

    ConfigError for the config of several years (:func:`load_years` reads that one)."""
    file, data = _read(root)
    if "years" in data and "tree" not in data:
        raise _several_years(root, data.get("years"))
    for key in data:
        if key not in CONFIG_KEYS:
            raise _fail(file, str(key), f"未知字段；可用字段：{', '.join(CONFIG_KEYS)}")
    tree_file = data.get("tree")
    if not isinstance(tree_file, str) or not tree_file.strip():
        raise _fail(file, "tree", f"缺少指标体系副本的文件名，应写成 tree: {TREE_FILE}")
    tree_file = tree_file.strip()
    if "/" in tree_file or "\\" in tree_file or tree_file in (".", ".."):
        raise _fail(file, "tree", f"应为 {ARCHIVE_DIR}/ 内的文件名（如 {TREE_FILE}），不能含路径")
    unit = data.get("unit")
    if unit is not None and not isinstance(unit, str):
        raise _fail(file, "unit", "应为单位名称（文字）")
    window = data.get("window")
    start = end = None
    if window is not None:
        if not isinstance(window, dict):
            raise _fail(file, "window", "应写成 window: {start: 2018-01-01, end: 2018-12-31}")
        for key in window:
            if key not in WINDOW_KEYS:
                raise _fail(file, f"window.{key}", "未知字段；可用字段：start, end")
        start = _day(file, "window.start", window.get("start"))
        end = _day(file, "window.end", window.get("end"))
    return Settings(tree_file=tree_file, unit=(unit or "").strip(),
                    organizers=_names(file, "organizers", data.get("organizers")),
                    window_start=start, window_end=end,
                    timezone=_timezone(file, data.get("timezone")),
                    inspection=_day(file, "inspection", data.get("inspection")),
                    ocr=parse_ocr(data.get("ocr"), lambda key, what: _fail(file, key, what)))


def load_config(root: str | Path) -> ArchiveConfig:
    """Load the archive at ``root``: ConfigError for config.yaml, TreeError for the tree copy.

    ``inspection`` and ``timezone`` not set here come from the config of several years that
    lists this archive, when there is one."""
    root = Path(os.path.abspath(root))
    settings = load_settings(root)
    tree = load_tree(root / ARCHIVE_DIR / settings.tree_file)
    start = settings.window_start or tree.window_start
    end = settings.window_end or tree.window_end
    if end < start:
        raise _fail(config_path(root), "window", f"结束日期 {end} 早于开始日期 {start}")
    organizers = ((settings.unit,) if settings.unit else ()) + settings.organizers
    inspection, zone = settings.inspection, settings.timezone
    if inspection is None or zone is None:
        joined = _enclosing_years(root)
        if joined is not None:
            inspection = inspection or joined.inspection
            zone = zone or joined.timezone
    return ArchiveConfig(root=root, tree=tree, tree_file=settings.tree_file, unit=settings.unit,
                         organizers=tuple(dict.fromkeys(organizers)),
                         window_start=start, window_end=end, inspection=inspection,
                         timezone=zone or DEFAULT_TIMEZONE, ocr=settings.ocr)


# ---- several years ----------------------------------------------------------------------------
@dataclass(frozen=True)
class YearsConfig:
    """Several assessment years: a folder whose config lists one archive per year."""

    root: Path
    #: the year archives' folder names, as listed (also the years' labels in reports)
    years: tuple[str, ...]
    inspection: date | None = None
    timezone: str | None = None

    def year_root(self, year: str) -> Path:
        return self.root / year


def _several_years(root: str | Path, years: Any) -> ConfigError:
    names = [str(y) for y in years] if isinstance(years, list) else []
    example = f"{Path(root)}/{names[-1]}" if names else f"{Path(root)}/2024年"
    return ConfigError(f"{Path(root)} 是多年度档案（{'、'.join(names) or '见 years'}），"
                       "这个命令一次处理一个年度",
                       hint=f"指定其中一年的档案文件夹，例如 {example}（check 可处理多年度）。")


def load_years(root: str | Path) -> YearsConfig:
    """Read the config of several years at ``root``; every listed year must be an archive."""
    root = Path(os.path.abspath(root))
    file, data = _read(root)
    for key in data:
        if key not in YEARS_KEYS:
            raise _fail(file, str(key), f"未知字段；多年度档案的可用字段：{', '.join(YEARS_KEYS)}")
    years = data.get("years")
    if not isinstance(years, list) or not years:
        raise _fail(file, "years", "应为各年度档案文件夹名的列表，如 years: [2023年, 2024年]")
    names: list[str] = []
    for pos, year in enumerate(years, 1):
        name = str(year).strip() if isinstance(year, (str, int)) else ""
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            raise _fail(file, f"years[{pos}]", f"应为本文件夹内的文件夹名，实际是 {year!r}")
        if name in names:
            raise _fail(file, f"years[{pos}]", f"年度 {name} 重复")
        if not config_path(root / name).is_file():
            raise _fail(file, f"years[{pos}]",
                        f"{root / name} 不是档案（没有 {ARCHIVE_DIR}/{CONFIG_FILE}）；先运行 "
                        f"archive-tool init {root / name} --tree 指标体系")
        names.append(name)
    return YearsConfig(root=root, years=tuple(names),
                       inspection=_day(file, "inspection", data.get("inspection")),
                       timezone=_timezone(file, data.get("timezone")))


def is_years(root: str | Path) -> bool:
    """True when the config at ``root`` joins several years (``years:`` without ``tree:``)."""
    try:
        data = _read(root)[1]
    except ConfigError:
        return False
    return "years" in data and "tree" not in data


def _enclosing_years(root: Path) -> YearsConfig | None:
    """The config of several years that lists ``root``, in the folder right above it."""
    parent = root.parent
    if parent == root or not config_path(parent).is_file() or not is_years(parent):
        return None
    try:
        joined = load_years(parent)
    except ConfigError:
        return None
    return joined if root.name in joined.years else None


def open_archive(path: str | Path) -> ArchiveConfig:
    """The configuration of the archive that holds ``path`` (a file or folder inside it)."""
    return load_config(find_root(path))


def config_text(tree_file: str, unit: str, organizers: tuple[str, ...] | list[str] = (),
                window: tuple[date | None, date | None] = (None, None),
                timezone: str | None = None, inspection: date | None = None) -> str:
    """The text of a config.yaml (a commented header, then the keys in documented order)."""
    data: dict[str, Any] = {"tree": tree_file, "unit": unit or ""}
    if organizers:
        data["organizers"] = list(organizers)
    start, end = window
    if start or end:
        data["window"] = {k: v.isoformat() for k, v in (("start", start), ("end", end)) if v}
    if timezone:
        data["timezone"] = timezone
    if inspection:
        data["inspection"] = inspection.isoformat()
    return _HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _write_text(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.new")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_config(root: str | Path, tree_text: str, tree_file: str = TREE_FILE, unit: str = "",
                 organizers: tuple[str, ...] | list[str] = (),
                 window: tuple[date | None, date | None] = (None, None),
                 previous_text: str | None = None, timezone: str | None = None,
                 inspection: date | None = None) -> Path:
    """Create ``.archive/`` with the tree copy and config.yaml; return the config file's path.

    ``previous_text``, the tree copy being replaced, is kept as ``.archive/tree.prev.yaml``.
    """
    archive = Path(root) / ARCHIVE_DIR
    try:
        archive.mkdir(parents=True, exist_ok=True)
        if previous_text is not None:
            _write_text(archive / PREV_TREE_FILE, previous_text)
        _write_text(archive / tree_file, tree_text)
        _write_text(archive / CONFIG_FILE, config_text(tree_file, unit, organizers, window,
                                                        timezone, inspection))
    except OSError as exc:
        raise FileOperationError(f"无法写入 {archive}：{os_reason(exc)}",
                                 hint="检查该文件夹是否可写（共享盘权限、只读）后重试。") from None
    return archive / CONFIG_FILE
