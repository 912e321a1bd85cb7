"""AuditEntry: who did what, when, from where, with the data before and after. It cannot be changed or deleted."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from bangfu.common.access import RestrictedQuerySet


class AuditImmutable(Exception):
    """Raised on any attempt to change or delete an audit row through the application."""


class AuditQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("审计日志不可修改")

    def delete(self):
        raise AuditImmutable("审计日志不可删除")


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    actor_name = models.CharField("操作人用户名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    # The area the object belongs to (its union's path), so that auditors see their own area only.
    area_path = models.CharField(max_length=255, db_index=True)
    before = models.JSONField("修改前", null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("修改后", null=True, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditQuerySet.as_manager()
    area_path_field = "area_path"

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AuditImmutable("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计日志不可删除")
