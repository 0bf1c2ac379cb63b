"""A unit's own task table (Word .docx or Excel .xlsx) -> :class:`Tree`.

Every table of a document and every worksheet of a workbook is read into a grid of cells that
knows its merged cells (:mod:`indicator_tree.table_read`). The title is the line above the table
(a Word paragraph, a merged title row of a sheet; ``附件1`` is skipped), the tree id the file
name's ASCII part (``imported-<year>`` when it has none). Columns are found by header name
(:func:`~indicator_tree.table_cells.classify_header`); the hierarchy carries down the rows; ids
come from the cells ("Ⅲ-15 志愿服务活动") or are generated (I-1, II-1 …).
Rows that cannot be placed are returned as problems, never dropped. Building the tree from
the grids is :mod:`indicator_tree.table_build`.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import Problem, TreeError, os_reason
from .model import Tree
from .table_build import Builder, find_header
from .table_cells import (KNOWN_HEADERS, classify_header, find_cells_year, find_year, one_line,
                          slug, title_of)
from .table_read import Grid, fail, read_docx, read_xlsx
from .yaml_format import ID_RE
from .zipguard import zip_problem

LEGACY = {".doc": ".docx", ".wps": ".docx", ".wpt": ".docx", ".dot": ".docx",
          ".xls": ".xlsx", ".et": ".xlsx", ".ett": ".xlsx", ".xlt": ".xlsx"}
WORD, EXCEL = (".docx", ".docm"), (".xlsx", ".xlsm")
#: the assessment years a table can be imported for
MIN_YEAR, MAX_YEAR = 1980, 2100
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")


@dataclass(frozen=True)
class ImportResult:
    """The imported tree and one Chinese line per thing to check: a table row that could not be
    placed, a duplicate id, the year assumed when the table names none."""

    tree: Tree
    problems: list[str]


# ---- entry point -------------------------------------------------------------------------------
def _refuse_bad_input(path: Path, suffix: str, year: int | None, tree_id: str | None) -> None:
    if suffix in LEGACY:
        raise fail(path, f"不支持旧格式 {suffix} 文件",
                   f"用 Word/Excel 或 WPS 打开后“另存为” {LEGACY[suffix]} 再导入。")
    if suffix not in WORD + EXCEL:
        raise fail(path, f"不支持的文件类型“{suffix or '无扩展名'}”",
                   "任务分解表请保存为 Word（.docx）或 Excel（.xlsx）文件。")
    if not path.is_file():
        raise fail(path, "文件不存在", "检查文件路径和文件名。")
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise fail(path, f"考核年度“{year}”无效", f"年度应为 {MIN_YEAR}–{MAX_YEAR} 之间的四位数，如 --year 2024。")
    try:
        with path.open("rb") as handle:
            empty = not handle.read(1)
    except OSError as exc:
        raise fail(path, f"无法读取：{os_reason(exc)}",
                   "确认有读取该文件的权限，且文件没有被其他程序独占。") from None
    if empty:
        raise fail(path, "文件为空（0 字节）",
                   "文件可能没有保存完整或复制中断：重新保存或重新复制原表后再导入。")
    if tree_id is not None and not ID_RE.match(tree_id):
        raise fail(path, f"指标体系编号“{tree_id}”无效",
                   "编号只能包含字母、数字、点、下划线和连字符，如 linyi-2018。")
    too_big = zip_problem(path)  # before python-docx/openpyxl read the whole zip directory
    if too_big:
        raise fail(path, f"文件异常（{too_big}），未读取", "用 Word/Excel 打开后另存一份再导入。")


def _above(grid: Grid, h: int, excel: bool) -> list[str]:
    """The lines above a table's header: the paragraphs before a Word table, the rows above the
    header of a worksheet (a merged title row)."""
    if not excel:
        return grid.above
    lines = [one_line(" ".join(c.text for i, c in enumerate(row) if not grid.hcont(r, i)))
             for r, row in enumerate(grid.rows[:h])
             if sum(1 for c in row if classify_header(c.text)) < 2]  # a first header row
    return [line for line in lines if line]


def _year(path: Path, texts: list[str], found: list) -> tuple[int, str]:
    """The assessment year from the title lines, the file name, else the cells; else this year,
    with the problem line saying so."""
    year = find_year(*texts, path.stem)
    if year is None:
        cells = [cell.text for grid, (h, _) in found for row in grid.rows[h + 1:] for cell in row]
        year = (find_cells_year(cells) or (None, ""))[0]
    if year is not None:
        return year, ""
    year = date.today().year
    return year, (f"{path.name}：标题、文件名和表格中都没有年份，考核年度按今年 {year} 年计"
                  f"（考核期 {year}-01-01 至 {year}-12-31，“6月底”等期限也按 {year} 年）；"
                  "如不对，请加 --year 指定年度后重新导入")


def import_table(path: str | Path, tree_id: str | None = None, title: str | None = None,
                 year: int | None = None) -> ImportResult:
    """Read a task table from a .docx or .xlsx file into a tree; see the module docstring."""
    path = Path(path)
    suffix = path.suffix.lower()
    _refuse_bad_input(path, suffix, year, tree_id)
    try:
        grids, paragraphs = read_docx(path) if suffix in WORD else read_xlsx(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise fail(path, f"无法读取：{exc}", "确认文件没有被其他程序占用，且是完整的 .docx/.xlsx。") from None
    found = [(grid, header) for grid in grids if (header := find_header(grid))]
    if not found:
        raise fail(path, "没有找到可识别的任务分解表（表头中需要有指标列，如“项目”“测评内容”“一级指标”）",
                   f"表头可用的名称：{'、'.join(KNOWN_HEADERS)}。")
    first, (h, _) = found[0]
    above = _above(first, h, suffix in EXCEL)
    sheet = first.label[4:-1] if suffix in EXCEL else ""
    texts = above + paragraphs
    if sheet and not sheet.lower().startswith(("sheet", "工作表")):
        texts.append(sheet)
    assumed = ""
    if year is None:
        year, assumed = _year(path, texts, found)
    builder = Builder(path, year)
    for grid, (h, roles) in found:
        builder.table(grid, h, roles)
    indicators = builder.finish()
    if assumed:
        builder.problems.append(assumed)
    if not indicators:
        raise TreeError([Problem(str(path), None, None, "找到了表头，但表格中没有任何指标行")]
                        + [Problem(str(path), None, None, p) for p in builder.problems],
                        hint="确认指标名称写在“项目”“测评内容”或“一级指标”等列中。")
    depth = max(ind.level for top in indicators for ind in top.walk())
    title = title or title_of(above) or title_of(paragraphs) or (sheet or path.stem)
    tree = Tree(id=tree_id or slug(path.stem, year), title=title,
                window_start=date(year, 1, 1), window_end=date(year, 12, 31),
                indicators=indicators, source=path.name, level_names=LEVEL_NAMES[:depth])
    return ImportResult(tree=tree, problems=builder.problems)
