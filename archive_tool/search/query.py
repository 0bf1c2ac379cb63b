"""Queries: the user's text -> a Whoosh query, and the filters it names (which
:mod:`.filters` builds).

The syntax is small on purpose: words separated by spaces must all match (``AND``, ``and``,
``&&`` between them change nothing); ``"…"`` (also “…”, 「…」) is a phrase matched as written;
``OR`` (or ``||``) between two words accepts either; ``-词`` or ``NOT 词`` excludes. A word
``title:…``, ``caption:…``, ``content:…`` or ``organizer:…`` is searched in that field only;
``kind:…``, ``indicator:…``, ``from:…``, ``to:…`` are the filters of the options of the same
name (``-kind:photo`` excludes); any other ``name:`` is refused with the list. The query is
NFKC-folded first, so full-width operators (－调整, ＯＲ, ｋｉｎｄ：) work as their ASCII forms.
A run of Chinese without spaces is cut into words (jieba with its HMM, so
an unknown name stays whole, and a lone character joins its neighbour); each word must match
in one field: the text (its tile shingles, see :mod:`.analysis`) or the title, caption or
organizer (its character pairs). Documents holding the run as typed rank higher; a quoted
phrase also checks positions. Filler words (的, 关于 …) are dropped. In natural-language
queries, 去年/今年/前年 become a date filter and 照片/图片/相片 a kind filter; if that finds
nothing, the filters are dropped again (see :class:`Plan`). When such a filter was given, the
word is dropped all the same (``六五环境日的照片 --kind photo``), without adding a filter.

The excluded words are not a Whoosh ``AndNot`` (its matcher skips exclusions on an index of more
than one segment): :func:`excluded` gives their query, and the searcher masks its documents.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from whoosh import query as Q

from ..errors import UsageError
from indicator_tree.kinds import FILE_LABELS
from . import analysis
from .filters import FILTER_FIELDS, KIND_WORDS, NEGATABLE
from .schema import BIGRAM_FIELDS, WORD_FIELDS

STOPWORDS = frozenset(
    "的 地 得 了 着 和 与 及 或 在 是 之 等 有关 关于 相关 一些 所有 全部 这个 那个 哪些 "
    "找 查找 搜索 查 查询 检索 请 帮 帮我 我 我们 给 一下 一张 一份 那张 那份".split())
RELATIVE_YEARS = {"今年": 0, "去年": 1, "前年": 2}
#: words the parser reads itself: never glued to a neighbouring character
KEEP_APART = STOPWORDS | frozenset(KIND_WORDS) | frozenset(RELATIVE_YEARS)
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"',
                         "＂": '"', "\u2212": "-"})
_AND, _OR = frozenset({"AND", "and", "&&"}), frozenset({"OR", "||"})
#: ``name:value`` searching one field, and the fields it searches
TEXT_FIELDS = {"title": ("title",), "caption": ("caption",), "content": ("content",),
               "text": ("content",), "organizer": ("organizer",)}
_FIELD_RE = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)
FIELD_HELP = ("可用：title:（标题）、caption:（照片说明）、content:（正文）、organizer:（主办单位）、"
              "kind:（类型）、indicator:（指标）、from:/to:（日期）；也可以用 --kind、--indicator、"
              "--from、--to、--organizer 选项")


@dataclass
class Atom:
    """One thing to match: the words of an unquoted run, or a quoted phrase."""

    text: str
    words: list[str]
    phrase: bool = False
    negated: bool = False
    #: the fields to search (``title:…``); None: all searchable fields
    fields: tuple[str, ...] | None = None


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
    #: filter words dropped because that filter was given explicitly (no filter added)
    ignored: list[str] = field(default_factory=list)
    #: ``kind:photo`` … written in the query: (name, value, negated)
    filters: list[tuple[str, str, bool]] = field(default_factory=list)

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
def _items(text: str) -> list[tuple[str, str, str | None]]:
    """("phrase"|"word"|"or"|"and"|"not", text, field name or None) items; raises UsageError
    for an open quote."""
    items: list[tuple[str, str, str | None]] = []
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
        name = None
        if ch != '"':
            j = i
            while j < n and not text[j].isspace() and text[j] != '"':
                j += 1
            kind, value, i = "word", text[i:j], j
            match = _FIELD_RE.match(value)
            if match and match.group(2).startswith("//"):
                match = None  # an address (http://www.gov.cn/…) is a word, not a field
            if match:
                name, value = match.group(1).lower(), match.group(2)
                if name not in TEXT_FIELDS and name not in FILTER_FIELDS:
                    raise UsageError(f"查询中有不认识的字段「{match.group(1)}:」：{text}",
                                     hint=FIELD_HELP + "。")
            if name is not None and not value and i < n and text[i] == '"':
                ch = '"'  # title:"领导 小组"
            elif name is not None and not value:
                raise UsageError(f"查询中的「{name}:」后面要跟检索词：{text}",
                                 hint=f"例如 {name}:{_FIELD_EXAMPLES.get(name, '领导小组')}")
            elif value in _OR and not negated and name is None:
                kind = "or"
            elif value in _AND and not negated and name is None:
                kind = "and"
            elif value == "NOT" and not negated and name is None:
                kind = "not"
        if ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise UsageError(f"查询中的引号不配对：{text}",
                                 hint='短语要用一对引号括起来，例如 "领导小组成员"。')
            kind, value, i = "phrase", text[i + 1:end], end + 1
        if negated:
            items.append(("not", "-", None))
        items.append((kind, value, name))
    return items


_FIELD_EXAMPLES = {"kind": "photo", "indicator": "I-2", "from": "2023", "to": "2023-12",
                   "organizer": "团委"}


def _atom(kind: str, value: str, name: str | None = None) -> Atom:
    fields = TEXT_FIELDS.get(name) if name else None
    if kind == "phrase":
        return Atom(value, [value] if analysis.fold(value).strip() else [], phrase=True,
                    fields=fields)
    return Atom(value, analysis.query_words(value, KEEP_APART), fields=fields)


def parse(text: str, *, today: date | None = None, interpret: bool = True,
          kind_given: bool = False, dates_given: bool = False) -> Plan:
    """Parse the user's query. UsageError for a malformed one (open quote, dangling OR/NOT,
    an unknown ``name:``)."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES).strip()
    plan = Plan()
    items = [item for item in _items(text) if item[0] != "and"]
    pending_or = False
    negate = False
    for position, (kind, value, name) in enumerate(items):
        if name in FILTER_FIELDS:
            if pending_or or (position + 1 < len(items) and items[position + 1][0] == "or"):
                raise UsageError(f"筛选条件 {name}: 不能用 OR 连接：{text}",
                                 hint=f"例如：领导小组 {name}:{_FIELD_EXAMPLES[name]}")
            if negate and name not in NEGATABLE:
                raise UsageError(f"日期条件 {name}: 不能排除：{text}",
                                 hint="用 from: 和 to: 写出要保留的日期范围。")
            plan.filters.append((name, value, negate))
            negate = False
            continue
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
        atom = _atom(kind, value, name)
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
        given = {name for name, _, negated in plan.filters if not negated}
        _interpret(plan, today or date.today(), kind_given or "kind" in given,
                   dates_given or bool(given & {"from", "to"}))
    _drop_stopwords(plan)
    plan.groups = [[a for a in g if a.words] for g in plan.groups]
    plan.groups = [g for g in plan.groups if g]
    plan.excluded = [a for a in plan.excluded if a.words]
    return plan


def _plain_atoms(plan: Plan):
    for group in plan.groups:
        if len(group) == 1 and not group[0].phrase and group[0].fields is None:
            yield group[0]


def _remaining(plan: Plan, without: set[tuple[int, int]]) -> int:
    return sum(1 for g in plan.groups for a in g for i, w in enumerate(a.words)
               if (id(a), i) not in without and w not in STOPWORDS)


def _interpret(plan: Plan, today: date, kind_given: bool, dates_given: bool) -> None:
    """Relative years and photo words of plain runs become filters (去年的照片: every photo of
    last year). Not in phrases or field words. When a filter of that sort was given, the word
    is dropped all the same, and no filter is added (the given one applies)."""
    taken: dict[tuple[int, int], bool] = {}  # -> True when it became a filter
    kind = dates = None
    seen_kind = seen_year = False
    notes: list[str] = []
    for atom in _plain_atoms(plan):
        for i, word in enumerate(atom.words):
            if word in KIND_WORDS and not seen_kind:
                seen_kind = True
                taken[(id(atom), i)] = not kind_given
                if kind_given:
                    notes.append(f"「{word}」不作为检索词（已指定类型）")
                else:
                    kind = KIND_WORDS[word]
                    notes.append(f"「{word}」理解为类型：{FILE_LABELS[kind]}")
            elif word in RELATIVE_YEARS and not seen_year:
                seen_year = True
                taken[(id(atom), i)] = not dates_given
                if dates_given:
                    notes.append(f"「{word}」不作为检索词（已指定日期范围）")
                else:
                    year = today.year - RELATIVE_YEARS[word]
                    dates = (date(year, 1, 1), date(year, 12, 31))
                    notes.append(f"「{word}」理解为日期：{year} 年")
    if not taken:
        return
    for atom in _plain_atoms(plan):
        kept = []
        for i, w in enumerate(atom.words):
            filtered = taken.get((id(atom), i))
            if filtered is None:
                kept.append(w)
            else:
                (plan.dropped if filtered else plan.ignored).append(w)
        atom.words = kept
    plan.kind, plan.dates, plan.interpreted = kind, dates, notes


def _drop_stopwords(plan: Plan) -> None:
    if _remaining(plan, set()) == 0 and not (plan.kind or plan.dates or plan.ignored
                                             or plan.filters):
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


def _fields(fields: dict[str, float], only: tuple[str, ...] | None) -> dict[str, float]:
    return fields if only is None else {k: v for k, v in fields.items() if k in only}


def word_query(text: str, exact: bool = False, fields: tuple[str, ...] | None = None):
    """A word or phrase anywhere (or in ``fields``): its tile pairs (shingles) in the word
    fields, its character pairs in the short fields. ``exact`` (a quoted phrase) also checks
    their positions."""
    grams = analysis.shingles(_tiles(text))
    pairs = [t for t, *_ in analysis.bigram_tokens(text, query=True)]
    if not exact:
        grams, pairs = _cover(grams), _cover(pairs)
    parts = [_seq(name, grams, boost, exact)
             for name, boost in _fields(WORD_FIELDS, fields).items()]
    parts += [_seq(name, pairs, boost, exact)
              for name, boost in _fields(BIGRAM_FIELDS, fields).items()]
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.Or(parts)


def _atom_query(atom: Atom):
    if atom.phrase:
        return word_query(atom.text, exact=True, fields=atom.fields)
    words = [(w, word_query(w, fields=atom.fields)) for w in atom.words]
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
            bonus += [Q.Term(name, a[-1] + b[0], boost=w)
                      for name, w in _fields(WORD_FIELDS, atom.fields).items()]
        left, right = analysis.fold(left), analysis.fold(right)
        if left and right and analysis.is_cjk(left[-1]) and analysis.is_cjk(right[0]):
            bonus += [Q.Term(name, left[-1] + right[0], boost=w)
                      for name, w in _fields(BIGRAM_FIELDS, atom.fields).items()]
    return Q.AndMaybe(required, Q.Or(bonus)) if bonus else required


def build(plan: Plan):
    """The Whoosh query of what a plan's documents must match (Every() when only filters were
    given); the excluded words are apart, in :func:`excluded`."""
    groups = []
    for group in plan.groups:
        alternatives = [q for q in (_atom_query(a) for a in group) if q is not None]
        if alternatives:
            groups.append(alternatives[0] if len(alternatives) == 1 else Q.Or(alternatives))
    return Q.Every() if not groups else groups[0] if len(groups) == 1 else Q.And(groups)


def excluded(plan: Plan):
    """The query of the documents the plan excludes (``-词``, ``NOT 词``), or None. The searcher
    masks them: never wrap it in a Whoosh AndNot, whose matcher lets excluded documents through
    once the index has more than one segment."""
    parts = [q for q in (_atom_query(a) for a in plan.excluded) if q is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.Or(parts)
