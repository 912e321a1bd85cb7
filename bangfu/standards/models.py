"""A dated value of an engine parameter set by an administrator, for the province, a city or a county."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from bangfu.accounts.access import RestrictedQuerySet


class Status(models.TextChoices):
    CONFIRMED = "confirmed", "已确认"
    ILLUSTRATIVE = "illustrative", "示例值(待确认)"


class StandardValue(models.Model):
    """From `start` on, `parameter` is `value` in `region_code` (null: no figure held from then on).

    It overlays the engine's YAML value of the same parameter, region and date, or adds a new one.
    """

    parameter = models.CharField("参数", max_length=120)
    region_code = models.CharField("适用地区", max_length=6)
    start = models.DateField("起始日期")
    value = models.DecimalField("数值", max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    document = models.CharField("依据文件", max_length=300)
    note = models.TextField("说明", blank=True)
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="设置人")
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "area_path"

    class Meta:
        verbose_name = verbose_name_plural = "政策标准值"
        ordering = ["parameter", "region_code", "start"]
        constraints = [
            models.UniqueConstraint(fields=["parameter", "region_code", "start"], name="standard_one_value_a_day"),
            models.CheckConstraint(condition=~Q(document=""), name="standard_has_document"),
        ]

    def __str__(self) -> str:
        return f"{self.parameter} {self.region_code} {self.start}: {self.value}"


class RequestKind(models.TextChoices):
    SET = "set", "设置标准值"
    WITHDRAW = "withdraw", "撤回标准值"


class RequestState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已审批生效"
    REJECTED = "rejected", "已退回"


class StandardRequest(models.Model):
    """A change of a standard proposed by one administrator; it takes effect when a second one approves it
    (the four eyes of the ledger: a figure that changes every assessment is not one person's decision)."""

    kind = models.CharField("事项", max_length=12, choices=RequestKind.choices, default=RequestKind.SET)
    parameter = models.CharField("参数", max_length=120)
    region_code = models.CharField("适用地区", max_length=6)
    start = models.DateField("起始日期")
    value = models.DecimalField("数值", max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    document = models.CharField("依据文件", max_length=300, blank=True)
    note = models.TextField("说明", blank=True)
    target = models.ForeignKey(StandardValue, models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="撤回的标准值")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    state = models.CharField("审批状态", max_length=12, choices=RequestState.choices, default=RequestState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                     verbose_name="提出人")
    requested_at = models.DateTimeField("提出时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_reason = models.TextField("审批意见", blank=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "area_path"

    class Meta:
        verbose_name = verbose_name_plural = "政策标准审批"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="set") | ~Q(document=""), name="standard_request_has_document"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.parameter} {self.region_code} {self.start}: {self.value}"
