"""Word and Excel files as paragraphs and tables of text, for the points readers.

Sign-in sheets, the departments table (附件1), staff rosters and the 综合组's xlsx ledger all
come as a table with a header row, sometimes with lines above it ("活动主题：…"). This module
reads them the same way:

- a .docx gives its body in order: paragraphs (text) and tables (rows of cell texts); a cell
  merged across columns or rows is read once, the other positions it covers are empty; lines
  typed with tabs ("1<TAB>总工办<TAB>3") are read as a table too;
- an .xlsx/.xlsm gives one table per worksheet (merged cells hold their value once).

:func:`find_header` finds the header row by the roles its cells play (姓名, 单位, 人数 …).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from indicator_tree.table_read import cell_text  # as the table importer reads
from indicator_tree.table_cells import one_line

from ..errors import FileOperationError

DOCX_EXTS = (".docx", ".docm")
XLSX_EXTS = (".xlsx", ".xlsm")
#: rows read from one worksheet at most (a sign-in sheet or a roster is far smaller)
MAX_ROWS = 20_000


@dataclass
class Table:
    label: str  # "表格 1" / "工作表“Sheet1”"
    rows: list[list[str]]
    #: a table read by OCR: (row, column) -> the lowest recognition score of the cell's text
    scores: dict[tuple[int, int], float] = field(default_factory=dict)
    #: a table read by OCR: what its reader asks to be checked (pages left unread …)
    notes: list[str] = field(default_factory=list)


def clean(value: object) -> str:
    """Cell or paragraph text on one line (a date cell as 2018-05-04, 3.0 as 3)."""
    return one_line(cell_text(value))


def header_key(text: str) -> str:
    """``"科 室 (单 位)"`` -> ``"科室(单位)"``: NFKC, no spaces, no trailing colon."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).rstrip(":：")


def _docx_table(table, number: int) -> Table:
    seen: set = set()  # the w:tc elements read (kept, so lxml keeps their proxies)
    rows: list[list[str]] = []
    for row in table.rows:
        try:
            cells = row.cells
        except ValueError:  # a malformed vertical merge: read the row's own cells
            from docx.table import _Cell

            cells = [_Cell(tc, table) for tc in row._tr.tc_lst]  # noqa: SLF001
        out = []
        for cell in cells:
            tc = cell._tc  # noqa: SLF001 (the element identifies a merged cell)
            out.append("" if tc in seen else clean(cell.text))
            seen.add(tc)
        rows.append(out)
    return Table(f"表格 {number}", rows)


def read_docx_blocks(path: Path) -> list[str | Table]:
    """The body of a .docx in reading order: paragraph texts and tables."""
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    document = _open(path, docx.Document, "Word 文档", ".docx")
    blocks: list[str | Table] = []
    tabbed: list[list[str]] = []
    count = 0
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            raw = Paragraph(child, document).text
            if "\t" in raw.strip():
                tabbed.append([clean(part) for part in raw.split("\t") if clean(part)])
                continue
            text = clean(raw)
        elif tag == "tbl":
            count += 1
            text = _docx_table(DocxTable(child, document), count)
        else:
            continue
        if tabbed:
            count += 1
            blocks.append(Table(f"表格 {count}（制表符分隔）", tabbed))
            tabbed = []
        if text:
            blocks.append(text)
    if tabbed:
        blocks.append(Table(f"表格 {count + 1}（制表符分隔）", tabbed))
    return blocks


def read_xlsx_tables(path: Path) -> list[Table]:
    """Every worksheet of an .xlsx as a table (values, not formulas)."""
    import openpyxl

    workbook = _open(path, lambda p: openpyxl.load_workbook(p, data_only=True), "Excel 工作簿",
                     ".xlsx")
    tables = []
    for ws in workbook.worksheets:
        rows = [[clean(v) for v in values] for values in
                ws.iter_rows(min_row=1, max_row=min(ws.max_row, MAX_ROWS), values_only=True)]
        tables.append(Table(f"工作表“{ws.title}”", rows))
    return tables


def read_blocks(path: Path) -> list[str | Table]:
    """A .docx's paragraphs and tables, or an .xlsx's worksheets; FileOperationError for any
    other format or a file that cannot be opened."""
    ext = path.suffix.lower()
    if ext in DOCX_EXTS:
        return read_docx_blocks(path)
    if ext in XLSX_EXTS:
        return list(read_xlsx_tables(path))
    raise FileOperationError(f"{path.name}：只能读取 Word（.docx）或 Excel（.xlsx）文件",
                             "用 Word、WPS 或 Excel 打开后另存为 .docx 或 .xlsx。")


def _open(path: Path, opener, what: str, ext: str):
    try:
        return opener(str(path))
    except FileNotFoundError:
        raise FileOperationError(f"文件不存在：{path}", "检查路径后重试。") from None
    except Exception as exc:  # python-docx and openpyxl raise many kinds on a damaged file
        raise FileOperationError(
            f"无法打开{what} {path.name}（{type(exc).__name__}）：文件已损坏、加密或格式不对",
            f"用 Word、WPS 或 Excel 打开该文件，取消密码后另存为 {ext} 再试。") from None


def tables_of(blocks: list[str | Table]) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


@dataclass(frozen=True)
class Header:
    """A header row: its index in the table and the columns of each role, left to right."""

    row: int
    columns: dict[str, list[int]]

    def first(self, role: str) -> int | None:
        cols = self.columns.get(role)
        return cols[0] if cols else None


def find_header(rows: list[list[str]], classify: Callable[[str], str | None],
                required: tuple[str, ...], scan: int = 20) -> Header | None:
    """The first of the top ``scan`` rows whose cells play every ``required`` role."""
    for index, row in enumerate(rows[:scan]):
        columns: dict[str, list[int]] = {}
        for col, text in enumerate(row):
            role = classify(header_key(text)) if text else None
            if role:
                columns.setdefault(role, []).append(col)
        if all(role in columns for role in required):
            return Header(index, columns)
    return None


def cell(row: list[str], col: int | None) -> str:
    return row[col] if col is not None and col < len(row) else ""
