"""A caption's three parts: 活动时间, 主办单位, 活动主题.

Labelled captions ("时间：2018年3月5日；主办单位：临沂市环境保护局；主题：学雷锋志愿服务") are split
at their labels; whatever is not labelled ("2020年6月5日 舟山市生态环境局 六五环境日主题宣传") is
read as free text: the first date is the time, a known organizer name (the archive's units and
offices) or else a token ending like an organization (…局, …委, …办公室, …社区) is the organizer,
and what remains is the theme. Values come back exactly as typed (full-width forms kept).

A caption is a few hundred characters; only the first :data:`MAX_CAPTION` of a longer text are
read (the work grows faster than the length), and the Caption says so (``cut_from``, rule
CAPTION_TOO_LONG).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterable

from ..evidence import Caption
from .dates import date_spans, fold, format_date, in_window, month_day_spans, original_span

_LABELS = {
    "time": ("活动时间", "活动日期", "拍摄时间", "拍摄日期", "时间", "日期"),
    "organizer": ("主办单位", "主办方", "主办", "举办单位", "举办方"),
    "organizer2": ("承办单位", "承办方", "承办", "组织单位", "组织者", "协办单位", "协办", "单位"),
    "theme": ("活动主题", "活动内容", "活动名称", "主题", "内容", "活动", "事由"),
    "other": ("活动地点", "地点", "地址", "参加人员", "参与人员", "参会人员", "人员", "人数",
              "摄影者", "摄影", "拍摄人", "拍摄", "作者", "备注"),
    # a label that only announces the caption: its value is read as free text
    "free": ("图片说明", "照片说明", "说明", "图注", "题注"),
}
_ROLE = {label: role for role, labels in _LABELS.items() for label in labels}
_LABEL_RE = re.compile("(" + "|".join(sorted(_ROLE, key=len, reverse=True)) + r")\s*:\s*")

#: endings of organization names (folded: simplified, NFKC)
_SUFFIXES = ("局", "委", "办", "中心", "科", "处", "室", "队", "站", "所", "院", "校", "馆", "会",
             "部", "公司", "支部", "党委", "工会", "团委", "政府", "街道", "社区", "村", "中学",
             "小学", "大学", "幼儿园", "集团", "银行", "分行", "支行", "人大", "政协", "妇联")
#: "会" ends an organization only in these words (座谈会, 运动会 … are events)
_HUI_ORGS = ("工会", "委员会", "委会", "协会", "学会", "商会", "联合会", "红十字会", "基金会",
             "理事会", "研究会", "促进会", "总会", "分会", "联谊会")
#: words that end with a suffix but are not organizations
_NOT_ORGS = ("格局", "大局", "开局", "布局", "结局", "当局", "全局", "会议室", "阅览室", "活动室",
             "图书室", "教室", "荣誉室", "展室", "陈列室", "展示室", "场所", "厕所", "住所", "处所",
             "乡村", "农村", "山村", "全部", "内部", "局部", "东部", "西部", "南部", "北部", "中部",
             "干部", "外部", "学科", "本科", "专科", "文科", "理科", "百科", "好处", "到处", "各处",
             "住处", "深处", "之处", "排队", "站队", "归队", "入队", "举办", "承办", "主办", "协办",
             "创办", "开办", "督办", "交办", "催办", "合办", "联办", "筹办", "兴办", "查办", "庭院",
             "大院", "返校", "离校", "全校", "到校", "在校", "进校", "车站")
#: an organizer candidate containing one of these is a sentence, not a name
_ACTIONS = re.compile("开展|举办|举行|召开|参加|参与|进行|走进|走访|深入|前往|慰问|看望|参观|打扫|清扫|"
                      "清理|整治|邀请|带领|组织开展|共同|联合|携手|[在到赴]|"
                      "进(?:社区|校园|学校|农村|乡村|企业|机关|家庭|万家|基层|医院|军营|景区|工地|园区)")
#: a next part starting with these joins two names or starts a sentence
_JOINERS = ("和", "与", "及", "同", "为", "对", "向", "于", "、")
#: pieces of free text that are not a theme on their own
_FILLER = re.compile(r"^(?:由|于|在|主办|承办|协办|举办|组织|联合|共同|的|" +
                     "|".join(sorted(_ROLE, key=len, reverse=True)) + r")+$")

#: the characters of a caption that are read (a real one is a few hundred)
MAX_CAPTION = 2000

_TOKEN = re.compile(r"[^\s\x00;,、。.!?:]+")
_STRIP = " \t\r\n\x00\u3000;；,，、。．.:：!！?？\"'“”‘’-—_~·"
_MASK = "\x00"


def _is_org_end(name: str) -> bool:
    if len(name) < 3 or name.endswith(_NOT_ORGS):
        return False
    if name.endswith("会"):
        return name.endswith(_HUI_ORGS)
    return name.endswith(_SUFFIXES)


def _org_prefix(token: str) -> int:
    """The length of the organization name starting ``token`` (0 when there is none).

    The first name-like prefix is taken and extended over following parts that continue the name
    (中共临沂市委 + 宣传部, 临沂市人民政府 + 办 + 公室) but not over a verb or a joiner.
    """
    ends = [i for i in range(3, len(token) + 1) if _is_org_end(token[:i])]
    best = 0
    for end in ends:
        if not best:
            if _ACTIONS.search(token[:end]):
                return 0
            best = end
            continue
        part = token[best:end]
        if len(part) > 8 or part.startswith(_JOINERS) or _ACTIONS.search(part):
            break
        best = end
    return best


def _find_organizer(folded: str, organizers: Iterable[str]) -> tuple[int, int, str | None]:
    """(start, end, canonical name or None) of the organizer in masked folded text; (0, 0, None)
    when there is none. Known names win over the suffix heuristic."""
    known = []
    for name in organizers:
        key = fold(name.strip())[0]
        if key:
            pos = folded.find(key)
            if pos >= 0:
                known.append((pos, -len(key), name.strip()))
    if known:
        pos, neg_len, name = min(known)
        return pos, pos - neg_len, name
    for match in _TOKEN.finditer(folded):
        token, start = match.group(), match.start()
        lead = len(token) - len(token.lstrip("由"))
        length = _org_prefix(token[lead:])
        if length:
            return start + lead, start + lead + length, None
    return 0, 0, None


_ROLE_WORD = re.compile(r"\s*(?:联合|共同)?(?:主办|承办|协办|举办)的?")


def _name_end(folded: str, start: int, end: int) -> int:
    """Close a bracket the name opened: 临沂市环保局（办公室）."""
    name = folded[start:end]
    if name.count("(") > name.count(")") and folded[end:end + 1] == ")":
        return end + 1
    return end


def _role_words(folded: str, start: int, end: int) -> tuple[int, int]:
    """The span of the name with "由" before and "主办"/"承办" after it (not theme material)."""
    if start > 0 and folded[start - 1] == "由":
        start -= 1
    match = _ROLE_WORD.match(folded, end)
    return start, match.end() if match else end


def _clean(value: str) -> str:
    return value.strip(_STRIP)


class _Reading:
    """One caption being read: its folded text, and a mask hiding what was taken so far (the
    labels, the time, the organizer), so that what is left is the theme."""

    def __init__(self, text: str, window: tuple[date, date] | None):
        self.text, self.window = text, window
        self.folded, self.index = fold(text)
        self.mask = list(self.folded)
        self.when: date | None = None
        self.time_text = ""
        self.found: dict[str, str] = {}

    def span(self, start: int, end: int) -> str:
        return _clean(original_span(self.index, self.text, start, end))

    def hide(self, start: int, end: int) -> None:
        self.mask[start:end] = _MASK * (end - start)

    @property
    def left(self) -> str:
        return "".join(self.mask)

    def labelled(self) -> None:
        """The labelled parts: 时间：…；主办单位：…；主题：…"""
        folded = self.folded
        labels = [(m.start(), m.end(), _ROLE[m.group(1)]) for m in _LABEL_RE.finditer(folded)]
        for i, (start, value_start, role) in enumerate(labels):
            value_end = labels[i + 1][0] if i + 1 < len(labels) else len(folded)
            self.hide(start, value_start)
            if role == "time":
                if not self.time_text:
                    self.labelled_time(value_start, value_end)
            elif role != "free":
                value = self.span(value_start, value_end)
                if value and role not in self.found:
                    self.found[role] = value
                self.hide(value_start, value_end)

    def labelled_time(self, value_start: int, value_end: int) -> None:
        dates = date_spans(self.folded[value_start:value_end])
        short = [] if dates else month_day_spans(self.folded[value_start:value_end])
        if dates:
            d_start, d_end, self.when = dates[0]
        elif short:
            d_start, d_end, month, day = short[0]
            self.when = in_window(month, day, self.window)
        else:
            d_start, d_end = 0, value_end - value_start
        self.time_text = self.span(value_start + d_start, value_start + d_end)
        self.hide(value_start + d_start, value_start + d_end)

    def loose_time(self) -> None:
        """A date written anywhere, when no label gave one (a month and day: in the window)."""
        for d_start, d_end, value in date_spans(self.left)[:1]:
            self.when, self.time_text = value, self.span(d_start, d_end)
            self.hide(d_start, d_end)
        if self.when is not None:
            return  # a month alone (2018年3月) leaves the time open to a month and day
        for d_start, d_end, month, day in month_day_spans(self.left)[:1]:
            self.when = in_window(month, day, self.window)
            self.time_text = self.span(d_start, d_end)
            self.hide(d_start, d_end)

    def organizer(self, organizers: Iterable[str]) -> str:
        organizer = self.found.get("organizer") or self.found.get("organizer2") or ""
        if not organizer:
            o_start, o_end, name = _find_organizer(self.left, organizers)
            if o_end:
                o_end = _name_end(self.folded, o_start, o_end)
                organizer = name or self.span(o_start, o_end)
                self.hide(*_role_words(self.folded, o_start, o_end))
        return organizer

    def theme(self) -> str:
        theme = self.found.get("theme", "")
        if not theme:
            pieces = []
            for match in re.finditer(f"[^{_MASK}]+", self.left):
                piece = self.span(*match.span())
                if piece and not _FILLER.match(fold(piece)[0]):
                    pieces.append(piece)
            theme = "，".join(pieces)
        return theme


def parse_caption(text: str, organizers: Iterable[str] = (), source: str = "",
                  window: tuple[date, date] | None = None, length: int | None = None
                  ) -> Caption:
    """Split ``text`` into time, organizer and theme (see the module docstring).

    ``organizers`` are names known to the archive (config units, the tree's owners and offices);
    the first of them found in the text is the organizer, spelled as in the list. A date written
    without its year (3月5日) takes the year that puts it inside the assessment ``window``
    (start, end); without a window, or when several years would, the time stays unknown, but
    3月5日 is the time text all the same, never part of the theme.

    Only the first :data:`MAX_CAPTION` characters are read; ``length`` is the length of the
    caption as found when the caller already cut it (a reader keeps no more than that).
    """
    text = text.strip()
    length = max(length or 0, len(text))
    cut_from = length if length > MAX_CAPTION else None
    reading = _Reading(text[:MAX_CAPTION], window)
    reading.labelled()
    if reading.when is None:
        reading.loose_time()
    organizer = reading.organizer(organizers)
    return Caption(text=reading.text, source=source, time=reading.when,
                   time_text=reading.time_text, organizer=organizer, theme=reading.theme(),
                   cut_from=cut_from)


def format_caption(when: date, organizer: str, theme: str) -> str:
    """The canonical caption: 活动时间：2018年3月5日；主办单位：…；活动主题：…"""
    return f"活动时间：{format_date(when)}；主办单位：{organizer}；活动主题：{theme}"
