"""LedgerEntry (append-only, enforced by the database too), LedgerRequest (awaiting a second person), Budget."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from bangfu.accounts.access import RestrictedQuerySet
from bangfu.accounts.models import Organisation
from bangfu.cases.models import Measure
from bangfu.registry.models import Household

USER = settings.AUTH_USER_MODEL


class FundSource(models.TextChoices):
    """Article 28: 财政支出预算, 工会经费, 慈善组织和社会资金."""

    FISCAL = "fiscal", "财政资金"
    UNION_FUNDS = "union_funds", "工会经费"
    CHARITY = "charity", "慈善/社会资金"


class EntryKind(models.TextChoices):
    CASH = "cash", "资金"
    GOODS = "goods", "实物"


class LedgerAppendOnly(Exception):
    """Raised on any attempt to change or delete a ledger entry through the application."""


class LedgerEntryQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise LedgerAppendOnly("台账记录不可修改,请登记冲正记录")

    def delete(self):
        raise LedgerAppendOnly("台账记录不可删除,请登记冲正记录")


class Paid(models.Model):
    """What was paid or delivered, to whom, from which fund: shared by the entry and the request for it."""

    household = models.ForeignKey(Household, models.PROTECT, related_name="+", verbose_name="家庭")
    union = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name="发放工会")
    measure = models.ForeignKey(Measure, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name="帮扶措施")
    kind = models.CharField("类型", max_length=8, choices=EntryKind.choices, default=EntryKind.CASH)
    amount = models.DecimalField("金额(元)", max_digits=14, decimal_places=2)  # goods: their value
    goods_description = models.CharField("实物名称及数量", max_length=200, blank=True)
    paid_on = models.DateField("发放日期", db_index=True)
    fund_source = models.CharField("资金来源", max_length=16, choices=FundSource.choices, db_index=True)
    description = models.CharField("事项", max_length=200)

    class Meta:
        abstract = True


class LedgerEntry(Paid):
    """One payment or delivery, or the reversal of one (negative, pointing at it). Never changed or deleted."""

    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="经办人")
    approved_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="审核人")
    recorded_at = models.DateTimeField("记账时间", default=timezone.now)
    reversal_of = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="reversed_by",
                                       verbose_name="冲正的记录")

    objects = LedgerEntryQuerySet.as_manager()
    area_path_field = "union__path"

    class Meta:
        verbose_name = verbose_name_plural = "帮扶资金台账"
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(approved_by=F("recorded_by")), name="ledger_four_eyes"),
            models.CheckConstraint(condition=(Q(reversal_of__isnull=True) & Q(amount__gt=0))
                                   | (Q(reversal_of__isnull=False) & Q(amount__lt=0)), name="ledger_sign"),
            models.CheckConstraint(condition=(Q(kind="cash") & Q(goods_description=""))
                                   | (Q(kind="goods") & ~Q(goods_description="")), name="ledger_goods_described"),
            models.CheckConstraint(condition=Q(fund_source__in=FundSource.values), name="ledger_fund_source_valid"),
        ]
        indexes = [models.Index(fields=["household", "paid_on"], name="ledger_household_day")]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.description} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise LedgerAppendOnly("台账记录不可修改,请登记冲正记录")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerAppendOnly("台账记录不可删除,请登记冲正记录")


class RequestStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已审核入账"
    REJECTED = "rejected", "已退回"


class LedgerRequest(Paid):
    """A payment (or a reversal) recorded by one person; it becomes an entry when another approves it."""

    reverses = models.ForeignKey(LedgerEntry, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="申请冲正的记录")
    status = models.CharField("状态", max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="经办人")
    requested_at = models.DateTimeField("登记时间", default=timezone.now)
    decided_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField("审核意见", blank=True)
    entry = models.OneToOneField(LedgerEntry, models.PROTECT, null=True, blank=True, related_name="request")

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "union__path"

    class Meta:
        verbose_name = verbose_name_plural = "台账登记申请"
        ordering = ["-id"]
        constraints = [
            # At most one reversal awaiting approval per entry.
            models.UniqueConstraint(fields=["reverses"], condition=Q(status="pending"),
                                    name="ledger_one_pending_reversal"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.description} {self.amount}"


class Budget(models.Model):
    """A union's budget for one fund source and year (Article 28); its subtree's entries count against it."""

    union = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name="工会")
    fund_source = models.CharField("资金来源", max_length=16, choices=FundSource.choices)
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("预算金额(元)", max_digits=14, decimal_places=2)
    # By policy some budgets may not be exceeded: then an approval over it is refused, else only warned.
    refuse_over = models.BooleanField("不得超支", default=False)
    set_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "union__path"

    class Meta:
        verbose_name = verbose_name_plural = "帮扶资金预算"
        ordering = ["year", "union__path", "fund_source"]
        constraints = [
            models.UniqueConstraint(fields=["union", "fund_source", "year"], name="budget_one_per_union_source_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.year}年{self.get_fund_source_display()}预算 {self.amount}"
