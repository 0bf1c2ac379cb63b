"""The filters of a search: kind, date range, organizer, indicator (with its descendants), from
the command's options or from ``kind:`` … written in the query (see :mod:`.query`)."""
from __future__ import annotations

import re
from datetime import date

from whoosh import query as Q

from ..errors import UsageError
from indicator_tree.kinds import FILE_KINDS, FILE_LABELS
from . import analysis
from .schema import day_number

KIND_WORDS = {"照片": "photo", "图片": "photo", "相片": "photo"}
_DATE_RE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$")

#: ``name:value`` in a query that is a filter (each as the option of the same name)
FILTER_FIELDS = frozenset({"kind", "indicator", "from", "to"})
#: the filters that ``-name:value`` can exclude
NEGATABLE = frozenset({"kind", "indicator"})


def parse_day(value, *, end: bool = False) -> date:
    """A date bound from a date or text: 2023, 2023-06, 2023-06-05, 2023年6月5日 …"""
    if isinstance(value, date):
        return value
    text = analysis.fold(str(value)).strip().replace(" ", "")
    match = _DATE_RE.match(text)
    try:
        if not match:
            raise ValueError
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            if not end:
                return date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(year, month, day)
    except ValueError:
        raise UsageError(f"无法识别的日期：{value}",
                         hint="写成 2023-06-05、2023-06 或 2023（年份）。") from None


def kind_value(value: str) -> str:
    """A kind from its key (photo) or its label (照片)."""
    text = analysis.fold(value).strip()
    if text in FILE_KINDS:
        return text
    for key, label in FILE_LABELS.items():
        if text == label or text in label.split("/"):
            return key
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    choices = "、".join(f"{k}（{v}）" for k, v in FILE_LABELS.items())
    raise UsageError(f"未知的材料类型：{value}", hint=f"可选：{choices}。")


def date_filter(start: date | None, end: date | None):
    if start and end and end < start:
        raise UsageError(f"结束日期 {end} 早于开始日期 {start}",
                         hint="交换 --from 和 --to（或查询中的 from: 和 to:）。")
    return Q.NumericRange("day", day_number(start) if start else None,
                          day_number(end) if end else None)


def organizer_filter(value: str):
    pairs = [t for t, *_ in analysis.bigram_tokens(value, query=True)]
    if not pairs:
        raise UsageError(f"主办单位筛选条件为空：{value!r}", hint="例如 --organizer 宣传部")
    if len(pairs) == 1:
        return Q.Term("organizer", pairs[0])
    return Q.And([Q.Term("organizer", t) for t in dict.fromkeys(pairs)])


def indicator_filter(tree, value: str):
    from indicator_tree import normalize_id

    ind_id = normalize_id(value).strip()
    if tree is not None and tree.get(ind_id) is None:
        upper = ind_id.upper()
        if tree.get(upper) is None:
            raise UsageError(f"指标体系中没有编号为 {value} 的指标",
                             hint="用 archive-tool tree show .archive/tree.yaml 查看指标编号。")
        ind_id = upper
    return Q.Term("indicators", ind_id)


def build_filters(tree, items) -> tuple[list, list]:
    """The Whoosh filters of a search, from the command's options and the query's ``name:value``
    words alike: ``items`` are (name, value, negated) with a name of FILTER_FIELDS or
    ``organizer``. Returns (filters every hit must pass, masks no hit may match); the date
    bounds, wherever written, become one range (UsageError when it ends before it starts)."""
    filters, masks = [], []
    start = end = None
    for name, value, negated in items:
        if name == "from":
            day = parse_day(value)
            start = max(start, day) if start else day
        elif name == "to":
            day = parse_day(value, end=True)
            end = min(end, day) if end else day
        elif name == "kind":
            (masks if negated else filters).append(Q.Term("kind", kind_value(value)))
        elif name == "indicator":
            (masks if negated else filters).append(indicator_filter(tree, value))
        elif name == "organizer":
            filters.append(organizer_filter(value))
        else:
            raise ValueError(name)
    if start or end:
        filters.append(date_filter(start, end))
    return filters, masks
