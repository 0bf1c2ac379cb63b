"""``archive-tool index`` and ``archive-tool search`` through the real entry point, on a real
archive (the generated archive of the relevance set)."""
from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh.filedb.filestore import FileStorage

from archive_tool.cli import main

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("search_cli_generated",
                                               HERE / "relevance" / "generated.py")
GENERATED = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(GENERATED)
N_FILES = len(GENERATED.SPEC["files"])


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return GENERATED.build_generated(tmp_path_factory.mktemp("cli") / "档案")


@pytest.fixture
def root(pristine, tmp_path):
    copy = tmp_path / "档案"
    shutil.copytree(pristine, copy)
    return copy


def run(*args, cwd: Path | None = None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_index_then_nothing_to_do(root):
    first = run("index", root)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("检索索引不存在，已从档案建立：新增 19，")
    again = run("index", root)
    assert again.exit_code == 0
    assert again.stdout.startswith(f"索引已更新：新增 0，更新 0，删除 0，未变 {N_FILES}；")
    assert (root / ".archive" / "index").is_dir()


def test_index_json_and_changes(root):
    run("index", root)
    doc = next(root.rglob("01：节约用水倡议书.txt"))
    doc.write_text("节约用水倡议书\n请节约每一滴水，爱护水资源。", encoding="utf-8")
    next(root.rglob("01：职工趣味运动会.jpg")).unlink()
    done = run("index", root, "--format", "json")
    data = json.loads(done.stdout)
    assert (data["added"], data["updated"], data["removed"]) == (0, 1, 1)
    assert data["documents"] == N_FILES - 1 and data["rebuilt"] is False
    hits = json.loads(run("search", "水资源", "--root", root, "--format", "json").stdout)
    assert [h["path"].rsplit("/", 1)[-1] for h in hits["hits"]] == ["01：节约用水倡议书.txt"]
    assert run("search", "运动会", "--root", root).stdout.startswith("没有找到")


def test_index_rebuild(root):
    run("index", root)
    done = run("index", root, "--rebuild")
    assert done.stdout.startswith(f"按要求重建：新增 {N_FILES}，")


def test_search_text_output(root):
    run("index", root)
    done = run("search", "六五环境日", "--root", root, "--kind", "photo")
    assert done.exit_code == 0
    out = done.stdout
    assert " 1. 六五环境日宣传活动" in out
    assert "2018-06-05" in out and "照片" in out
    assert "指标：I-6 工作环境 / II-18 " in out
    assert "【六五环境日】" in out
    assert "共 1 个结果" in out


def test_search_json_output(root):
    run("index", root)
    done = run("search", "領導小組", "--root", root, "--format", "json")
    data = json.loads(done.stdout)
    assert data["total"] == 2 and len(data["hits"]) == 2
    hit = data["hits"][0]
    assert {"path", "indicator", "title", "date", "kind", "score", "snippet"} <= set(hit)
    assert hit["indicator"] == "II-20" and hit["kind"] == "document"
    assert isinstance(hit["score"], float)


def test_search_from_inside_the_archive(root, monkeypatch):
    run("index", root)
    inner = next(p for p in root.iterdir() if p.name.startswith("I-2 "))
    done = run("search", "晓明", "--format", "json", cwd=inner, monkeypatch=monkeypatch)
    data = json.loads(done.stdout)
    assert [h["title"] for h in data["hits"]] == ["环境监测业务培训说明报告"]


def test_natural_language_query_says_how_it_was_read(root):
    run("index", root)
    done = run("search", "六五环境日的照片", "--root", root)
    assert "「照片」理解为类型：照片" in done.stdout
    assert "共 1 个结果" in done.stdout


def test_filters_and_limit(root):
    run("index", root)
    done = run("search", "活动", "--root", root, "--indicator", "I-2", "--limit", "1",
               "--format", "json")
    data = json.loads(done.stdout)
    assert len(data["hits"]) == 1 and data["total"] > 1
    assert data["hits"][0]["indicator"].startswith("II-")
    done = run("search", "", "--root", root, "--organizer", "团委", "--from", "2018-03-10",
               "--to", "2018-03-31", "--format", "json")
    assert [h["title"] for h in json.loads(done.stdout)["hits"]] == ["植树节义务植树"]


@pytest.mark.parametrize("args,message", [
    (["search", '"领导小组'], "引号不配对"),
    (["search", "领导 OR"], "OR 两边"),
    (["search", "活动", "--indicator", "X-1"], "没有编号为 X-1"),
    (["search", "活动", "--from", "六月"], "无法识别的日期"),
    (["search", "活动", "--kind", "视频啊"], "未知的材料类型"),
])
def test_bad_input_gives_a_message_and_exit_2(root, args, message):
    run("index", root)
    done = run(*args, "--root", root)
    assert done.exit_code == 2
    assert message in done.stderr and "错误：" in done.stderr and "建议：" in done.stderr
    assert "Traceback" not in done.output


def test_outside_an_archive(tmp_path, monkeypatch):
    done = run("search", "活动", cwd=tmp_path, monkeypatch=monkeypatch)
    assert done.exit_code == 2 and "不在任何档案中" in done.stderr


def test_missing_index_is_built_by_search(root):
    done = run("search", "端午", "--root", root, "--format", "json")
    assert done.exit_code == 0
    assert json.loads(done.stdout)["total"] == 2


def test_corrupt_index_is_rebuilt_transparently(root):
    run("index", root)
    for path in (root / ".archive" / "index").iterdir():
        if path.suffix == ".seg":
            with open(path, "r+b") as fh:
                fh.truncate(path.stat().st_size // 3)
    done = run("search", "端午", "--root", root)
    assert done.exit_code == 0
    assert "已从档案重新建立" in done.stderr
    assert "共 2 个结果" in done.stdout
    again = run("index", root)
    assert again.stdout.startswith("索引已更新：新增 0，更新 0，删除 0，")


def test_busy_index(root):
    run("index", root)
    lock = FileStorage(str(root / ".archive" / "index")).lock("MAIN_WRITELOCK")
    assert lock.acquire(blocking=False)
    try:
        (next(root.rglob("01：节约用水倡议书.txt"))).write_text("改过了", encoding="utf-8")
        done = run("index", root, "--wait", "0.3")
    finally:
        lock.release()
    assert done.exit_code == 2
    assert "最多等待 0 秒" in done.stderr or "等待" in done.stderr
    assert "正被另一个进程写入" in done.stderr and "Traceback" not in done.output
    assert run("index", root).exit_code == 0


def test_help_has_examples():
    for command in ("index", "search"):
        done = CliRunner().invoke(main, [command, "--help"])
        assert done.exit_code == 0 and "示例：" in done.output


def test_nothing_is_written_outside_the_archive(root, tmp_path):
    import os
    import subprocess
    import sys

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp))
    done = subprocess.run([sys.executable, "-m", "archive_tool", "index", str(root)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and done.stdout.startswith("检索索引不存在，已从档案建立")
    assert (root / ".archive" / "jieba.cache").is_file()
    assert list(tmp.iterdir()) == []


@pytest.mark.parametrize("words", [["-调整 领导小组"], ["-调整", "领导小组"], ["领导小组", "-调整"],
                                   ["--", "-调整", "领导小组"]])
def test_a_query_may_start_with_an_excluded_word(root, words):
    run("index", root)
    done = run("search", "--root", root, "--format", "json", *words)
    assert done.exit_code == 0, done.output
    names = [h["path"].rsplit("/", 1)[-1] for h in json.loads(done.stdout)["hits"]]
    assert names == ["01：关于成立创建工作领导小组的通知.docx"]


def test_options_still_work_around_excluded_words(root):
    run("index", root)
    done = run("search", "-kind:photo", "--limit=1", "六五环境日", "--root", root,
               "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert [h["kind"] for h in data["hits"]] == ["document"] and data["total"] == 1
    assert run("search", "-h").stdout.startswith("用法：")


def test_an_unknown_field_is_a_message(root):
    run("index", root)
    done = run("search", "foo:bar", "--root", root)
    assert done.exit_code == 2
    assert "不认识的字段" in done.stderr and "--kind" in done.stderr


def test_help_documents_the_syntax():
    done = CliRunner().invoke(main, ["search", "--help"])
    for words in ("AND", "title:", "kind:photo", "-调整", "不作为检索词"):
        assert words in done.output, words
