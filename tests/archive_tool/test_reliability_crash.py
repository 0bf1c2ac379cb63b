"""Every interrupted change can be undone: lint --fix killed at a random point (SIGKILL, and
SIGTERM, which rolls back at once), caption set and footer fix dying between replacing the file
and committing, a temporary file left by a killed write, an undo killed half-way.

The kills are real: the command runs in a child process. Where the moment must be exact (after
the file was replaced, before the commit line), the child makes its own death there with
``os._exit``, which skips every ``finally`` and ``except``, as kill -9 does.
"""
from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

from archive_tool.captions import read_caption, write_caption
from archive_tool.undo import UndoLog

from .scan_fixtures import UNIT, jpeg, leaf, make_archive

REPO = str(Path(__file__).resolve().parents[2])
FILES = 500


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": REPO}


def _cli(*args, check_rc=None) -> subprocess.CompletedProcess:
    ran = subprocess.run([sys.executable, "-m", "archive_tool", *map(str, args)],
                         capture_output=True, text=True, timeout=120, env=_env())
    if check_rc is not None:
        assert ran.returncode == check_rc, (ran.returncode, ran.stdout[-2000:], ran.stderr[-2000:])
    return ran


def _crashing(patch: str, *args) -> subprocess.CompletedProcess:
    """``archive-tool ARGS`` in a child process after ``patch`` (which makes it die with
    os._exit at some point) ran there."""
    code = f"import os, sys\n{patch}\nfrom archive_tool.cli import main\n" \
           "main(sys.argv[1:], prog_name='archive-tool')\n"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, timeout=120, env=_env())


def _state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture
def misnamed(tmp_path):
    root = make_archive(tmp_path)
    folder = leaf(root, "II-1")
    for number in range(FILES):
        (folder / f"学习材料{number:03d}.txt").write_text(f"第 {number} 份学习材料",
                                                         encoding="utf-8")
    return root, folder


def _kill_during_fix(root: Path, sig: int, after_ops: int) -> int:
    """Start ``lint --fix --yes``, send ``sig`` once the undo log holds ``after_ops`` renames
    (or the command ends first); its exit code."""
    log = root / ".archive" / "undo.log"
    proc = subprocess.Popen([sys.executable, "-m", "archive_tool", "lint", str(root), "--fix",
                             "--yes"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=_env())
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if log.exists() and log.read_bytes().count(b'"event": "op"') >= after_ops:
            proc.send_signal(sig)
            break
        time.sleep(0.002)
    return proc.wait(timeout=120)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("run", [1, 2])
def test_lint_fix_killed_at_a_random_point_is_undone(misnamed, sig, run):
    root, folder = misnamed
    before = _state(folder)
    point = random.SystemRandom().randint(1, FILES)
    code = _kill_during_fix(root, sig, point)
    context = f"killed with {signal.Signals(sig).name} after {point} renames (exit {code})"
    renamed = sum(1 for name in _state(folder) if name not in before)
    interrupted = UndoLog(root).interrupted()
    if sig == signal.SIGKILL and code == -signal.SIGKILL and point <= FILES - 50:
        assert interrupted is not None, context  # killed well before the end: not committed
    if interrupted is not None:
        assert 0 < renamed <= FILES, context  # the renames up to the kill are on disk
        lint = _cli("lint", root)
        assert "上次操作未完成" in lint.stderr and f"已改名 {renamed} 个文件" in lint.stderr, context
        again = _cli("lint", root, "--fix", "--yes", check_rc=2)  # no new change before undo
        assert "上次操作未完成" in again.stderr, context
    if sig == signal.SIGTERM and code == 143:
        # rolled back at once, as Ctrl-C is (or, when the signal came after the commit, whole)
        assert renamed in (0, FILES), context
    undo = _cli("undo", root)
    assert undo.returncode in (0, 2), (context, undo.stderr)
    assert _state(folder) == before, context
    assert not UndoLog(root).interrupted(), context
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")], context


# ---- a file replaced, the commit line never written -------------------------------------------
_DIE_AT_COMMIT = """
from archive_tool import undo
real = undo.UndoLog._append
def append(self, record):
    if record.get("event") == "commit":
        os._exit(9)  # the file is replaced; the process dies before the commit line
    real(self, record)
undo.UndoLog._append = append
"""


def test_caption_set_interrupted_is_undone_before_an_older_caption_set(tmp_path):
    root = make_archive(tmp_path)
    folder = leaf(root, "II-1")
    older, photo = jpeg(folder / "01：旧照片.jpg"), jpeg(folder / "02：学习会.jpg")
    with UndoLog(root).transaction("caption set") as tx:
        write_caption(older, "2018-03-01", UNIT, "植树", before_write=tx.record_modify,
                      on_ready=tx.record_written)
    captioned_older = older.read_bytes()
    original = photo.read_bytes()
    died = _crashing(_DIE_AT_COMMIT, "caption", "set", photo, "--time", "2018-03-05",
                     "--organizer", UNIT, "--theme", "学习会")
    assert died.returncode == 9, died.stderr
    assert photo.read_bytes() != original and read_caption(photo) is not None  # replaced
    undo = _cli("undo", root, check_rc=0)
    assert "已恢复被中断的「caption set」" in undo.stdout
    assert photo.read_bytes() == original  # the interrupted one first …
    assert older.read_bytes() == captioned_older  # … not the older one
    _cli("undo", root, check_rc=0)
    assert read_caption(older) is None
    assert "没有可以撤销的操作" in _cli("undo", root, check_rc=2).stderr


def test_footer_fix_interrupted_is_undone(tmp_path):
    root = make_archive(tmp_path)
    path = leaf(root, "II-1") / "01：学习计划.docx"
    doc = Document()
    doc.add_paragraph("学习计划正文")
    doc.save(path)
    original = path.read_bytes()
    died = _crashing(_DIE_AT_COMMIT, "footer", "fix", path)
    assert died.returncode == 9, died.stderr
    assert path.read_bytes() != original
    assert "已恢复被中断的「footer fix」" in _cli("undo", root, check_rc=0).stdout
    assert path.read_bytes() == original


def test_a_file_changed_after_the_crash_is_left_and_named(tmp_path):
    root = make_archive(tmp_path)
    photo = jpeg(leaf(root, "II-1") / "01：学习会.jpg")
    died = _crashing(_DIE_AT_COMMIT, "caption", "set", photo, "--time", "2018-03-05",
                     "--organizer", UNIT, "--theme", "学习会")
    assert died.returncode == 9, died.stderr
    photo.write_bytes(b"someone's later work")
    undo = _cli("undo", root, check_rc=0)
    assert "未恢复" in undo.stderr and "01：学习会.jpg" in undo.stderr
    assert photo.read_bytes() == b"someone's later work"
    assert list((root / ".archive" / "undo").rglob("*学习会.jpg"))  # the original is kept


# ---- a temporary file left by a killed write ---------------------------------------------------
_DIE_BEFORE_RENAME = """
from archive_tool import atomic
real = os.replace
def replace(src, dst):
    if os.path.basename(str(src)).endswith(".tmp"):
        os._exit(9)  # the new content is written and synced, not yet in place
    real(src, dst)
atomic.os.replace = replace
"""


def test_a_temporary_file_left_by_a_killed_write_is_removed_and_never_evidence(tmp_path):
    root = make_archive(tmp_path)
    folder = leaf(root, "II-1")
    photo = jpeg(folder / "01：学习会.jpg")
    original = photo.read_bytes()
    died = _crashing(_DIE_BEFORE_RENAME, "caption", "set", photo, "--time", "2018-03-05",
                     "--organizer", UNIT, "--theme", "学习会")
    assert died.returncode == 9, died.stderr
    (left,) = [p for p in folder.iterdir() if p.name.startswith(".~")]
    assert left.stat().st_size >= len(original) and photo.read_bytes() == original
    lint = _cli("lint", root, "--format", "json")
    assert '"files": 1' in lint.stdout  # the photo; the temporary file was never evidence
    assert not left.exists()
    _cli("undo", root, check_rc=0)
    assert photo.read_bytes() == original and not UndoLog(root).interrupted()


# ---- an undo killed half-way -------------------------------------------------------------------
_DIE_DURING_UNDO = """
from archive_tool import undo
real, done = os.rename, []
def rename(src, dst):
    real(src, dst)
    done.append(dst)
    if len(done) == 100:
        os._exit(9)
undo.os.rename = rename
"""


def test_an_undo_killed_half_way_is_finished_by_the_next(misnamed):
    root, folder = misnamed
    before = _state(folder)
    _cli("lint", root, "--fix", "--yes", check_rc=0)
    assert _state(folder) != before
    died = _crashing(_DIE_DURING_UNDO, "undo", root)
    assert died.returncode == 9, died.stderr
    assert UndoLog(root).history()[-1].status == "undoing"
    _cli("undo", root, check_rc=0)
    assert _state(folder) == before
    assert UndoLog(root).history()[-1].status == "undone"


def test_new_content_is_synced_to_the_disk_before_it_takes_the_files_place(tmp_path, monkeypatch):
    from archive_tool import atomic

    root = make_archive(tmp_path)
    photo = jpeg(leaf(root, "II-1") / "01：学习会.jpg")
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append(("fsync", os.readlink(f"/proc/self/fd/{fd}").rsplit("/", 1)[-1]))
        real_fsync(fd)

    def replace(src, dst):
        calls.append(("replace", os.path.basename(src)))
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", fsync)  # (the os module: the undo log's too)
    monkeypatch.setattr(atomic.os, "replace", replace)
    with UndoLog(root).transaction("caption set") as tx:
        write_caption(photo, "2018-03-05", UNIT, "学习会", before_write=tx.record_modify,
                      on_ready=tx.record_written)
    (renamed,) = [i for i, (what, _) in enumerate(calls) if what == "replace"]
    temp = calls[renamed][1]
    assert temp.endswith(".tmp") and ("fsync", temp) in calls[:renamed]  # synced, then renamed
    (written,) = [r for r in (root / ".archive" / "undo.log").read_text(encoding="utf-8")
                  .splitlines() if '"wrote"' in r]
    assert hashlib.sha256(photo.read_bytes()).hexdigest() in written
