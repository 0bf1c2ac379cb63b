"""The web front end's one door into the library, over :class:`archive_tool.Archive`.

Every call from ``archive_tool.web`` into the rest of ``archive_tool`` goes through this module
(a test asserts that no other web module imports the library), and this module imports the
package face (``archive_tool``) and nothing deeper, as the command line does. Its functions are
named for what the pages need; they return the library's own report objects (GapReport,
IndicatorGap, Evidence, Finding …) or the small dataclasses below.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

import archive_tool
from archive_tool import (DATE_SOURCES, FILE_LABELS, IMAGE_EXTS, UPLOAD_EXTS, ArchiveError,
                          Evidence, FileOperationError, Finding, GapReport, IndicatorGap,
                          LintReport, NotCounted, OwnerGap, ScanResult, SearchResult,
                          UsageError, by_owner, indicator_status, percent, period_token,
                          render_gap, rule_notes, rules_by_requirement, shortened_name,
                          summary_lines, upload_theme, write_gap_xlsx)

__all__ = ["ArchiveError", "FileOperationError", "UPLOAD_EXTS", "UsageError", "shortened_name",
           "upload_theme"]

#: images a browser shows inline (others are downloaded)
INLINE_IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                      ".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp"}
#: audio and video a browser plays in the page (others are downloaded)
INLINE_MEDIA_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm",
                      ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".wav": "audio/wav",
                      ".ogg": "audio/ogg", ".aac": "audio/aac"}


class Archive(archive_tool.Archive):
    """An opened archive, with what the pages show of it besides."""

    @property
    def title(self) -> str:
        return self.tree.title or self.tree.id

    @property
    def timezone(self) -> str:
        return self.config.timezone

    def indicator(self, indicator_id: str):
        return self.tree.get(indicator_id)

    def ancestors(self, indicator_id: str):
        return [self.tree.get(i) for i in self.tree.ancestors(indicator_id)]


@dataclass
class Snapshot:
    """One scan → lint → check of the whole archive, as the pages show it."""

    archive: Archive
    scan: ScanResult
    lint: LintReport
    report: GapReport
    groups: list[OwnerGap]
    evidence: dict[str, Evidence]


@dataclass(frozen=True)
class FileRow:
    """A file of a leaf as the indicator page lists it."""

    evidence: Evidence
    counted: bool
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Verdict:
    """What lint says about one stored file right after it was stored, and whether it counts
    toward its indicator (with why not)."""

    path: str
    findings: tuple[Finding, ...]
    evidence: Evidence | None
    counted: bool = False
    reasons: tuple[NotCounted, ...] = ()

    @property
    def ok(self) -> bool:
        return self.counted and not any(f.severity == "error" for f in self.findings)


@dataclass(frozen=True)
class CaptionDefaults:
    """What the caption form starts with: the current caption, else EXIF time and the unit."""

    time: str
    organizer: str
    theme: str
    #: where the time came from, as the form says it ("取自照片的拍摄时间"; '' for none)
    source: str = ""


# ---- the archive and its report -------------------------------------------------------------
def open_archive(path: str | os.PathLike, year: str | None = None) -> Archive:
    """The archive holding ``path`` (ConfigError/NotAnArchiveError when there is none); of a
    folder of several years (``years:``), the year ``year``, by default the last one listed
    (the year in progress). UsageError for a year not listed, or asked of a plain archive."""
    years = archive_tool.Years.find(path)
    if years is None:
        if year:
            raise UsageError(f"{os.path.abspath(path)} 不是多年度档案，没有年度「{year}」可选",
                             "去掉 --year，或指定多年度档案的文件夹。")
        return Archive.open(path)
    return Archive(years.archive(year or years.labels[-1]).config)


def enclosing_years(archive: Archive) -> archive_tool.Years | None:
    """The several years whose folder lists ``archive`` as one of its years, else None."""
    parent = archive.root.parent
    try:
        years = archive_tool.Years.find(parent)
    except ArchiveError:  # no archive above, or a broken config of several years
        return None
    if years is None or years.root != parent or archive.root.name not in years.labels:
        return None
    return years


def unit_root(archive: Archive) -> Path:
    """Where the unit's accounts belong: the folder of several years that lists the archive
    (the accounts stay when next year's archive is served), else the archive itself."""
    years = enclosing_years(archive)
    return years.root if years is not None else archive.root


def build_snapshot(archive: Archive, as_of: date | None = None) -> Snapshot:
    """A new scan, lint and check (on an archive of its own: the server's threads never share
    a kept scan)."""
    fresh = archive.reopen()
    found = fresh.lint(cwd=fresh.root)
    report = fresh.check(as_of=as_of)
    return Snapshot(fresh, found.result, found, report, by_owner(report),
                    {ev.path: ev for ev in found.result.evidence})


def owner_names(snap: Snapshot) -> list[str]:
    """Every 责任人 / 牵头处室 named in the tree, in tree order."""
    names: dict[str, None] = {}
    for ind in snap.report.walk():
        names.update(dict.fromkeys(ind.owners))
        for rule in ind.rules:
            names.update(dict.fromkeys(rule.owners))
    return list(names)


def tasks_for(snap: Snapshot, names: Iterable[str]) -> list[OwnerGap]:
    """The owner groups (short or in-progress rules, files not counted) of ``names``."""
    wanted = set(names)
    return [g for g in snap.groups if g.owner in wanted]


def leaves_of(snap: Snapshot, names: Iterable[str]) -> list[str]:
    """Ids of the leaves whose 责任人 (of the leaf or of one of its rules) include ``names``."""
    wanted = set(names)
    return [leaf.id for leaf in snap.report.leaves()
            if wanted & (set(leaf.owners) | {o for r in leaf.rules for o in r.owners})]


def indicator_of(snap: Snapshot, rel: str) -> str | None:
    ev = snap.evidence.get(rel)
    return ev.indicator_id if ev is not None else None


def indicator_gap(snap: Snapshot, indicator_id: str) -> IndicatorGap | None:
    return next((ind for ind in snap.report.walk() if ind.id == indicator_id), None)


def findings_of(snap: Snapshot, rel: str) -> tuple[Finding, ...]:
    """What lint says of one file of the snapshot."""
    return tuple(snap.lint.about(rel))


def leaf_files(snap: Snapshot, indicator_id: str) -> list[FileRow]:
    gap = indicator_gap(snap, indicator_id)
    reasons: dict[str, list[str]] = {}
    for item in (gap.not_counted if gap else ()):
        reasons.setdefault(item.path, []).append(item.message)
    return [FileRow(ev, ev.path in snap.report.counted, tuple(reasons.get(ev.path, ())),
                    findings_of(snap, ev.path))
            for ev in snap.scan.evidence if ev.indicator_id == indicator_id]


def gap_xlsx_bytes(snap: Snapshot) -> bytes:
    buf = io.BytesIO()
    write_gap_xlsx(snap.report, buf)
    return buf.getvalue()


def gap_html_text(snap: Snapshot) -> str:
    return render_gap(snap.report, "html")


# ---- one file ---------------------------------------------------------------------------------
def locate(archive: Archive, rel: str, snap: Snapshot | None = None) -> Evidence | None:
    """The evidence file at ``rel`` (posix, relative to the root), or None: a path that is not
    a plain file listed in its folder inside the archive (``..``, ``.archive/``, links, ignored
    names) is never resolved."""
    if snap is not None and rel in snap.evidence:
        return snap.evidence[rel]
    return archive.reopen().locate(rel)


def is_image(ev: Evidence) -> bool:
    return ev.ext.lower() in IMAGE_EXTS


def absolute_path(archive: Archive, ev: Evidence) -> Path:
    return archive.root / ev.path


def file_text(ev: Evidence, limit: int = 20000) -> str:
    return ev.text()[:limit]


def caption_defaults(archive: Archive, ev: Evidence) -> CaptionDefaults:
    """The caption's own time, else the camera's (EXIF), else the date the scan found (a date
    in the file's name, say), with where it came from."""
    cap = ev.caption
    if cap is not None and cap.time:
        when, source = cap.time, "caption"
    elif ev.exif_date is not None:
        when, source = ev.exif_date, "exif"
    else:
        when, source = ev.date, ev.date_source or ""
    return CaptionDefaults(when.isoformat() if when else "",
                           (cap.organizer if cap is not None else "") or archive.unit,
                           (cap.theme if cap is not None else "") or ev.theme,
                           DATE_SOURCES.get(source, "") if when else "")


# ---- changes ------------------------------------------------------------------------------------
def store_upload(archive: Archive, indicator_id: str, filename: str,
                 chunks: Iterable[bytes], theme: str = "") -> str:
    """Store an uploaded file in the leaf's folder as ``NN：主题.ext`` (the server's name: the
    client's name gives only the extension and, without a theme, the theme); an undo log
    records the creation. Returns the new path relative to the root."""
    return archive.reopen().store(indicator_id, filename, chunks, theme)


def verdict(archive: Archive, rel: str, as_of: date | None = None) -> Verdict:
    """Lint the file's folder (as ``watch`` does) and keep what concerns the file; check its
    leaf on that folder alone (a leaf counts only its own folder's files) for whether it
    counts, as the whole archive's check would say."""
    judged = archive.verdicts.judge_files([rel], "web")
    found = judged.verdicts[0].findings if judged.verdicts else ()
    ev = next((e for e in judged.evidence if e.path == rel), None)
    if ev is None or ev.indicator_id is None:
        return Verdict(rel, tuple(found), ev)
    report = archive.reopen().check(archive.root / ev.folder, as_of=as_of)
    reasons = tuple(n for ind in report.walk() for n in ind.not_counted if n.path == rel)
    return Verdict(rel, tuple(found), ev, rel in report.counted, reasons)


def set_caption(archive: Archive, ev: Evidence, when: str, organizer: str, theme: str) -> str:
    """Write the caption into the image (losslessly, with undo); returns the caption text."""
    return archive.reopen().set_caption(archive.root / ev.path, time=when, organizer=organizer,
                                        theme=theme).text


def add_footer(archive: Archive, ev: Evidence) -> str:
    """Put the document name into the docx footer; returns what happened, in Chinese."""
    result = archive.reopen().add_footer([archive.root / ev.path])
    if result.failed:
        raise result.failed[0][1]
    return "页脚中已有文档名称，未修改" if result.unchanged else "已在页脚中加入文档名称"


def rename(archive: Archive, ev: Evidence, theme: str = "") -> str:
    """Rename to the canonical ``NN：主题.ext``: the lint fix's name when there is one and no
    theme is given, else the next free number and ``theme``. Returns the new path."""
    return archive.reopen().rename(ev.path, theme)


# ---- search -------------------------------------------------------------------------------------
def search(archive: Archive, query: str, *, indicator: str = "", kind: str = "",
           date_from: str = "", date_to: str = "", organizer: str = "",
           limit: int = 50) -> SearchResult:
    return archive.reopen().search(query, indicator=indicator or None, kind=kind or None,
                                   date_from=date_from or None, date_to=date_to or None,
                                   organizer=organizer or None, limit=limit, wait=10)


def index_evidence(archive: Archive, evidence: Iterable[Evidence]) -> None:
    """Add or update a few files in the search index (nothing removed)."""
    archive.live_index(wait=30).update(list(evidence))


def update_search_index(snap: Snapshot) -> None:
    """Bring the search index in line with a whole-archive snapshot."""
    snap.archive.index(wait=30)


# ---- words ------------------------------------------------------------------------------------
class labels:  # noqa: N801 - a namespace of wording, used like a module
    kind = FILE_LABELS
    date_source = DATE_SOURCES
    indicator_status = staticmethod(indicator_status)
    period_token = staticmethod(period_token)
    rule_notes = staticmethod(rule_notes)
    rules_by_requirement = staticmethod(rules_by_requirement)
    summary_lines = staticmethod(summary_lines)
    percent = staticmethod(percent)
