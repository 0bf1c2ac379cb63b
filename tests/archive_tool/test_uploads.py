"""Files received through Archive.store (the browser's uploads) and Archive.rename: the names
the archive gives them, and the refusals that keep the archive and its undo log sound."""
from __future__ import annotations

import shutil

import pytest

from archive_tool import Archive, FileOperationError, UsageError
from archive_tool.naming import device_name, without_emoji

from ..conftest import L1, new_archive


@pytest.fixture
def archive(tmp_path) -> Archive:
    return Archive.open(new_archive(tmp_path))


@pytest.mark.parametrize("name", [
    "IMG_0421.JPG", "DSC01234.jpg", "P1010001.JPG", "20180921_153012.jpg", "IMG_0421(1).jpg",
    "微信图片_20180921153012.jpg", "mmexport1537512345678.jpg", "Screenshot_20180921-101010.png",
    "新建 Microsoft Word 文档 (2).docx", "文档1.docx", "image.png", "1.jpg"])
def test_a_camera_or_program_name_is_no_theme(archive, name):
    with pytest.raises(UsageError) as info:
        archive.store("II-1", name, [b"data"])
    assert "不是活动主题" in info.value.message and "「主题」" in info.value.hint
    assert not [p for p in (archive.root / L1).iterdir()]
    stored = archive.store("II-1", name, [b"data"], theme="读书分享会")  # a theme typed: stored
    assert stored.rsplit("/", 1)[-1].startswith("01：读书分享会.")


@pytest.mark.parametrize("theme", ["屏幕截图 2018-09-21 网站报道", "学雷锋", "DSC_学雷锋",
                                   "文档管理制度", "照片墙", "P2018 计划"])
def test_a_name_that_says_something_is_a_theme(theme):
    assert not device_name(theme)


def test_emoji_are_dropped_from_the_name(archive):
    stored = archive.store("II-1", "🎉志愿者合影😀.jpg", [b"data"])
    assert stored == f"{L1}/01：志愿者合影.jpg"
    assert without_emoji("❤️ 学雷锋 👍🏻") == "学雷锋"


def test_a_name_too_long_is_quoted_short(archive):
    with pytest.raises(UsageError) as info:
        archive.store("II-1", "很长的名字" * 40 + ".jpg", [b"data"])
    assert "太长" in info.value.message and len(info.value.message) < 120


def test_nothing_is_stored_where_the_archive_was_when_it_is_gone(archive, tmp_path):
    """The share unmounted (here: the folder moved away) while a server holds the archive open:
    the upload is refused, and no stray copy of its folders appears at the old place."""
    root = archive.root
    shutil.move(root, tmp_path / "moved")
    with pytest.raises(FileOperationError) as info:
        archive.store("II-1", "学习会.jpg", [b"data"])
    assert "档案文件夹无法访问" in info.value.message
    assert not root.exists()


def test_rename_of_a_file_gone_says_so_and_leaves_nothing_open(archive):
    photo = archive.root / L1 / "学习会.jpg"
    photo.write_bytes(b"data")
    rel = f"{L1}/学习会.jpg"
    archive.lint()
    photo.unlink()
    with pytest.raises(FileOperationError) as info:
        archive.rename(rel, "学习会")
    assert "学习会.jpg" in info.value.message
    assert archive.interrupted() is None  # the next change is not blocked
    assert archive.store("II-1", "读书会.jpg", [b"data"]).endswith("01：读书会.jpg")


def test_the_check_of_a_leafs_folder_is_that_leafs_gap(tmp_path):
    """What an upload changed is judged on the leaf's folder alone, as the whole archive's
    check judges it."""
    from datetime import date

    import copy

    from ..conftest import DEMO_TREE, L2
    from .scan_fixtures import jpeg

    tree = copy.deepcopy(DEMO_TREE)
    tree["indicators"][0]["children"][0]["requirements"] = ["每季度至少开展一次活动，提供现场照片"]
    root = new_archive(tmp_path, tree)
    archive = Archive.open(root)
    jpeg(root / L1 / "01：学习会.jpg", date(2018, 2, 1))
    jpeg(root / L1 / "02：2017年学习会.jpg", date(2017, 2, 1))
    jpeg(root / L2 / "01：宣讲.jpg", date(2018, 3, 1))
    as_of = date(2018, 5, 15)
    whole = archive.check(as_of=as_of)
    alone = archive.check(root / L1, as_of=as_of)
    [leaf] = [g for g in whole.leaves() if g.id == "II-1"]
    [same] = [g for g in alone.leaves() if g.id == "II-1"]
    assert leaf.to_dict() == same.to_dict() and leaf.rules and leaf.not_counted
    assert {p for p in alone.counted} == {p for p in whole.counted if p.startswith(L1)}
