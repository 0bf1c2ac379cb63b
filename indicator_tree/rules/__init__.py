"""Requirement text -> EvidenceRules, as an inspector reads a task table.

The text is NFKC-folded and folded from traditional to simplified script first; numbers may be
digits or Chinese numerals. What is read (each family in its module, all in the README):

- frequencies (:mod:`.frequency`): 每月一次, 每季度至少开展一次, 全年N次, 上半年、下半年各一次 …;
- materials (:mod:`.materials`): the kind from the noun (照片 -> photo, 样报 / 截图 -> clipping,
  说明报告 -> report, 记录 / 签到表 -> record, 方案 / 制度 / 正式发文 -> document, 视频 / 录音 ->
  av), the count before or after it, report lengths;
- deadlines and per-period cut-offs (:mod:`.dates`);
- requirements that ask nothing of the unit (:mod:`.nothing`): 实地查看, 部门评价 …;
- how they combine (:mod:`.assemble`): per-occurrence materials, items, deadlines per clause.

A requirement that asks for nothing gets no rule (its indicator is not assessed); one from which
nothing can be read gets :data:`DEFAULT_RULE` (``source="default"``), reported as 未识别的要求.
Rules written in the tree file replace parsed ones entirely.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..model import EvidenceRule
from .assemble import parse
from .dates import find_dues
from .materials import word_range
from .text import cn_number, fold

__all__ = ["DEFAULT_RULE", "cn_number", "fold", "parse", "parse_deadline", "parse_rules",
           "requirement_deadline", "rules_for", "single_deadline", "word_range"]

#: what a requirement asks for when nothing in it can be read: at least one evidence file of
#: any kind in the window (a photo of a study session is evidence of the study)
DEFAULT_RULE = EvidenceRule(kind="any", min_count=1, period="window", source="default")


def parse_deadline(text: str, year: int | None = None) -> date | None:
    """The first deadline a text names (``6月底`` -> June 30 of ``year``), or None; a draft's
    date (``6月底前完成初稿``) is none."""
    dues = find_dues(fold(text), year)
    return dues[0].dates[0] if dues else None


def single_deadline(text: str, year: int | None = None) -> date | None:
    """The deadline of a text naming exactly one (a 上报时间 cell), else None: several dates
    are per-period cut-offs, which the rule parser reads from the text itself."""
    dues = find_dues(fold(text), year)
    return dues[0].dates[0] if len(dues) == 1 and len(dues[0].dates) == 1 else None


def parse_rules(text: str, year: int | None = None) -> tuple[EvidenceRule, ...]:
    """Every rule the text states, merged by kind; empty when it states none."""
    return parse(text, "", year).rules


def _with_deadline(rule: EvidenceRule, deadline: date | None) -> EvidenceRule:
    if rule.deadline or rule.cutoffs or deadline is None:
        return rule
    return replace(rule, deadline=deadline)


def rules_for(text: str, note: str = "", year: int | None = None, *,
              explicit: list[EvidenceRule] | None = None,
              deadline: date | None = None) -> tuple[EvidenceRule, ...]:
    """The rules of one requirement.

    Explicit rules (from the tree file) win, even an empty list. Otherwise the text and its note
    are parsed: a requirement asking nothing of the unit (实地查看, 部门评价 …) gets no rule, one
    from which nothing can be read :data:`DEFAULT_RULE`. A requirement-level deadline applies to
    every rule that has no deadline or cut-offs of its own.
    """
    if explicit is not None:
        return tuple(_with_deadline(r, deadline) for r in explicit)
    parsed = parse(text, note, year)
    if not parsed.rules:
        return () if parsed.nothing else (_with_deadline(DEFAULT_RULE, deadline or parsed.general),)
    return tuple(_with_deadline(r, deadline) for r in parsed.rules)


def requirement_deadline(text: str, note: str = "", year: int | None = None) -> date | None:
    """The deadline of a requirement as a whole, when its text gives one: the deadline standing
    alone ("……。6月底"), else the one every parsed rule shares; None when the rules' deadlines
    differ. Written back as the requirement's ``deadline`` it changes none of its rules."""
    parsed = parse(text, note, year)
    if parsed.general or not parsed.rules:
        return parsed.general
    days = {rule.deadline for rule in parsed.rules}
    return days.pop() if len(days) == 1 else None
