"""The gap report as one self-contained HTML page: inline CSS, no scripts, fonts or CDN, so it
opens offline in any browser and can be mailed as a single file. Each level-I indicator gets a
coverage bar."""
from __future__ import annotations

from html import escape

from ..check.model import GapReport, IndicatorGap, OwnerGap
from .gap_common import (NO_GAPS, NOT_COUNTED_TITLE, TITLE, coverage_text, file_name,
                         final_line, grouped_not_counted, indicator_status, needs_detail,
                         owners_text, percent, period_token, requirement_note, rule_notes,
                         rules_by_requirement, score_text, status_text, summary_lines)

CSS = """
:root { --ok: #1a7f37; --part: #b35900; --miss: #c62828; --due: #6e7781; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
       "WenQuanYi Micro Hei", sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em;
       color: #1f2328; line-height: 1.6; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.1em; margin: 1.4em 0 .4em; }
.summary p { margin: .2em 0; color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; }
th, td { border: 1px solid var(--line); padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
tr.level-1 td { font-weight: bold; background: #fafbfc; }
.complete { color: var(--ok); } .in_progress { color: var(--part); }
.missing { color: var(--miss); } .not_started, .not_assessed { color: var(--due); }
.bars { margin: 1em 0; }
.bar-row { display: flex; align-items: center; gap: .8em; margin: .3em 0; }
.bar-row .label { flex: 0 0 18em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.bar { flex: 1 1 auto; height: 1.1em; background: #eaeef2; border-radius: 3px; overflow: hidden; }
.fill { height: 100%; background: var(--ok); }
.bar-row .value { flex: 0 0 9em; text-align: right; font-variant-numeric: tabular-nums; }
ul.rules { list-style: none; padding-left: 0; }
ul.rules li { margin: .3em 0; }
ul.rules li.requirement { color: #57606a; margin-top: .6em; }
.period { display: inline-block; border: 1px solid var(--line); border-radius: 3px;
          padding: 0 .4em; margin: .1em .2em .1em 0; font-size: .92em; white-space: nowrap; }
.period.complete { background: #dafbe1; } .period.in_progress { background: #fff1e0; }
.period.missing { background: #ffebe9; } .period.not_started { background: #f6f8fa; }
ul.rules li.note { color: #57606a; padding-left: 1.4em; font-size: .92em; }
code { font-family: Consolas, "Courier New", monospace; font-size: .9em; }
.fix { color: #57606a; }
footer { margin-top: 3em; color: #57606a; font-size: .9em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               article { break-inside: avoid; } }
"""


def _e(text) -> str:
    return escape(str(text), quote=True)


def _status(ind_or_status) -> str:
    if isinstance(ind_or_status, IndicatorGap):
        ind = ind_or_status
        return f'<span class="{ind.status}">{_e(indicator_status(ind))}</span>'
    return f'<span class="{ind_or_status}">{_e(status_text(ind_or_status))}</span>'


def page(title: str, body: list[str], summary: list[str], as_of) -> str:
    """A whole page: the title, the ``summary`` lines, the ``body``, a footer."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        '<section class="summary">',
        *(f"<p>{_e(line)}</p>" for line in summary),
        "</section>",
        *body,
        f"<footer>由 archive-tool check 生成，报告日期 {_e(as_of)}。</footer>",
        "</body>",
        "</html>",
        "",
    ])


def _bars(report: GapReport) -> list[str]:
    out = ['<section class="bars">', "<h2>一级指标覆盖率</h2>"]
    for ind in report.indicators:
        ratio = ind.coverage
        width = 0 if ratio is None else round(ratio * 100)
        value = f"{percent(ratio)}（{coverage_text(ind)}）"
        out.append(f'<div class="bar-row" data-id="{_e(ind.id)}">'
                   f'<span class="label" title="{_e(ind.name)}">{_e(ind.id)} {_e(ind.name)}</span>'
                   f'<div class="bar"><div class="fill" style="width: {width}%"></div></div>'
                   f'<span class="value">{_e(value)}</span></div>')
    out.append("</section>")
    return out


def _overview(report: GapReport) -> list[str]:
    out = ["<section>", "<h2>指标一览</h2>", "<table>",
           "<thead><tr><th>指标</th><th>状态</th><th>覆盖</th><th>分值</th><th>责任人</th></tr>"
           "</thead>", "<tbody>"]
    for ind in report.walk():
        pad = "　" * (ind.level - 1)
        out.append(f'<tr class="level-{ind.level}" data-status="{_e(ind.status)}">'
                   f"<td>{pad}{_e(ind.id)} {_e(ind.name)}</td><td>{_status(ind)}</td>"
                   f"<td>{_e(coverage_text(ind))}</td><td>{_e(score_text(ind))}</td>"
                   f"<td>{_e(owners_text(ind))}</td></tr>")
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _leaf(leaf: IndicatorGap, heading: str = "h3") -> list[str]:
    who = f"（责任人：{owners_text(leaf)}）" if leaf.owners else ""
    out = [f'<article id="ind-{_e(leaf.id)}">',
           f"<{heading}>{_e(leaf.id)} {_e(leaf.name)} {_status(leaf)}{_e(who)}</{heading}>",
           '<ul class="rules">']
    for requirement, rules in rules_by_requirement(leaf):
        if requirement:
            out.append(f'<li class="requirement">{_e(requirement)}</li>')
        if requirement_note(rules):
            out.append(f'<li class="note">{_e(requirement_note(rules, 400))}</li>')
        for rule in rules:
            chips = "".join(f'<span class="period {p.status}">{_e(period_token(p, rule))}</span>'
                            for p in rule.periods)
            out.append(f"<li>{_status(rule.status)} {_e(rule.text)}：{chips}</li>")
            out += [f'<li class="note">{_e(note)}</li>' for note in rule_notes(rule)]
    out.append("</ul>")
    if leaf.not_counted:
        out += [f"<p><strong>{NOT_COUNTED_TITLE}</strong></p>", '<table class="not-counted">',
                "<thead><tr><th>文件</th><th>规则</th><th>原因</th><th>修改</th></tr></thead>",
                "<tbody>"]
        for path, items in grouped_not_counted(leaf.not_counted):
            for item in items:
                out.append(f'<tr><td title="{_e(path)}">{_e(file_name(path))}</td>'
                           f"<td><code>{_e(item.rule)}</code></td><td>{_e(item.message)}</td>"
                           f'<td class="fix">{_e(item.fix)}</td></tr>')
        out += ["</tbody>", "</table>"]
    out.append("</article>")
    return out


def _outside(report: GapReport) -> list[str]:
    if not report.outside:
        return []
    out = ["<section>", "<h2>不在指标文件夹内的文件</h2>", "<table>",
           "<thead><tr><th>文件</th><th>规则</th><th>原因</th></tr></thead>", "<tbody>"]
    for item in report.outside:
        out.append(f"<tr><td>{_e(item.path)}</td><td><code>{_e(item.rule)}</code></td>"
                   f"<td>{_e(item.message)}</td></tr>")
    out += ["</tbody>", "</table>", "</section>"]
    return out


def gap_html(report: GapReport) -> str:
    """The report by indicator: coverage bars, the indicator table, then the missing detail."""
    return page(f"{TITLE}：{report.tree_title}", report_body(report), summary_lines(report),
                report.as_of)


def report_body(report: GapReport) -> list[str]:
    """The body of :func:`gap_html` (a year of the side-by-side page reuses it)."""
    body = _bars(report) + _overview(report)
    details = [ind for ind in report.walk() if needs_detail(ind)]
    if details:
        body += ["<section>", "<h2>缺项明细</h2>"]
        for leaf in details:
            body += _leaf(leaf)
        body.append("</section>")
    body += _outside(report)
    body.append(f'<p class="verdict">{_e(final_line(report))}</p>')
    return body


def gap_owners_html(report: GapReport, groups: list[OwnerGap]) -> str:
    """The report by owner: one section per owner with their leaves that are short or in
    progress."""
    return page(f"{TITLE}（按责任人）：{report.tree_title}", owners_body(report, groups),
                summary_lines(report), report.as_of)


def owners_body(report: GapReport, groups: list[OwnerGap]) -> list[str]:
    """The body of :func:`gap_owners_html`."""
    body = _bars(report)
    if not groups:
        body.append(f"<p>✓ {_e(NO_GAPS)}</p>")
    for group in groups:
        body += ['<section class="owner">',
                 f"<h2>{_e(group.owner)}（{len(group.indicators)} 项）</h2>"]
        for leaf in group.indicators:
            body += _leaf(leaf)
        body.append("</section>")
    return body

