"""A folder of several years (``years:``) served: the last year listed by default, another
with ``year``; the accounts belong to the unit (the folder of the years), not to one year."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from archive_tool.cli import main

from ...conftest import new_archive
from .conftest import PASSWORD, TREE, UNIT, folder, jpeg_bytes, start_serve, stop_serve

LEAF = "I-1 思想政治建设/II-1 加强学习/"


def build_years(base: Path) -> Path:
    """档案/2017年 and 档案/2018年 (each a photo of its own), joined by 档案's config."""
    top = base / "档案"
    for year in ("2017年", "2018年"):
        root = new_archive(top, TREE, unit=UNIT, name=year)
        (folder(root, "II-1") / f"01：{year}学习会.jpg").write_bytes(jpeg_bytes())
    (top / ".archive").mkdir()
    (top / ".archive" / "config.yaml").write_text("years: [2017年, 2018年]\n", encoding="utf-8")
    return top


@pytest.fixture
def years(tmp_path) -> Path:
    return build_years(tmp_path)


def _serve(top: Path, year: str | None = None):
    from archive_tool.web.accounts import add_user, unit_for
    from archive_tool.web.site import Site, install

    site = install(Site(top, max_age=3600, year=year))
    unit = unit_for(str(site.unit_root), UNIT)
    if not unit.members.exists():
        add_user(unit, "档案员", "archivist", PASSWORD)
    return site


def _login(client) -> None:
    assert client.post("/login/", {"username": "档案员", "password": PASSWORD}).status_code == 302


def test_the_last_year_is_served_and_its_label_shown(db, years):
    from django.test import Client

    site = _serve(years)
    assert site.archive.root == years / "2018年" and site.year == "2018年"
    assert site.unit_root == years
    client = Client()
    _login(client)
    page = client.get("/indicators/II-1/").content.decode()
    assert "2018年 ·" in page and "01：2018年学习会.jpg" in page and "2017年学习会" not in page
    assert client.get("/file/?p=" + quote(LEAF + "01：2018年学习会.jpg")).status_code == 200


def test_another_year_is_served_with_the_same_accounts(db, years):
    from django.test import Client

    _serve(years)
    site = _serve(years, "2017年")
    assert site.archive.root == years / "2017年"
    assert site.unit.members.count() == 1  # the account made while 2018年 was served
    client = Client()
    _login(client)
    page = client.get("/indicators/II-1/").content.decode()
    assert "01：2017年学习会.jpg" in page and "2018年学习会" not in page


def test_a_year_folder_served_alone_is_the_same_unit(db, years):
    assert _serve(years / "2017年").unit_root == years
    assert _serve(years).unit.pk == _serve(years / "2017年").unit.pk


def test_a_year_not_listed_or_of_a_plain_archive_is_refused(years):
    from archive_tool.web.library import UsageError, open_archive

    with pytest.raises(UsageError, match="没有年度「2016年」"):
        open_archive(years, "2016年")
    with pytest.raises(UsageError, match="不是多年度档案"):
        open_archive(years / "2018年", "2017年")


def test_user_commands_on_the_folder_of_the_years(db, years):
    runner = CliRunner()
    added = runner.invoke(main, ["user", "add", "王峰", str(years), "--role", "责任人",
                                 "--password-stdin"], input="Another-Pass-99\n")
    assert added.exit_code == 0, added.output
    listed = runner.invoke(main, ["user", "list", str(years / "2017年"), "--format", "json"])
    assert [u["username"] for u in json.loads(listed.output)["users"]] == ["王峰"]


def test_serve_on_the_folder_of_the_years_says_which_year(tmp_path):
    top = build_years(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(ARCHIVE_TOOL_DATA=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    proc = start_serve([str(top), "--port", "0", "--year", "2017年"], tmp_path / "data")
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "按 Ctrl+C 停止" in line:
                break
        output = "".join(lines)
        assert re.search(r"http://[\d.]+:\d+/", output), output
        assert f"档案：{top / '2017年'}" in output and "年度：2017年" in output
        assert f"archive-tool user add 用户名 --role 档案组 {top / '2017年'}" in output
    finally:
        stop_serve(proc)
    refused = subprocess.run([sys.executable, "-m", "archive_tool", "serve", str(top),
                              "--year", "2016年"], capture_output=True, text=True,
                             encoding="utf-8", env=env, timeout=60)
    assert refused.returncode == 2 and "没有年度「2016年」" in refused.stderr
