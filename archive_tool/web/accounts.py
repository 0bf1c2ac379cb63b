"""Accounts of a unit: what ``archive-tool user`` and the accounts page both call."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from .library import UsageError
from .models import ROLE_LABELS, ROLES, Member, Unit

#: role names accepted from people: the Chinese label or the English key
ROLE_NAMES = {**{label: key for key, label in ROLES}, **{key: key for key, _ in ROLES}}


def role_key(value: str) -> str:
    key = ROLE_NAMES.get((value or "").strip())
    if key is None:
        raise UsageError(f"未知的角色「{value}」", "角色可以是：档案组、责任人、领导。")
    return key


def unit_for(root: str, name: str) -> Unit:
    unit, _ = Unit.objects.get_or_create(root=root, defaults={"name": name})
    return unit


def _check_password(password: str, user=None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise UsageError("密码不符合要求：" + "；".join(exc.messages),
                         "请使用至少 8 位、不全是数字、不常见的密码。") from None


def add_user(unit: Unit, username: str, role: str, password: str, names: str = "") -> Member:
    User = get_user_model()
    username = username.strip()
    if not username:
        raise UsageError("用户名不能为空", "例如：archive-tool user add 曲丽娟 --role 责任人")
    if User.objects.filter(username=username).exists():
        raise UsageError(f"用户「{username}」已存在", "换一个用户名，或用 user passwd 修改密码。")
    key = role_key(role)
    user = User(username=username)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError:
        raise UsageError(f"用户名「{username}」不可用", "用户名只能包含文字、数字和 @ . + - _。") \
            from None
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        return Member.objects.create(user=user, unit=unit, role=key,
                                     names=names.strip() or (username if key == "owner" else ""))


def _member(unit: Unit, username: str) -> Member:
    member = Member.objects.filter(unit=unit, user__username=username).select_related(
        "user").first()
    if member is None:
        raise UsageError(f"本单位没有用户「{username}」", "用 archive-tool user list 查看全部账号。")
    return member


def set_password(unit: Unit, username: str, password: str) -> None:
    user = _member(unit, username).user
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


def remove_user(unit: Unit, username: str) -> None:
    """Delete the account (the activity log keeps its name)."""
    _member(unit, username).user.delete()


def list_users(unit: Unit) -> list[Member]:
    return list(Member.objects.filter(unit=unit).select_related("user")
                .order_by("role", "user__username"))


def describe(member: Member) -> str:
    names = f"（负责：{member.names}）" if member.names else ""
    return f"{member.user.username}\t{ROLE_LABELS.get(member.role, member.role)}{names}"
