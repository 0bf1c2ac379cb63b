"""The table importer's reading side: Word/Excel tables as grids of cells.

A grid remembers which cells are one merged cell (``origin``), so a merged cell is read once:

- python-docx repeats one ``_Cell`` for a horizontal span, and for a vertical span
  (``w:vMerge="continue"``) ``row.cells`` yields the top cell again, so continuation rows read
  the same text. A continuation ``w:tc`` met on its own (empty) is resolved to the cell above.
- openpyxl leaves every cell but the top-left of ``ws.merged_cells.ranges`` empty; the grid fills
  them with the top-left value.

A Word table's grid also knows the paragraphs above it (where its title is).
:mod:`indicator_tree.table_import` builds the tree from the grids.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .errors import Problem, TreeError
from .table_cells import clean, one_line


@dataclass
class Cell:
    text: str
    origin: object  # the same object (docx) or value (xlsx) for every cell of one merged cell


@dataclass
class Grid:
    label: str  # "表格 1" / "工作表“Sheet1”"
    rows: list[list[Cell]]  # rows[0] is row 1 of the table or sheet
    #: the paragraphs between the previous table (or the document's start) and this one
    above: list[str] = field(default_factory=list)

    def vcont(self, r: int, c: int) -> bool:
        return r > 0 and self.rows[r - 1][c].origin == self.rows[r][c].origin

    def hcont(self, r: int, c: int) -> bool:
        return c > 0 and self.rows[r][c - 1].origin == self.rows[r][c].origin


def fail(path: Path, message: str, hint: str) -> TreeError:
    """The error for a file that cannot be imported at all."""
    return TreeError([Problem(str(path), None, None, message)], hint=hint)


def read_docx(path: Path) -> tuple[list[Grid], list[str]]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged or foreign file
        raise fail(path, f"无法打开 Word 文档（{type(exc).__name__}）：文件已损坏、加密或不是 .docx",
                   "用 Word 或 WPS 打开该文件，取消密码后另存为 .docx 再导入。") from None
    grids = []
    above = _paragraphs_above(document)
    for number, table in enumerate(document.tables, 1):
        rows: list[list[Cell]] = []
        for r, row in enumerate(table.rows):
            cells = [Cell("", ("before", r, c)) for c in range(row.grid_cols_before)]
            try:
                row_cells = row.cells
            except ValueError:  # a vMerge continuation with no cell above: read the row as is
                row_cells = [docx.table._Cell(tc, table) for tc in row._tr.tc_lst  # noqa: SLF001
                             for _ in range(tc.grid_span)]
            for cell in row_cells:
                c = len(cells)
                tc = cell._tc  # noqa: SLF001 (the element is what identifies a merged cell)
                if tc.vMerge == "continue" and r > 0 and c < len(rows[-1]):
                    cells.append(rows[-1][c])  # an (empty) continuation: the cell above
                else:
                    cells.append(Cell(clean(cell.text), tc))
            rows.append(cells)
        width = max((len(r) for r in rows), default=0)
        for r, cells in enumerate(rows):
            cells += [Cell("", ("after", r, c)) for c in range(len(cells), width)]
        grids.append(Grid(f"表格 {number}", rows, above[number - 1] if number <= len(above) else []))
    paragraphs = [one_line(p.text) for p in document.paragraphs]
    return grids, [p for p in paragraphs if p][:10]


def _paragraphs_above(document) -> list[list[str]]:
    """For each body table in order, the texts of the paragraphs between it and the table before."""
    from docx.text.paragraph import Paragraph

    out: list[list[str]] = []
    current: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = one_line(Paragraph(element, document).text)
            if text:
                current.append(text)
        elif tag == "tbl":
            out.append(current)
            current = []
    return out


def cell_text(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(value)


def read_xlsx(path: Path) -> tuple[list[Grid], list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(str(path), data_only=True)
    except Exception as exc:
        raise fail(path, f"无法打开 Excel 工作簿（{type(exc).__name__}）：文件已损坏、加密或不是 .xlsx",
                   "用 Excel 或 WPS 打开该文件，取消密码后另存为 .xlsx 再导入。") from None
    grids = []
    for ws in workbook.worksheets:
        origin = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    origin[(row, col)] = ((rng.min_row, rng.min_col), top)
        rows = []
        for r, values in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True), 1):
            rows.append([Cell(cell_text(value), (ws.title, key)) for key, value in (
                origin.get((r, c), ((r, c), v)) for c, v in enumerate(values, 1))])
        grids.append(Grid(f"工作表“{ws.title}”", rows))
    return grids, []
