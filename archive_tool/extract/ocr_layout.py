"""Where recognised text sits on a page: a scan's line boxes, straightened, in rows and columns.

A page read by OCR (:mod:`.ocr`) keeps each recognised line as ``[text, corners, score]``, the
four corners clockwise from the top left. Tables (the sign-in sheets of
:mod:`archive_tool.points.signin_ocr`) are rebuilt from them:

- **tilt**: a photographed or scanned sheet is rarely straight. The page's tilt is the median
  slope of the top edges of the long boxes (a lone digit's box says little), and every box is
  turned back by it (:func:`page_boxes`), so a row of a table is one horizontal band again;
- **rows**: boxes whose vertical extents overlap by at least half the lower one
  (:func:`group_rows`): rows may differ in height and a cell's text need not be centred;
- **columns**: a heading sits inside its cell, so the edge between two columns lies between
  the end of one heading and the start of the next: in the middle of the widest stretch there
  that the fewest boxes cover (:func:`column_edges`; usually none: text written at the left of
  a wide cell stays in it, and one box running across the edge does not move it); such a box
  (two cells read as one line) is cut between its characters, each character's place estimated
  from its width (:func:`split_by_edges`).
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


def _least_covered(low: float, high: float, boxes: list[Box]) -> float | None:
    """The middle of the widest stretch of [low, high] that the fewest boxes cover."""
    if high - low < 1.0:
        return None
    cuts = sorted({low, high} | {x for b in boxes for x in (b.x0, b.x1) if low < x < high})
    best: tuple[int, float, float] | None = None  # (-coverage, width, middle)
    run_start, run_cover = None, None
    for a, b in zip(cuts, cuts[1:]):
        middle = (a + b) / 2
        cover = sum(1 for box in boxes if box.x0 <= middle <= box.x1)
        if cover != run_cover:
            run_start, run_cover = a, cover
        candidate = (-cover, b - run_start, (run_start + b) / 2)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None


def column_edges(headings: list[Box], boxes: list[Box]) -> list[float]:
    """Where each column ends and the next begins, for columns under ``headings`` (left to
    right): see the module docstring; the midpoint of two headings when they touch."""
    edges = []
    for left, right in zip(headings, headings[1:]):
        edge = _least_covered(left.x1, right.x0, boxes)
        edges.append(edge if edge is not None else (left.cx + right.cx) / 2)
    return edges


def column_of(x: float, edges: list[float]) -> int:
    return bisect.bisect_right(edges, x)


def _char_spans(box: Box) -> list[tuple[float, float]]:
    """Estimated extent of each character: a wide (CJK) character takes twice a narrow one."""
    widths = [1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in box.text]
    scale = (box.x1 - box.x0) / (sum(widths) or 1.0)
    spans, start = [], box.x0
    for width in widths:
        spans.append((start, start + width * scale))
        start += width * scale
    return spans


def _piece(box: Box, spans: list[tuple[float, float]], start: int, end: int) -> Box:
    """Characters ``start:end`` of the box, spaces at their ends left out."""
    text = box.text[start:end]
    start += len(text) - len(text.lstrip())
    end -= len(text) - len(text.rstrip())
    return Box(text.strip(), spans[start][0], box.y0, spans[end - 1][1], box.y1, box.score)


def trim(box: Box, chars: str) -> Box | None:
    """The box without ``chars`` (and spaces) at its ends, None when nothing is left."""
    text = box.text.strip(chars + " ")
    if not text:
        return None
    if text == box.text:
        return box
    start = box.text.index(text)
    return _piece(box, _char_spans(box), start, start + len(text))


def split_by_edges(box: Box, edges: list[float]) -> list[tuple[int, Box]]:
    """(column, part of the box) for each column its characters fall in, left to right."""
    spans = _char_spans(box)
    columns = [column_of((a + b) / 2, edges) for a, b in spans]
    if len(set(columns)) <= 1:
        return [(column_of(box.cx, edges), box)]
    out: list[tuple[int, Box]] = []
    start = 0
    for end in range(1, len(columns) + 1):
        if end == len(columns) or columns[end] != columns[start]:
            if box.text[start:end].strip():
                out.append((columns[start], _piece(box, spans, start, end)))
            start = end
    return out


def split_words(box: Box, words: list[str]) -> list[Box]:
    """The box cut into ``words`` (consecutive parts of its text), each placed by its
    characters' estimated positions."""
    spans = _char_spans(box)
    out, start = [], 0
    for word in words:
        out.append(_piece(box, spans, start, start + len(word)))
        start += len(word)
    return out
