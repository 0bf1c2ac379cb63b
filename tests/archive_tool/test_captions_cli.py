"""``archive-tool caption show|set`` and ``archive-tool undo`` through the real entry point, on an
archive in tmp_path (config.yaml and tree copy as ``archive-tool init`` writes them)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from PIL import Image

from archive_tool.captions import read_caption
from archive_tool.cli import main
from archive_tool.config import ARCHIVE_DIR

TREE = """\
id: demo-2018
title: 演示指标体系
window: {start: 2018-01-01, end: 2018-12-31}
indicators:
  - id: I-1
    name: 思想政治建设
    owners: [机关党委]
    children:
      - id: II-1
        name: 加强学习
        lead: 机关党委
"""
UNIT = "临沂市环境保护局"


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "档案"
    (root / ARCHIVE_DIR).mkdir(parents=True)
    (root / ARCHIVE_DIR / "tree.yaml").write_text(TREE, encoding="utf-8")
    (root / ARCHIVE_DIR / "config.yaml").write_text(
        f"tree: tree.yaml\nunit: {UNIT}\norganizers: [市文明办]\n", encoding="utf-8")
    leaf = root / "I-1 思想政治建设" / "II-1 加强学习"
    leaf.mkdir(parents=True)
    return root


def photo(path, caption: str | None = None):
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2018:03:05 09:41:27"
    if caption:
        exif[0x9C9C] = caption.encode("utf-16-le") + b"\x00\x00"
    Image.new("RGB", (32, 24), (200, 30, 30)).save(path, "JPEG", exif=exif)
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_show_text_and_json(archive):
    path = photo(archive / "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg",
                 "2018年3月5日 市文明办联合开展学雷锋志愿服务")
    result = run("caption", "show", path)
    assert result.exit_code == 0, result.output
    assert "说明来源：Windows 详细信息·备注（XPComment）" in result.output
    assert "主办单位：市文明办" in result.output  # a name from the archive config
    assert "✓ 三要素齐全" in result.output
    assert "拍摄时间（EXIF）：2018-03-05 09:41:27" in result.output
    data = json.loads(run("caption", "show", path, "--format", "json").output)
    assert data["caption"] == {
        "source": "exif:XPComment", "text": "2018年3月5日 市文明办联合开展学雷锋志愿服务",
        "time": "2018-03-05", "time_text": "2018年3月5日", "organizer": "市文明办",
        "theme": "联合开展学雷锋志愿服务", "missing": [], "complete": True}
    assert data["exif_datetime"] == "2018-03-05T09:41:27"


def test_show_without_caption_and_outside_an_archive(tmp_path):
    path = photo(tmp_path / "a.jpg")
    result = run("caption", "show", path)
    assert result.exit_code == 0
    assert "说明：未找到" in result.output
    path = photo(tmp_path / "b.jpg", "学雷锋志愿服务")
    result = run("caption", "show", path)
    assert "缺少：活动时间、主办单位" in result.output


def test_show_unreadable_image_is_one_message_exit_2(tmp_path):
    path = tmp_path / "坏.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 broken")
    result = run("caption", "show", path)
    assert result.exit_code == 2
    assert "错误：图片文件已损坏" in result.output and "Traceback" not in result.output


def test_set_then_undo(archive):
    path = photo(archive / "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg")
    original = path.read_bytes()
    result = run("caption", "set", path, "--time", "２０１８年３月５日", "--organizer", UNIT,
                 "--theme", "学雷锋志愿服务")
    assert result.exit_code == 0, result.output
    text = "活动时间：2018年3月5日；主办单位：临沂市环境保护局；活动主题：学雷锋志愿服务"
    assert result.output.splitlines() == [
        "✓ 已写入 01：学习会.jpg 的说明（XMP、EXIF；图像数据未改动）",
        f"  {text}", f"  撤销：archive-tool undo {archive}"]
    assert read_caption(path).text == text

    result = run("undo", archive)
    assert result.exit_code == 0, result.output
    assert "已撤销「caption set」" in result.output
    assert "恢复原文件：I-1 思想政治建设/II-1 加强学习/01：学习会.jpg" in result.output
    assert path.read_bytes() == original
    result = run("undo", archive)
    assert result.exit_code == 2 and "没有可以撤销的操作" in result.output


def test_set_with_a_path_relative_to_a_subfolder(archive, monkeypatch):
    leaf = archive / "I-1 思想政治建设/II-1 加强学习"
    path = photo(leaf / "01：学习会.jpg")
    original = path.read_bytes()
    monkeypatch.chdir(leaf)
    result = run("caption", "set", "01：学习会.jpg", "--time", "2018-03-05", "--organizer", UNIT,
                 "--theme", "学习")
    assert result.exit_code == 0, result.output
    [tx] = json.loads(run("undo", "--list", "--format", "json").output)["transactions"]
    assert tx["operations"][0]["kind"] == "modify"
    assert tx["operations"][0]["path"] == "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg"
    assert run("undo").exit_code == 0
    assert path.read_bytes() == original


def test_set_keeps_parts_not_given_and_defaults_to_the_unit(archive):
    path = photo(archive / "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg", "学雷锋志愿服务")
    result = run("caption", "set", path, "--time", "2018.3.5", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["text"] == "活动时间：2018年3月5日；主办单位：临沂市环境保护局；活动主题：学雷锋志愿服务"
    assert data["method"] == "jpeg" and data["places"] == ["xmp", "exif"]


def test_set_on_a_gif_writes_a_sidecar_and_undo_removes_it(archive):
    path = archive / "I-1 思想政治建设/II-1 加强学习/02：海报.gif"
    Image.new("P", (8, 8)).save(path)
    result = run("caption", "set", path, "--time", "2018-03-05", "--organizer", UNIT,
                 "--theme", "宣传海报")
    assert result.exit_code == 0, result.output
    assert "已写入旁注文件 02：海报.gif.txt" in result.output
    assert path.with_name("02：海报.gif.txt").exists()
    assert "删除新建的文件" in run("undo", archive).output
    assert not path.with_name("02：海报.gif.txt").exists()


@pytest.mark.parametrize("args,message", [
    (["--time", "2018-13-45", "--organizer", UNIT, "--theme", "x"], "无法识别的活动时间"),
    (["--organizer", UNIT], "缺少活动时间、活动主题"),
    # the placeholders of lint's suggested commands are refused, each with what to put there
    (["--time", "活动日期", "--organizer", UNIT, "--theme", "x"], "--time 仍是占位词「活动日期」"),
    (["--time", "2018-03-05", "--organizer", "主办单位", "--theme", "x"], "占位词「主办单位」"),
    (["--time", "2018-03-05", "--theme", "活动主题"], "占位词「活动主题」"),
])
def test_set_usage_errors(archive, args, message):
    path = photo(archive / "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg")
    before = path.read_bytes()
    result = run("caption", "set", path, *args)
    assert result.exit_code == 2 and message in result.output
    assert path.read_bytes() == before
    assert not (archive / ARCHIVE_DIR / "undo.log").exists()


def test_set_outside_an_archive_is_refused(tmp_path):
    path = photo(tmp_path / "a.jpg")
    before = path.read_bytes()
    result = run("caption", "set", path, "--time", "2018-03-05", "--organizer", UNIT,
                 "--theme", "学雷锋")
    assert result.exit_code == 2
    assert "不在档案目录中，无法记录撤销日志；请先 archive-tool init" in result.output
    assert path.read_bytes() == before


def test_undo_list(archive):
    path = photo(archive / "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg")
    run("caption", "set", path, "--time", "2018-03-05", "--organizer", UNIT, "--theme", "学习")
    result = run("undo", archive, "--list")
    assert result.exit_code == 0 and "caption set  1 个文件  可撤销" in result.output
    data = json.loads(run("undo", archive, "--list", "--format", "json").output)
    [tx] = data["transactions"]
    assert tx["status"] == "committed"
    assert tx["operations"] == [{"kind": "modify", "src": None,
                                 "path": "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg"}]


def test_help_has_chinese_examples():
    for args in (["caption"], ["caption", "show"], ["caption", "set"], ["undo"]):
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert "示例：" in result.output and "archive-tool" in result.output


def test_set_through_a_symlinked_folder_out_of_the_archive_is_refused(archive, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    path = photo(outside / "01：学习会.jpg")
    before = path.read_bytes()
    (archive / "外部").symlink_to(outside)
    res = run("caption", "set", str(archive / "外部" / "01：学习会.jpg"), "--time", "2018-03-05",
              "--theme", "学习会")
    assert res.exit_code == 2 and "符号链接" in res.stderr and "Traceback" not in res.output
    assert path.read_bytes() == before


def test_set_says_what_it_could_not_update(archive):
    path = archive / "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg"
    exif = Image.Exif()
    exif[0x9C9C] = "旧说明".encode("utf-16-le") + b"\x00\x00"
    exif.get_ifd(0x8769)[0x927C] = b"\x00" * 65300  # an EXIF block nearly 64 KB
    Image.new("RGB", (32, 24), (200, 30, 30)).save(path, "JPEG", exif=exif)
    result = run("caption", "set", path, "--time", "2018-03-05", "--theme", "学习会")
    assert result.exit_code == 0, result.output
    assert "注意：EXIF 元数据已接近 64 KB 上限" in result.stderr
    as_json = run("caption", "set", path, "--time", "2018-03-06", "--theme", "学习会",
                  "--format", "json")
    assert json.loads(as_json.stdout)["warnings"] and json.loads(as_json.stdout)["places"] == ["xmp"]
    shown = run("caption", "show", path, "--format", "json")
    assert json.loads(shown.stdout)["caption"]["time"] == "2018-03-06"


def test_set_on_a_read_only_photo_is_refused(archive):
    import os

    path = photo(archive / "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg")
    os.chmod(path, 0o444)
    before = path.read_bytes()
    result = run("caption", "set", path, "--time", "2018-03-05", "--theme", "学习会")
    assert result.exit_code == 2 and "只读" in result.stderr and "Traceback" not in result.output
    assert path.read_bytes() == before and not (archive / ARCHIVE_DIR / "undo.log").exists()
