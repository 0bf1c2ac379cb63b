"""Fixtures of the web tests: Django configured once per process on SQLite, or on the
PostgreSQL of ``ARCHIVE_TOOL_TEST_DATABASE_URL`` (test_postgresql.py runs the view tests again
that way); a real archive (python-docx, Pillow, captions written by the library) served by a
Site; one account per role. Each test runs in a transaction that is rolled back."""
from __future__ import annotations

import io
import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image

from archive_tool.captions import write_caption

from ...conftest import new_archive

from ..scan_fixtures import docx, leaf as folder

DB_ENV = "ARCHIVE_TOOL_TEST_DATABASE_URL"
UNIT = "测试市生态环境局"
AS_OF = date(2018, 5, 15)
PASSWORD = "Correct-Horse-2018"
TREE = """
id: web-2018
title: 网页测试指标
window: {start: 2018-01-01, end: 2018-12-31}
indicators:
  - id: I-1
    name: 思想政治建设
    children:
      - id: II-1
        name: 加强学习
        owners: [曲丽娟]
        requirements:
          - text: 组织学习，每季度至少开展一次活动，提供现场照片
            rules: [{kind: photo, min: 1, period: quarter}]
      - id: II-2
        name: 制度建设
        owners: [王峰]
        requirements:
          - text: 提供正式发文
            rules: [{kind: document}]
  - id: I-2
    name: 道德建设
    children:
      - id: II-3
        name: 志愿服务
        owners: [曲丽娟]
        requirements:
          - 说明报告，400字左右
"""
#: role -> (username, names it answers for)
ACCOUNTS = {"archivist": ("档案员", ""), "owner": ("曲丽娟", "曲丽娟"), "leader": ("李局长", "")}


def jpeg_bytes(taken: date | None = None, size=(96, 64), colour=(90, 140, 200)) -> bytes:
    img = Image.new("RGB", size, colour)
    exif = img.getexif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d 10:00:00")
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def build_archive(base: Path) -> Path:
    """II-1: a captioned photo of Q1; II-2: a document in order and minutes without footer."""
    root = new_archive(base, TREE, unit=UNIT)
    photo = folder(root, "II-1") / "01：学习会.jpg"
    photo.write_bytes(jpeg_bytes(date(2018, 2, 1)))
    write_caption(photo, "2018-02-01", UNIT, "集中学习会")
    created = datetime(2018, 3, 1, 9, 0)
    docx(folder(root, "II-2") / "01：学习制度.docx", "学习制度全文。", "01：学习制度", created)
    docx(folder(root, "II-2") / "02：会议纪要.docx", "会议纪要正文。", None, created)
    return root


@pytest.fixture(scope="session")
def django_ready(tmp_path_factory):
    from archive_tool.web import settings as web_settings

    data = tmp_path_factory.mktemp("web-data")
    os.environ[web_settings.DATA_ENV] = str(data)  # the CLI's commands use it too
    web_settings.configure(data=data, database_url=os.environ.get(DB_ENV) or None,
                           fast_hashing=True)
    web_settings.migrate()
    return data


@pytest.fixture
def db(django_ready):
    """A transaction around the test, rolled back after it; the login throttle forgotten."""
    from django.core.cache import cache
    from django.db import transaction

    cache.clear()
    atomic = transaction.atomic()
    atomic.__enter__()
    try:
        yield
    finally:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def archive(tmp_path) -> Path:
    return build_archive(tmp_path)


@pytest.fixture
def served(db, archive):
    """The archive served (report date 2018-05-15) and one account per role."""
    from archive_tool.web.accounts import add_user, unit_for
    from archive_tool.web.site import Site, install

    site = install(Site(archive, as_of=AS_OF, max_age=3600))
    unit = unit_for(str(site.archive.root), UNIT)
    for role, (username, names) in ACCOUNTS.items():
        add_user(unit, username, role, PASSWORD, names)
    return site


@pytest.fixture
def client_for(served):
    """client_for(role) -> a logged-in Django test client (None: not logged in)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    def make(role: str | None, **kwargs) -> "Client":
        client = Client(**kwargs)
        if role is not None:
            client.force_login(get_user_model().objects.get(username=ACCOUNTS[role][0]))
        return client
    return make


def start_serve(args: list[str], data: Path) -> "subprocess.Popen":
    """``archive-tool serve`` as a real process (stdout and stderr together); a hang at the end
    can be dumped (faulthandler on SIGABRT, see :func:`stop_serve`)."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ARCHIVE_TOOL_DATA=str(data), PYTHONUNBUFFERED="1", PYTHONFAULTHANDLER="1")
    return subprocess.Popen([sys.executable, "-m", "archive_tool", "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            encoding="utf-8", env=env)


def stop_serve(proc, seconds: float = 30) -> str:
    """SIGTERM, as a service manager stops the server; the rest of its output read meanwhile
    (a child whose pipe nobody reads could block on a write). A server still there after
    ``seconds`` fails the test with the stacks of its threads."""
    import signal
    import subprocess

    proc.terminate()
    try:
        rest = proc.communicate(timeout=seconds)[0]
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
        dump = proc.communicate()[0]
        pytest.fail(f"serve did not stop {seconds:.0f} s after SIGTERM:\n{dump[-12000:]}")
    assert proc.returncode == 143, rest
    return rest
