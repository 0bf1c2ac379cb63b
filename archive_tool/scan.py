"""Walk an archive (or a folder or file inside it) and produce Evidence records.

This is the one place that reads evidence files. Content-derived metadata (hash, caption, EXIF
date, text, footers, character count, document dates) is cached in ``state.sqlite`` by size and
mtime_ns; everything that depends on the tree or the file's name (indicator, number, theme, kind,
resolved date) is recomputed on every scan, which is cheap, so a renamed indicator or a new tree
never leaves stale data. Symbolic links are never followed.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

from . import captions, dating, extract
from .config import ArchiveConfig
from .errors import ArchiveError, os_reason
from .evidence import (IMAGE_EXTS, TEXT_EXTS, Caption, Evidence, kind_of)
from .ignore import ARCHIVE_DIR, is_ignored
from .naming import parse_name, split_ext
from .places import Binder, resolve_target
from .scaffold import folder_id
from .store import CachedFile, Store, TextReader

#: called as progress(done, total, path) while files are read
Progress = Callable[[int, int, str], None]
SIDECAR_EXTS = captions.SIDECAR_EXTS
#: read_file's error for a file that went away between listing and reading it
GONE = "gone"


@dataclass(frozen=True)
class Folder:
    """A folder of the archive and what its name binds it to."""

    path: str
    #: the id before the first space of the folder name (NFKC), or None for a name without one
    folder_id: str | None
    #: the indicator it binds to, or None when the id matches no indicator
    indicator_id: str | None
    file_count: int = 0
    #: an activity folder inside a leaf (``II-4 志愿服务/2024-03 学雷锋``): its files are the leaf's
    activity: bool = False


@dataclass
class ScanStats:
    files: int = 0
    read: int = 0
    cached: int = 0
    removed: int = 0
    unreadable: int = 0
    symlinks_skipped: int = 0
    #: the cache was damaged or outdated and was made again (every file read)
    cache_rebuilt: bool = False
    seconds: float = 0.0
    read_seconds: float = 0.0


@dataclass
class ScanResult:
    config: ArchiveConfig
    evidence: list[Evidence]
    folders: list[Folder]
    stats: ScanStats = field(default_factory=ScanStats)
    #: the scanned path relative to the root ('' for the whole archive)
    scope: str = ""
    #: image path -> its caption sidecars (paths relative to the root), in the order read
    sidecars: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: for a scan of one file: the other files of its folder as (path, mtime_ns), not read;
    #: lint counts the numbers they hold
    neighbours: tuple[tuple[str, int], ...] = ()

    @property
    def root(self) -> Path:
        return self.config.root


# ---- walking --------------------------------------------------------------------------------
def _walk(root: Path, start: Path, stats: ScanStats) -> tuple[list[tuple[str, os.stat_result]],
                                                                list[str]]:
    """Files (rel path, stat) and folders (rel path) below ``start``, skipping ignored names.

    For a file, the files of its folder (not below): its caption sidecars and the numbers its
    neighbours hold are part of what lint says about it."""
    files: list[tuple[str, os.stat_result]] = []
    folders: list[str] = []
    single = start.is_file() and not start.is_symlink()
    first = start.parent if single else start
    prefix = first.relative_to(root).as_posix()
    stack = [(str(first), "" if prefix == "." else prefix + "/")]  # (folder, its rel + "/")
    while stack:
        current, base = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if is_ignored(entry.name):
                continue
            if entry.is_symlink():
                stats.symlinks_skipped += 1
                continue
            rel = base + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not single:
                        folders.append(rel)
                        stack.append((entry.path, rel + "/"))
                elif entry.is_file(follow_symlinks=False):
                    files.append((rel, entry.stat(follow_symlinks=False)))
            except OSError:
                continue
    files.sort()
    folders.sort()
    return files, folders


def _sidecars(files: list[tuple[str, os.stat_result]]
              ) -> dict[str, list[tuple[str, os.stat_result]]]:
    """image path -> its caption sidecars (path, stat) in the order the reader tries them.

    One matcher for scan and reader (:func:`captions.match_sidecars`): names are compared
    case-insensitively, so ``01：学习会.JPG.TXT`` is the caption of ``01：学习会.JPG``."""
    by_folder: dict[str, dict[str, os.stat_result]] = {}
    for rel, st in files:
        folder, _, name = rel.rpartition("/")
        by_folder.setdefault(folder, {})[name] = st
    out: dict[str, list[tuple[str, os.stat_result]]] = {}
    for folder, entries in by_folder.items():
        candidates = [n for n in entries if split_ext(n)[1].lower() in SIDECAR_EXTS]
        if not candidates:
            continue
        match = captions.SidecarMatcher(candidates)
        for name in entries:
            if split_ext(name)[1].lower() not in IMAGE_EXTS:
                continue
            found = match(name)
            if found:
                out[_join(folder, name)] = [(_join(folder, n), entries[n]) for n in found]
    return out


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


# ---- reading one file ----------------------------------------------------------------------
def _hash(path: Path) -> tuple[str, int]:
    """The file's SHA-256 and the number of bytes read."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _iso(value: datetime | date | None) -> str | None:
    """A date or time as cache text; a time keeps its offset: the archive's time zone turns it
    into a calendar date when the record is built (docx stores UTC: a file saved in Beijing
    before 08:00 belongs to the Beijing day)."""
    return value.isoformat() if value is not None else None


def _problem(exc: ArchiveError) -> dict:
    """A read error as cache metadata: what is wrong without the file's name (a report names the
    file already) and the reader's own fix (a truncated file is copied again, not re-saved)."""
    return {"error": getattr(exc, "reason", "corrupt"),
            "error_message": (getattr(exc, "problem", "") or exc.message).rstrip("。"),
            "error_hint": (exc.hint or "").rstrip("。")}


def read_file(path: Path, ext: str, sidecars: list[Path] | None = None) -> tuple[str, dict, str]:
    """Read one file's content-derived metadata: (hash, meta, text). Never raises for bad files;
    a file gone since it was listed has ``meta["error"] == GONE``.

    ``sidecars``: an image's caption sidecars, when the caller has listed its folder."""
    meta: dict = {}
    text = ""
    try:
        content_hash, size = _hash(path)
    except FileNotFoundError:
        return "", {"error": GONE}, ""  # moved or deleted while the scan ran: not evidence
    except OSError as exc:
        return "", {"error": "unreadable",
                    "error_message": f"无法读取文件（{os_reason(exc)}）",
                    "error_hint": "检查文件权限，或文件是否被其他程序占用"}, ""
    if size == 0:
        meta.update(error="empty", error_message="文件为空（0 字节）",
                    error_hint="从原始来源重新复制此文件")
        return content_hash, meta, text
    ext = ext.lower()
    try:
        if ext in IMAGE_EXTS:
            raw = captions.read_caption(path, sidecars)
            if raw is not None:
                meta["caption_text"], meta["caption_source"] = raw.text, raw.source
                text = raw.text
            taken = captions.read_exif_datetime(path)
            meta["exif_date"] = _iso(taken.date() if taken else None)  # the camera's own clock
        elif ext in TEXT_EXTS:
            got = extract.extract(path)
            text = got.text
            meta.update(footers=list(got.footers), char_count=got.char_count,
                        has_text_layer=got.has_text_layer, title=got.title,
                        created=_iso(got.created), pages=got.pages)
    except ArchiveError as exc:
        if not os.path.lexists(path):
            return "", {"error": GONE}, ""  # gone while it was being read
        meta.update(_problem(exc))
    return content_hash, meta, text


# ---- building records -----------------------------------------------------------------------
def _date_of(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def build_evidence(rel: str, st: os.stat_result, cached: CachedFile, config: ArchiveConfig,
                   binder: Binder, texts: TextReader | None, text: str | None = None
                   ) -> Evidence:
    """An Evidence record from a stat, cached content metadata and the current tree."""
    name = rel.rsplit("/", 1)[-1]
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
    parsed = parse_name(name)
    meta = cached.meta
    indicator, leaf, unknown = binder.bind(folder)
    caption: Caption | None = None
    if meta.get("caption_text"):
        caption = captions.parse_caption(meta["caption_text"], config.all_organizers,
                                         source=meta.get("caption_source", ""),
                                         window=(config.window_start, config.window_end))
    exif_date = _date_of(meta.get("exif_date"))
    activity = binder.activity(folder)
    resolved, source = dating.resolve(
        caption_time=caption.time if caption else None, theme=parsed.theme,
        ext=parsed.ext.lower(), exif=exif_date,
        folder=binder.activity_date(activity) if activity else None,
        created=meta.get("created"), window=config.window, zone=config.zone)
    ev = Evidence(
        path=rel, size=st.st_size, mtime_ns=st.st_mtime_ns, ext=parsed.ext.lower(),
        kind=kind_of(parsed.ext, parsed.theme), indicator_id=indicator, in_leaf=leaf,
        unknown_dirs=unknown, activity=activity or "", seq=parsed.seq, theme=parsed.theme,
        name_problem=parsed.problem, ascii_colon=parsed.colon == "ascii",
        date=resolved, date_source=source, caption=caption, exif_date=exif_date,
        footers=tuple(meta.get("footers", ())), title=meta.get("title", ""),
        char_count=meta.get("char_count"), has_text_layer=meta.get("has_text_layer"),
        pages=meta.get("pages"), error=meta.get("error"), error_message=meta.get("error_message", ""),
        error_hint=meta.get("error_hint", ""),
        content_hash=cached.hash,
    )
    if parsed.ext.lower() in TEXT_EXTS:
        if text is not None:
            ev._text_loader = lambda t=text: t
        elif texts is not None:
            ev._text_loader = lambda r=texts, p=rel: r(p)
    return ev


def _sidecar_sig(entries: list[tuple[str, os.stat_result]] | None) -> list | None:
    """Part of an image's cache key: a sidecar edited, added or removed reads the image again."""
    if not entries:
        return None
    return [[rel, st.st_size, st.st_mtime_ns] for rel, st in entries]


# ---- the scan -------------------------------------------------------------------------------
def scan(path: str | Path, *, config: ArchiveConfig | None = None,
         progress: Progress | None = None) -> ScanResult:
    """Scan ``path`` (the archive root, a folder or a file inside it) into Evidence records.

    Unchanged files come from the cache; new and changed files are read and cached; cache rows
    of files that disappeared below the scanned path are dropped.
    """
    started = time.perf_counter()
    config, target = resolve_target(path, config)
    root = config.root
    stats = ScanStats()
    single = target.is_file() and not target.is_symlink()
    files, folder_paths = _walk(root, target, stats)
    sidecars = _sidecars(files)
    sidecar_paths = {rel for found in sidecars.values() for rel, _ in found}
    files = [(rel, st) for rel, st in files if rel not in sidecar_paths]
    scope = "" if target == root else target.relative_to(root).as_posix()
    neighbours: tuple[tuple[str, int], ...] = ()
    if single:
        neighbours = tuple((rel, st.st_mtime_ns) for rel, st in files if rel != scope)
        files = [(rel, st) for rel, st in files if rel == scope]
    binder = Binder(config)
    evidence: list[Evidence] = []
    with Store(root / ARCHIVE_DIR) as store:
        texts = TextReader(store.path)
        if target.is_dir():
            cache = store.all_files(scope)
        else:
            hit = store.get(scope)
            cache = {scope: hit} if hit else {}
        to_write: list[tuple[str, int, int, str, dict, str]] = []
        pending = []
        for rel, st in files:
            hit = cache.get(rel)
            sig = _sidecar_sig(sidecars.get(rel))
            if (hit is not None and hit.size == st.st_size and hit.mtime_ns == st.st_mtime_ns
                    and hit.meta.get("sidecar") == sig):
                stats.cached += 1
                evidence.append(build_evidence(rel, st, hit, config, binder, texts))
            else:
                pending.append((rel, st, sig))
        t_read = time.perf_counter()
        vanished: set[str] = set()
        for done, (rel, st, sig) in enumerate(pending, 1):
            if progress:
                progress(done, len(pending), rel)
            content_hash, meta, text = read_file(
                root / rel, split_ext(rel)[1],
                [root / side for side, _ in sidecars.get(rel, ())])
            if meta.get("error") == GONE:
                vanished.add(rel)
                continue
            meta["sidecar"] = sig
            row = CachedFile(rel, st.st_size, st.st_mtime_ns, content_hash, meta)
            to_write.append((rel, st.st_size, st.st_mtime_ns, content_hash, meta, text))
            evidence.append(build_evidence(rel, st, row, config, binder, texts, text))
            stats.read += 1
        stats.read_seconds = time.perf_counter() - t_read
        seen = {rel for rel, _ in files} - vanished
        gone = [p for p in cache if p not in seen]
        store.put_many(to_write)
        store.delete_many(gone)
        stats.removed = len(gone)
        stats.cache_rebuilt = store.rebuilt
    evidence.sort(key=lambda e: e.path)
    counts: dict[str, int] = {}
    for ev in evidence:
        counts[ev.folder] = counts.get(ev.folder, 0) + 1
    folders = []
    for rel in folder_paths:
        fid = folder_id(rel.rsplit("/", 1)[-1])
        ind = config.tree.get(fid) if fid else None
        folders.append(Folder(rel, fid, ind.id if ind else None, counts.get(rel, 0),
                              activity=binder.activity(rel) is not None))
    stats.files = len(evidence)
    stats.unreadable = sum(1 for e in evidence if e.error)
    stats.seconds = time.perf_counter() - started
    in_scope = {rel for rel, _ in files} - vanished
    return ScanResult(config=config, evidence=evidence, folders=folders, stats=stats, scope=scope,
                      sidecars={img: tuple(rel for rel, _ in found)
                                for img, found in sidecars.items() if img in in_scope},
                      neighbours=neighbours)


def iter_indicator_evidence(result: ScanResult, indicator_id: str) -> Iterator[Evidence]:
    """Evidence bound to ``indicator_id`` or any of its descendants."""
    wanted = {ind.id for ind in result.config.tree.get(indicator_id).walk()}
    return (ev for ev in result.evidence if ev.indicator_id in wanted)
