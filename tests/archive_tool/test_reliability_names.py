"""Names the tool cannot show, names too long for the file system, special files: each is a
finding or a refusal with a message, never an internal error, and the run goes on."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from archive_tool.cli import main
from archive_tool.config import load_config
from archive_tool import verdicts as watch_process

from .limited import assert_bounded, run_limited
from .scan_fixtures import docx, leaf, make_archive

#: what a zip made on a Chinese Windows machine leaves when extracted on Linux or Samba
UNDECODABLE = os.fsdecode(b"01\xef\xbc\x9a\xff\xfe.txt")
GBK_NAME = os.fsdecode("02：学习.txt".encode("gbk"))


@pytest.fixture
def root(tmp_path):
    root = make_archive(tmp_path)
    folder = leaf(root, "II-1")
    docx(folder / "03：学习计划.docx", footer="03：学习计划")
    (folder / UNDECODABLE).write_text("学习", encoding="utf-8")
    (folder / GBK_NAME).write_text("学习", encoding="utf-8")
    return root


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("command", [("lint",), ("lint", "--fix", "--yes"), ("check",),
                                     ("index", "--rebuild"), ("watch", "--once")])
def test_a_name_that_is_not_utf8_is_a_finding_not_exit_3(root, command):
    ran = run_limited(*command[:1], root, *command[1:])
    assert_bounded(ran)
    assert ran.returncode in (0, 1) and "内部出错" not in ran.stderr


def test_the_finding_shows_the_bytes_and_offers_the_gb18030_name(root):
    result = _run("lint", root, "--format", "json")
    assert result.exit_code == 1, result.output
    found = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(result.stdout)["findings"]
             if f["rule"] == "NAME_UNDECODABLE"}
    assert set(found) == {"01：\\xff\\xfe.txt", "02\\xa3\\xbaѧϰ.txt"}
    assert "「02：学习.txt」" in found["02\\xa3\\xbaѧϰ.txt"]["fix"]
    assert "UTF-8" in found["01：\\xff\\xfe.txt"]["message"]
    # the other files are checked as ever
    assert _run("lint", root).exit_code == 1


def test_a_name_that_is_not_utf8_never_counts_and_is_never_a_search_hit(root):
    check = _run("check", root, "--as-of", "2018-12-31", "--format", "json")
    assert check.exit_code == 1, check.output
    assert "NAME_UNDECODABLE" in check.stdout
    assert _run("index", root, "--rebuild").exit_code == 0
    search = _run("search", "学习", "--root", root, "--format", "json")
    assert search.exit_code == 0, search.output
    assert all("\\x" not in hit["path"] for hit in json.loads(search.stdout)["hits"])


def test_a_folder_whose_name_is_not_utf8(root):
    bad = leaf(root, "II-1") / os.fsdecode(b"\xc8\xeb\xb5\xb3")  # 入党 in GBK
    bad.mkdir()
    (bad / "01：申请书.txt").write_text("申请", encoding="utf-8")
    result = _run("lint", root, "--format", "json")
    assert result.exit_code == 1, result.output
    (finding,) = [f for f in json.loads(result.stdout)["findings"]
                  if f["path"].endswith("01：申请书.txt")]
    assert finding["rule"] == "NAME_UNDECODABLE" and "所在文件夹" in finding["message"]
    assert "「入党」" in finding["fix"]


def test_the_watcher_judges_a_file_it_cannot_name(root):
    config = load_config(root)
    rel = f"{leaf(root, 'II-1').relative_to(root).as_posix()}/{UNDECODABLE}"
    checked = watch_process.judge(config, rel.rsplit("/", 1)[0], [rel])
    (verdict,) = checked.verdicts
    assert verdict.path.endswith("01：\\xff\\xfe.txt")
    assert [f.rule for f in verdict.findings] == ["NAME_UNDECODABLE"]
    json.dumps(verdict.to_dict(), ensure_ascii=False).encode("utf-8")  # loggable


def test_a_fix_name_too_long_for_the_file_system_is_not_attempted(tmp_path):
    root = make_archive(tmp_path)
    long = "学" * 83 + ".txt"  # 253 bytes; "01：" makes it 258
    (leaf(root, "II-1") / long).write_text("学习", encoding="utf-8")
    (leaf(root, "II-1") / "学习记录.txt").write_text("学习", encoding="utf-8")
    result = _run("lint", root, "--fix", "--yes", "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert [r["dst"].rsplit("/", 1)[-1] for r in data["renamed"]] == ["01：学习记录.txt"]
    (finding,) = [f for f in data["findings"] if f["path"].endswith(long)]
    assert "255 字节" in finding["fix"] and "先缩短主题" in finding["fix"]
    assert (leaf(root, "II-1") / long).exists()


def test_a_rename_the_file_system_refuses_is_skipped_and_the_others_done(tmp_path):
    from archive_tool.fix import Rename, apply_renames
    from archive_tool.undo import UndoLog

    root = make_archive(tmp_path)
    folder = leaf(root, "II-1")
    rel = folder.relative_to(root).as_posix()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(name, encoding="utf-8")
    applied = apply_renames(root, [Rename(f"{rel}/a.txt", f"{rel}/{'学' * 90}.txt", "NAME_FORMAT"),
                                   Rename(f"{rel}/b.txt", f"{rel}/01：b.txt", "NAME_FORMAT")])
    assert [r.src for r, _ in applied.refused] == [f"{rel}/a.txt"]
    assert "太长" in applied.refused[0][1]
    assert [r.dst for r in applied.done] == [f"{rel}/01：b.txt"]
    (tx,) = UndoLog(root).history()
    assert [(op.src, op.path) for op in tx.operations] == [(f"{rel}/b.txt", f"{rel}/01：b.txt")]
    UndoLog(root).undo_last()
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "b.txt"]


def test_a_folder_path_too_long_for_the_system_is_a_finding(tmp_path):
    root = make_archive(tmp_path)
    fd = os.open(leaf(root, "II-1"), os.O_RDONLY)
    for _ in range(20):  # 20 × 240 bytes: past PATH_MAX, made relative to each folder
        os.mkdir("深" * 80, dir_fd=fd)
        deeper = os.open("深" * 80, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = deeper
    os.close(fd)
    for command in (("lint", root), ("check", root), ("index", root), ("watch", root, "--once")):
        ran = run_limited(*command)
        assert_bounded(ran)
    result = _run("lint", root, "--format", "json")
    assert any(f["rule"] == "FILE_UNREADABLE" and "太长" in f["message"]
               for f in json.loads(result.stdout)["findings"])


# ---- special files --------------------------------------------------------------------------
@pytest.mark.parametrize("args", [("caption", "show"),
                                  ("caption", "set", "--time", "2018-03-05", "--organizer", "局",
                                   "--theme", "学习"),
                                  ("footer", "fix")])
def test_a_fifo_is_refused_not_waited_on(tmp_path, args):
    root = make_archive(tmp_path)
    fifo = leaf(root, "II-1") / ("01：管道.docx" if args[0] == "footer" else "01：管道.jpg")
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "archive_tool", args[0], args[1], str(fifo), *args[2:]]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 2, ran.stderr
    assert "不是普通文件" in ran.stderr


def test_the_running_watcher_reports_such_a_file_and_checks_its_neighbours(tmp_path):
    from archive_tool import CHECKED
    from archive_tool.watch.index import NoIndex

    from ..conftest import new_archive
    from .test_watch_support import L1, running, txt

    root = new_archive(tmp_path)
    with running(root, index=NoIndex()) as run:
        (root / L1 / UNDECODABLE).write_text("学习", encoding="utf-8")
        txt(root / L1 / "02：学习记录.txt")
        bad = run.wait_verdict(f"{L1}/01：\\xff\\xfe.txt", CHECKED)
        assert [f.rule for f in bad.findings] == ["NAME_UNDECODABLE"]
        good = run.wait_verdict(f"{L1}/02：学习记录.txt", CHECKED)
        assert good.findings == ()
        assert not run.verdicts(kind="failed")
