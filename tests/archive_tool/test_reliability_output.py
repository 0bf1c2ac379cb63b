"""Reports never overwrite evidence: ``check -o`` refuses the archive, links and special files,
and writes through a temporary file."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from archive_tool.cli import main

from .scan_fixtures import docx, leaf, make_archive


@pytest.fixture
def root(tmp_path):
    root = make_archive(tmp_path)
    docx(leaf(root, "II-1") / "01：学习计划.docx", footer="01：学习计划")
    return root


def _check(root, output, *more):
    return CliRunner().invoke(main, ["check", str(root), "--as-of", "2018-10-15", "-o",
                                     str(output), *more])


def test_an_evidence_file_is_never_replaced_by_the_report(root):
    evidence = leaf(root, "II-1") / "01：学习计划.docx"
    before = evidence.read_bytes()
    for fmt in ("html", "xlsx", "json"):
        result = _check(root, evidence, "--format", fmt)
        assert result.exit_code == 2 and "档案文件夹之内" in result.stderr
    assert evidence.read_bytes() == before


def test_nothing_is_written_anywhere_inside_the_archive(root, tmp_path):
    for target in (root / "查缺.html", leaf(root, "II-1") / "查缺.xlsx",
                   tmp_path / "elsewhere" / ".." / "archive" / "查缺.md"):
        target.parent.mkdir(parents=True, exist_ok=True)
        assert _check(root, target).exit_code == 2
        assert not target.exists()


def test_a_link_is_never_followed(root, tmp_path):
    evidence = leaf(root, "II-1") / "01：学习计划.docx"
    before = evidence.read_bytes()
    outside = tmp_path / "outside.html"
    outside.write_text("keep", encoding="utf-8")
    for target in (evidence, outside):
        link = tmp_path / f"link-{target.name}.html"
        link.symlink_to(target)
        result = _check(root, link)
        assert result.exit_code == 2 and "符号链接" in result.stderr
        assert link.is_symlink()
    assert evidence.read_bytes() == before and outside.read_text(encoding="utf-8") == "keep"
    # a folder that is a link into the archive is the archive
    (tmp_path / "into").symlink_to(leaf(root, "II-1"))
    assert _check(root, tmp_path / "into" / "查缺.html").exit_code == 2


def test_a_fifo_or_a_folder_is_refused(root, tmp_path):
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "dir.html").mkdir()
    for name in ("pipe.html", "dir.html"):
        result = _check(root, tmp_path / name)
        assert result.exit_code == 2 and ("不是普通文件" in result.stderr
                                          or "是文件夹" in result.stderr)  # click's own check


def test_the_report_is_written_whole_through_a_temporary_file(root, tmp_path):
    target = tmp_path / "查缺.xlsx"
    target.write_bytes(b"an older report")
    assert _check(root, target).exit_code == 1
    assert target.read_bytes().startswith(b"PK")  # replaced by the new workbook
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
