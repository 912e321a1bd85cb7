"""A re-computation of the archive on a new standard (Article 24) and the households it changes: the caseworkers'
task list. Nothing in a case changes by itself: these rows only say what the engine now answers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from bangfu.accounts.access import RestrictedQuerySet
from bangfu.accounts.models import Organisation
from bangfu.registry.choices import Category
from bangfu.registry.models import Household
from bangfu.standards.models import StandardRequest


class RunState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "测算中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Recomputation(models.Model):
    request = models.OneToOneField(StandardRequest, models.PROTECT, related_name="recomputation",
                                   verbose_name="政策标准审批")
    as_of = models.DateField("测算日期")
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    state = models.CharField("状态", max_length=12, choices=RunState.choices, default=RunState.QUEUED)
    households = models.PositiveIntegerField("测算户数", default=0)
    summary = models.JSONField("汇总", default=dict, blank=True)
    message = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "area_path"

    class Meta:
        verbose_name = verbose_name_plural = "标准调整重新测算"
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(state__in=RunState.values), name="recomputation_state_valid")]

    def __str__(self) -> str:
        return f"{self.request}:{self.get_state_display()}"


class ChangeKind(models.TextChoices):
    GAINED = "gained", "新增待遇"
    LOST = "lost", "失去待遇"
    UP = "up", "金额增加"
    DOWN = "down", "金额减少"
    CHANGED = "changed", "待遇有增有减"
    REVIEW = "review", "仅认定或退出建议变化"


class RecomputedHousehold(models.Model):
    recomputation = models.ForeignKey(Recomputation, models.CASCADE, related_name="changes")
    household = models.ForeignKey(Household, models.CASCADE, related_name="+", verbose_name="家庭")
    union = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name="所属工会")
    kind = models.CharField("变化", max_length=12, choices=ChangeKind.choices)
    cash_before = models.DecimalField("调整前(元/年)", max_digits=14, decimal_places=2)
    cash_after = models.DecimalField("调整后(元/年)", max_digits=14, decimal_places=2)
    gained = models.JSONField("新增待遇", default=list, blank=True)
    lost = models.JSONField("失去待遇", default=list, blank=True)
    # The identification proposal (a category, "" when it cannot be said) and the exit suggestion, before and after.
    proposal_before = models.CharField("认定建议(调整前)", max_length=20, blank=True)
    proposal_after = models.CharField("认定建议(调整后)", max_length=20, blank=True)
    exit_before = models.BooleanField("建议退出(调整前)", default=False)
    exit_after = models.BooleanField("建议退出(调整后)", default=False)
    done_at = models.DateTimeField("核对完成时间", null=True, blank=True)
    done_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="核对人")

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "union__path"

    class Meta:
        verbose_name = verbose_name_plural = "待核对家庭(标准调整)"
        ordering = ["union__path", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["recomputation", "household"], name="recomputed_household_once"),
            models.CheckConstraint(condition=Q(kind__in=ChangeKind.values), name="recomputed_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}号家庭 {self.get_kind_display()}"

    @property
    def delta(self):
        return self.cash_after - self.cash_before

    @property
    def proposal_labels(self) -> tuple[str, str]:
        labels = dict(Category.choices)
        return tuple(labels.get(v, "无法测算") for v in (self.proposal_before, self.proposal_after))

    @property
    def proposal_changed(self) -> bool:
        return self.proposal_before != self.proposal_after

    @property
    def exit_changed(self) -> bool:
        return self.exit_before != self.exit_after


class WhatIf(models.Model):
    """A draft figure that applies to nothing real: its difference over the live archive, saved and shared within
    the union (and seen above it); an administrator may turn it into a standard (four eyes)."""

    name = models.CharField("方案名称", max_length=100)
    parameter = models.CharField("参数", max_length=120)
    region_code = models.CharField("适用地区", max_length=6)
    start = models.DateField("起始日期")
    value = models.DecimalField("数值", max_digits=16, decimal_places=4)
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    summary = models.JSONField("测算结果", default=dict, blank=True)
    request = models.ForeignKey(StandardRequest, models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="转为的标准审批")
    created_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+", verbose_name="测算人")
    created_at = models.DateTimeField("测算时间", auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "area_path"

    class Meta:
        verbose_name = verbose_name_plural = "标准调整测算方案"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name}({self.parameter}={self.value})"


class ReportSnapshot(models.Model):
    """A report's figures as computed after the last change in its area (`reports.snapshots`): JSON text in the
    typed encoding of `reports.codec` (text, not jsonb, which would reorder the keys the pages show in order)."""

    key = models.CharField(max_length=200, unique=True)
    stamp = models.CharField(max_length=100)
    data = models.TextField()
    computed_at = models.DateTimeField()
    # The stamp a refresh was last queued for, and when: one job per key and stamp, whichever app server's view
    # found the figures stale (claimed by one UPDATE … WHERE; a job not done in time may be queued again).
    queued_stamp = models.CharField(max_length=100, blank=True, default="")
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "统计报表快照"

    def __str__(self) -> str:
        return f"{self.key}@{self.stamp}"
