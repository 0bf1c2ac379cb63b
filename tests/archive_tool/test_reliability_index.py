"""The index never lies: it follows renames made by another command while the watcher runs,
drops documents of files gone at every reconcile, and an index cut short is rebuilt."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from whoosh.filedb.filestore import FileStorage

from archive_tool import Archive
from archive_tool.cli import main
from archive_tool.config import load_config
from archive_tool.scan import scan
from archive_tool.search import index_dir
from archive_tool.search.analysis import prepare_for
from archive_tool.search.schema import index_version, make_schema
from archive_tool.watch.index import NoIndex
from archive_tool.watch.service import Watcher

from .test_watch_support import (L1, SearchIndex, archive, indexed, running, txt,  # noqa: F401
                                 wait_for)

REPO = str(Path(__file__).resolve().parents[2])


def _on_disk(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.txt")
            if ".archive" not in p.parts}


def test_the_watcher_follows_renames_made_by_lint_fix(archive):
    for number in range(60):
        txt(archive / L1 / f"创建材料{number:02d}.txt", f"创建工作材料第 {number} 份，六五环境日")
    with running(archive) as run:
        wait_for(lambda: indexed(archive) == _on_disk(archive), message="all indexed")
        fixed = CliRunner().invoke(main, ["lint", str(archive), "--fix", "--yes"])
        assert fixed.exit_code in (0, 1), fixed.output
        renamed = _on_disk(archive)
        assert all("：" in path for path in renamed)
        wait_for(lambda: indexed(archive) == renamed, message="the index follows the renames")
        run.wait_idle()
    hits = Archive.open(archive).search("六五环境日", limit=None)
    assert {hit.path for hit in hits.hits} == renamed


def test_a_reconcile_prunes_documents_of_files_the_cache_no_longer_held(archive):
    keep, gone = archive / L1 / "01：保留.txt", archive / L1 / "02：改名.txt"
    txt(keep), txt(gone)
    Archive.open(archive).index()
    # another command renames the file and updates the cache, not the index
    gone.rename(archive / L1 / "03：新名.txt")
    scan(archive)
    assert f"{L1}/02：改名.txt" in indexed(archive)
    Watcher(Archive.open(archive), index=SearchIndex(archive), log=False).reconcile("rescan")
    assert indexed(archive) == {f"{L1}/01：保留.txt", f"{L1}/03：新名.txt"}


def test_a_search_never_lists_a_file_that_is_gone(archive):
    txt(archive / L1 / "01：六五环境日.txt", "六五环境日宣传活动")
    Archive.open(archive).index()
    (archive / L1 / "01：六五环境日.txt").rename(archive / L1 / "02：六五环境日.txt")
    scan(archive)  # the cache follows, the index does not
    result = Archive.open(archive).search("六五环境日")
    assert [hit.path for hit in result.hits] == [f"{L1}/02：六五环境日.txt"]
    assert result.refreshed


_DIE_WHILE_INDEXING = """
import os, sys
from whoosh.writing import SegmentWriter
real, added = SegmentWriter.add_document, []
def add_document(self, **fields):
    real(self, **fields)
    added.append(1)
    if len(added) == 40:
        os._exit(9)  # killed in the middle of the first index
SegmentWriter.add_document = add_document
from archive_tool.cli import main
main(sys.argv[1:], prog_name="archive-tool")
"""


def test_a_first_index_killed_half_way_is_rebuilt_by_the_next_search(archive):
    for number in range(80):
        txt(archive / L1 / f"{number + 1:02d}：学习材料.txt", f"学习材料第 {number} 份")
    died = subprocess.run([sys.executable, "-c", _DIE_WHILE_INDEXING, "index", str(archive)],
                          capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": REPO})
    assert died.returncode == 9, died.stderr
    found = CliRunner().invoke(main, ["search", "学习材料", "--root", str(archive), "--limit",
                                      "100", "--format", "json"])
    assert found.exit_code == 0, found.output
    assert found.stdout.count('"path"') == 80


def test_an_empty_index_left_by_an_older_version_is_rebuilt(archive):
    for number in range(5):
        txt(archive / L1 / f"{number + 1:02d}：学习材料.txt")
    config = load_config(archive)
    scan(archive)  # the cache knows the files
    folder = index_dir(config)
    folder.mkdir()
    version = index_version(prepare_for(config))
    FileStorage(str(folder)).create_index(make_schema(version), indexname="MAIN")  # empty, valid
    with running(archive, index=NoIndex()):
        pass
    result = Archive.open(archive).search("学习材料", limit=None)
    assert result.rebuilt and len(result.hits) == 5
