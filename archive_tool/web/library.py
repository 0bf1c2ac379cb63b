"""The web front end's one door into the library.

Every call from ``archive_tool.web`` into the rest of ``archive_tool`` goes through this module
(a test asserts that no other web module imports the library). Its functions are named for what
the pages need; they return the library's own report objects (GapReport, IndicatorGap,
Evidence, Finding …) or the small dataclasses below. When the ``Archive`` API of issue 13 lands,
only this module is switched to it.
"""
from __future__ import annotations

import io
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from ..captions import write_caption as _write_caption
from ..check import by_owner, check
from ..check.files import DATE_SOURCES
from ..check.model import GapReport, IndicatorGap, OwnerGap
from ..config import ArchiveConfig, open_archive as _open_config
from ..dating import today
from ..documents import find_indicator, indicator_folder
from ..errors import ArchiveError, FileOperationError, UsageError
from ..evidence import AV_EXTS, DOC_EXTS, IMAGE_EXTS, KIND_LABELS, LEGACY_EXTS, Evidence, Finding
from ..fix import apply_renames, plan_renames
from ..footer_fix import fix_footer
from ..ignore import ARCHIVE_DIR, is_ignored
from ..lint import LintReport, lint
from ..naming import clean_theme, format_name, parse_name, split_ext
from ..places import inside_archive
from ..report import gap_common
from ..report.gap_html import gap_html
from ..report.gap_xlsx import write_gap_xlsx
from ..scaffold import EVIDENCE_NAME_BUDGET
from ..scan import ScanResult, scan
from ..search import search as _search, update_index
from ..search.searcher import MARK_CLOSE, MARK_OPEN, SearchResult
from ..undo import UndoLog
from ..watch.process import check_target, scan_target

#: what the browser may upload: raster images, documents, audio and video (never HTML or SVG)
UPLOAD_EXTS = frozenset((IMAGE_EXTS | DOC_EXTS | LEGACY_EXTS | AV_EXTS) - {".md"})
#: images a browser shows inline (others are downloaded)
INLINE_IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                      ".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp"}
_NAMING = threading.Lock()


@dataclass(frozen=True)
class Archive:
    """An opened archive: where it is, whose it is, and its tree."""

    config: ArchiveConfig = field(repr=False)

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def unit(self) -> str:
        return self.config.unit

    @property
    def title(self) -> str:
        return self.config.tree.title or self.config.tree.id

    @property
    def timezone(self) -> str:
        return self.config.timezone

    def today(self) -> date:
        return today(self.config.timezone)

    def indicator(self, indicator_id: str):
        return self.config.tree.get(indicator_id)

    def ancestors(self, indicator_id: str):
        return [self.config.tree.get(i) for i in self.config.tree.ancestors(indicator_id)]


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
    """What lint says about one stored file, right after it was stored."""

    path: str
    findings: tuple[Finding, ...]
    evidence: Evidence | None

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


@dataclass(frozen=True)
class CaptionDefaults:
    """What the caption form starts with: the current caption, else EXIF time and the unit."""

    time: str
    organizer: str
    theme: str
    #: the time came from the camera (EXIF) rather than a caption
    from_exif: bool = False


# ---- the archive and its report -------------------------------------------------------------
def open_archive(path: str | os.PathLike) -> Archive:
    """The archive holding ``path`` (ConfigError/NotAnArchiveError when there is none)."""
    return Archive(_open_config(path))


def build_snapshot(archive: Archive, as_of: date | None = None) -> Snapshot:
    result = scan(archive.root, config=archive.config)
    found = lint(result, cwd=archive.root)
    report = check(result, found, as_of=as_of or archive.today())
    return Snapshot(archive, result, found, report, by_owner(report),
                    {ev.path: ev for ev in result.evidence})


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


def leaf_files(snap: Snapshot, indicator_id: str) -> list[FileRow]:
    gap = indicator_gap(snap, indicator_id)
    reasons: dict[str, list[str]] = {}
    for item in (gap.not_counted if gap else ()):
        reasons.setdefault(item.path, []).append(item.message)
    return [FileRow(ev, ev.path in snap.report.counted, tuple(reasons.get(ev.path, ())),
                    tuple(ev.findings))
            for ev in snap.scan.evidence if ev.indicator_id == indicator_id]


def gap_xlsx_bytes(snap: Snapshot) -> bytes:
    buf = io.BytesIO()
    write_gap_xlsx(snap.report, snap.groups, buf)
    return buf.getvalue()


def gap_html_text(snap: Snapshot) -> str:
    return gap_html(snap.report)


# ---- one file ---------------------------------------------------------------------------------
def locate(archive: Archive, rel: str, snap: Snapshot | None = None) -> Evidence | None:
    """The evidence file at ``rel`` (posix, relative to the root), or None: a path that is not
    a plain file listed in its folder inside the archive (``..``, ``.archive/``, links, ignored
    names) is never resolved."""
    if snap is not None and rel in snap.evidence:
        return snap.evidence[rel]
    parts = rel.split("/")
    if (not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel
            or any(p in ("", ".", "..") or is_ignored(p) for p in parts)
            or parts[0] == ARCHIVE_DIR):
        return None
    path = archive.root / rel
    try:
        inside_archive(archive.root, path.parent)
        if parts[-1] not in os.listdir(path.parent) or path.is_symlink() or not path.is_file():
            return None
    except (UsageError, OSError):
        return None
    found = scan(path, config=archive.config).evidence
    return found[0] if found else None


def is_image(ev: Evidence) -> bool:
    return ev.ext.lower() in IMAGE_EXTS


def absolute_path(archive: Archive, ev: Evidence) -> Path:
    return archive.root / ev.path


def file_text(ev: Evidence, limit: int = 20000) -> str:
    return ev.text()[:limit]


def caption_defaults(archive: Archive, ev: Evidence) -> CaptionDefaults:
    cap = ev.caption
    when = cap.time if cap is not None and cap.time else None
    from_exif = False
    if when is None and ev.exif_date is not None:
        when, from_exif = ev.exif_date, True
    return CaptionDefaults(when.isoformat() if when else "",
                           (cap.organizer if cap is not None else "") or archive.unit,
                           (cap.theme if cap is not None else "") or ev.theme, from_exif)


# ---- changes ------------------------------------------------------------------------------------
def _taken(folder: Path) -> set[int]:
    return {seq for name in os.listdir(folder)
            if not is_ignored(name) and (seq := parse_name(name).seq) is not None}


def upload_theme(filename: str, theme: str = "") -> str:
    """The theme a stored file gets: the one typed in the form, else the file's own name
    without its number (``03：学雷锋.jpg`` and ``学雷锋.jpg`` both give ``学雷锋``)."""
    chosen = (theme or "").strip() or parse_name(os.path.basename(filename)).theme
    chosen = clean_theme(chosen).strip(" .")
    if not chosen:
        raise UsageError(f"无法从文件名「{filename}」得到主题", "在「主题」一栏写明活动主题。")
    return chosen


def next_free_name(archive: Archive, indicator_id: str, theme: str, ext: str) -> str:
    """``NN：主题.ext`` with the number after the highest of the leaf's folder."""
    folder = indicator_folder(archive.config, find_indicator(archive.config.tree, indicator_id))
    return _free_name(folder, theme, ext)


def _free_name(folder: Path, theme: str, ext: str) -> str:
    taken = _taken(folder) if folder.is_dir() else set()
    name = format_name(max(taken) + 1 if taken else 1, theme, ext.lower())
    if len(name) > EVIDENCE_NAME_BUDGET:
        raise UsageError(f"文件名「{name}」太长（上限 {EVIDENCE_NAME_BUDGET} 个字）",
                         "把主题写短一些，以免 Windows 路径超过 260 个字符。")
    return name


def store_upload(archive: Archive, indicator_id: str, filename: str,
                 chunks: Iterable[bytes], theme: str = "") -> str:
    """Store an uploaded file in the leaf's folder as ``NN：主题.ext`` (the server's name: the
    client's name gives only the extension and, without a theme, the theme); an undo log
    records the creation. Returns the new path relative to the root."""
    ext = split_ext(os.path.basename(filename))[1].lower()
    if ext not in UPLOAD_EXTS:
        raise UsageError(f"不接受这种文件：{filename}",
                         "可上传照片、Word/PDF/Excel 文档和音视频；网页、SVG、程序等不接受。")
    theme = upload_theme(filename, theme)
    ind = find_indicator(archive.config.tree, indicator_id)
    folder = indicator_folder(archive.config, ind)
    inside_archive(archive.root, folder)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".~upload-{secrets.token_hex(6)}.tmp"
    try:
        with open(tmp, "xb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        with _NAMING:
            target = folder / next_free_name(archive, ind.id, theme, ext)
            with UndoLog(archive.root).transaction("web upload") as tx:
                tx.record_create(target)
                _place(tmp, target)
    except OSError as exc:
        raise FileOperationError(f"无法保存上传的文件：{filename}（{exc.strerror or exc}）",
                                 "检查档案文件夹是否可写、磁盘空间是否足够。") from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return target.relative_to(archive.root).as_posix()


def _place(tmp: Path, target: Path) -> None:
    """Give the stored bytes their name without ever replacing a file: a hard link fails on
    an existing name; where links are not supported (some shares) a rename, which Windows
    refuses onto an existing name too (the name was checked free under the lock)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except (OSError, AttributeError):
        os.rename(tmp, target)


def verdict(archive: Archive, rel: str) -> Verdict:
    """Lint the file's folder (as ``watch`` does) and keep what concerns the file."""
    checked = check_target(archive.config, scan_target(archive.config, rel), [rel], "web")
    found = checked.verdicts[0].findings if checked.verdicts else ()
    ev = next((e for e in checked.evidence if e.path == rel), None)
    return Verdict(rel, tuple(found), ev)


def set_caption(archive: Archive, ev: Evidence, when: str, organizer: str, theme: str) -> str:
    """Write the caption into the image (losslessly, with undo); returns the caption text."""
    path = inside_archive(archive.root, archive.root / ev.path)
    with UndoLog(archive.root).transaction("caption set") as tx:
        result = _write_caption(path, when, organizer, theme, before_write=tx.record_modify)
    return result.text


def add_footer(archive: Archive, ev: Evidence) -> str:
    """Put the document name into the docx footer; returns what happened, in Chinese."""
    result = fix_footer(archive.root, [archive.root / ev.path])
    if result.failed:
        raise result.failed[0][1]
    return "页脚中已有文档名称，未修改" if result.unchanged else "已在页脚中加入文档名称"


def rename(archive: Archive, ev: Evidence, theme: str = "") -> str:
    """Rename to the canonical ``NN：主题.ext``: the lint fix's name when there is one and no
    theme is given, else the next free number and ``theme``. Returns the new path."""
    sidecars = scan(archive.root / ev.path, config=archive.config).sidecars
    fixes = [f for f in ev.findings if f.rename_to] if not theme else []
    if not fixes:
        name = _free_name(archive.root / ev.folder, upload_theme(ev.name, theme), ev.ext)
        fixes = [Finding("NAME_FORMAT", ev.path, "error", "", "", rename_to=name)]
    renames = plan_renames(archive.root, fixes, sidecars)
    if not renames:
        raise UsageError(f"无法改名：{ev.name}（目标名称已被占用）", "换一个主题再试。")
    apply_renames(archive.root, renames)
    return renames[0].dst


# ---- search -------------------------------------------------------------------------------------
def search(archive: Archive, query: str, *, indicator: str = "", kind: str = "",
           date_from: str = "", date_to: str = "", organizer: str = "",
           limit: int = 50) -> SearchResult:
    return _search(archive.config, query, indicator=indicator or None, kind=kind or None,
                   date_from=date_from or None, date_to=date_to or None,
                   organizer=organizer or None, limit=limit, wait=10)


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, highlighted) pieces, for the page to escape and mark."""
    parts: list[tuple[str, bool]] = []
    rest = snippet
    while MARK_OPEN in rest and MARK_CLOSE in rest.split(MARK_OPEN, 1)[1]:
        before, rest = rest.split(MARK_OPEN, 1)
        marked, rest = rest.split(MARK_CLOSE, 1)
        parts += [(before, False), (marked, True)]
    parts.append((rest, False))
    return [(text, marked) for text, marked in parts if text]


def index_evidence(archive: Archive, evidence: Iterable[Evidence]) -> None:
    """Add or update a few files in the search index (nothing removed)."""
    update_index(archive.config, list(evidence), scope=None, wait=30)


def update_search_index(snap: Snapshot) -> None:
    """Bring the search index in line with a whole-archive snapshot."""
    update_index(snap.scan, wait=30)


# ---- words ------------------------------------------------------------------------------------
class labels:  # noqa: N801 - a namespace of wording, used like a module
    kind = KIND_LABELS
    date_source = DATE_SOURCES
    indicator_status = staticmethod(gap_common.indicator_status)
    period_token = staticmethod(gap_common.period_token)
    rule_notes = staticmethod(gap_common.rule_notes)
    rules_by_requirement = staticmethod(gap_common.rules_by_requirement)
    summary_lines = staticmethod(gap_common.summary_lines)
    percent = staticmethod(gap_common.percent)
