"""Row heights for the sheets the archive group prints (卷内文件目录, 自评表).

A wrapped cell only wraps on paper when its row is tall enough: Excel and WPS leave a row that
has no height of its own at one line until someone double-clicks it, and LibreOffice prints it
so, the second line running over the row below. So every row gets the height of its tallest
cell, estimated from the text and the column's width (a Chinese character takes two units of
Excel's column width, a Latin letter or digit one).
"""
from __future__ import annotations

import math
from typing import Sequence

from ..report.gap_common import display_width

#: points per line of 11-point text, and the least height of a row
LINE = 14.5
MIN_HEIGHT = 18.0


def lines_needed(value, width: float) -> int:
    """Lines ``value`` takes in a wrapped cell ``width`` units wide (a number, or a formula
    such as a 合计 row's ``=SUM(C3:C9)``, shows as one line of figures)."""
    if value is None or value == "" or isinstance(value, (int, float)):
        return 1
    if isinstance(value, str) and value.startswith("="):
        return 1
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(display_width(part) / usable))
               for part in str(value).split("\n"))


def fit_row(ws, row: int, widths: Sequence[float], *, merged: bool = False,
            line: float = LINE) -> None:
    """Give ``row`` of ``ws`` the height its wrapped cells need (``merged``: the first cell
    spans every column)."""
    if merged:
        lines = lines_needed(ws.cell(row, 1).value, sum(widths))
    else:
        lines = max(lines_needed(ws.cell(row, col).value, width)
                    for col, width in enumerate(widths, 1))
    ws.row_dimensions[row].height = max(MIN_HEIGHT, lines * line + 4)
