"""Build and update the index in ``<archive>/.archive/index`` from Evidence records.

The index is a cache of what scan produced: it is updated incrementally (a stored signature per
document says whether it changed), and rebuilt from the archive when it is missing, unreadable,
fails while it is read or written (a damaged segment may open and break only when a deletion
reads its postings), or was built by another analyzer version. Every writer holds the folder's
write lock (:func:`.index_files.write_lock`).
"""
from __future__ import annotations

import errno
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index
from whoosh.query import Prefix
from whoosh.filedb.filestore import FileStorage

from ..config import ArchiveConfig
from ..errors import FileOperationError, os_reason
from ..evidence import UNDECODABLE_NAME, Evidence
from ..naming import undecodable
from . import analysis
from .index_files import (DEFAULT_WAIT, INDEX_NAME, index_dir, merge_small_segments, open_index,
                          write_lock)
from .schema import TreeInfo, document, index_version, is_image, make_schema, signature
from .signatures import Signatures, generation

Progress = Callable[[int, int, str], None]
#: the records of the whole archive, for a rebuild (a scan: :meth:`archive_tool.Archive.scan`)
Rescan = Callable[[], list[Evidence]]
#: megabytes of postings Whoosh's writer keeps before it spills them to disk. Measured on the
#: synthetic 10k archive: a full ``index --rebuild`` peaks at 176 MB with 16 and 449 MB with
#: 256 (Whoosh's pool takes several times its nominal size) for about a fifth more time; the
#: watcher's first start, which builds the index, peaks at 200 MB instead of 227 MB.
WRITER_MB = 16


@dataclass
class IndexStats:
    """What one update did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    #: documents in the index afterwards
    documents: int = 0
    rebuilt: bool = False
    #: why it was rebuilt: requested, missing, corrupt, version
    reason: str = ""
    seconds: float = 0.0
    #: seconds spent waiting for another writer
    waited: float = 0.0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# ---- writing --------------------------------------------------------------------------------
class _FreshIndex(whoosh_index.FileIndex):
    """The index folder seen as empty and with the current schema. A writer on it commits the
    next generation, which replaces the old one in one step: a search running meanwhile sees the
    old index until then, never an empty one, and a failed rebuild leaves the old one."""

    def __init__(self, storage, schema, generation: int):  # noqa: D107 - no TOC to read
        self.storage = storage
        self._schema = schema
        self.indexname = INDEX_NAME
        self._generation = generation

    def _read_toc(self):
        return whoosh_index.TOC(self._schema, [], self._generation)


def _fresh_index(folder: Path, version: str):
    """A new index is committed whole, the first one too: until the writer commits there is no
    table of contents, so a build that is killed leaves no index (``missing``, built again),
    never an empty one that a search would take for complete."""
    storage = FileStorage(str(folder))
    generation = whoosh_index.TOC._latest_generation(storage, INDEX_NAME)
    return _FreshIndex(storage, make_schema(version), generation)


#: OSErrors of the disk or the share, not of the index's files: rebuilding would not help
_ENVIRONMENT = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}


def _environmental(exc: BaseException) -> bool:
    """True for a full disk, a read-only share, no permission: a message, not a rebuild."""
    return isinstance(exc, OSError) and exc.errno in _ENVIRONMENT


def _unwritable(folder: Path, exc: OSError) -> FileOperationError:
    return FileOperationError(f"无法写入检索索引 {folder}：{os_reason(exc)}",
                              hint="检查磁盘空间和 .archive 文件夹的权限，然后运行 "
                                   "archive-tool index --rebuild。")


class _Broken(Exception):
    """Reading or writing the existing index failed: it is damaged, rebuild it."""


def _discard(writer) -> None:
    """Cancel ``writer`` and delete the files of the segment it had begun: Whoosh's cancel()
    leaves them (MAIN_xxx.pst, .trm, .col …) until some later commit."""
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - already closed by a failed commit
        pass
    try:
        prefix = writer.newsegment.segment_id() + "."
        for name in list(writer.storage):
            if name.startswith(prefix):
                writer.storage.delete_file(name)
    except Exception:  # noqa: BLE001 - best effort; the next commit cleans up as well
        pass


def _text(ev: Evidence) -> str:
    """What goes into the text field: the extracted text (images: what OCR read on a scan;
    the caption has its own field)."""
    return ev.recognised_text() if is_image(ev) else ev.text() or ""


def _in_scope(path: str, scope: str | None) -> bool:
    if scope is None:
        return False
    return not scope or path == scope or path.startswith(scope.rstrip("/") + "/")


class _Guard:
    """Runs Whoosh calls on an existing index: a failure reading or writing it (not the disk's)
    raises _Broken. On a fresh index (``rebuild``) failures are not the old index's."""

    def __init__(self, rebuild: bool):
        self.rebuild = rebuild

    def __call__(self, call, *args, **kwargs):
        if self.rebuild:
            return call(*args, **kwargs)
        try:
            return call(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - Whoosh raises anything on damaged files
            if _environmental(exc):
                raise
            raise _Broken(f"{type(exc).__name__}: {exc}") from exc


def write_documents(folder: Path, config: ArchiveConfig, evidence: list[Evidence], *,
                    scope: str | None = "", rebuild: bool = False,
                    progress: Progress | None = None, reason: str = "",
                    version: str | None = None, ix=None) -> IndexStats:
    """Bring the index in ``folder`` in line with ``evidence``; the caller holds the lock.

    Documents under ``scope`` ('' = the whole archive, None = nowhere) that are not in
    ``evidence`` are deleted. With ``rebuild`` the index is created afresh. Without it, any
    failure of Whoosh reading or writing the existing index raises _Broken (nothing is
    committed, the writer's files are removed); a failure of a record (its text) propagates.
    """
    started = time.perf_counter()
    stats = IndexStats(rebuilt=rebuild, reason=reason if rebuild else "")
    info = TreeInfo(config.tree)
    guard = _Guard(rebuild)
    table = Signatures(folder)
    try:
        wanted = {ev.path: (ev, signature(ev, info)) for ev in evidence
                  if ev.error != UNDECODABLE_NAME}  # no path to open it by: never a hit
        if rebuild:
            ix = _fresh_index(folder, version or index_version())
            stored, trusted, count = {}, False, 0
        else:
            if ix is None:  # the caller's open index, else opened here
                ix, why = open_index(folder)
                if ix is None:
                    raise _Broken(why)
            # a reader proves the segments readable (the table spares reading their documents)
            count = guard(_document_count, ix)
            # a few records added (scope None): only their signatures are looked up
            stored, trusted = guard(table.load, ix, list(wanted) if scope is None else None)
        changed = [(ev, sig) for path, (ev, sig) in wanted.items() if stored.get(path) != sig]
        gone = [path for path in stored if path not in wanted and _in_scope(path, scope)]
        stats.unchanged = len(wanted) - len(changed)
        before = generation(ix)
        if changed or gone or rebuild:
            _write(ix, guard, stats, stored, changed, gone, info, progress)
            stats.removed = len(gone)
        if not trusted:  # read from Whoosh: the table is written whole
            table.save_whole(ix, _after(stored, changed, gone))
        elif changed or gone:
            table.save(ix, before, {ev.path: sig for ev, sig in changed}, gone)
        stats.documents = count + stats.added - stats.removed
    finally:
        stats.seconds = time.perf_counter() - started
    return stats


def _document_count(ix) -> int:
    """The index's documents (its table of contents says), each segment's compound file opened
    first: that reads the segment's directory, so a truncated or damaged segment fails here.
    A reader would prove the same but copies every file of the segments into memory (100 MB
    at 40,000 files), for every update."""
    count = 0
    for segment in ix._segments():
        if segment.is_compound():
            segment.open_compound_file(ix.storage).close()
        else:
            for name in segment.list_files(ix.storage):
                ix.storage.file_length(name)
        count += segment.doc_count()
    return count


def _after(stored: dict[str, str], changed: list, gone: list[str]) -> dict[str, str]:
    """Every document's signature once ``changed`` and ``gone`` are committed."""
    whole = {path: sig for path, sig in stored.items() if path not in set(gone)}
    whole.update((ev.path, sig) for ev, sig in changed)
    return whole


def _write(ix, guard: _Guard, stats: IndexStats, stored: dict[str, str], changed: list,
           gone: list[str], info: TreeInfo, progress: Progress | None) -> None:
    """One commit: the documents gone deleted, the changed ones replaced or added."""
    writer = guard(ix.writer, _lk=False, limitmb=WRITER_MB)
    try:
        for path in gone:
            guard(writer.delete_by_term, "path", path)
        for done, (ev, sig) in enumerate(changed, 1):
            if progress is not None:
                progress(done, len(changed), ev.path)
            if ev.path in stored:
                guard(writer.delete_by_term, "path", ev.path)
                stats.updated += 1
            else:
                stats.added += 1
            guard(writer.add_document, **document(ev, info, _text(ev), sig))
        guard(writer.commit, mergetype=merge_small_segments)
    except BaseException:
        _discard(writer)
        raise


def _rebuild(folder: Path, config: ArchiveConfig, evidence: list[Evidence],
             progress: Progress | None, reason: str, version: str) -> IndexStats:
    """A fresh index from ``evidence``; an OSError (a full disk, no permission) is a message."""
    try:
        return write_documents(folder, config, evidence, scope="", rebuild=True,
                               progress=progress, reason=reason, version=version)
    except OSError as exc:
        raise _unwritable(folder, exc) from None


def _everything(rescan: Rescan | None, given: list[Evidence] = ()) -> list[Evidence]:
    """The records of the whole archive for a rebuild: ``rescan()``, else what was given."""
    return rescan() if rescan is not None else list(given)


def update_index(config: ArchiveConfig, evidence: Iterable[Evidence], *, scope: str | None = "",
                 rescan: Rescan | None = None, rebuild: bool = False,
                 progress: Progress | None = None, wait: float = DEFAULT_WAIT,
                 on_wait: Callable[[float], None] | None = None,
                 partial_rebuild: bool = False) -> IndexStats:
    """Update the archive's index from Evidence records; return what changed.

    Indexed files under ``scope`` that are not in ``evidence`` are removed: '' (the default)
    means the records are the whole archive, a folder that they are that folder's, None that
    nothing is removed (the watcher adding a few files). Only new and changed records are
    written.

    A missing, unreadable or outdated index, one that fails while it is read or written
    (reason ``corrupt``), or ``rebuild``, rebuilds the whole index: from the records given
    when they are the whole archive (or with ``partial_rebuild``: the caller indexes the rest
    next, as the watcher's start does one top-level folder at a time), else from ``rescan()``
    (the records of the whole archive; without it, from those given). Raises IndexBusyError
    when another writer holds the index for longer than ``wait`` seconds; ``on_wait`` is
    called once when waiting starts.
    """
    evidence = list(evidence)
    version = index_version(analysis.prepare_for(config))
    folder = index_dir(config)
    with write_lock(folder, wait, on_wait) as waited:
        # opened without a proving read: reading the stored signatures proves it (or _Broken)
        ix, reason = (None, "requested") if rebuild else open_index(folder, version, read=False)
        stats = None
        if reason is None:
            try:
                stats = write_documents(folder, config, evidence, scope=scope,
                                        progress=progress, ix=ix)
            except _Broken:
                reason = "corrupt"
            except OSError as exc:
                if not _environmental(exc):
                    raise
                raise _unwritable(folder, exc) from None
        if stats is None:
            if scope != "" and not partial_rebuild:
                evidence = _everything(rescan, evidence)
            stats = _rebuild(folder, config, evidence, progress, reason, version)
    stats.waited = waited
    return stats


def remove_paths(config: ArchiveConfig, paths: Iterable[str], *, rescan: Rescan | None = None,
                 wait: float = DEFAULT_WAIT,
                 on_wait: Callable[[float], None] | None = None) -> IndexStats:
    """Delete the documents of ``paths`` (files, or folders with every file below them, that
    disappeared) from the index.

    No index: nothing to do (``reason`` missing). An index that can't be opened or fails while
    deleting is rebuilt from ``rescan()`` (``rebuilt``, reason corrupt)."""
    folder = index_dir(config)
    stats = IndexStats()
    started = time.perf_counter()
    if not folder.is_dir():  # no index: nothing to delete, and no index folder made for it
        stats.reason = "missing"
        return stats
    with write_lock(folder, wait, on_wait) as waited:
        ix, reason = open_index(folder)
        if reason == "missing":
            stats.reason = reason
        else:
            try:
                if ix is None:
                    raise _Broken(reason)
                stats.removed, stats.documents = _delete(
                    ix, [p for p in paths if p and not undecodable(p)])
            except _Broken:
                version = index_version(analysis.prepare_for(config))
                stats = _rebuild(folder, config, _everything(rescan), None, "corrupt", version)
    stats.waited = waited
    stats.seconds = time.perf_counter() - started
    return stats


def _delete(ix, paths: list[str]) -> tuple[int, int]:
    """Delete the documents of ``paths``: (deleted, documents left); _Broken when Whoosh fails."""
    try:
        writer = ix.writer(_lk=False)
    except Exception as exc:  # noqa: BLE001 - Whoosh raises anything on damaged files
        raise _Broken(str(exc)) from exc
    removed = 0
    before = generation(ix)
    try:
        for path in paths:
            removed += writer.delete_by_term("path", path) or 0
            # a folder gone (renamed, moved, deleted): every document below it
            removed += writer.delete_by_query(Prefix("path", path.rstrip("/") + "/")) or 0
        writer.commit(mergetype=merge_small_segments)
        Signatures(Path(ix.storage.folder)).save(ix, before, {}, paths)
    except Exception as exc:  # noqa: BLE001
        _discard(writer)
        if _environmental(exc):
            raise _unwritable(Path(ix.storage.folder), exc) from None
        raise _Broken(f"{type(exc).__name__}: {exc}") from exc
    except BaseException:
        _discard(writer)
        raise
    try:
        with ix.reader() as reader:
            return removed, reader.doc_count()
    except Exception as exc:  # noqa: BLE001
        raise _Broken(str(exc)) from exc


def _incomplete(ix, config: ArchiveConfig) -> bool:
    """True for an index without a single document while the cache knows files: what a first
    build killed before its end left (before builds were committed whole)."""
    try:
        if ix.doc_count() > 0:
            return False
    except Exception:  # noqa: BLE001 - unreadable: the caller's search finds out
        return False
    from ..store import Store

    try:
        with Store(config.archive_dir) as store:
            return store.has_files()
    except Exception:  # noqa: BLE001 - no usable cache: nothing says the index is short
        return False


def ensure_index(config: ArchiveConfig, *, rescan: Rescan | None = None,
                 broken: str | None = None, wait: float = DEFAULT_WAIT,
                 on_wait: Callable[[float], None] | None = None, read: bool = True):
    """An openable, current index of the archive: (index, None), or (index, IndexStats) after
    it had to be rebuilt from ``rescan()`` (missing, unreadable, built by another analyzer or
    dictionary, or ``broken`` says why the caller found it unusable). ``read``: see
    :func:`open_index`."""
    folder = index_dir(config)
    version = index_version(analysis.prepare_for(config))
    if broken is None:
        ix, _ = open_index(folder, version, read=read)
        if ix is not None and not _incomplete(ix, config):
            return ix, None
    with write_lock(folder, wait, on_wait):
        ix, reason = open_index(folder, version)  # another writer may have rebuilt it meanwhile
        if ix is not None and _incomplete(ix, config):
            ix, reason = None, "incomplete"
        if ix is not None and broken is None:
            return ix, None
        stats = _rebuild(folder, config, _everything(rescan), None,
                         broken or reason or "missing", version)
    ix, reason = open_index(folder, version)
    if ix is None:
        raise FileOperationError(f"检索索引重建后仍无法打开：{folder}（{reason}）",
                                 hint=f"删除 {folder} 后重新运行 archive-tool index。")
    return ix, stats
