"""The indicator hierarchy as frozen dataclasses.

Nothing here touches the disk. Instances are built by the YAML loader (which validates
everything once) or by the table importer, and never change afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from .kinds import RULE_KINDS as KINDS, RULE_LABELS  # noqa: F401 - KINDS: the loader's name

#: Periods a rule is counted over; ``window`` is the whole assessment window.
PERIODS = ("month", "quarter", "half", "year", "window")
PERIOD_LABELS = {
    "month": "每月",
    "quarter": "每季度",
    "half": "每半年",
    "year": "每年",
    "window": "考核期内",
}


@dataclass(frozen=True)
class EvidenceRule:
    """What one requirement asks for: at least ``min_count`` files of ``kind`` per ``period``.

    With ``each`` set the rule counts occurrences (activities), not files: at least
    ``min_count`` activities per period, each with at least ``each`` files of ``kind``
    ("全年不少于6次，每次提供现场照片2张" -> kind photo, min_count 6, each 2, period year).

    ``cutoffs`` are per-period cut-off dates ("2024年6月30日前、12月31日前" on a half-year rule):
    in each period, the files must be dated on or before the cut-off that falls inside that
    period, and the period is judged on its cut-off. ``deadline`` is the one cut-off of the
    whole span (the span ends there).
    """

    kind: str = "document"
    min_count: int = 1
    period: str = "window"
    #: (low, high) character count for a report, both inclusive; None when any length does.
    words: tuple[int, int] | None = None
    deadline: date | None = None
    caption_required: bool = False
    #: where the rule came from: "explicit" (written in the tree file), "parsed", "default".
    source: str = "parsed"
    #: files of ``kind`` each occurrence needs; None: the rule counts files, not occurrences
    each: int | None = None
    #: per-period cut-offs, ascending; empty when the periods end on their calendar ends
    cutoffs: tuple[date, ...] = ()

    @property
    def unit(self) -> str:
        """The measure word of one file of this kind (张, 份, 个)."""
        return "张" if self.kind in ("photo", "clipping") else "个" if self.kind == "av" else "份"

    def describe(self) -> str:
        """A short Chinese description, e.g. ``每季度至少 1 份活动材料``."""
        label = RULE_LABELS[self.kind]
        if self.each:
            text = (f"{PERIOD_LABELS[self.period]}至少 {self.min_count} 次活动，"
                    f"每次 {self.each} {self.unit}{label}")
        else:
            text = f"{PERIOD_LABELS[self.period]}至少 {self.min_count} {self.unit}{label}"
        if self.words:
            text += f"（{self.words[0]}–{self.words[1]} 字）"
        if self.caption_required:
            text += "（需注明活动时间、主办单位、活动主题）"
        if self.cutoffs:
            text += "，分别于 " + "、".join(d.isoformat() for d in self.cutoffs) + " 前"
        elif self.deadline:
            text += f"，{self.deadline.isoformat()} 前"
        return text

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "min": self.min_count,
            "period": self.period,
            "words": list(self.words) if self.words else None,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "caption": self.caption_required,
            "source": self.source,
            "each": self.each,
            "cutoffs": [d.isoformat() for d in self.cutoffs],
        }


@dataclass(frozen=True)
class Requirement:
    """One requirement line of an indicator, with the rules that decide its evidence."""

    text: str
    owners: tuple[str, ...] = ()
    deadline: date | None = None
    rules: tuple[EvidenceRule, ...] = ()
    #: the table's 注 / material-requirement note, parsed together with ``text``.
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    """A node of the tree. Leaves hold the evidence folders."""

    id: str
    name: str
    level: int = 1
    children: tuple["Indicator", ...] = ()
    score: float | None = None
    owners: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    notes: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def folder_name(self) -> str:
        """The unsanitised folder name ``<id> <name>`` (scaffold makes it filesystem-safe)."""
        return f"{self.id} {self.name}"

    def walk(self) -> Iterator["Indicator"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all_owners(self) -> tuple[str, ...]:
        """Owners, lead office and the requirements' owners, in order, without repeats."""
        seen: dict[str, None] = {}
        for name in self.owners + self.lead:
            seen.setdefault(name, None)
        for req in self.requirements:
            for name in req.owners:
                seen.setdefault(name, None)
        return tuple(seen)

    def rules(self) -> Iterator[tuple[Requirement, EvidenceRule]]:
        for req in self.requirements:
            for rule in req.rules:
                yield req, rule


@dataclass(frozen=True)
class Tree:
    """A whole indicator table: metadata plus the level-I indicators."""

    id: str
    title: str
    window_start: date
    window_end: date
    indicators: tuple[Indicator, ...] = ()
    source: str = ""
    level_names: tuple[str, ...] = ()
    _index: dict = field(default=None, init=False, repr=False, compare=False, hash=False)

    def walk(self) -> Iterator[Indicator]:
        for ind in self.indicators:
            yield from ind.walk()

    def leaves(self) -> Iterator[Indicator]:
        return (ind for ind in self.walk() if ind.is_leaf)

    def _lookup(self) -> dict:
        if self._index is None:
            index: dict[str, tuple[Indicator, tuple[str, ...]]] = {}

            def visit(ind: Indicator, ancestors: tuple[str, ...]) -> None:
                index[ind.id] = (ind, ancestors)
                for child in ind.children:
                    visit(child, ancestors + (ind.id,))

            for top in self.indicators:
                visit(top, ())
            object.__setattr__(self, "_index", index)
        return self._index

    def get(self, indicator_id: str) -> Indicator | None:
        entry = self._lookup().get(indicator_id)
        return entry[0] if entry else None

    def ancestors(self, indicator_id: str) -> tuple[str, ...]:
        """Ids from the top level down to (not including) ``indicator_id``."""
        entry = self._lookup().get(indicator_id)
        return entry[1] if entry else ()

    def path(self, indicator_id: str) -> tuple[Indicator, ...]:
        """The indicators from the top level down to ``indicator_id`` included."""
        ids = self.ancestors(indicator_id) + (indicator_id,)
        return tuple(self.get(i) for i in ids if self.get(i) is not None)

    def organizers(self) -> tuple[str, ...]:
        """Every owner and office named anywhere in the tree (used to recognise organizers)."""
        seen: dict[str, None] = {}
        for ind in self.walk():
            for name in ind.all_owners() + ind.support:
                seen.setdefault(name, None)
        return tuple(seen)
