"""Accounts (CLI and page), login throttling, the activity log, settings, and the rule that
web modules reach the library only through web/library.py."""
from __future__ import annotations

import ast
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_tool.cli import main

from .conftest import ACCOUNTS, PASSWORD

WEB = Path(__file__).resolve().parents[3] / "archive_tool" / "web"


def test_web_modules_import_the_library_only_through_the_adapter():
    for path in WEB.rglob("*.py"):
        if path.name == "library.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                name = node.module or ""
                outside = (node.level >= 2 or (node.level == 0 and name.startswith("archive_tool")
                                               and not name.startswith("archive_tool.web")))
                assert not outside, f"{path.name} imports {'.' * node.level}{name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not (alias.name.startswith("archive_tool")
                                and not alias.name.startswith("archive_tool.web")), path.name


def test_user_commands(served, archive):
    runner = CliRunner()
    result = runner.invoke(main, ["user", "add", "王峰", str(archive), "--role", "责任人",
                                  "--names", "王峰、办公室"],
                           input="Another-Pass-99\nAnother-Pass-99\n")
    assert result.exit_code == 0, result.output
    assert "已添加账号 王峰（责任人）" in result.output
    listed = runner.invoke(main, ["user", "list", str(archive), "--format", "json"])
    users = {u["username"]: u for u in __import__("json").loads(listed.output)["users"]}
    assert users["王峰"] == {"username": "王峰", "role": "owner", "names": ["王峰", "办公室"]}
    assert set(users) == {"王峰", *(name for name, _ in ACCOUNTS.values())}
    result = runner.invoke(main, ["user", "passwd", "王峰", str(archive), "--password-stdin"],
                           input="Third-Pass-2018\n")
    assert result.exit_code == 0
    from django.contrib.auth import authenticate

    assert authenticate(username="王峰", password="Third-Pass-2018") is not None
    assert runner.invoke(main, ["user", "remove", "王峰", str(archive)]).exit_code == 0
    result = runner.invoke(main, ["user", "remove", "王峰", str(archive)])
    assert result.exit_code == 2 and "没有用户「王峰」" in result.output


@pytest.mark.parametrize("args,said", [
    (["--role", "管理员"], "未知的角色「管理员」"),
    (["--role", "领导", "--password-stdin"], "密码不符合要求"),
])
def test_user_add_refusals(served, archive, args, said):
    result = CliRunner().invoke(main, ["user", "add", "新人", str(archive), *args], input="123\n")
    assert result.exit_code == 2 and said in result.output


def test_accounts_page(client_for, served):
    client = client_for("archivist")
    response = client.post("/accounts/", {"action": "add", "username": "凌绫", "role": "owner",
                                          "names": "凌绫", "password": "Fresh-Pass-2018"},
                           follow=True)
    assert "已添加账号 凌绫（责任人）" in response.content.decode()
    response = client.post("/accounts/", {"action": "remove", "username": "档案员"}, follow=True)
    assert "不能删除自己" in response.content.decode()
    from archive_tool.web.models import Activity

    assert Activity.objects.filter(action="account", unit_id=served.unit_id).count() == 1


def test_login_and_throttling(client_for):
    client = client_for(None)
    page = client.get("/login/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    name = ACCOUNTS["owner"][0]
    ok = client.post("/login/", {"username": name, "password": PASSWORD, "next": "/tasks/"})
    assert ok.status_code == 302 and ok["Location"] == "/tasks/"
    client.post("/logout/")
    for _ in range(5):
        bad = client.post("/login/", {"username": name, "password": "wrong"})
        assert "用户名或密码不对" in bad.content.decode()
    locked = client.post("/login/", {"username": name, "password": PASSWORD})
    assert locked.status_code == 403 and "登录失败次数过多" in locked.content.decode()
    other = client.post("/login/", {"username": ACCOUNTS["leader"][0], "password": PASSWORD,
                                    "next": "https://evil.example/"})
    assert other.status_code == 302 and other["Location"] == "/"


def test_activity_log_is_append_only_and_exports(client_for, served):
    from archive_tool.web.models import Activity

    client_for("archivist").post("/file/review/", {
        "p": "I-1 思想政治建设/II-1 加强学习/01：学习会.jpg", "status": "returned",
        "comment": "请补充说明"})
    entry = Activity.objects.get(unit_id=served.unit_id)
    entry.detail = "改过"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        Activity.objects.all().update(detail="x")
    with pytest.raises(PermissionError):
        Activity.objects.all().delete()
    response = client_for("leader").get("/log.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff时间,用户,角色,操作,文件")
    assert "档案员,档案组,审核" in text and "退回：请补充说明" in text
    assert "attachment" in response["Content-Disposition"]
    assert "请补充说明" in client_for("archivist").get("/log/").content.decode()


def test_settings_keep_secrets_out_of_the_archive(tmp_path, archive):
    from archive_tool.web import settings as web_settings
    from archive_tool.web.library import UsageError

    key = web_settings.secret_key(tmp_path)
    assert len(key) > 40 and web_settings.secret_key(tmp_path) == key
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    with pytest.raises(UsageError, match="在档案文件夹之内"):
        web_settings.refuse_inside((archive / "网页数据").resolve(), archive)
    web_settings.refuse_inside(tmp_path / "elsewhere", archive)
    db = web_settings.database("postgresql://u%40x:p%2Fw@db.local:5433/archive", tmp_path)
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == \
        ("u@x", "p/w", "db.local", "5433", "archive")
    assert web_settings.database(None, tmp_path)["NAME"] == str(tmp_path / "web.sqlite3")
    with pytest.raises(UsageError, match="不支持的数据库地址"):
        web_settings.database("mysql://x/y", tmp_path)


def test_debug_is_off(django_ready):
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_FAILURE_VIEW
