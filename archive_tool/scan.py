"""Walk an archive (or a folder or file inside it) and produce Evidence records.

This is the one place that reads evidence files (through :mod:`.reading`). Content-derived
metadata (hash, caption, EXIF date, text, footers, character count, document dates) is cached in
``state.sqlite`` by size and mtime_ns, and so is the record built from it and the file's name
(number, theme, kind, parsed caption, resolved date: :mod:`.records`), under a key of what the
parsing depends on (the tree copy, organizers, window, time zone): a warm scan neither reads nor
parses an unchanged file, and a changed config parses every file again once. The indicator a
folder binds to is worked out on every scan, once per folder, so a renamed indicator or a new
tree never leaves stale data. What is evidence is what the one walk finds (:mod:`.layout`): symbolic
links are never followed, and a folder holding an archive of its own is not part of this one.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from . import captions, dating, derive, photo_hashes, records
from .captions.sidecars import sidecars_of
from .collector import building_records
from .config import ArchiveConfig
from .evidence import (FOOTED_EXTS, TEXT_EXTS, UNDECODABLE_NAME, Caption, Evidence,
                       kind_of)
from .layout import ARCHIVE_DIR, Walked, folder_id, walk
from .leftovers import remove_leftovers
from .naming import decoded_name, parse_name, shown, split_ext, undecodable
from .places import Binder, resolve_target
from .reading import GONE, read_file
from .store import CachedFile, NewRow, Row, Store, hashes_column
from .store_sqlite import TextReader
from .word.footers import carries_name

#: called as progress(done, total, path) while files are read
Progress = Callable[[int, int, str], None]
SIDECAR_EXTS = captions.SIDECAR_EXTS


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
    #: leftover temporary files of an interrupted write, deleted (see :mod:`.leftovers`)
    leftovers_removed: int = 0
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
    #: folders that could not be listed: (path as shown, why); their files were not seen
    unreadable_dirs: tuple[tuple[str, str], ...] = ()
    #: folders holding an archive of their own (an old archive copied in): not scanned
    nested: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return self.config.root


# ---- building records -----------------------------------------------------------------------
def _date_of(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def build_evidence(rel: str, st: os.stat_result, cached: CachedFile, config: ArchiveConfig,
                   binder: Binder, texts: TextReader | None, text: str | None = None,
                   extras: derive.Extras | None = None) -> Evidence:
    """An Evidence record from a stat, cached content metadata and the current tree (and what
    was computed once per content hash: ``extras``)."""
    name = rel.rsplit("/", 1)[-1]
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
    parsed = parse_name(name)
    meta = cached.meta
    indicator, leaf, unknown = binder.bind(folder)
    caption: Caption | None = None
    if meta.get("caption_text"):
        caption = captions.parse_caption(meta["caption_text"], config.all_organizers,
                                         source=meta.get("caption_source", ""),
                                         window=(config.window_start, config.window_end),
                                         length=meta.get("caption_length"))
    exif_date = _date_of(meta.get("exif_date"))
    activity = binder.activity(folder)
    kind = kind_of(parsed.ext, parsed.theme)
    ocr = extras.ocr_info(parsed.ext, kind, parsed.theme, meta, cached.hash) if extras else None
    resolved, source = dating.resolve(
        caption_time=caption.time if caption else None, theme=parsed.theme,
        ext=parsed.ext.lower(), exif=exif_date,
        folder=binder.activity_date(activity) if activity else None,
        created=meta.get("created"), window=config.window, zone=config.zone,
        printed=ocr.date if ocr else None, media=meta.get("media_recorded"))
    char_count = meta.get("char_count")
    if ocr is not None and ocr.pages_read and parsed.ext.lower() == ".pdf":
        char_count = ocr.chars  # a scanned 说明报告 is as long as its recognised text
    ev = Evidence(
        path=rel, size=st.st_size, mtime_ns=st.st_mtime_ns, ext=parsed.ext.lower(),
        kind=kind, indicator_id=indicator, in_leaf=leaf,
        unknown_dirs=unknown, activity=activity or "", seq=parsed.seq, theme=parsed.theme,
        name_problem=parsed.problem, ascii_colon=parsed.colon == "ascii",
        date=resolved, date_source=source, caption=caption, exif_date=exif_date,
        footers=tuple(meta.get("footers", ())), title=meta.get("title", ""),
        char_count=char_count, has_text_layer=meta.get("has_text_layer"),
        pages=meta.get("pages"), error=meta.get("error"),
        error_message=meta.get("error_message", ""),
        error_hint=meta.get("error_hint", ""),
        content_hash=cached.hash,
        limits=tuple(meta.get("limits", ())) + (ocr.limits if ocr else ()),
        ocr=ocr, **derive.Extras.fields(rel, meta),
        footer_named=(carries_name(meta.get("footers", ()), name)
                      if parsed.ext.lower() in FOOTED_EXTS else None),
    )
    if extras is not None:
        ev._ocr_loader = extras.loader(ocr, cached.hash)
    if _has_text(ev.ext, meta):
        if text is not None:
            ev._text_loader = lambda t=text: t
        elif texts is not None:
            ev._text_loader = lambda r=texts, p=rel: r(p)
    return ev


def _has_text(ext: str, meta: dict) -> bool:
    """Whether the cache keeps a text of the file (documents, legacy ones read)."""
    return ext in TEXT_EXTS or bool(meta.get("converted"))


def _sidecar_sig(entries: list[tuple[str, os.stat_result]] | None) -> str:
    """Part of an image's cache key: a sidecar edited, added or removed reads the image again."""
    if not entries:
        return ""
    return json.dumps([[rel, st.st_size, st.st_mtime_ns] for rel, st in entries])


# ---- names that cannot be shown -------------------------------------------------------------
def _undecodable_evidence(rel: str, st: os.stat_result, binder: Binder) -> Evidence:
    """The record of a file whose path is not valid UTF-8: its path as shown (``\\xff`` for
    each bad byte), the problem and the fix (GB18030 offered as the name where it decodes); the
    file is not read (nothing about it could be stored, shown or searched under its name)."""
    path = shown(rel)
    folder, _, name = rel.rpartition("/")
    ext = split_ext(name)[1].lower() if not undecodable(split_ext(name)[1]) else ""
    if undecodable(name):
        where, bad, target = "文件名", name, "文件"
    else:
        bad = next(part for part in folder.split("/") if undecodable(part))
        where, target = f"所在文件夹「{shown(bad)}」的名称", "文件夹"
    suggestion = decoded_name(bad)
    hint = (f"把{target}改名为「{suggestion}」（按 GB18030 解码得到的名字，请核对）"
            if suggestion else f"用文件管理器把{target}改成正常的中文名（如「NN：主题{ext}」）")
    indicator, leaf, unknown = binder.bind(shown(folder))
    return Evidence(
        path=path, size=st.st_size, mtime_ns=st.st_mtime_ns, ext=ext, kind=kind_of(ext, ""),
        indicator_id=indicator, in_leaf=leaf, unknown_dirs=unknown, error=UNDECODABLE_NAME,
        error_message=(f"{where}不是有效的 UTF-8 编码（常见于 Windows 中文系统打包的 zip 在 Linux "
                       "或共享盘上解压），无法正常显示、检索和统计"),
        error_hint=hint)


# ---- the scan -------------------------------------------------------------------------------
class _Builder:
    """Records of one scan: from the cache's records, from cached metadata, or from files read;
    the records built anew go back to the cache under the scan's key."""

    def __init__(self, store: Store, config: ArchiveConfig, binder: Binder):
        self.store, self.config, self.binder = store, config, binder
        self.texts = TextReader(store.path)
        self.extras = derive.Extras(store, config)
        self.key = records.context_key(config)
        self._bindings: dict[str, tuple] = {}
        #: photos hashed beside the reading, for the lint that follows (or None)
        self.ahead: photo_hashes.Ahead | None = None

    def binding(self, rel: str) -> tuple:
        """(indicator id, in leaf, unknown folders, activity folder) of a file's folder."""
        folder = rel.rpartition("/")[0]
        found = self._bindings.get(folder)
        if found is None:
            indicator, leaf, unknown = self.binder.bind(folder)
            found = self._bindings[folder] = (indicator, leaf, unknown,
                                              self.binder.activity(folder) or "")
        return found

    def cached(self, rel: str, st: os.stat_result, row: Row) -> Evidence | None:
        """The record kept in the cache, when it was built under this scan's key."""
        if row.record_key != self.key:
            return None
        return records.decode(row.record, rel, st, row.hash, self.binding(rel), self.texts,
                              self.extras.current)

    def build(self, rel: str, st: os.stat_result, cached: CachedFile,
              text: str | None = None) -> Evidence:
        return build_evidence(rel, st, cached, self.config, self.binder, self.texts, text,
                              self.extras)

    def rebuilt(self, stale: list[tuple[str, os.stat_result, Row]]
                ) -> tuple[list[Evidence], list]:
        """Records built again from cached metadata (another key, none kept, or a scan whose
        recognition changed); the files whose row went away meanwhile, to be read."""
        metas = self.store.metas([rel for rel, _, _ in stale]) if stale else {}
        evidence, updates, lost = [], [], []
        for rel, st, row in stale:
            meta = metas.get(rel)
            if meta is None:
                lost.append((rel, st, row.sidecar))
                continue
            ev = self.build(rel, st, CachedFile(rel, row.size, row.mtime_ns, row.hash, meta))
            record = records.encode(ev, _has_text(ev.ext, meta))
            if row.record_key != self.key or row.record != record:
                updates.append((rel, self.key, record, ev.kind, hashes_column(ev.phash)))
            evidence.append(ev)
        self.store.set_records(updates)
        return evidence, lost


def _read_pending(root: Path, pending, sidecars, progress: Progress | None, builder: _Builder
                  ) -> tuple[list[Evidence], list[NewRow], set[str]]:
    """Read the new and changed files: (records, cache rows, paths gone meanwhile)."""
    read: list[tuple] = []
    stats: dict[str, os.stat_result] = {}
    signatures: dict[str, str] = {}
    vanished: set[str] = set()
    for done, (rel, st, sig) in enumerate(pending, 1):
        if progress:
            progress(done, len(pending), shown(rel))
        content_hash, meta, text = read_file(root / rel, split_ext(rel)[1],
                                             [root / side for side, _ in sidecars.get(rel, ())])
        if meta.get("error") == GONE:
            vanished.add(rel)
            continue
        stats[rel], signatures[rel] = st, sig
        read.append((rel, st.st_size, st.st_mtime_ns, content_hash, meta, text))
        if builder.ahead is not None:
            builder.ahead.add(rel, content_hash, meta, root / rel)
    read = derive.enrich(root, builder.store, read)  # once per content hash
    evidence, rows = [], []
    for rel, size, mtime, content_hash, meta, text in read:
        ev = builder.build(rel, stats[rel], CachedFile(rel, size, mtime, content_hash, meta), text)
        evidence.append(ev)
        rows.append(NewRow(rel, size, mtime, content_hash, meta, text, signatures[rel],
                           builder.key, records.encode(ev, _has_text(ev.ext, meta)), ev.kind,
                           hashes_column(ev.phash)))
    return evidence, rows, vanished


def _folders(config: ArchiveConfig, binder: Binder, folder_paths: list[str],
             evidence: list[Evidence]) -> list[Folder]:
    counts: dict[str, int] = {}
    for ev in evidence:
        counts[ev.folder] = counts.get(ev.folder, 0) + 1
    folders = []
    for rel in map(shown, folder_paths):
        fid = folder_id(rel.rsplit("/", 1)[-1])
        ind = config.tree.get(fid) if fid else None
        folders.append(Folder(rel, fid, ind.id if ind else None, counts.get(rel, 0),
                              activity=binder.activity(rel) is not None))
    return folders


@dataclass
class _Listed:
    """What the walk gave a scan: the files to record, their sidecars, the neighbours of a file
    scanned alone, and the walk itself."""

    files: list[tuple[str, os.stat_result]]
    sidecars: dict[str, list[tuple[str, os.stat_result]]]
    neighbours: tuple[tuple[str, int], ...]
    walked: Walked


def _list(root: Path, target: Path, scope: str) -> _Listed:
    """Walk ``target``: caption sidecars are set apart (they belong to their image), and for a
    single file the other files of its folder become its neighbours."""
    walked = walk(root, target)
    sidecars = sidecars_of(walked.files)
    sidecar_paths = {rel for found in sidecars.values() for rel, _ in found}
    files = [(rel, st) for rel, st in walked.files if rel not in sidecar_paths]
    neighbours: tuple[tuple[str, int], ...] = ()
    if target.is_file() and not target.is_symlink():
        neighbours = tuple((rel, st.st_mtime_ns) for rel, st in files
                           if rel != scope and not undecodable(rel))
        files = [(rel, st) for rel, st in files if rel == scope]
    return _Listed(files, sidecars, neighbours, walked)


def _records(store: Store, listed: _Listed, cache: dict[str, Row], config: ArchiveConfig,
             binder: Binder, stats: ScanStats, progress: Progress | None, ahead
             ) -> tuple[list[Evidence], set[str]]:
    """Evidence records of the listed files: from the cache when unchanged, else read (and the
    cache updated); the paths seen. Cache rows below the scope that were not seen are dropped."""
    builder = _Builder(store, config, binder)
    builder.ahead = ahead
    evidence: list[Evidence] = []
    pending, stale = [], []
    for rel, st in listed.files:
        row = cache.get(rel)
        sig = _sidecar_sig(listed.sidecars.get(rel))
        if undecodable(rel):
            evidence.append(_undecodable_evidence(rel, st, binder))
        elif (row is not None and row.size == st.st_size and row.mtime_ns == st.st_mtime_ns
                and row.sidecar == sig):
            stats.cached += 1
            ev = builder.cached(rel, st, row)
            if ev is None:
                stale.append((rel, st, row))
            else:
                evidence.append(ev)
        else:
            pending.append((rel, st, sig))
    again, lost = builder.rebuilt(stale)
    evidence.extend(again)
    stats.cached -= len(lost)
    t_read = time.perf_counter()
    read, to_write, vanished = _read_pending(config.root, pending + lost, listed.sidecars,
                                             progress, builder)
    evidence.extend(read)
    stats.read = len(to_write)
    stats.read_seconds = time.perf_counter() - t_read
    seen = {rel for rel, _ in listed.files} - vanished
    gone = [p for p in cache if p not in seen]
    store.put_many(to_write)
    store.delete_many(gone)
    stats.removed = len(gone)
    stats.cache_rebuilt = store.rebuilt
    return evidence, seen


@building_records
def scan(path: str | Path, *, config: ArchiveConfig | None = None,
         progress: Progress | None = None, ahead: photo_hashes.Ahead | None = None
         ) -> ScanResult:
    """Scan ``path`` (the archive root, a folder or a file inside it) into Evidence records.

    Unchanged files come from the cache; new and changed files are read and cached; cache rows
    of files that disappeared below the scanned path are dropped. A file whose path is not
    valid UTF-8 is a record with that problem (never read nor cached); temporary files left by
    an interrupted write are deleted (:mod:`.leftovers`); what the walk leaves out
    (:mod:`.layout`) is not evidence. Photos are recorded without their perceptual hashes
    (lint computes them: :mod:`.photo_hashes`); ``ahead`` hashes them beside the reading.
    """
    started = time.perf_counter()
    config, target = resolve_target(path, config)
    root = config.root
    scope = "" if target == root else target.relative_to(root).as_posix()
    listed = _list(root, target, scope)
    stats = ScanStats(symlinks_skipped=listed.walked.symlinks)
    stats.leftovers_removed = remove_leftovers(config.archive_dir, listed.walked.leftovers)
    binder = Binder(config)
    with Store(root / ARCHIVE_DIR) as store:
        cache = store.rows(scope, exact=not target.is_dir())
        evidence, seen = _records(store, listed, cache, config, binder, stats, progress, ahead)
    evidence.sort(key=lambda e: e.path)
    stats.files = len(evidence)
    stats.unreadable = sum(1 for e in evidence if e.error)
    stats.seconds = time.perf_counter() - started
    walked = listed.walked
    return ScanResult(config=config, evidence=evidence,
                      folders=_folders(config, binder, walked.folders, evidence), stats=stats,
                      scope=scope,
                      sidecars={img: tuple(rel for rel, _ in found)
                                for img, found in listed.sidecars.items() if img in seen},
                      neighbours=listed.neighbours,
                      unreadable_dirs=tuple((shown(rel), why) for rel, why in walked.unreadable),
                      nested=tuple(map(shown, walked.nested)))
