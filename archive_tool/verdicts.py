"""Verdicts on files as they come and go: a complete file judged, a file gone forgotten, the
whole archive reconciled with the cache. The watcher (and the web's upload) ask for them through
:class:`archive_tool.Archive`; nothing here waits, loops or holds a thread.

A complete file is judged by scanning its folder, not the file alone: everything but the new
file comes from the metadata cache (a few stats), and lint then sees what a single file can't
show — a number taken twice in the folder (NAME_SEQ_DUP), a sidecar caption beside an image, the
folder's own PLACE_UNKNOWN_DIR. When the file lies in (or below) a folder that matches no
indicator, the topmost such folder is scanned instead, so its finding counts its files right.
Only the findings about the file are reported: its own, those of an unknown folder it is in, and
a NAME_SEQ_DUP on a sibling that shares its number (the new file may sort first).
"""
from __future__ import annotations

import dataclasses
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .captions.sidecars import CAPTIONED, is_sidecar_of
from .config import CONFIG_FILE, ArchiveConfig
from .errors import FileOperationError
from .evidence import Evidence, Finding
from .layout import folder_id, listing, walk
from .lint import LintReport, lint
from .naming import shown, split_ext
from .photo_hashes import Ahead
from .scan import SIDECAR_EXTS, Folder, ScanResult, scan
from .store import CACHE_FILE, Store

CHECKED, REMOVED, FAILED = "checked", "removed", "failed"


@dataclass(frozen=True)
class Verdict:
    """What the watcher concluded about one path."""

    #: checked (findings say what is wrong), removed (gone from cache and index), failed
    kind: str
    path: str
    findings: tuple[Finding, ...] = ()
    #: what found it: event, reconcile (at start, --once) or rescan (periodic)
    source: str = "event"
    #: for failed: what went wrong
    message: str = ""
    #: checked though unchanged since the cache last saw it: a problem still there, told again
    again: bool = False

    @property
    def ok(self) -> bool:
        return self.kind != FAILED and not self.findings

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "path": self.path, "ok": self.ok, "source": self.source}
        if self.kind == CHECKED:
            out["findings"] = [f.to_dict() for f in self.findings]
        if self.again:
            out["again"] = True
        if self.message:
            out["message"] = self.message
        return out


# ---- which folder to scan -------------------------------------------------------------------
def _folder_of(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def scan_target(config: ArchiveConfig, rel: str) -> str:
    """The folder to scan for file ``rel``: its folder, or the topmost unknown folder above it
    ('' for a file at the root: the files at the root are scanned, not the whole archive)."""
    folder = _folder_of(rel)
    if not folder:
        return ""
    parts = folder.split("/")
    for i, name in enumerate(parts):
        fid = folder_id(name)
        if fid is None or config.tree.get(fid) is None:
            return "/".join(parts[:i + 1])
    return folder


def _with_ancestors(result: ScanResult, target: str) -> ScanResult:
    """The scan of ``target`` plus Folder records for ``target`` and the folders above it."""
    if not target:
        return result
    counts: dict[str, int] = defaultdict(int)
    for ev in result.evidence:
        counts[ev.folder] += 1
    parts = target.split("/")
    extra = []
    for i, name in enumerate(parts):
        path = "/".join(parts[:i + 1])
        fid = folder_id(name)
        ind = result.config.tree.get(fid) if fid else None
        extra.append(Folder(path, fid, ind.id if ind else None, counts.get(path, 0)))
    return dataclasses.replace(result, folders=extra + list(result.folders))


# ---- findings about one file ----------------------------------------------------------------
class FindingsByPath:
    """A lint report indexed for :meth:`about`."""

    def __init__(self, report: LintReport):
        self.by_path: dict[str, list[Finding]] = defaultdict(list)
        for f in report.findings:
            self.by_path[f.path].append(f)
        self.by_seq: dict[tuple[str, int], list[str]] = defaultdict(list)
        for ev in report.result.evidence:
            if ev.seq is not None:
                self.by_seq[(ev.folder, ev.seq)].append(ev.path)

    def about(self, ev: Evidence) -> tuple[Finding, ...]:
        out: list[Finding] = []
        parts = ev.path.split("/")[:-1]
        for i in range(len(parts)):
            out.extend(f for f in self.by_path.get("/".join(parts[:i + 1]), ())
                       if f.rule == "PLACE_UNKNOWN_DIR")
        out.extend(self.by_path.get(ev.path, ()))
        if ev.seq is not None:
            for other in self.by_seq.get((ev.folder, ev.seq), ()):
                if other != ev.path:
                    out.extend(f for f in self.by_path.get(other, ()) if f.rule == "NAME_SEQ_DUP")
        return tuple(out)


def sidecar_owners(rel: str, candidates: Iterable[str]) -> list[str]:
    """The images among ``candidates`` (paths in ``rel``'s folder) whose caption sidecar ``rel``
    could be, matched as the scan matches them (case-insensitive: ``学习会.JPG.TXT``)."""
    if split_ext(rel)[1].lower() not in SIDECAR_EXTS:
        return []
    folder, name = _folder_of(rel), rel.rsplit("/", 1)[-1]
    return [path for path in candidates
            if _folder_of(path) == folder and split_ext(path)[1].lower() in CAPTIONED
            and is_sidecar_of(name, path.rsplit("/", 1)[-1])]


# ---- judging complete files -----------------------------------------------------------------
@dataclass
class Judged:
    verdicts: list[Verdict] = field(default_factory=list)
    #: the records to index
    evidence: list[Evidence] = field(default_factory=list)
    #: paths given that no longer exist (treat as gone)
    missing: list[str] = field(default_factory=list)
    #: cached files below the target that the scan found gone (their event may still come)
    removed: list[str] = field(default_factory=list)
    #: scan targets that failed, with the error
    failed: list[tuple[str, BaseException]] = field(default_factory=list)


def group_by_target(config: ArchiveConfig, rels: Iterable[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for rel in rels:
        groups[scan_target(config, rel)].append(rel)
    return dict(groups)


def judge(config: ArchiveConfig, target: str, rels: list[str], source: str = "event") -> Judged:
    """Scan ``target`` (:func:`scan_target`), lint it and judge the complete files ``rels``
    inside it."""
    out = Judged()
    with Store(config.archive_dir) as store:
        before = store.paths(target)
    result = scan(config.root / target, config=config) if target else scan_root_files(config)
    report = lint(_with_ancestors(result, target))
    found = FindingsByPath(report)
    by_path = {ev.path: ev for ev in result.evidence}
    judged: dict[str, Evidence] = {}
    for rel in rels:
        ev = by_path.get(shown(rel))  # a name that is not UTF-8 has a record all the same
        if ev is not None:
            judged[ev.path] = ev
            continue
        siblings = [p for p in by_path if _folder_of(p) == _folder_of(rel)]
        owners = sidecar_owners(rel, siblings)
        if owners:
            judged.update((p, by_path[p]) for p in owners)
        elif not os.path.lexists(config.root / rel):
            out.missing.append(rel)
    for rel, ev in judged.items():
        out.verdicts.append(Verdict(CHECKED, rel, found.about(ev), source))
        out.evidence.append(ev)
    out.removed = sorted(before - set(by_path))
    return out


# ---- files gone -----------------------------------------------------------------------------
@dataclass
class Forgotten:
    #: paths dropped from the cache (files that had been checked)
    removed: list[str] = field(default_factory=list)
    #: paths gone that the cache did not hold (another command, ``lint --fix``, had already
    #: updated it): the index may still hold them, or files below them
    unknown: list[str] = field(default_factory=list)
    #: images whose sidecar caption went away: check them again
    owners: list[str] = field(default_factory=list)


def forget(config: ArchiveConfig, rels: Iterable[str]) -> Forgotten:
    """Drop the cache rows of paths (files or folders) that no longer exist.

    Each path removed is named once, however many of the paths given cover it (a folder
    deleted or renamed comes with an event for the folder, each subfolder and each file)."""
    out = Forgotten()
    root = config.root
    removed: dict[str, None] = {}
    if not (config.archive_dir / CACHE_FILE).is_file():
        return out  # no cache (the archive is being deleted): nothing to forget, none made
    with Store(config.archive_dir) as store:
        for rel in dict.fromkeys(rels):
            if os.path.lexists(root / rel):
                continue  # back again (an atomic save): its touch will check it
            rows = store.rows(rel)
            removed.update(dict.fromkeys(rows))
            if not rows:
                out.unknown.append(rel)
                folder = _folder_of(rel)
                names = [_join(folder, n) for n in listing(root / folder).files]
                out.owners.extend(sidecar_owners(rel, names))
        out.removed = sorted(removed)
        store.delete_many(out.removed)
    out.owners = list(dict.fromkeys(out.owners))
    return out


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


# ---- the whole archive ----------------------------------------------------------------------
def archive_gone(config: ArchiveConfig) -> FileOperationError | None:
    """The error to stop with when the archive folder or its .archive/config.yaml is gone."""
    if not config.root.is_dir():
        return FileOperationError(f"监视的档案文件夹 {config.root} 已被删除或移走，监视已停止",
                                  hint="确认档案现在的位置，然后重新运行 archive-tool watch。")
    if not (config.archive_dir / CONFIG_FILE).is_file():
        return FileOperationError(
            f"档案的配置文件夹 {config.archive_dir}（config.yaml）已被删除，监视已停止",
            hint="从备份恢复 .archive 文件夹（或用 archive-tool init 重新建立档案配置），"
                 "然后重新运行 archive-tool watch。")
    return None


def scan_root_files(config: ArchiveConfig) -> ScanResult:
    """The files lying at the archive root (not in any folder), each scanned alone.

    A scan of the root would walk the whole archive; these are few (they all are misplaced).
    Caption sidecars of root images are left out, as a scan of the root leaves them out.
    """
    names = listing(config.root).files
    sidecars = {n for n in names if sidecar_owners(n, names)}
    evidence: list[Evidence] = []
    for name in names:
        if name not in sidecars:
            evidence.extend(scan(config.root / name, config=config).evidence)
    return ScanResult(config=config, evidence=evidence, folders=[], scope="")


@dataclass
class Part:
    """One part of a reconcile: a top-level folder, the files at the root, or the files gone."""

    #: the top-level folder scanned; "" for the files at the root; None for the files gone
    scope: str | None
    #: the scan (the index syncs a folder's part against it; root files are only added)
    result: ScanResult | None
    #: new or changed files since the cache last saw them, or files gone
    verdicts: list[Verdict]
    #: for the files gone: every path the reconcile found on disk (the index keeps no other)
    present: frozenset[str] = frozenset()

    @property
    def evidence(self) -> list[Evidence]:
        return self.result.evidence if self.result is not None else []


def reconcile(config: ArchiveConfig, source: str = "reconcile", skip: Iterable[str] = (),
              problems: bool = False) -> Iterator[Part]:
    """Scan and lint the whole archive, one top-level folder at a time.

    Yields a part per top-level folder, one for the files at the root, and one for the files
    the cache knew that are gone. Verdicts are for files the cache did not know or knew with
    another size or mtime, and with ``problems`` also for unchanged files that have findings
    (``again``: ``watch --once`` run by a scheduled task tells every problem still there, not
    only the new ones); ``skip`` names paths not to report (still being written). One folder
    at a time keeps memory low on a large archive and lets a stop fall between parts.
    """
    with Store(config.archive_dir) as store:
        # the cache keys only (no records, no metadata: memory)
        before = store.signatures()
    skip = set(skip)
    seen: set[str] = set()
    folders = listing(config.root).folders

    def part(scope: str, result: ScanResult, ahead: Ahead | None = None) -> Part:
        found = FindingsByPath(lint(_with_ancestors(result, scope), ahead=ahead))
        verdicts = []
        for ev in result.evidence:
            seen.add(ev.path)
            if ev.path in skip:
                continue
            if before.get(ev.path) != (ev.size, ev.mtime_ns):
                verdicts.append(Verdict(CHECKED, ev.path, found.about(ev), source))
            elif problems and found.about(ev):
                verdicts.append(Verdict(CHECKED, ev.path, found.about(ev), source, again=True))
        return Part(scope, result, verdicts)

    for name in folders:
        with Ahead(config.archive_dir) as ahead:  # its photos hashed while it is read
            judged = part(name, scan(config.root / name, config=config, ahead=ahead), ahead)
        yield judged
    yield part("", scan_root_files(config))
    gone = sorted(set(before) - seen)
    if gone:
        with Store(config.archive_dir) as store:  # rows of top-level folders that went away
            store.delete_many(gone)
    yield Part(None, None, [Verdict(REMOVED, path, source=source) for path in gone],
               frozenset(seen))


class Verdicts:
    """The verdicts of one archive (:attr:`archive_tool.Archive.verdicts`)."""

    def __init__(self, config: ArchiveConfig):
        self.config = config

    def targets(self, paths: Iterable[str]) -> dict[str, list[str]]:
        """The folders to scan (:func:`scan_target`) for judging ``paths``, with theirs."""
        return group_by_target(self.config, paths)

    def judge(self, target: str, paths: list[str], source: str = "event") -> Judged:
        """Scan and lint ``target``; the verdicts on the complete files ``paths`` in it."""
        return judge(self.config, target, paths, source)

    def judge_files(self, paths: Iterable[str], source: str = "event") -> Judged:
        """Every file of ``paths`` judged, folder by folder (an error stops it)."""
        out = Judged()
        for target, rels in self.targets(paths).items():
            got = self.judge(target, rels, source)
            out.verdicts += got.verdicts
            out.evidence += got.evidence
            out.missing += got.missing
            out.removed += got.removed
        return out

    def forget(self, paths: Iterable[str]) -> Forgotten:
        """Drop the cache rows of paths gone (see :func:`forget`)."""
        return forget(self.config, paths)

    def reconcile(self, source: str = "reconcile", *, skip: Iterable[str] = (),
                  problems: bool = False) -> Iterator[Part]:
        """The whole archive, a top-level folder at a time (see :func:`reconcile`)."""
        return reconcile(self.config, source, skip, problems)

    def failed(self, paths: Iterable[str], message: str, source: str = "event") -> list[Verdict]:
        """The verdicts on files that could not be judged (a name that is not UTF-8 shown
        with ``\\xNN``)."""
        return [Verdict(FAILED, shown(rel), source=source, message=message) for rel in paths]

    def gone(self) -> FileOperationError | None:
        """The error to stop with when the archive folder or its config went away."""
        return archive_gone(self.config)

    def files_below(self, rel: str) -> list[str]:
        """The files below the folder ``rel`` (one arrived), as the walk finds them."""
        return [path for path, _ in walk(self.config.root, self.config.root / rel).files]
