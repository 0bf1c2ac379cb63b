"""The coverage chart of the overview, drawn on the server as SVG (no script, no CDN).

One bar per level-I indicator: its leaves by status (complete, in progress, missing, not
started), and the coverage (complete among the leaves already started) written beside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

#: statuses drawn, in order, with their colour and label
SEGMENTS = (("complete", "#2e7d32", "齐全"), ("in_progress", "#f9a825", "进行中"),
            ("missing", "#c62828", "缺失"), ("not_started", "#b0bec5", "未开始"))
LABEL_W, BAR_W, ROW_H, GAP, TAIL_W = 190, 480, 22, 8, 150


@dataclass(frozen=True)
class Bar:
    label: str
    counts: dict[str, int]
    coverage: float | None


def _text(x: float, y: float, text: str, anchor: str = "start", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}"{klass}>'
            f"{escape(text)}</text>")


def coverage_svg(bars: list[Bar]) -> str:
    """The chart as an ``<svg>`` element (its text escaped; safe to put into a page)."""
    height = 34 + len(bars) * (ROW_H + GAP)
    width = LABEL_W + BAR_W + TAIL_W
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'aria-label="各一级指标的材料覆盖情况">']
    x = LABEL_W
    for status, colour, label in SEGMENTS:  # the legend
        out.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
        out.append(_text(x + 16, 15, label))
        x += 80
    for i, bar in enumerate(bars):
        y = 28 + i * (ROW_H + GAP)
        out.append(_text(LABEL_W - 8, y + ROW_H - 6, bar.label[:14], "end"))
        total = sum(bar.counts.get(s, 0) for s, _, _ in SEGMENTS)
        x = float(LABEL_W)
        for status, colour, label in SEGMENTS:
            n = bar.counts.get(status, 0)
            if not n or not total:
                continue
            w = BAR_W * n / total
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW_H}" '
                       f'fill="{colour}"><title>{escape(label)} {n} 项</title></rect>')
            x += w
        if not total:
            out.append(f'<rect x="{LABEL_W}" y="{y}" width="{BAR_W}" height="{ROW_H}" '
                       f'fill="#eceff1"/>')
        cov = "—" if bar.coverage is None else f"{bar.coverage * 100:.0f}%"
        out.append(_text(LABEL_W + BAR_W + 8, y + ROW_H - 6, f"覆盖率 {cov}（{total} 项）"))
    out.append("</svg>")
    return "".join(out)
