"""Logging in and out (throttled), and the archive group's page of accounts."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import accounts, site
from .access import allow, record
from .library import UsageError
from .models import ARCHIVIST, ROLES, Activity
from .wording import said

#: failed logins allowed per account name, and per address, within WINDOW seconds
PER_USER, PER_ADDRESS, WINDOW = 5, 30, 15 * 60


def _keys(request, username: str) -> list[tuple[str, int]]:
    address = request.META.get("REMOTE_ADDR", "")
    return [(f"login-fail:user:{username.lower()}", PER_USER),
            (f"login-fail:addr:{address}", PER_ADDRESS)]


def _throttled(request, username: str) -> bool:
    return any(cache.get(key, 0) >= limit for key, limit in _keys(request, username))


def _failed(request, username: str) -> None:
    for key, _ in _keys(request, username):
        cache.add(key, 0, WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, WINDOW)


@require_http_methods(["GET", "POST"])
def login_view(request):
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    error = ""
    username = request.POST.get("username", "").strip()[:150]
    if request.method == "POST":
        if _throttled(request, username):
            error = f"登录失败次数过多，请 {WINDOW // 60} 分钟后再试，或请档案组重设密码。"
        else:
            user = authenticate(request, username=username,
                                password=request.POST.get("password", ""))
            if user is None:
                _failed(request, username)
                error = "用户名或密码不对。"
            else:
                for key, _ in _keys(request, username)[:1]:
                    cache.delete(key)
                login(request, user)
                return redirect(target)
    return render(request, "web/login.html", {"error": error, "username": username,
                                              "next": target}, status=403 if error else 200)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


@require_http_methods(["GET", "POST"])
@allow(ARCHIVIST)
def accounts_page(request):
    unit = site.current().unit
    if request.method == "POST":
        action = request.POST.get("action", "")
        username = request.POST.get("username", "").strip()
        try:
            if action == "remove" and username == request.user.get_username():
                raise UsageError("不能删除自己正在使用的账号", "请用另一个档案组账号删除。")
            done = _account_action(unit, action, username, request.POST)
        except UsageError as exc:
            messages.error(request, said(exc))
        else:
            record(request, Activity.ACCOUNT, detail=done)
            messages.success(request, done)
        return redirect("accounts")
    return render(request, "web/accounts.html", {"members": accounts.list_users(unit),
                                                 "roles": ROLES})


def _account_action(unit, action: str, username: str, form) -> str:
    if action == "add":
        member = accounts.add_user(unit, username, form.get("role", ""),
                                   form.get("password", ""), form.get("names", ""))
        return f"已添加账号 {username}（{member.role_label}）"
    if action == "password":
        accounts.set_password(unit, username, form.get("password", ""))
        return f"已重设 {username} 的密码"
    if action == "remove":
        accounts.remove_user(unit, username)
        return f"已删除账号 {username}"
    raise UsageError("未知的操作", "请从账号页面重新提交。")
