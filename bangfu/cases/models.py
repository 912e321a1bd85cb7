"""Case (一户一档 episode), its event log, follow-ups after exit, and the yearly plan with its measures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.access import RestrictedQuerySet
from bangfu.cases.workflow import ARCHIVED_STATES, INACTIVE_STATES, CaseState
from bangfu.policy.departments import DEPARTMENTS
from bangfu.registry.choices import Category
from bangfu.registry.models import Document, Household, Member

USER = settings.AUTH_USER_MODEL
CLOSED = sorted(s.value for s in INACTIVE_STATES)  # sorted: a stable migration
ARCHIVED = sorted(s.value for s in ARCHIVED_STATES)


class Case(models.Model):
    """One episode of a household's file; a relapse (返贫) opens a new episode linked to the previous one."""

    household = models.ForeignKey(Household, models.PROTECT, related_name="cases", verbose_name="家庭")
    episode = models.PositiveSmallIntegerField("档案批次", default=1)
    previous = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="next_case",
                                    verbose_name="上一批次")
    is_relapse = models.BooleanField("返贫", default=False)
    state = models.CharField("状态", max_length=24, choices=CaseState.choices, default=CaseState.DRAFT, db_index=True)
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField("建立时间", default=timezone.now)
    opened_by = models.ForeignKey(USER, models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    visited_on = models.DateField("入户核查日期", null=True, blank=True)
    visited_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    visit_notes = models.TextField("入户核查记录", blank=True)
    authorisation_signed_on = models.DateField("经济状况核对授权书签署日期", null=True, blank=True)
    authorisation_document = models.ForeignKey(Document, models.SET_NULL, null=True, blank=True, related_name="+")
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示结束", null=True, blank=True)
    category = models.CharField("核定类别", max_length=20, choices=Category.choices, default=Category.NONE)
    archived_on = models.DateField("建档日期", null=True, blank=True)
    approved_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="建档审核人")
    next_review_on = models.DateField("下次复核日期", null=True, blank=True, db_index=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closed_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    close_reason = models.TextField("退出/不予建档原因", blank=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "帮扶档案"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "episode"], name="case_one_episode_number"),
            models.UniqueConstraint(fields=["household"], condition=~Q(state__in=CLOSED),
                                    name="case_one_open_per_household"),
            models.CheckConstraint(condition=Q(state__in=CaseState.values), name="case_state_valid"),
            models.CheckConstraint(condition=Q(notice_end__isnull=True) | Q(notice_end__gte=models.F("notice_start")),
                                   name="case_notice_ends_after_start"),
            # Article 26: every archived household is reviewed at least once a year, so has its next review date.
            models.CheckConstraint(condition=~Q(state__in=ARCHIVED) | (Q(archived_on__isnull=False)
                                                                       & Q(next_review_on__isnull=False)),
                                   name="case_archived_has_review_date"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}号家庭第{self.episode}次建档({self.get_state_display()})"


class CaseEvent(models.Model):
    """Who moved the case, when, why; with the version the move produced. Written only by the services."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(USER, models.PROTECT, null=True, related_name="+", verbose_name="操作人")
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=24, blank=True)
    to_state = models.CharField("新状态", max_length=24, blank=True)
    reason = models.TextField("原因/说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    version = models.PositiveIntegerField("版本")

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "case__household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "档案流转记录"
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.from_state}→{self.to_state}"


class FollowUpKind(models.TextChoices):
    FIRST = "first", "第一次回访"
    SECOND = "second", "第二次回访"


class FollowUp(models.Model):
    """A visit due some months after exit (Article 26's 动态跟踪), so that a relapse is seen."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="followups")
    kind = models.CharField("回访", max_length=8, choices=FollowUpKind.choices)
    due_on = models.DateField("应回访日期", db_index=True)
    done_on = models.DateField("回访日期", null=True, blank=True)
    done_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    notes = models.TextField("回访情况", blank=True)
    relapse_seen = models.BooleanField("发现返贫", default=False)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "case__household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "退出回访"
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="followup_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


class Plan(models.Model):
    """一户一计划: the yearly plan of an archived household, with the five clear points of Article 26."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField("年度")
    family_situation = models.TextField("家庭情况", blank=True)
    hardship_causes = models.TextField("致困原因", blank=True)
    assistance_received = models.TextField("受助情况", blank=True)
    needs = models.TextField("帮扶需求", blank=True)
    targets_and_measures = models.TextField("目标举措", blank=True)
    goals = models.TextField("帮扶目标", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "case__household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "帮扶计划"
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "year"], name="plan_one_per_case_year")]

    def __str__(self) -> str:
        return f"{self.case.household_id}号家庭{self.year}年帮扶计划"


# The departments of the notice, as the engine names them (bangfu.policy.departments: one home).
Department = models.TextChoices("Department", [(code.upper(), (code, name)) for code, name in DEPARTMENTS.items()])


class MeasureKind(models.TextChoices):
    ENTITLEMENT = "entitlement", "政策待遇"
    JOB_REFERRAL = "job_referral", "就业推荐"
    VISIT = "visit", "走访慰问"
    DONATION = "donation", "捐赠资助"
    OTHER = "other", "其他"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    IN_PROGRESS = "in_progress", "实施中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


LIVE_MEASURE = [MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS]


class Measure(models.Model):
    """一户一措施: one measure of a plan, from an engine entitlement or from the caseworker."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="measures")
    kind = models.CharField("类型", max_length=16, choices=MeasureKind.choices)
    title = models.CharField("措施", max_length=200)
    benefit_code = models.CharField("政策代码", max_length=80, blank=True, db_index=True)
    benefit_member = models.CharField("引擎成员编号", max_length=20, blank=True)  # "m<pk>", "" for the household
    member = models.ForeignKey(Member, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="成员")
    article = models.PositiveSmallIntegerField("条款", null=True, blank=True)
    department = models.CharField("责任部门", max_length=24, choices=Department.choices)
    amount = models.DecimalField("金额(元/年)", max_digits=12, decimal_places=2, null=True, blank=True)
    owner = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="责任人")
    due_on = models.DateField("完成期限")
    status = models.CharField("状态", max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    # The sum of the approved ledger entries against the measure (reversals subtract), kept by
    # `ledger.measures.measures_follow_payments` whenever a payment for it is approved.
    delivered = models.DecimalField("已发放(元)", max_digits=14, decimal_places=2, default=0)
    notes = models.TextField("说明", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "plan__case__household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "帮扶措施"
        ordering = ["plan_id", "id"]
        constraints = [
            # One live measure per entitlement (code, member) in a plan.
            models.UniqueConstraint(fields=["plan", "benefit_code", "benefit_member"],
                                    condition=~Q(benefit_code="") & ~Q(status="cancelled"),
                                    name="measure_one_per_entitlement"),
            models.CheckConstraint(condition=Q(status__in=MeasureStatus.values), name="measure_status_valid"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="measure_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title
