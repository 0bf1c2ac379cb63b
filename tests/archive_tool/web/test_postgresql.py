"""The view and file tests again, on PostgreSQL: Django is configured once per process, so they
run in a pytest of their own whose fixtures point at the server of ARCHIVE_TOOL_TEST_POSTGRES
(.ci/run starts one from Debian's packages and sets it)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DB_ENV

PG_ENV = "ARCHIVE_TOOL_TEST_POSTGRES"
HERE = Path(__file__).resolve().parent


def _url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url and os.environ.get("CI"):
        pytest.fail(f"{PG_ENV} is not set in CI: .ci/run should have started PostgreSQL")
    if not url:
        pytest.skip(f"no PostgreSQL to test on: set {PG_ENV}=postgresql://… "
                    "(.ci/run starts one with .ci/postgres)")
    return url


def test_views_and_files_on_postgresql(tmp_path):
    url = _url()
    if os.environ.get(DB_ENV):
        pytest.skip("already running on PostgreSQL")
    env = {**os.environ, DB_ENV: url}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
         "--basetemp", str(tmp_path / "run"), str(HERE / "test_views.py"),
         str(HERE / "test_files.py"), str(HERE / "test_accounts.py"),
         f"{HERE / 'test_postgresql.py'}::test_the_database_is_postgresql_when_asked"],
        capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " skipped" not in result.stdout


def test_the_database_is_postgresql_when_asked(django_ready):
    from django.db import connection

    expected = "postgresql" if os.environ.get(DB_ENV) else "sqlite"
    assert connection.vendor == expected
