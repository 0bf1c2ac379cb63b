"""The static site's pages: the tree with coverage (index.html), one page per indicator
(i/<id>.html) and the catalogue (catalog.html). Pure functions returning HTML text; every text
is escaped, every link percent-encoded (:func:`href`), so names with Chinese, full-width or
ASCII colons, spaces, ``#`` or ``&`` work from a USB stick."""
from __future__ import annotations

from html import escape
from urllib.parse import quote

from ..check.model import STATUS_LABELS, STATUS_MARKS, IndicatorGap
from ..report.gap_common import percent, period_token, rules_by_requirement
from .catalog import Catalogue, Entry, Volume, years_label

CSS = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
       sans-serif; margin: 0; color: #1f2328; line-height: 1.6; }
header { background: #8b1a1a; color: #fff; padding: .6em 1.2em; display: flex; gap: 1.2em;
         align-items: center; flex-wrap: wrap; }
header a { color: #fff; text-decoration: none; font-weight: bold; }
header input { flex: 1 1 16em; max-width: 30em; padding: .35em .6em; font-size: 1em; }
main { max-width: 1150px; margin: 1em auto; padding: 0 1em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; }
th, td { border: 1px solid #d0d7de; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
tr.level-1 td { font-weight: bold; background: #fafbfc; }
.complete { color: #1a7f37; } .in_progress { color: #b35900; } .missing { color: #c62828; }
.not_started, .not_assessed, .muted { color: #6e7781; }
#search-results { list-style: none; padding: 0; }
#search-results li { border-bottom: 1px solid #eaeef2; padding: .4em 0; }
#search-results .where, .meta { color: #57606a; font-size: .9em; }
.files { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 1em; }
.file { border: 1px solid #d0d7de; border-radius: 6px; padding: .6em; }
.file img { width: 100%; height: 150px; object-fit: contain; background: #f6f8fa; }
.file .kind { display: flex; height: 150px; align-items: center; justify-content: center;
              background: #f6f8fa; color: #57606a; font-size: 1.4em; }
.file .name { font-weight: bold; word-break: break-all; }
.period { display: inline-block; border: 1px solid #d0d7de; border-radius: 3px;
          padding: 0 .4em; margin: .1em .2em .1em 0; font-size: .92em; }
"""


def href(path: str) -> str:
    """A relative link to ``path`` (posix, relative), percent-encoded and escaped for HTML."""
    return escape(quote(path, safe="/"), quote=True)


def page_name(indicator: str) -> str:
    """The file of an indicator's page, relative to the site root."""
    from ..naming import safe_component

    return f"i/{safe_component(indicator)}.html"


def layout(title: str, body: str, base: str, unit: str) -> str:
    """A whole page; ``base`` is the way back to the site root ("" or "../")."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><link rel="stylesheet" href="{base}assets/style.css"></head>
<body data-root="{base}">
<header><a href="{base}index.html">{escape(unit)} 创建档案</a>
<a href="{base}catalog.html">卷内目录</a>
<input id="search-box" type="search" placeholder="检索：主题、活动、单位、日期……" autocomplete="off">
</header>
<main><ul id="search-results"></ul>
{body}
</main>
<script src="{base}assets/search-index.js"></script>
<script src="{base}assets/search.js"></script>
</body></html>
"""


def status_cell(gap: IndicatorGap | None) -> str:
    if gap is None:
        return '<td class="muted">—</td>'
    text = f"{STATUS_MARKS[gap.status]} {STATUS_LABELS[gap.status]}"
    if gap.leaves_due and not gap.is_leaf:
        text += f"（{percent(gap.coverage)}）"
    return f'<td class="{gap.status}">{escape(text)}</td>'


def index_body(catalogue: Catalogue, rows: list[tuple[str, str, int]],
               gaps: dict[str, dict[str, IndicatorGap]], counts: dict[str, int]) -> str:
    """The tree: one row per indicator, its status (and coverage) in each year, its files."""
    years = list(catalogue.years)
    head = "".join(f"<th>{escape(y or '状态')}</th>" for y in years)
    out = [f"<h1>{escape(catalogue.unit)} 文明单位创建档案</h1>",
           f"<p class=\"muted\">{escape(years_label(years) or '')}"
           f" 共 {sum(len(v.entries) for v in catalogue.volumes)} 个文件。"
           "点击指标查看要求、照片和文件。</p>",
           f"<table><tr><th>指标</th>{head}<th>文件</th></tr>"]
    for ind_id, name, level in rows:
        cells = "".join(status_cell(gaps[y].get(ind_id)) for y in years)
        pad = "&nbsp;" * 4 * (level - 1)
        out.append(f'<tr class="level-{level}"><td>{pad}<a href="{href(page_name(ind_id))}">'
                   f"{escape(ind_id)} {escape(name)}</a></td>{cells}"
                   f"<td>{counts.get(ind_id, 0)}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def _requirements(gap: IndicatorGap) -> str:
    out = []
    for heading, rules in rules_by_requirement(gap):
        out.append(f"<li>{escape(heading)}<ul>" if heading else "<li><ul>")
        for rule in rules:
            periods = "".join(f'<span class="period {p.status}">{escape(period_token(p, rule))}'
                              "</span>" for p in rule.periods)
            out.append(f"<li>{escape(rule.text)}：{periods}</li>")
        out.append("</ul></li>")
    return "<ul>" + "".join(out) + "</ul>" if out else '<p class="muted">无需提交材料。</p>'


def file_card(entry: Entry, link: str, thumb: str | None, base: str) -> str:
    picture = (f'<img src="{base}{href(thumb)}" alt="{escape(entry.title, quote=True)}" '
               'loading="lazy">' if thumb else
               f'<div class="kind">{escape(entry.ext.lstrip(".").upper() or "文件")}</div>')
    caption = escape(entry.caption.text) if entry.caption else ""
    state = "complete" if entry.counted else "missing"
    return (f'<div class="file"><a href="{base}{href(link)}">{picture}</a>'
            f'<div class="name"><a href="{base}{href(link)}">{escape(entry.name)}</a></div>'
            f'<div class="meta">{escape(entry.date_text() or "日期不明")} · '
            f"{escape(entry.kind_label)} · {escape(entry.responsible)}</div>"
            + (f'<div class="meta">{caption}</div>' if caption else "")
            + f'<div class="{state}">{escape(entry.remark())}</div></div>')


def indicator_body(ind_id: str, name: str, parents: list[tuple[str, str]],
                   gaps: dict[str, IndicatorGap | None], children: list[tuple[str, str]],
                   cards: list[tuple[str, list[str]]]) -> str:
    """An indicator: the way up, its owners, per year its status and requirements, the
    indicators below it, its files (cards grouped per year)."""
    crumbs = " / ".join(f'<a href="../{href(page_name(pid))}">{escape(pid)} {escape(pname)}</a>'
                        for pid, pname in parents)
    out = [f"<p>{crumbs}</p>" if crumbs else "", f"<h1>{escape(ind_id)} {escape(name)}</h1>"]
    for year, gap in gaps.items():
        if gap is None:
            continue
        label = f"{year} " if year else ""
        out.append(f"<h2>{escape(label)}要求与完成情况 "
                   f'<span class="{gap.status}">{escape(STATUS_LABELS[gap.status])}</span></h2>')
        if gap.owners:
            out.append(f"<p>责任人：{escape('、'.join(gap.owners))}</p>")
        if gap.is_leaf:
            out.append(_requirements(gap))
    if children:
        out.append("<h2>下级指标</h2><ul>" + "".join(
            f'<li><a href="../{href(page_name(cid))}">{escape(cid)} {escape(cname)}</a></li>'
            for cid, cname in children) + "</ul>")
    for year, items in cards:
        out.append(f"<h2>{escape(year + ' ' if year else '')}材料（{len(items)}）</h2>")
        out.append('<div class="files">' + "".join(items) + "</div>")
    return "\n".join(part for part in out if part)


def catalog_body(catalogue: Catalogue, links: dict[tuple[str, str], str]) -> str:
    out = ["<h1>卷内目录</h1>"]
    for volume in catalogue.volumes:
        out.append(_volume_table(volume, links))
    return "\n".join(out)


def _volume_table(volume: Volume, links: dict[tuple[str, str], str]) -> str:
    title = volume.title or "未归入指标的文件"
    link = (f'<a href="{href(page_name(volume.indicator))}">{escape(title)}</a>'
            if volume.indicator else escape(title))
    rows = [f'<h2>{link}</h2><table class="catalog"><tr><th>序号</th><th>年度</th><th>题名</th>'
            "<th>日期</th><th>责任者</th><th>类型</th><th>备注</th></tr>"]
    for e in volume.entries:
        rows.append(f'<tr><td class="nowrap">{e.no}</td><td class="nowrap">{escape(e.year)}</td>'
                    f'<td><a href="{href(links[(e.year, e.path)])}">{escape(e.name)}</a></td>'
                    f'<td class="nowrap">{escape(e.date_text())}</td>'
                    f"<td>{escape(e.responsible)}</td>"
                    f'<td class="nowrap">{escape(e.kind_label)}</td>'
                    f"<td>{escape(e.remark())}</td></tr>")
    rows.append("</table>")
    return "".join(rows)
