"""Several assessment years side by side: text, Markdown and HTML.

Each starts with one summary line per year and a table of every indicator with its status in
each year, then gives each year's own report (by indicator or by owner) under the year's name.
JSON is :meth:`archive_tool.check.years.YearsReport.to_dict`, XLSX
:func:`archive_tool.report.gap_xlsx.write_years_xlsx`.
"""
from __future__ import annotations

from html import escape

from ..check.model import STATUS_LABELS, STATUS_MARKS
from ..check.years import YearsReport
from .gap_common import TITLE, display_width, outlook_line, pad

YEARS_TITLE = f"{TITLE}（多年度）"


def _cell(status: str | None, short: bool) -> str:
    if status is None:
        return "—"
    return f"{STATUS_MARKS[status]} {STATUS_LABELS[status]}" + ("*" if short and status in (
        "complete", "not_started") else "")


def _heads(years: YearsReport) -> list[str]:
    lines = [f"报告日期：{years.as_of}" + (f"    迎检日：{years.inspection}" if years.inspection
                                        else "")]
    for y in years.years:
        r = y.report
        lines.append(f"{y.year}（{r.tree_title}，考核期 {r.window_start} 至 {r.window_end}）："
                     f"{outlook_line(r)}")
    return lines


def _grid(years: YearsReport) -> tuple[list[str], list[list[str]]]:
    headers = ["指标", *years.labels]
    rows = [["　" * (row.level - 1) + f"{row.id} {row.name}",
             *[_cell(st, sh) for st, sh in zip(row.statuses, row.short)]]
            for row in years.rows()]
    return headers, rows


_NOTE = "* 齐全或未开始，但迎检日前还需补充材料；— 该年度的指标体系没有这一项。"
_VERDICT = ("✓ 各年度都不缺材料。", "✗ 有年度缺材料，见各年度的缺项明细。")


def years_text(years: YearsReport, bodies: list[str]) -> str:
    """``bodies``: each year's own report text (gap_text or gap_owners_text), in order."""
    headers, rows = _grid(years)
    widths = [max(display_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [YEARS_TITLE, *_heads(years), ""]
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths)).rstrip()
              for row in [headers, *rows]]
    lines += [_NOTE]
    for y, body in zip(years.years, bodies):
        lines += ["", f"==== {y.year} ====", body]
    lines += ["", _VERDICT[0] if years.ok else _VERDICT[1]]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def years_markdown(years: YearsReport, bodies: list[str]) -> str:
    """``bodies``: each year's own Markdown report, its headings two levels down (under the
    year's ``## 2024年``)."""
    headers, rows = _grid(years)
    lines = [f"# {YEARS_TITLE}", "", *(f"- {line}" for line in _heads(years)), "",
             "## 各年度指标一览", "", "| " + " | ".join(headers) + " |",
             "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    lines += ["", _NOTE]
    for y, body in zip(years.years, bodies):
        lines += ["", f"## {y.year}", ""]
        lines += [("##" + line if line.startswith("#") else line) for line in body.splitlines()]
    lines += ["", _VERDICT[0] if years.ok else _VERDICT[1], ""]
    return "\n".join(lines)


def years_html(years: YearsReport, bodies: list[list[str]]) -> str:
    """``bodies``: each year's page body (gap_html.report_body or owners_body)."""
    from .gap_html import page

    headers, rows = _grid(years)
    body = ["<section>", "<h2>各年度指标一览</h2>", "<table>",
            "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr></thead>",
            "<tbody>"]
    for row, grid in zip(years.rows(), rows):
        cells = [f"<td>{escape(grid[0])}</td>"]
        cells += [f'<td class="{status or "not_assessed"}">{escape(text)}</td>'
                  for status, text in zip(row.statuses, grid[1:])]
        body.append(f'<tr class="level-{row.level}">{"".join(cells)}</tr>')
    body += ["</tbody>", "</table>", f"<p>{escape(_NOTE)}</p>", "</section>"]
    for y, part in zip(years.years, bodies):
        body += [f'<section class="year" data-year="{escape(y.year, quote=True)}">',
                 f"<h2>{escape(y.year)}</h2>", *part, "</section>"]
    body.append(f'<p class="verdict">{escape(_VERDICT[0] if years.ok else _VERDICT[1])}</p>')
    return page(YEARS_TITLE, body, _heads(years), years.as_of)
