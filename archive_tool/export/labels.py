"""索引标签: labels to print and stick on the binders' spines or tabs (指标编号、名称、年度).

Two columns of five labels to an A4 page (85 × 48 mm each, cut lines drawn), the indicator id
large, its name (wrapped), the years and the unit.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from .fonts import cjk_font
from .pages import A4, clip, wrap

MM = 72 / 25.4
COLUMNS, ROWS = 2, 5
LABEL_W, LABEL_H = 85 * MM, 48 * MM


@dataclass(frozen=True)
class Label:
    indicator: str
    name: str
    years: str = ""
    unit: str = ""


def _label(c, label: Label, x: float, y: float, font: str) -> None:
    """One label with its lower left corner at (x, y)."""
    c.setDash(3, 3)
    c.rect(x, y, LABEL_W, LABEL_H)
    c.setDash()
    pad = 5 * MM
    c.setFont(font, 22)
    c.drawString(x + pad, y + LABEL_H - pad - 20, label.indicator)
    top = y + LABEL_H - pad - 40
    for line in clip(wrap(label.name, font, 13, LABEL_W - 2 * pad), 2):
        c.setFont(font, 13)
        c.drawString(x + pad, top, line)
        top -= 17
    c.setFont(font, 9)
    c.drawString(x + pad, y + pad, " ".join(p for p in (label.years, label.unit) if p))


def labels_pdf(labels: list[Label]) -> bytes:
    from reportlab.pdfgen import canvas

    font = cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("索引标签")
    width, height = A4
    left = (width - COLUMNS * LABEL_W) / 2
    bottom = (height - ROWS * LABEL_H) / 2
    per_page = COLUMNS * ROWS
    for n, label in enumerate(labels):
        slot = n % per_page
        if n and slot == 0:
            c.showPage()
        col, row = slot % COLUMNS, slot // COLUMNS
        _label(c, label, left + col * LABEL_W, bottom + (ROWS - 1 - row) * LABEL_H, font)
    c.showPage()
    c.save()
    return buf.getvalue()
