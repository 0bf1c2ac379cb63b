"""What only the server knows: units, accounts' roles, reviews and the activity log.

Everything else (files, findings, the gap report) is read from the archive; these tables are
never rebuilt from it, so they are never dropped silently.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

ARCHIVIST, OWNER, LEADER = "archivist", "owner", "leader"
ROLES = [(ARCHIVIST, "档案组"), (OWNER, "责任人"), (LEADER, "领导")]
ROLE_LABELS = dict(ROLES)
#: the roles that change files (领导 reads everything and changes nothing)
WRITERS = (ARCHIVIST, OWNER)
#: the longest archive path kept (Windows keeps evidence paths under 260 characters)
PATH_LENGTH = 400


class Unit(models.Model):
    """A unit and its archive. One server serves one unit today; the model allows more."""

    name = models.CharField("单位", max_length=200)
    root = models.CharField("档案位置", max_length=1000, unique=True)
    created = models.DateTimeField("建立时间", default=timezone.now)

    def __str__(self) -> str:
        return self.name or self.root


class Member(models.Model):
    """An account's place in a unit: its role and the 责任人 / 处室 names it answers for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="member")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="members")
    role = models.CharField("角色", max_length=20, choices=ROLES)
    #: names as the indicator table writes them (曲丽娟, 机关党委), separated by "、"
    names = models.CharField("负责的名称", max_length=500, blank=True)

    def name_list(self) -> list[str]:
        return [n.strip() for n in self.names.replace(",", "、").replace("，", "、").split("、")
                if n.strip()]

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def writes(self) -> bool:
        return self.role in WRITERS


class Review(models.Model):
    """The archive group's word on a file: returned to its owner (with why) or accepted."""

    RETURNED, ACCEPTED = "returned", "accepted"
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reviews")
    path = models.CharField(max_length=PATH_LENGTH, db_index=True)
    status = models.CharField(max_length=20, choices=[(RETURNED, "退回"), (ACCEPTED, "通过")])
    comment = models.TextField(blank=True)
    reviewer = models.CharField(max_length=150)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("活动记录只能追加，不能修改")

    def delete(self):
        raise PermissionError("活动记录只能追加，不能删除")


class Activity(models.Model):
    """One line of the append-only activity log: who did what to which file, and when."""

    UPLOAD, CAPTION, FOOTER, RENAME, REVIEW, ACCOUNT = (
        "upload", "caption", "footer", "rename", "review", "account")
    ACTIONS = [(UPLOAD, "上传"), (CAPTION, "写入照片说明"), (FOOTER, "添加页脚"),
               (RENAME, "改名"), (REVIEW, "审核"), (ACCOUNT, "账号")]
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="activities")
    time = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.CharField(max_length=150)
    role = models.CharField(max_length=20)
    action = models.CharField(max_length=20, choices=ACTIONS)
    path = models.CharField(max_length=PATH_LENGTH, blank=True, db_index=True)
    #: the new path of a rename
    target = models.CharField(max_length=PATH_LENGTH, blank=True, db_index=True)
    detail = models.TextField(blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("活动记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("活动记录只能追加，不能删除")
