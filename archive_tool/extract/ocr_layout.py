"""Where recognised text sits on a page: a scan's line boxes, straightened, in rows and columns.

A page read by OCR (:mod:`.ocr`) keeps each recognised line as ``[text, corners, score]``, the
four corners clockwise from the top left. Tables (the sign-in sheets of
:mod:`archive_tool.points.signin_ocr`) are rebuilt from them:

- **tilt**: a photographed or scanned sheet is rarely straight. The page's tilt is the median
  slope of the top edges of the long boxes (a lone digit's box says little), and every box is
  turned back by it (:func:`page_boxes`), so a row of a table is one horizontal band again;
- **rows**: boxes whose vertical extents overlap by at least half the lower one
  (:func:`group_rows`): rows may differ in height and a cell's text need not be centred;
- **columns**: between the centres of two neighbouring headings, the edge is the middle of the
  widest stretch no box covers (:func:`column_edges`), so text written at the left of a wide
  cell stays in it; a box that runs across an edge (two cells read as one line) is cut between
  its characters, each character's place estimated from its width (:func:`split_by_edges`).
"""
from __future__ import annotations

import bisect
import math
import statistics
import unicodedata
from dataclasses import dataclass

#: tilts beyond this are not corrected (a page on its side is turned upright before OCR)
MAX_TILT = math.radians(15)
#: a box is long enough to give the page's slope when it is this many times wider than high
SLOPE_RATIO = 2.0
#: rows share a box when their vertical extents overlap by this share of the lower one
ROW_OVERLAP = 0.5


@dataclass(frozen=True)
class Box:
    """One recognised line, straightened: its text, extent in pixels and score (0–1)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _corners(entry) -> tuple[str, list[tuple[float, float]], float] | None:
    """(text, four corners, score) of a stored box, None when it is malformed."""
    try:
        text, flat, score = entry
        points = [(float(flat[i]), float(flat[i + 1])) for i in range(0, 8, 2)]
        return str(text), points, float(score)
    except (TypeError, ValueError, IndexError):
        return None


def _slope(points: list[tuple[float, float]]) -> float | None:
    (x0, y0), (x1, y1), _, (x3, y3) = points
    width, height = math.hypot(x1 - x0, y1 - y0), math.hypot(x3 - x0, y3 - y0)
    if width < SLOPE_RATIO * max(height, 1.0):
        return None
    angle = math.atan2(y1 - y0, x1 - x0)
    return angle if abs(angle) <= MAX_TILT else None


def tilt(quads: list[list[tuple[float, float]]]) -> float:
    """The page's tilt in radians (positive: lines run down to the right), 0 when unknown."""
    slopes = [s for s in map(_slope, quads) if s is not None]
    return statistics.median(slopes) if slopes else 0.0


def page_boxes(page: dict) -> list[Box]:
    """The boxes of a stored page, turned back by the page's tilt."""
    entries = [c for c in map(_corners, page.get("boxes") or ()) if c is not None]
    angle = tilt([points for _, points, _ in entries])
    cos, sin = math.cos(angle), math.sin(angle)
    boxes = []
    for text, points, score in entries:
        xs = [x * cos + y * sin for x, y in points]
        ys = [y * cos - x * sin for x, y in points]
        boxes.append(Box(text, min(xs), min(ys), max(xs), max(ys), score))
    return boxes


def _band(row: list[Box]) -> tuple[float, float]:
    return statistics.median(b.y0 for b in row), statistics.median(b.y1 for b in row)


def group_rows(boxes: list[Box]) -> list[list[Box]]:
    """The boxes in rows, top to bottom, each row left to right (see the module docstring)."""
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        best, share = None, ROW_OVERLAP
        for index in range(max(0, len(rows) - 3), len(rows)):
            top, bottom = _band(rows[index])
            overlap = min(bottom, box.y1) - max(top, box.y0)
            ratio = overlap / max(min(bottom - top, box.height), 1.0)
            if ratio >= share:
                best, share = index, ratio
        if best is None:
            rows.append([box])
        else:
            rows[best].append(box)
    rows.sort(key=lambda row: statistics.median(b.cy for b in row))
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def column_edges(centres: list[float], boxes: list[Box]) -> list[float]:
    """Where each column ends and the next begins, for columns headed at ``centres`` (left to
    right): the middle of the widest stretch between two centres that no box covers, the
    midpoint when boxes cover it all. Boxes spanning both centres (a line across the table)
    are left out."""
    edges = []
    for left, right in zip(centres, centres[1:]):
        spans = sorted((max(left, b.x0), min(right, b.x1)) for b in boxes
                       if b.x1 > left and b.x0 < right and not (b.x0 <= left and b.x1 >= right))
        start, widest, edge = left, 0.0, (left + right) / 2
        for low, high in spans + [(right, right)]:
            if low - start > widest:
                widest, edge = low - start, (start + low) / 2
            start = max(start, high)
        edges.append(edge)
    return edges


def column_of(x: float, edges: list[float]) -> int:
    return bisect.bisect_right(edges, x)


def _char_centres(box: Box) -> list[float]:
    """Estimated centre of each character: a wide (CJK) character takes twice a narrow one."""
    widths = [1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in box.text]
    total, done, out = sum(widths) or 1.0, 0.0, []
    for width in widths:
        out.append(box.x0 + (done + width / 2) / total * (box.x1 - box.x0))
        done += width
    return out


def _piece(box: Box, text: str, x0: float, x1: float) -> Box:
    return Box(text, x0, box.y0, x1, box.y1, box.score)


def split_by_edges(box: Box, edges: list[float]) -> list[tuple[int, Box]]:
    """(column, part of the box) for each column its characters fall in, left to right."""
    centres = _char_centres(box)
    columns = [column_of(x, edges) for x in centres]
    if len(set(columns)) <= 1:
        return [(column_of(box.cx, edges), box)]
    out: list[tuple[int, Box]] = []
    start = 0
    for end in range(1, len(columns) + 1):
        if end == len(columns) or columns[end] != columns[start]:
            text = box.text[start:end].strip()
            if text:
                out.append((columns[start], _piece(box, text, centres[start], centres[end - 1])))
            start = end
    return out


def split_words(box: Box, words: list[str]) -> list[Box]:
    """The box cut into ``words`` (consecutive parts of its text), each placed by its
    characters' estimated positions."""
    centres = _char_centres(box)
    out, start = [], 0
    for word in words:
        end = start + len(word)
        out.append(_piece(box, word, centres[start], centres[end - 1]))
        start = end
    return out
