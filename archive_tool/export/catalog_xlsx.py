"""The catalogue as the 卷内文件目录 archivists know, one sheet per level-I indicator.

Columns 序号、文号、责任者、题名、日期、页号、备注; a heading row per volume (a leaf indicator, and
per year in a several-years archive); printed on A4 portrait with the header rows repeated on
every page, the columns fitted to the page width, borders and wrapped text. 页号 is the page
range in the binder when the catalogue comes with one (``pages``), else the file's own page
count (``共3页``) where known. 备注 says whether the file counts, or with a binder what the
binder says of it (``remarks``: 无法转换…, 音视频文件…).
"""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from ..report.gap_xlsx import _save
from .catalog import Catalogue, Entry, Volume, years_label
from .xlsx_rows import fit_row

HEADERS = (("序号", 6), ("文号", 16), ("责任者", 16), ("题名", 42), ("日期", 12), ("页号", 9),
           ("备注", 34))
#: (year, path) -> (first page, last page) in the binder; a missing key: no page in the binder
PageMap = dict[tuple[str, str], tuple[int, int]]
#: (year, path) -> 备注
Remarks = dict[tuple[str, str], str]
_ILLEGAL_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


def page_text(entry: Entry, pages: PageMap | None) -> str:
    if pages is not None:
        span = pages.get((entry.year, entry.path))
        if span is None:
            return ""
        return str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"
    if entry.pages:
        return f"共{entry.pages}页"
    return entry.extent()  # audio and video: their duration


def _sheet_title(top: tuple[str, str], used: set[str]) -> str:
    base = (f"{top[0]} {top[1]}".strip() or "未归入指标").translate(_ILLEGAL_TITLE)[:28]
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}_{n}", n + 1
    used.add(title)
    return title


class _Writer:
    """Rows of one sheet, with the styles they need."""

    def __init__(self, ws):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws = ws
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="center")
        self.centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.bold = Font(bold=True)
        self.band = PatternFill("solid", fgColor="EEF1F4")

    def title(self, text: str, size: int = 16) -> None:
        from openpyxl.styles import Font

        self.ws.append([text])
        row = self.ws.max_row
        self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))
        cell = self.ws.cell(row, 1)
        cell.font = Font(bold=True, size=size)
        cell.alignment = self.centre
        fit_row(self.ws, row, [width * 11 / size for _, width in HEADERS], merged=True,
                line=size * 1.45)

    def row(self, values: list, *, bold: bool = False, band: bool = False,
            merge: bool = False) -> None:
        self.ws.append(values)
        row = self.ws.max_row
        if merge:
            self.ws.merge_cells(start_row=row, start_column=1, end_row=row,
                                end_column=len(HEADERS))
        fit_row(self.ws, row, [width for _, width in HEADERS], merged=merge)
        for col in range(1, len(HEADERS) + 1):
            cell = self.ws.cell(row, col)
            cell.border = self.border
            cell.alignment = self.centre if col in (1, 5, 6) and not merge else self.wrap
            if bold:
                cell.font = self.bold
            if band:
                cell.fill = self.band


def _volume_rows(out: _Writer, volume: Volume, years: tuple[str, ...], pages: PageMap | None,
                 remarks: Remarks | None):
    several = len([y for y in years if y]) > 1
    heading = volume.title if volume.is_leaf else f"{volume.title}（直接放在此文件夹中的文件）"
    current = None
    for entry in volume.entries:
        if entry.year != current or current is None:
            current = entry.year
            label = f"{heading} · {entry.year}" if several and entry.year else heading
            out.row([label] + [None] * (len(HEADERS) - 1), bold=True, band=True, merge=True)
        out.row([entry.no, entry.doc_number, entry.responsible, entry.title,
                 entry.date_text(), page_text(entry, pages),
                 remarks.get((entry.year, entry.path), "") if remarks is not None
                 else entry.remark()])


def _page_setup(ws, header_row: int) -> None:
    from openpyxl.utils import get_column_letter

    for pos, (_, width) in enumerate(HEADERS, 1):
        ws.column_dimensions[get_column_letter(pos)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.freeze_panes = f"A{header_row + 1}"


def build_catalogue_workbook(catalogue: Catalogue, pages: PageMap | None = None,
                             remarks: Remarks | None = None):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for top, volumes in catalogue.tops():
        ws = wb.create_sheet(_sheet_title(top, used))
        out = _Writer(ws)
        out.title("卷内文件目录")
        span = years_label(y for y in catalogue.years if any(y in v.years for v in volumes))
        out.title(" ".join(part for part in (catalogue.unit, f"{top[0]} {top[1]}".strip(), span)
                           if part), size=11)
        out.row([h for h, _ in HEADERS], bold=True)
        header = ws.max_row
        for volume in volumes:
            _volume_rows(out, volume, catalogue.years, pages, remarks)
        _page_setup(ws, header)
    if not wb.sheetnames:
        out = _Writer(wb.create_sheet("卷内文件目录"))
        out.title("卷内文件目录（档案中还没有材料文件）")
    return wb


def write_catalogue_xlsx(catalogue: Catalogue, dest: str | Path | BinaryIO,
                         pages: PageMap | None = None, remarks: Remarks | None = None) -> None:
    """Write the catalogue workbook to a path or a binary file object."""
    _save(build_catalogue_workbook(catalogue, pages, remarks), dest)
