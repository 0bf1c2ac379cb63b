"""Queries: the user's text -> a Whoosh query, and the filters.

The syntax is small on purpose: words separated by spaces must all match; ``"…"`` (also
“…”, 「…」) is a phrase matched as written; ``OR`` between two words accepts either; ``-词`` or
``NOT 词`` excludes. A run of Chinese without spaces is cut into words (jieba with its HMM, so
an unknown name stays whole, and a lone character joins its neighbour); each word must match
in one field: the text (its tile shingles, see :mod:`.analysis`) or the title, caption or
organizer (its character pairs). Documents holding the run as typed rank higher; a quoted
phrase also checks positions. Filler words (的, 关于 …) are dropped. In natural-language
queries, 去年/今年/前年 become a date filter and 照片/图片/相片 a kind filter when no such
filter was given; if that finds nothing, the filters are dropped again (see :class:`Plan`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from whoosh import query as Q

from ..errors import UsageError
from ..evidence import EVIDENCE_KINDS, KIND_LABELS
from . import analysis
from .schema import BIGRAM_FIELDS, WORD_FIELDS, day_number

STOPWORDS = frozenset(
    "的 地 得 了 着 和 与 及 或 在 是 之 等 有关 关于 相关 一些 所有 全部 这个 那个 哪些 "
    "找 查找 搜索 查 查询 检索 请 帮 帮我 我 我们 给 一下 一张 一份 那张 那份".split())
KIND_WORDS = {"照片": "photo", "图片": "photo", "相片": "photo"}
RELATIVE_YEARS = {"今年": 0, "去年": 1, "前年": 2}
#: words the parser reads itself: never glued to a neighbouring character
KEEP_APART = STOPWORDS | frozenset(KIND_WORDS) | frozenset(RELATIVE_YEARS)
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                         "＂": '"'})
_DATE_RE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?年?$")


@dataclass
class Atom:
    """One thing to match: the words of an unquoted run, or a quoted phrase."""

    text: str
    words: list[str]
    phrase: bool = False
    negated: bool = False


@dataclass
class Plan:
    """The parsed query: groups (all must match) of alternatives (one must match)."""

    groups: list[list[Atom]] = field(default_factory=list)
    excluded: list[Atom] = field(default_factory=list)
    #: filters taken from the words: kind, (date_from, date_to)
    kind: str | None = None
    dates: tuple[date, date] | None = None
    #: the words they were taken from, and what they became (for the user)
    interpreted: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def highlights(self) -> list[str]:
        """Folded strings to mark in snippets: words and phrases, longest first."""
        out: dict[str, None] = {}
        for group in self.groups:
            for atom in group:
                if atom.phrase:
                    candidates = [atom.text]
                else:  # the run as typed (less what was dropped), then its longer words
                    long_words = [w for w in atom.words if len(w) > 1] or atom.words
                    candidates = ["".join(atom.words)] + long_words
                for word in candidates:
                    word = analysis.fold(word).strip()
                    if word:
                        out.setdefault(word, None)
        return sorted(out, key=len, reverse=True)

    @property
    def empty(self) -> bool:
        return not self.groups


# ---- parsing --------------------------------------------------------------------------------
def _items(text: str) -> list[tuple[str, str]]:
    """("phrase"|"word"|"or"|"not", text) items; raises UsageError for an open quote."""
    items: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
            ch = text[i]
        if ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise UsageError(f"查询中的引号不配对：{text}",
                                 hint='短语要用一对引号括起来，例如 "领导小组成员"。')
            kind, value, i = "phrase", text[i + 1:end], end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            kind, value, i = "word", text[i:j], j
            if value == "OR" and not negated:
                kind = "or"
            elif value == "NOT" and not negated:
                kind = "not"
        if negated:
            items.append(("not", "-"))
        items.append((kind, value))
    return items


def _atom(kind: str, value: str) -> Atom:
    if kind == "phrase":
        return Atom(value, [value] if analysis.fold(value).strip() else [], phrase=True)
    return Atom(value, analysis.query_words(value, KEEP_APART))


def parse(text: str, *, today: date | None = None, interpret: bool = True,
          kind_given: bool = False, dates_given: bool = False) -> Plan:
    """Parse the user's query. UsageError for a malformed one (open quote, dangling OR/NOT)."""
    text = (text or "").translate(_QUOTES).strip()
    plan = Plan()
    items = _items(text)
    pending_or = False
    negate = False
    for position, (kind, value) in enumerate(items):
        if kind == "or":
            if not plan.groups or pending_or or negate or position == len(items) - 1:
                raise UsageError(f"查询中的 OR 两边都要有检索词：{text}",
                                 hint="例如：学雷锋 OR 志愿服务")
            pending_or = True
            continue
        if kind == "not":
            if negate or position == len(items) - 1:
                raise UsageError(f"查询中的 NOT（或 -）后面要跟一个检索词：{text}",
                                 hint="例如：领导小组 -调整")
            negate = True
            continue
        atom = _atom(kind, value)
        if negate:
            if pending_or:
                raise UsageError(f"排除的词不能用 OR 连接：{text}", hint="例如：领导小组 -调整")
            atom.negated = True
            plan.excluded.append(atom)
            negate = False
        elif pending_or:
            plan.groups[-1].append(atom)
            pending_or = False
        else:
            plan.groups.append([atom])
    if interpret:
        _interpret(plan, today or date.today(), kind_given, dates_given)
    _drop_stopwords(plan)
    plan.groups = [[a for a in g if a.words] for g in plan.groups]
    plan.groups = [g for g in plan.groups if g]
    plan.excluded = [a for a in plan.excluded if a.words]
    return plan


def _plain_atoms(plan: Plan):
    for group in plan.groups:
        if len(group) == 1 and not group[0].phrase:
            yield group[0]


def _remaining(plan: Plan, without: set[tuple[int, int]]) -> int:
    return sum(1 for g in plan.groups for a in g for i, w in enumerate(a.words)
               if (id(a), i) not in without and w not in STOPWORDS)


def _interpret(plan: Plan, today: date, kind_given: bool, dates_given: bool) -> None:
    """Relative years and photo words of plain runs become filters (去年的照片: every photo of
    last year). Not in phrases, nor when a filter of that sort was given."""
    taken: set[tuple[int, int]] = set()
    kind = dates = None
    notes: list[str] = []
    for atom in _plain_atoms(plan):
        for i, word in enumerate(atom.words):
            if word in KIND_WORDS and not kind_given and kind is None:
                kind = KIND_WORDS[word]
                taken.add((id(atom), i))
                notes.append(f"「{word}」理解为类型：{KIND_LABELS[kind]}")
            elif word in RELATIVE_YEARS and not dates_given and dates is None:
                year = today.year - RELATIVE_YEARS[word]
                dates = (date(year, 1, 1), date(year, 12, 31))
                taken.add((id(atom), i))
                notes.append(f"「{word}」理解为日期：{year} 年")
    if not taken:
        return
    for atom in _plain_atoms(plan):
        kept = [w for i, w in enumerate(atom.words) if (id(atom), i) not in taken]
        plan.dropped.extend(w for i, w in enumerate(atom.words) if (id(atom), i) in taken)
        atom.words = kept
    plan.kind, plan.dates, plan.interpreted = kind, dates, notes


def _drop_stopwords(plan: Plan) -> None:
    if _remaining(plan, set()) == 0 and not (plan.kind or plan.dates):
        return
    for group in plan.groups:
        for atom in group:
            if not atom.phrase:
                atom.words = [w for w in atom.words if w not in STOPWORDS]


# ---- building Whoosh queries ----------------------------------------------------------------
def _seq(fieldname: str, tokens: list[str], boost: float, exact: bool = False):
    """All ``tokens`` in the field: a Term for one, a Phrase when ``exact``, else an And (the
    tokens overlap, so documents holding them all almost always hold the sequence)."""
    if not tokens:
        return None
    if len(tokens) == 1:
        return Q.Term(fieldname, tokens[0], boost=boost)
    if exact:
        return Q.Phrase(fieldname, tokens, boost=boost)
    return Q.And([Q.Term(fieldname, t) for t in dict.fromkeys(tokens)], boost=boost)


def _cover(tokens: list[str]) -> list[str]:
    """Every other one of a chain of overlapping pairs, and the last: enough to cover the text
    (六五 环境 境日 → 六五 境日), and fewer postings to intersect."""
    if len(tokens) < 3:
        return tokens
    kept = tokens[::2]
    if (len(tokens) - 1) % 2:
        kept.append(tokens[-1])
    return kept


def _tiles(text: str) -> list[str]:
    return [t for t, *_ in analysis.word_tokens(text, query=True)]


def word_query(text: str, exact: bool = False):
    """A word or phrase anywhere: its tile pairs (shingles) in the word fields, its character
    pairs in the short fields. ``exact`` (a quoted phrase) also checks their positions."""
    grams = analysis.shingles(_tiles(text))
    pairs = [t for t, *_ in analysis.bigram_tokens(text, query=True)]
    if not exact:
        grams, pairs = _cover(grams), _cover(pairs)
    parts = [_seq(name, grams, boost, exact) for name, boost in WORD_FIELDS.items()]
    parts += [_seq(name, pairs, boost, exact) for name, boost in BIGRAM_FIELDS.items()]
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.Or(parts)


def _atom_query(atom: Atom):
    if atom.phrase:
        return word_query(atom.text, exact=True)
    words = [(w, word_query(w)) for w in atom.words]
    words = [(w, q) for w, q in words if q is not None]
    if not words:
        return None
    if len(words) == 1:
        return words[0][1]
    required = Q.And([q for _, q in words])
    # documents where the words follow each other, as typed, rank first: the shingle joining
    # one word's last tile to the next word's first, the pair across the join in short fields
    bonus = []
    for (left, _), (right, _) in zip(words, words[1:]):
        a, b = _tiles(left), _tiles(right)
        if a and b:
            bonus += [Q.Term(name, a[-1] + b[0], boost=w) for name, w in WORD_FIELDS.items()]
        left, right = analysis.fold(left), analysis.fold(right)
        if left and right and analysis.is_cjk(left[-1]) and analysis.is_cjk(right[0]):
            bonus += [Q.Term(name, left[-1] + right[0], boost=w)
                      for name, w in BIGRAM_FIELDS.items()]
    return Q.AndMaybe(required, Q.Or(bonus)) if bonus else required


def build(plan: Plan):
    """The Whoosh query of a plan (Every() when only filters were given)."""
    groups = []
    for group in plan.groups:
        alternatives = [q for q in (_atom_query(a) for a in group) if q is not None]
        if alternatives:
            groups.append(alternatives[0] if len(alternatives) == 1 else Q.Or(alternatives))
    positive = Q.Every() if not groups else groups[0] if len(groups) == 1 else Q.And(groups)
    excluded = [q for q in (_atom_query(a) for a in plan.excluded) if q is not None]
    if excluded:
        return Q.AndNot(positive, excluded[0] if len(excluded) == 1 else Q.Or(excluded))
    return positive


# ---- filters --------------------------------------------------------------------------------
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
    if text in EVIDENCE_KINDS:
        return text
    for key, label in KIND_LABELS.items():
        if text == label or text in label.split("/"):
            return key
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    choices = "、".join(f"{k}（{v}）" for k, v in KIND_LABELS.items())
    raise UsageError(f"未知的材料类型：{value}", hint=f"可选：{choices}。")


def date_filter(start: date | None, end: date | None):
    if start and end and end < start:
        raise UsageError(f"结束日期 {end} 早于开始日期 {start}", hint="交换 --from 和 --to。")
    return Q.NumericRange("day", day_number(start) if start else None,
                          day_number(end) if end else None)


def organizer_filter(value: str):
    pairs = [t for t, *_ in analysis.bigram_tokens(value, query=True)]
    if not pairs:
        raise UsageError(f"主办单位筛选条件为空：{value!r}", hint="例如 --organizer 宣传部")
    return _seq("organizer", pairs, 1.0)


def indicator_filter(tree, value: str):
    from indicator_tree import normalize_id

    ind_id = normalize_id(value).strip()
    if tree is not None and tree.get(ind_id) is None:
        upper = ind_id.upper()
        if tree.get(upper) is None:
            raise UsageError(f"指标体系中没有编号为 {value} 的指标",
                             hint="用 archive-tool tree show .archive/tree.yaml 查看指标编号。")
        ind_id = upper
    return Q.Term("indicators", ind_id), ind_id
