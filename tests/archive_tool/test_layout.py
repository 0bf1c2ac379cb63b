"""The one walk (archive_tool.layout): what init, scan, lint, the watcher, ``new`` and the caption
sidecar matcher take as part of the archive, and that they agree."""
from __future__ import annotations

import os
import shutil

from archive_tool.captions import sidecar_paths
from archive_tool.layout import folder_counts, listing, walk
from archive_tool.lint import lint
from archive_tool.scaffold import init_archive
from archive_tool.scan import scan

from .scan_fixtures import docx, jpeg, leaf, make_archive

OLD = "其他材料/2017年旧档案"


def _with_old_archive_inside(tmp_path):
    """An archive, and an old archive (with its own .archive/) copied under 其他材料/."""
    (tmp_path / "old").mkdir()
    old = make_archive(tmp_path / "old")
    docx(leaf(old, "II-1") / "学习笔记.docx")  # a bad name: lint would report it
    root = make_archive(tmp_path)
    docx(leaf(root, "II-1") / "01：学习记录.docx", footer="01：学习记录")
    shutil.copytree(old, root / OLD)
    return root


def test_an_old_archive_copied_inside_is_skipped_by_init_scan_and_lint_alike(tmp_path):
    root = _with_old_archive_inside(tmp_path)
    counts, nested = folder_counts(root)
    assert nested == [OLD] and not any(p.startswith(OLD) for p in counts)
    assert init_archive(root, None).plan.actions == ()
    result = scan(root)
    assert result.nested == (OLD,)
    assert [ev.path for ev in result.evidence] == ["I-1 思想政治建设/II-1 加强学习/01：学习记录.docx"]
    assert not any(f.path.startswith(OLD) for f in lint(result).findings)


def test_a_walk_that_starts_inside_a_nested_archive_finds_nothing(tmp_path):
    root = _with_old_archive_inside(tmp_path)
    inside = root / OLD / "I-1 思想政治建设"
    walked = walk(root, inside)
    assert walked.files == [] and walked.folders == [] and walked.nested == [OLD]
    assert scan(next(p for p in (root / OLD).rglob("学习笔记.docx")),
                config=scan(root).config).evidence == []


def test_listing_leaves_out_what_the_walk_leaves_out(tmp_path):
    root = _with_old_archive_inside(tmp_path)
    folder = root / "I-1 思想政治建设" / "II-2 志愿服务"
    jpeg(folder / "01：照片.jpg")
    (folder / "01：照片.jpg.txt").write_text("说明", encoding="utf-8")
    (folder / "~$临时.docx").write_bytes(b"x")
    os.symlink(folder / "01：照片.jpg.txt", folder / "01：照片.txt")
    assert listing(folder).files == ["01：照片.jpg", "01：照片.jpg.txt"]
    assert sidecar_paths(folder / "01：照片.jpg") == [folder / "01：照片.jpg.txt"]
    assert "其他材料" in listing(root).folders
    assert listing(root / "其他材料").folders == []
