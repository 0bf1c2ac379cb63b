"""Requirement text -> rules: frequencies, materials, lengths and deadlines put together.

- A material takes the frequency before it in its sentence (每月组织一次集中学习，提供学习记录 ->
  1 record a month), or one in its own sub-clause (学习记录（每季度至少1次）), or the one of an
  earlier sentence of its item; standing documents (制度, 办法, 规划 …) never do. With 每次 /
  每场 between them the material is per occurrence (全年不少于6次，每次提供现场照片2张 -> 6
  activities a year, each with 2 photos). A frequency some material took asks nothing more; one
  no material took asks for that many files of any kind.
- Materials of the note (the table's 材料要求 / 注) replace the nouns the requirement text names
  without a count or a verb of handing in (建立…制度 in a 测评标准 is what the city does; the
  note says what to file).
- Within one item (①, ②, 1)…) a material named twice, or named without a count where a count
  of its kind is given, is asked once; different ones add up, and so do the same noun listed
  (公示制度、投诉接待制度 -> 2 documents) and items (③ 说明报告 … ④ 说明报告 -> 2 reports).
- Each rule takes the deadline of its own sub-clause, else the nearest of its sentence, else a
  deadline standing in a sentence that asks for nothing; several dates in one deadline phrase
  are per-period cut-offs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ..model import PERIODS, EvidenceRule
from .dates import Due, find_dues
from .frequency import Freq, find_frequencies
from .materials import Mention, find_mentions, find_words
from .nothing import NOTHING_RE
from .text import Layout, fold

_EACH_RE = re.compile(r"每(?:次|场|期|项活动|个活动|次活动|场活动)")
_STANDING = {"制度", "办法", "规划", "细则", "章程", "公约", "守则", "预案", "责任书", "承诺书"}


@dataclass
class _Ask:
    start: int
    end: int
    rule: EvidenceRule
    key: tuple | None = None  # (kind, noun) of a material named without a count


@dataclass(frozen=True)
class Parsed:
    rules: tuple[EvidenceRule, ...]
    #: the deadline standing alone ("……。6月底"), when it is one date
    general: date | None
    #: the text says the unit files nothing (实地查看, 部门评价 …)
    nothing: bool


def _frequency_of(m: Mention, freqs: list[Freq], mentions: list[Mention], lay: Layout
                  ) -> Freq | None:
    if m.noun in _STANDING:
        return None
    same_item = [f for f in freqs if lay.item(f.start) == lay.item(m.start)]
    start, end = lay.sentence_span(m.start)
    before = [f for f in same_item if start <= f.start < m.start]
    if before:
        return before[-1]
    after = [f for f in same_item if m.start < f.start < end and f.count]
    if after and not any(m.end <= other.start < after[0].start for other in mentions):
        return after[0]  # in its own sub-clause (学习记录（每季度至少1次）) or later: 简报，每季度1期
    if "年度" in lay.text[max(0, m.start - 6):m.start] and not any(f.period == "year" for f in same_item):
        return None  # 年度工作计划 is one a year, not one each quarter
    earlier = [f for f in same_item if f.start < start and f.count]
    return earlier[-1] if earlier else None


def _material_rule(m: Mention, f: Freq | None, each: bool, captioned: bool) -> EvidenceRule:
    kind = "report" if m.kind == "writing" else m.kind  # 总结, 报告: with or without a length
    caption = kind == "photo" or (kind == "clipping" and captioned)
    period, times = (f.period, f.count) if f else ("window", None)
    if m.period:  # 报送信息，每季度不少于2条: the count's own period
        period, times = m.period, None
    if each:
        return EvidenceRule(kind=kind, min_count=times or 1, period=period, words=m.words,
                            caption_required=caption, each=m.count or 1)
    return EvidenceRule(kind=kind, min_count=m.count or times or 1, period=period, words=m.words,
                        caption_required=caption)


def _attach_words(mentions: list[Mention], words: list, lay: Layout) -> list[Mention]:
    """Each length goes to the nearest report-like material of its sentence, or asks for a
    report of its own."""
    out = list(mentions)
    for start, end, span in words:
        sentence = lay.sentence(start)
        near = sorted((abs(m.start - start), m.start > start, i) for i, m in enumerate(out)
                      if m.kind in ("report", "writing") and not m.words
                      and lay.sentence(m.start) == sentence)
        if near:
            out[near[0][2]].words = span
        else:
            out.append(Mention(start, end, "字数", "report", None, span))
    return sorted(out, key=lambda m: m.start)


def _asks(text: str, lay: Layout) -> tuple[list[_Ask], bool]:
    nothing = {lay.sentence(m.start()) for m in NOTHING_RE.finditer(text)}
    freqs = [f for f in find_frequencies(text) if lay.sentence(f.start) not in nothing]
    mentions = find_mentions(text, lambda pos: lay.subclause_span(pos)[0])
    if any(lay.in_note(m.start) for m in mentions):
        mentions = [m for m in mentions if lay.in_note(m.start) or m.count or m.handed_in]
    mentions = _attach_words(mentions, find_words(text), lay)
    asks, taken = [], set()
    captioned = "注明" in text
    for m in mentions:
        f = _frequency_of(m, freqs, mentions, lay)
        low = f.end if f else lay.sentence_span(m.start)[0]
        each = m.each or bool(_EACH_RE.search(text, min(low, m.start), m.start))
        if f:
            taken.add(f)
        rule = _material_rule(m, f, each, captioned)
        asks.append(_Ask(m.start, m.end, rule, None if m.count else (rule.kind, m.noun)))
    for f in freqs:
        if f not in taken and f.count:
            asks.append(_Ask(f.start, f.end, EvidenceRule(kind="any", min_count=f.count,
                                                         period=f.period)))
    return sorted(asks, key=lambda a: a.start), bool(nothing)


def _once_per_item(asks: list[_Ask], lay: Layout) -> list[_Ask]:
    counted = {(lay.item(a.start), a.rule.kind) for a in asks if a.key is None}
    seen: dict[tuple, _Ask] = {}
    out = []
    for a in asks:
        if a.key is not None:
            where = (lay.item(a.start), a.key)
            prev = seen.get(where)
            if (lay.item(a.start), a.rule.kind) in counted or (prev and not _listed(prev, a, lay)):
                if prev and a.rule.words and not prev.rule.words:  # 说明报告 … 说明报告，400字左右
                    prev.rule = replace(prev.rule, words=a.rule.words)
                continue
            seen[where] = a
        out.append(a)
    return out


def _listed(prev: _Ask, ask: _Ask, lay: Layout) -> bool:
    """Two of one noun in a list (公示制度、投诉接待制度): two materials."""
    between = lay.text[prev.end:ask.start]
    return lay.subclause(prev.start) == lay.subclause(ask.start) and bool(re.search(r"[、和及与]", between))


def _due_of(a: _Ask, dues: list[Due], lay: Layout) -> Due | None:
    parts = range(lay.subclause(a.start), lay.subclause(max(a.start, a.end - 1)) + 1)
    own = [d for d in dues if lay.subclause(d.start) in parts]
    if own:
        return own[0]
    near = sorted((min(abs(d.start - a.start), abs(d.start - a.end)), d.start, d) for d in dues
                  if lay.sentence(d.start) == lay.sentence(a.start)
                  and lay.item(d.start) == lay.item(a.start))
    return near[0][2] if near else None


def with_cutoffs(rule: EvidenceRule, days: tuple[date, ...]) -> EvidenceRule:
    """A rule with per-period cut-offs: counted over the periods the dates fall in one each
    (half, else quarter, else month); a rule over a longer period is spread over them."""
    if len(days) == 1:
        return replace(rule, deadline=days[0])
    for period, part in (("half", lambda d: d.month > 6), ("quarter", lambda d: (d.month - 1) // 3),
                         ("month", lambda d: d.month)):
        if len({(d.year, part(d)) for d in days}) == len(days):
            break
    if PERIODS.index(rule.period) > PERIODS.index(period):
        rule = replace(rule, period=period, min_count=max(1, rule.min_count // len(days)))
    return replace(rule, cutoffs=days, deadline=None)


def _merge(rules: list[EvidenceRule]) -> tuple[EvidenceRule, ...]:
    merged: dict[tuple, EvidenceRule] = {}
    for rule in rules:
        key = (rule.kind, rule.period, rule.words, rule.caption_required, rule.deadline,
               rule.each, rule.cutoffs)
        prev = merged.get(key)
        merged[key] = rule if prev is None else replace(prev, min_count=prev.min_count + rule.min_count)
    return tuple(merged.values())


def parse(text: str, note: str = "", year: int | None = None) -> Parsed:
    """The rules of a requirement text and its note (see the module docstring)."""
    head = fold(text)
    whole = f"{head}\n{fold(note)}" if note else head
    lay = Layout(whole, len(head) + 1 if note else None)
    asks, nothing = _asks(whole, lay)
    asks = _once_per_item(asks, lay)
    dues = find_dues(whole, year)
    asking = {lay.sentence(a.start) for a in asks}
    standing = next((d for d in dues if lay.sentence(d.start) not in asking), None)
    rules = []
    for a in asks:
        due = _due_of(a, dues, lay) or standing
        rules.append(with_cutoffs(a.rule, due.dates) if due else a.rule)
    general = standing.dates[0] if standing and len(standing.dates) == 1 else None
    return Parsed(_merge(rules), general, nothing)
