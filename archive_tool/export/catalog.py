"""The catalogue (卷内文件目录): every evidence file of one or several years, in binder order.

:func:`build_catalogue` is pure: it takes what scan, lint and check already produced for each
year (:class:`ArchiveYear`) and opens no file. A :class:`Catalogue` holds one
:class:`Volume` per indicator that has files (a leaf's binder; files filed in a parent's folder
get the parent's volume; files outside every indicator folder one volume at the end), in the
order of the latest year's tree. Each :class:`Entry` says what the inspectors read in a
卷内目录 (序号、文号、责任者、题名、日期、页号、备注) and what the archive group needs besides: the
date's source, the kind, the pages, which rule and period the file counts for, why not, and its
lint findings. The JSON schema is in :mod:`.catalog_render`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from indicator_tree.kinds import FILE_LABELS, RULE_LABELS

from ..check.files import DATE_SOURCES

if TYPE_CHECKING:  # pragma: no cover
    from ..check.model import GapReport, IndicatorGap
    from ..evidence import Caption, Evidence
    from ..lint import LintReport
    from ..scan import ScanResult

#: the id of the volume of files outside every indicator folder
OUTSIDE_ID = ""
OUTSIDE_NAME = "未归入指标的文件"
_YEAR = re.compile(r"(19|20)\d{2}")
#: a document number in a theme: 临环发〔2022〕12号, 鲁文明办[2018]3号
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{0,10}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]"
                         r"\s*第?\s*\d+\s*号")


@dataclass(frozen=True)
class ArchiveYear:
    """What the export needs of one archive (one year): its scan, lint and gap report.
    ``label`` is the year's folder name in a several-years archive, "" for a single archive."""

    label: str
    scan: "ScanResult"
    lint: "LintReport"
    report: "GapReport"

    @property
    def root(self) -> Path:
        return self.scan.root


@dataclass(frozen=True)
class Counting:
    """A rule (and period) one file counts toward."""

    requirement_no: int
    rule: str
    period: str
    kind: str = "any"

    def text(self) -> str:
        """``要求1（现场照片）2019Q1``"""
        label = RULE_LABELS.get(self.kind, self.kind)
        return f"要求{self.requirement_no}（{label}）{self.period}"


@dataclass(frozen=True)
class Reason:
    """Why a file does not count (a check code or lint rule id), or a lint finding."""

    code: str
    message: str
    fix: str = ""
    severity: str = "error"


@dataclass(frozen=True)
class Entry:
    """One evidence file as the catalogue lists it."""

    year: str
    path: str
    indicator: str
    kind: str
    title: str
    seq: int | None = None
    doc_number: str = ""
    responsible: str = ""
    date: date | None = None
    date_source: str | None = None
    pages: int | None = None
    #: audio and video: seconds (shown where documents show their pages)
    duration: float | None = None
    size: int = 0
    caption: "Caption | None" = None
    counts: tuple[Counting, ...] = ()
    not_counted: tuple[Reason, ...] = ()
    findings: tuple[Reason, ...] = ()
    #: the running number in its volume (序号), 1-based
    no: int = 0
    #: the file on disk (the year's root joined with ``path``); not in the JSON
    source: Path | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def ext(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def kind_label(self) -> str:
        return FILE_LABELS.get(self.kind, self.kind)

    @property
    def counted(self) -> bool:
        return bool(self.counts)

    def date_text(self) -> str:
        return self.date.isoformat() if self.date else ""

    def extent(self) -> str:
        """How long the file is: ``3页``, or an audio or video file's ``2分15秒``; '' unknown."""
        if self.pages:
            return f"{self.pages}页"
        from ..extract.media import format_duration

        return format_duration(self.duration)

    def date_source_text(self) -> str:
        return DATE_SOURCES.get(self.date_source or "", "")

    def remark(self) -> str:
        """备注: whether it counts, else the first reason it does not."""
        if self.counts:
            return "计入：" + "、".join(dict.fromkeys(c.text() for c in self.counts))
        if self.not_counted:
            return "不计入：" + self.not_counted[0].message
        return "不计入"


@dataclass
class Volume:
    """The files of one indicator: a binder (卷). ``top`` is its level-I indicator."""

    indicator: str
    name: str
    top: tuple[str, str]
    parents: tuple[str, ...] = ()
    is_leaf: bool = True
    entries: list[Entry] = field(default_factory=list)
    owners: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.indicator} {self.name}".strip()

    @property
    def years(self) -> tuple[str, ...]:
        """The years its files come from, in order (empty for a single archive)."""
        return tuple(dict.fromkeys(e.year for e in self.entries if e.year))


@dataclass
class Catalogue:
    unit: str
    #: year labels in order ("" alone for a single archive)
    years: tuple[str, ...]
    volumes: list[Volume]
    #: year label -> the year's archive root
    roots: dict[str, Path] = field(default_factory=dict)
    tree_titles: dict[str, str] = field(default_factory=dict)

    def entries(self) -> Iterable[Entry]:
        for volume in self.volumes:
            yield from volume.entries

    def tops(self) -> list[tuple[tuple[str, str], list[Volume]]]:
        """Volumes grouped by their level-I indicator, in order."""
        groups: dict[tuple[str, str], list[Volume]] = {}
        for volume in self.volumes:
            groups.setdefault(volume.top, []).append(volume)
        return list(groups.items())

    def select(self, years: Sequence[str] | None = None, indicator: str | None = None
               ) -> "Catalogue":
        """The volumes of ``indicator`` (an id: the volume itself, or every volume below it)
        with the entries of ``years``, renumbered; volumes left empty are kept out."""
        out = []
        for volume in self.volumes:
            if indicator and indicator != volume.indicator and indicator not in volume.parents:
                continue
            kept = [e for e in volume.entries if years is None or e.year in years]
            if kept:
                out.append(replace(volume, entries=_numbered(kept)))
        labels = tuple(y for y in self.years if years is None or y in years)
        return replace(self, volumes=out, years=labels)

    def summary(self) -> dict:
        entries = list(self.entries())
        kinds: dict[str, int] = {}
        for e in entries:
            kinds[e.kind] = kinds.get(e.kind, 0) + 1
        outside = sum(len(v.entries) for v in self.volumes if v.indicator == OUTSIDE_ID)
        counted = sum(1 for e in entries if e.counted)
        return {"files": len(entries), "counted": counted,
                "not_counted": len(entries) - counted - outside, "outside": outside,
                "volumes": len(self.volumes), "by_kind": dict(sorted(kinds.items()))}


def _numbered(entries: list[Entry]) -> list[Entry]:
    return [replace(e, no=n) for n, e in enumerate(entries, 1)]


def label_year(label: str) -> int | None:
    """The year a year archive's folder name names (``2018年`` -> 2018)."""
    match = _YEAR.search(unicodedata.normalize("NFKC", label))
    return int(match.group(0)) if match else None


def years_label(years: Iterable[str]) -> str:
    """``2018年—2020年`` (years that follow each other), ``2018年、2020年``, ``2018年``, or ""
    for a single archive."""
    named = list(dict.fromkeys(y for y in years if y))
    if len(named) < 2:
        return "".join(named)
    numbers = [label_year(y) for y in named]
    if None not in numbers and numbers == list(range(numbers[0], numbers[0] + len(named))):
        return f"{named[0]}—{named[-1]}"
    return "、".join(named)


def doc_number(theme: str) -> str:
    """The document number a theme carries (文号), or ""."""
    match = _DOC_NUMBER.search(theme)
    return match.group(0).strip() if match else ""


def plain_title(theme: str, number: str) -> str:
    """题名: the theme without its 文号, which the 卷内目录 gives a column of its own
    (``临环发〔2018〕12号 关于…的通知`` and ``关于…的通知（临环发〔2018〕12号）`` -> ``关于…的通知``)."""
    if not number:
        return theme
    rest = re.sub(r"[（(]\s*[）)]", "", theme.replace(number, "", 1))
    return rest.strip(" 　，,、:：;；-—") or theme


# ---- building -------------------------------------------------------------------------------
@dataclass
class _YearFacts:
    """What one year's gap report says about its files, by path."""

    counts: dict[str, list[Counting]] = field(default_factory=dict)
    not_counted: dict[str, list[Reason]] = field(default_factory=dict)
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _facts(report: "GapReport") -> _YearFacts:
    facts = _YearFacts()
    for ind in report.walk():
        facts.owners[ind.id] = ind.owners
        for rule in ind.rules:
            for path, period in rule.counted:
                facts.counts.setdefault(path, []).append(
                    Counting(rule.requirement_no, rule.text, period, rule.kind))
        for item in ind.not_counted:
            facts.not_counted.setdefault(item.path, []).append(
                Reason(item.rule, item.message, item.fix))
    for item in report.outside:
        facts.not_counted.setdefault(item.path, []).append(
            Reason(item.rule, item.message, item.fix))
    return facts


def _responsible(ev: "Evidence", owners: tuple[str, ...], unit: str) -> str:
    """责任者: a photo's organizer (主办单位), else the indicator's owners, else the unit."""
    if ev.caption is not None and ev.caption.organizer:
        return ev.caption.organizer
    return "、".join(owners) or unit


def _entry(year: ArchiveYear, ev: "Evidence", facts: _YearFacts) -> Entry:
    unit = year.report.unit or year.scan.config.unit
    indicator = ev.indicator_id if year.report.indicators and ev.indicator_id else None
    owners = facts.owners.get(indicator or "", ())
    findings = tuple(Reason(f.rule, f.message, f.fix, f.severity)
                     for f in year.lint.about(ev.path))
    number = doc_number(ev.theme)
    return Entry(
        year=year.label, path=ev.path, indicator=indicator or OUTSIDE_ID, kind=ev.kind,
        title=plain_title(ev.theme, number) or Path(ev.name).stem, seq=ev.seq,
        doc_number=number,
        responsible=_responsible(ev, owners, unit), date=ev.date, date_source=ev.date_source,
        pages=ev.pages, duration=ev.duration, size=ev.size, caption=ev.caption,
        counts=tuple(facts.counts.get(ev.path, ())),
        not_counted=tuple(facts.not_counted.get(ev.path, ())), findings=findings,
        source=year.root / ev.path)


def _volume_order(years: Sequence[ArchiveYear]) -> dict[str, Volume]:
    """An empty volume per indicator of every year's tree: the latest year's order first."""
    volumes: dict[str, Volume] = {}
    for year in reversed(years):
        by_id = {ind.id: ind for ind in year.report.walk()}
        for gap in year.report.walk():
            if gap.id in volumes:
                continue
            top = by_id.get(gap.parents[0]) if gap.parents else gap
            volumes[gap.id] = Volume(gap.id, gap.name, (top.id, top.name), gap.parents,
                                     gap.is_leaf, owners=gap.owners)
    return volumes


def _sort_key(entry: Entry):
    return (entry.year, entry.seq is None, entry.seq or 0, entry.name)


def build_catalogue(years: Sequence[ArchiveYear]) -> Catalogue:
    """The catalogue of every file scanned in ``years`` (oldest first)."""
    if not years:
        raise ValueError("build_catalogue needs at least one year")
    volumes = _volume_order(years)
    known = set(volumes)
    outside = Volume(OUTSIDE_ID, OUTSIDE_NAME, (OUTSIDE_ID, OUTSIDE_NAME), is_leaf=False)
    for year in years:
        facts = _facts(year.report)
        for ev in year.scan.evidence:
            entry = _entry(year, ev, facts)
            if entry.indicator not in known:
                entry = replace(entry, indicator=OUTSIDE_ID)
            (volumes.get(entry.indicator) or outside).entries.append(entry)
    out = [v for v in volumes.values() if v.entries]
    if outside.entries:
        out.append(outside)
    for volume in out:
        volume.entries = _numbered(sorted(volume.entries, key=_sort_key))
    latest = years[-1]
    return Catalogue(unit=latest.report.unit or latest.scan.config.unit,
                     years=tuple(y.label for y in years), volumes=out,
                     roots={y.label: y.root for y in years},
                     tree_titles={y.label: y.report.tree_title for y in years})
