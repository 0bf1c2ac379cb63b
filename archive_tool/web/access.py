"""Who may do what: the role check every view goes through, headers, the activity log."""
from __future__ import annotations

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from . import site
from .models import ARCHIVIST, LEADER, OWNER, ROLE_LABELS, Activity, Member

EVERYONE = (ARCHIVIST, OWNER, LEADER)
WRITERS = (ARCHIVIST, OWNER)
READERS_OF_ALL = (ARCHIVIST, LEADER)
#: no inline script or style, no plugins, framing only by the site itself (the PDF preview)
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")


def member_of(request) -> Member | None:
    """The logged-in account's membership in the unit being served (None: not a member)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if member is None or member.unit_id != site.current().unit_id:
        return None
    return member


def refused(request, message: str = "您的角色不能使用这个页面。"):
    return render(request, "403.html", {"message": message}, status=403)


def allow(*roles: str):
    """The view runs only for logged-in members of the unit with one of ``roles``; anyone
    else is sent to the login page (not logged in) or refused (403)."""
    def wrap(view):
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = member_of(request)
            if member is None:
                return refused(request, "这个账号不属于本单位的档案，请联系档案组。")
            if member.role not in roles:
                return refused(request)
            request.member = member
            return view(request, *args, **kwargs)
        guarded.roles = roles
        return guarded
    return wrap


def record(request, action: str, path: str = "", target: str = "", detail: str = "") -> None:
    """Append one line to the activity log."""
    member = request.member
    Activity.objects.create(unit_id=site.current().unit_id, user=request.user.get_username(),
                            role=member.role, action=action, path=path, target=target,
                            detail=detail)


def context(request) -> dict:
    """What every page's frame shows: the unit, the account and its role."""
    member = member_of(request)
    try:
        served = site.current()
    except RuntimeError:
        return {"member": member}
    archive = served.archive
    return {"member": member, "unit_name": archive.unit, "tree_title": archive.title,
            "year": served.year,
            "role_label": ROLE_LABELS.get(member.role, "") if member else "",
            "can_write": bool(member and member.role in WRITERS),
            "is_archivist": bool(member and member.role == ARCHIVIST),
            "reads_all": bool(member and member.role in READERS_OF_ALL)}


def security_headers(get_response):
    """A Content-Security-Policy on every response (no inline script: an uploaded file's text
    is never run) and no caching of pages that hold archive data."""
    def middleware(request):
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Cache-Control", "no-store")
        return response
    return middleware


def csrf_failure(request, reason: str = ""):
    return render(request, "403.html", {
        "message": "表单已过期或来源不明（CSRF 校验失败）。请刷新页面后重新提交。"}, status=403)
