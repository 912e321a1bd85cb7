"""ImportJob, DepartmentFact, Disagreement, Alert: what came from files and other departments, and what it flagged."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.access import RestrictedQuerySet
from bangfu.accounts.models import Department, Organisation
from bangfu.registry.models import Household, Member

USER = settings.AUTH_USER_MODEL


class JobKind(models.TextChoices):
    HOUSEHOLDS = "households", "家庭批量导入"
    DEPARTMENT = "department", "部门数据"


class JobState(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    QUEUED = "queued", "排队中"
    VALIDATING = "validating", "校验中"
    WRITING = "writing", "写入中"
    INVALID = "invalid", "有错误,未导入"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportMode(models.TextChoices):
    ALL = "all", "全部无误才导入"
    CLEAN_ONLY = "clean_only", "只导入无误的家庭"


class ImportJob(models.Model):
    """One uploaded file and its processing; progress is stored so a page reload shows where it stands."""

    kind = models.CharField("类型", max_length=16, choices=JobKind.choices)
    department = models.CharField("部门", max_length=32, choices=Department.choices, blank=True)
    union = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name="工会")
    state = models.CharField("状态", max_length=16, choices=JobState.choices, default=JobState.UPLOADED)
    mode = models.CharField("导入方式", max_length=16, choices=ImportMode.choices, default=ImportMode.ALL)
    as_of = models.DateField("数据日期", null=True, blank=True)
    file = models.FileField(upload_to="exchange/in/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    result_file = models.FileField(upload_to="exchange/out/%Y/%m/", blank=True)
    total = models.PositiveIntegerField("总行数", default=0)
    processed = models.PositiveIntegerField("已处理行数", default=0)
    # A household file is checked row by row, then written household by household: each phase has its own count,
    # `processed` runs through both (check_total + write_total = total), so the bar only moves forward.
    check_total = models.PositiveIntegerField("校验行数", default=0)
    write_total = models.PositiveIntegerField("待写入家庭数", default=0)
    error_rows = models.PositiveIntegerField("错误行数", default=0)
    written = models.PositiveIntegerField("写入家庭/记录数", default=0)
    skipped = models.PositiveIntegerField("未导入家庭数", default=0)
    clean = models.PositiveIntegerField("无误家庭数", default=0)  # of a refused file: what 只导入无误的家庭 would import
    unmatched = models.PositiveIntegerField("未匹配行数", default=0)
    flagged = models.PositiveIntegerField("发现不一致数", default=0)
    message = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="上传人")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A running (or queued) job holds a lease its worker renews; an expired lease means the worker died (leases.py).
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("处理次数", default=0)
    # 只导入无误的家庭 is offered once per refused file: the retry points back at it.
    retry_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="retries",
                                 verbose_name="原任务")

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "union__path"

    class Meta:
        verbose_name = verbose_name_plural = "导入任务"
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["retry_of"], name="importjob_one_retry_per_job")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}#{self.pk} {self.original_name}"

    def phases(self) -> list[tuple[str, int, int]]:
        """A household file's phases as (name, done, of): 校验 rows, then 写入 households once writing began."""
        if self.kind != JobKind.HOUSEHOLDS or not self.check_total:
            return []
        out = [("校验", min(self.processed, self.check_total), self.check_total)]
        if self.state in (JobState.WRITING, JobState.DONE) or self.processed > self.check_total:
            out.append(("写入", min(max(self.processed - self.check_total, 0), self.write_total), self.write_total))
        return out

    @property
    def summary(self) -> str:
        """What union staff read of a finished job. A department job's `message` is the officer's and stays neutral
        (an officer must not learn who is in the registry); its counts are summed up here."""
        if self.kind == JobKind.DEPARTMENT and self.state == JobState.DONE:
            return f"匹配{self.written}行,未匹配{self.unmatched}行,发现{self.flagged}处不一致"
        return self.message


class FactKind(models.TextChoices):
    DIBAO = "dibao", "城市低保"
    DIBAO_EDGE = "dibao_edge", "低保边缘"
    EXTREME_SUPPORT = "extreme_support", "特困供养"
    DEATH = "death", "死亡"
    EMPLOYMENT = "employment", "就业登记状况"
    PENSION = "pension", "养老金"
    HOSPITAL = "hospital", "住院及个人自付费用"
    SCHOOL = "school", "在校就读"
    PUBLIC_HOUSING = "public_housing", "公共租赁住房"
    DISABILITY = "disability", "残疾证"
    BUSINESS = "business", "市场主体登记"


class DepartmentFact(models.Model):
    """What a department's file says about one person, with source and date, beside the household's statement."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="department_facts")
    member = models.ForeignKey(Member, models.CASCADE, related_name="department_facts")
    department = models.CharField("来源部门", max_length=32, choices=Department.choices)
    kind = models.CharField("事项", max_length=24, choices=FactKind.choices)
    key = models.CharField("记录标识", max_length=64, blank=True)  # e.g. an admission date, a credit code
    value = models.JSONField("部门数据", default=dict)
    declared = models.JSONField("家庭申报", null=True, blank=True)
    source_date = models.DateField("数据日期")
    job = models.ForeignKey(ImportJob, models.PROTECT, related_name="facts")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "部门核对数据"
        ordering = ["household_id", "member_id", "kind", "-source_date"]
        constraints = [models.UniqueConstraint(fields=["member", "kind", "key"], name="fact_one_per_member_kind_key")]

    def __str__(self) -> str:
        return f"{self.get_department_display()}:{self.get_kind_display()}"


class OpenState(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已处理"
    OVERRIDDEN = "overridden", "审批时确认"


class Resolvable(models.Model):
    """Something on a household's file that stays open until someone resolves it with a note."""

    state = models.CharField("状态", max_length=12, choices=OpenState.choices, default=OpenState.OPEN)
    note = models.TextField("处理说明", blank=True)
    resolved_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "household__union__path"

    class Meta:
        abstract = True


class Disagreement(Resolvable):
    """A household's statement that a department's data contradicts; resolved (or overridden) with a note."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="disagreements")
    member = models.ForeignKey(Member, models.CASCADE, related_name="disagreements")
    fact = models.ForeignKey(DepartmentFact, models.CASCADE, related_name="disagreements")
    kind = models.CharField("类型", max_length=32)
    message = models.CharField("说明", max_length=300)
    declared = models.JSONField("家庭申报", null=True, blank=True)
    reported = models.JSONField("部门数据", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "核对不一致"
        ordering = ["household_id", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], condition=Q(state="open"),
                                    name="disagreement_one_open_per_member_kind"),
            models.CheckConstraint(condition=Q(state="open") | ~Q(note=""), name="disagreement_closed_with_note"),
        ]

    def __str__(self) -> str:
        return self.message


class AlertKind(models.TextChoices):
    DUPLICATE_BENEFIT = "duplicate_benefit", "重复享受"
    DEATH = "death", "成员死亡"
    RELAPSE = "relapse", "返贫预警"


class Alert(Resolvable):
    """A warning on the responsible caseworker's start page until someone resolves it with a note."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="alerts")
    member = models.ForeignKey(Member, models.CASCADE, null=True, blank=True, related_name="alerts")
    kind = models.CharField("类型", max_length=24, choices=AlertKind.choices)
    key = models.CharField("标识", max_length=64, blank=True)
    message = models.CharField("内容", max_length=300)

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "kind", "key"], condition=Q(state="open"),
                                    name="alert_one_open_per_household_kind_key"),
            models.CheckConstraint(condition=Q(state="open") | ~Q(note=""), name="alert_closed_with_note"),
        ]

    def __str__(self) -> str:
        return self.message
