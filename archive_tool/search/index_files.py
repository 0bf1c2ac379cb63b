"""The index folder ``<archive>/.archive/index``: its write lock, opening it, how its segments
merge, its size. Writing documents into it is :mod:`.indexer`'s.

Every writer holds Whoosh's own write lock of the folder (the file ``MAIN_WRITELOCK`` that
``ix.writer()`` takes), waiting a bounded time for another writer (the watcher, a second
``index`` run) before giving up with IndexBusyError.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from ..errors import FileOperationError, IndexBusyError, os_reason
from .schema import schema_version

#: why an index was rebuilt (IndexStats.reason), in the words the commands show
REBUILD_REASONS = {
    "requested": "按要求重建",
    "missing": "检索索引不存在，已从档案建立",
    "corrupt": "检索索引已损坏，已从档案重建",
    "incomplete": "检索索引不完整（上次建立时被中断），已从档案重建",
    "stale": "检索索引中有已改名或删除的文件，已按档案更新",
    "version": "检索规则、指标名称或程序版本已更新，检索索引已从档案重建",
}

INDEX_DIR = "index"
INDEX_NAME = whoosh_index._DEF_INDEX_NAME
#: seconds a writer waits for another writer before IndexBusyError
DEFAULT_WAIT = 30.0


def index_dir(config) -> Path:
    return Path(config.archive_dir) / INDEX_DIR


# ---- locking --------------------------------------------------------------------------------
@contextmanager
def write_lock(folder: Path, wait: float = DEFAULT_WAIT,
               on_wait: Callable[[float], None] | None = None) -> Iterator[float]:
    """Hold the index's write lock; yields the seconds spent waiting for it."""
    try:  # never the .archive above it: an archive deleted meanwhile must stay deleted
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise FileOperationError(f"无法建立索引文件夹 {folder}：{os_reason(exc)}",
                                 hint="检查档案的 .archive 文件夹是否存在、是否可写。") from None
    lock = FileStorage(str(folder)).lock(f"{INDEX_NAME}_WRITELOCK")
    started = time.monotonic()
    told = False
    while not lock.acquire(blocking=False):
        waited = time.monotonic() - started
        if waited >= wait:
            raise IndexBusyError(
                f"检索索引正被另一个进程写入（例如 archive-tool watch 或另一次 index），"
                f"等待 {wait:.0f} 秒后仍未释放",
                hint="稍后再试；如果确认没有其他进程在运行，删除 "
                     f"{folder / (INDEX_NAME + '_WRITELOCK')} 后重试。")
        if on_wait is not None and not told:
            on_wait(wait)
            told = True
        time.sleep(0.05)
    try:
        yield time.monotonic() - started
    finally:
        lock.release()


# ---- opening --------------------------------------------------------------------------------
def open_index(folder: Path, version: str | None = None, *, read: bool = True):
    """(index, None) when the index is usable, else (None, reason): missing, corrupt, or
    version (built by another analyzer or dictionary than ``version``; None: any). ``read``:
    open a reader to prove the segments readable (a search skips it: it reads them anyway and
    rebuilds the index when that fails).

    The segments are read as files, not memory-mapped: Whoosh copies each mapped file of a
    compound segment whole into memory when a reader opens it (the terms and postings of the
    40k-file archive: 25-40 ms and tens of MB for every search)."""
    if not folder.is_dir():
        return None, "missing"
    try:
        if not whoosh_index.exists_in(str(folder), INDEX_NAME):
            return None, "missing"
        ix = FileStorage(str(folder), supports_mmap=False).open_index(INDEX_NAME)
        found = schema_version(ix.schema)
        if found is None or (version is not None and found != version):
            return None, "version"
        if read:
            with ix.reader() as reader:
                reader.doc_count_all()
        return ix, None
    except Exception:  # noqa: BLE001 - any failure to read Whoosh's files means a broken index
        return None, "corrupt"


#: a segment beside the largest is merged into each new one while it holds fewer documents than
#: this: the segments of file-by-file updates (the watcher) become one as they come, for tens of
#: milliseconds; a larger one (a batch of changed files) is left as it is, not merged again on
#: every later update (1262 documents cost 0.5 s a change at 40,000 files)
SMALL_SEGMENT = 300
#: more segments than this beside the largest: they are all merged into the new one (Whoosh's
#: own policy would leave segments of a few hundred documents apart for ever)
MAX_SEGMENTS = 4


def merge_small_segments(writer, segments):
    """Whoosh merge policy: the small segments beside the largest merged into the new one, so an
    index updated file by file (the watcher) stays at two or three segments instead of Whoosh's
    usual four or five small ones (a search opens a reader per segment); when batches have left
    more than MAX_SEGMENTS beside the largest, all of them."""
    from whoosh.reading import SegmentReader

    if len(segments) < 2:
        return segments
    largest = max(segments, key=lambda seg: seg.doc_count_all())
    others = [seg for seg in segments if seg is not largest]
    if len(others) <= MAX_SEGMENTS:
        others = [seg for seg in others if seg.doc_count_all() < SMALL_SEGMENT]
    for seg in others:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if not any(seg is merged for merged in others)]


def index_size(folder: Path) -> int:
    """Bytes used by the index files."""
    total = 0
    for entry in os.scandir(folder):
        if entry.is_file():
            total += entry.stat().st_size
    return total
