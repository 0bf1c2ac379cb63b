"""``archive-tool watch`` through its real entry point: --once with CliRunner, and a live
process stopped with SIGTERM and with Ctrl-C (SIGINT)."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from archive_tool.cli import main

from ..conftest import L1



@pytest.fixture
def archive(demo_archive):
    return demo_archive


def put(root, rel, text="文明单位创建学习活动。"):
    (root / rel).write_text(text, encoding="utf-8")


def test_once_reports_what_changed_and_exits_1_on_findings(archive):
    put(archive, f"{L1}/01：学习.txt")
    put(archive, f"{L1}/会议.txt")
    result = CliRunner().invoke(main, ["watch", str(archive), "--once"])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(f"✓ {L1}/01：学习.txt")
    assert f"✗ {L1}/会议.txt  NAME_FORMAT 文件名缺少两位数序号和冒号" in lines[1]
    assert "修改：改名为 02：会议.txt" in lines[1]
    assert "已核对全部 2 个文件：新增或变化 2 个，删除或移走 0 个，其中有问题 1 个" in result.stderr
    # nothing changed since: the problem still there is told again (a scheduled task must not
    # report all clear while it lasts), the good file is not; exit 1
    again = CliRunner().invoke(main, ["watch", str(archive), "--once"])
    assert again.exit_code == 1, again.output
    (line,) = again.stdout.splitlines()
    assert f"✗ {L1}/会议.txt  NAME_FORMAT" in line
    assert "新增或变化 0 个，删除或移走 0 个，其中有问题 1 个" in again.stderr
    # a file deleted while nothing watched
    (archive / L1 / "会议.txt").unlink()
    third = CliRunner().invoke(main, ["watch", str(archive), "--once"])
    assert third.exit_code == 0
    assert third.stdout.splitlines()[0].endswith(f"− {L1}/会议.txt  已删除或移走（缓存和索引已更新）")


def test_once_json_lines(archive):
    put(archive, f"{L1}/会议.txt")
    result = CliRunner().invoke(main, ["watch", str(archive), "--once", "--format", "json"])
    assert result.exit_code == 1
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["kind"] == "checked" and record["ok"] is False and record["source"] == "reconcile"
    assert record["findings"][0]["rule"] == "NAME_FORMAT"


def test_not_an_archive_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["watch", str(tmp_path), "--once"])
    assert result.exit_code == 2
    assert "错误" in result.stderr


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["watch", "--help"])
    assert result.exit_code == 0
    assert "archive-tool watch 档案 --once" in result.output


class Live:
    """``python -m archive_tool watch`` in a process; its stdout and stderr lines as they come."""

    def __init__(self, archive, *args):
        env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "archive_tool", "watch", str(archive), "--quiet-for", "0.3",
             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
            encoding="utf-8")
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._pump, args=(stream, sink), daemon=True).start()

    @staticmethod
    def _pump(stream, sink):
        for line in stream:
            sink.append(line.rstrip("\n"))

    def wait_line(self, lines, text, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in lines):
                return
            if self.proc.poll() is not None and not any(text in line for line in lines):
                time.sleep(0.2)
                if not any(text in line for line in lines):
                    break
            time.sleep(0.05)
        raise AssertionError(f"no line with {text!r}: out={self.out} err={self.err}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_cleanly_with_exit_0(archive, sig):
    live = Live(archive)
    try:
        live.wait_line(live.err, "正在监视")
        put(archive, f"{L1}/01：学习.txt")
        live.wait_line(live.out, f"✓ {L1}/01：学习.txt")
        live.proc.send_signal(sig)
        assert live.proc.wait(30) == 0
        live.wait_line(live.err, "已停止：检查 1 个文件")
    finally:
        if live.proc.poll() is None:
            live.proc.kill()
    log = (archive / ".archive" / "watch.log").read_text(encoding="utf-8").splitlines()
    assert json.loads(log[-1])["event"] == "stopped"


@pytest.mark.parametrize("args", [[], ["--polling", "--interval", "0.2"]], ids=["native", "polling"])
@pytest.mark.parametrize("away", ["moved", "deleted"])
def test_the_watched_folder_deleted_is_one_message_and_exit_2(archive, args, away, tmp_path):
    import shutil

    for i in range(1, 4):
        put(archive, f"{L1}/{i:02d}：学习.txt")
    live = Live(archive, *args)
    try:
        live.wait_line(live.err, "正在监视")
        if away == "moved":  # to the recycle bin, or another place on the share: one step
            os.rename(archive, tmp_path / "回收站")
        else:  # a deletion takes many steps, with the watcher looking on meanwhile
            shutil.rmtree(archive, ignore_errors=True)
            shutil.rmtree(archive, ignore_errors=True)
        assert live.proc.wait(30) == 2
        live.wait_line(live.err, "已被删除或移走")
    finally:
        if live.proc.poll() is None:
            live.proc.kill()
    time.sleep(0.2)  # the pumps read the last lines of the closed pipes
    assert not any("✗" in line or "无法检查" in line for line in live.out + live.err), \
        live.out + live.err
    errors = [line for line in live.err if line.startswith("错误：")]
    assert len(errors) == 1, live.err
    assert not any("Traceback" in line or "已停止：" in line for line in live.err), live.err


def test_once_rebuilds_a_damaged_index(archive):
    from archive_tool.config import load_config

    from .test_search_index import _damage_postings

    put(archive, f"{L1}/01：学习.txt")
    assert CliRunner().invoke(main, ["watch", str(archive), "--once"]).exit_code == 0
    _damage_postings(load_config(archive))
    put(archive, f"{L1}/01：学习.txt", "文明单位创建学习活动，内容有变化。")
    result = CliRunner().invoke(main, ["watch", str(archive), "--once"])
    assert result.exit_code == 0, result.output
    assert "检索索引已损坏，已从档案重建" in result.stderr
    assert "出错" not in result.stderr


def test_once_exits_2_when_the_index_cannot_be_updated(archive):
    put(archive, f"{L1}/01：学习.txt")
    (archive / ".archive" / "index").write_text("不是文件夹", encoding="utf-8")
    result = CliRunner().invoke(main, ["watch", str(archive), "--once"])
    assert result.exit_code == 2, result.output
    assert "✓" in result.stdout                        # the file was checked all the same
    assert "本次核对未能完成这一步" in result.stderr
    assert "继续监视" not in result.stderr and "秒后重试" not in result.stderr


def test_once_words_a_busy_index_for_a_one_shot_run():
    from archive_tool.cli.watch_cmd import _status_line
    from archive_tool import Status

    busy = Status("index_busy", {"message": "检索索引正被另一个进程写入", "retry_in": 30.0})
    assert "30 秒后重试" in _status_line(busy)
    once = _status_line(busy, once=True)
    assert "本次没有更新索引" in once and "重试" not in once


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_signal_while_the_watcher_is_set_up_stops_it_cleanly(archive, sig):
    """The signal arrives while the Watcher is being built (the archive opened, the scanner and
    watchdog imported): the handlers are already in place, so it stops, exit 0."""
    put(archive, f"{L1}/01：学习.txt")
    code = (
        "import os, signal, sys\n"
        "import archive_tool.watch.service as service\n"
        "real = service.Watcher.__init__\n"
        "def init(self, *args, **kwargs):\n"
        f"    os.kill(os.getpid(), signal.{sig})\n"
        "    real(self, *args, **kwargs)\n"
        "service.Watcher.__init__ = init\n"
        "from archive_tool.cli import main\n"
        f"main(['watch', {str(archive)!r}, '--quiet-for', '0.3'])\n")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert "已停止：检查 0 个文件" in done.stderr and "已中断" not in done.stderr
    assert "Traceback" not in done.stderr


def test_watchdog_errors_never_reach_the_terminal_and_overflows_are_still_heard(archive):
    code = (
        "import logging\n"
        "from archive_tool.cli import main\n"
        "from archive_tool.watch.runtime import OverflowListener\n"
        f"main(['watch', {str(archive)!r}, '--once'], standalone_mode=False)\n"
        "heard = []\n"
        "OverflowListener(lambda: heard.append(1)).attach()\n"
        "logging.getLogger('watchdog.observers.inotify').error(\n"
        "    'InotifyEmitter.queue_events() called when the thread is inactive')\n"
        "logging.getLogger('watchdog.observers.inotify_c').warning(\n"
        "    'Inotify queue overflowed; filesystem events were lost')\n"
        "print('heard', len(heard))\n")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "heard 1"
    assert "queue_events" not in done.stderr and "overflowed" not in done.stderr
