"""Programmes (项目), their rounds (批次), the payment list's lines, payees and bank accounts, bank file formats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.access import RestrictedQuerySet
from bangfu.accounts.models import Organisation
from bangfu.cases.models import Measure
from bangfu.ledger.models import FundSource, LedgerEntry
from bangfu.registry.models import Household, Member

USER = settings.AUTH_USER_MODEL


class ProgrammeKind(models.TextChoices):
    SEND_WARMTH = "send_warmth", "送温暖"
    EDUCATION_AID = "education_aid", "金秋助学"
    LIVING_SUBSIDY = "living_subsidy", "生活补助"
    ELECTRICITY = "electricity", "电费补贴"
    PRICE_SUBSIDY = "price_subsidy", "物价补贴"
    CUSTOM = "custom", "自定项目(每户定额)"


class PeriodKind(models.TextChoices):
    YEAR = "year", "按年"
    QUARTER = "quarter", "按季"
    MONTH = "month", "按月"


class Delivery(models.TextChoices):
    BANK = "bank", "银行代发"
    CASH = "cash", "现金(签领)"
    GOODS = "goods", "实物(签领)"


class BankFormat(models.Model):
    """A bank's batch-payment file (代发文件): its columns, kept as data, and its encoding."""

    code = models.CharField("代码", max_length=32, unique=True)
    name = models.CharField("银行", max_length=100)
    encoding = models.CharField("编码", max_length=8, choices=[("utf-8", "UTF-8"), ("gbk", "GBK")], default="utf-8")
    # [{"header": "收款账号", "field": "account"}, …]; fields: see bankfiles.FIELDS
    columns = models.JSONField("列")

    class Meta:
        verbose_name = verbose_name_plural = "银行代发文件格式"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A programme of help a union runs in rounds; a union below may run it for its own area."""

    name = models.CharField("项目名称", max_length=100)
    kind = models.CharField("规则", max_length=16, choices=ProgrammeKind.choices)
    union = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name="主办工会")
    fund_source = models.CharField("资金来源", max_length=16, choices=FundSource.choices)
    budget = models.DecimalField("项目预算(元)", max_digits=14, decimal_places=2, null=True, blank=True)
    refuse_over_budget = models.BooleanField("超出预算不予审核", default=False)
    period_kind = models.CharField("发放周期", max_length=8, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    delivery = models.CharField("发放方式", max_length=8, choices=Delivery.choices, default=Delivery.BANK)
    goods_description = models.CharField("实物名称及数量", max_length=200, blank=True)
    fixed_amount = models.DecimalField("每户定额(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    bank_format = models.ForeignKey(BankFormat, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="代发文件格式")
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "union__path"

    class Meta:
        verbose_name = verbose_name_plural = "帮扶项目"
        ordering = ["union__path", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProgrammeKind.values), name="programme_kind_valid"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="programme_budget_ok"),
            models.CheckConstraint(condition=~Q(kind="custom") | Q(fixed_amount__gt=0),
                                   name="programme_custom_has_amount"),
            models.CheckConstraint(condition=~Q(delivery="goods") | ~Q(goods_description=""),
                                   name="programme_goods_described"),
        ]

    def __str__(self) -> str:
        return self.name


class RoundState(models.TextChoices):
    DRAFT = "draft", "名单编制中"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审核待发放"
    COMPLETED = "completed", "已完成"


class PrepareJob(models.TextChoices):
    """A large area's list is prepared by a background job (services/prepare_job.py); "" when none is pending."""

    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    FAILED = "failed", "生成失败"


class Round(models.Model):
    """批次: one round of a programme run by one union for its area, on a date, for a period."""

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="rounds", verbose_name="项目")
    union = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name="发放工会")
    number = models.PositiveIntegerField("批次号")
    title = models.CharField("批次名称", max_length=100)
    paid_on = models.DateField("发放日期")
    period_start = models.DateField("所属期起")
    period_end = models.DateField("所属期止")
    period_key = models.CharField("所属期", max_length=10, db_index=True)
    state = models.CharField("状态", max_length=12, choices=RoundState.choices, default=RoundState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    prepared_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="编制人")
    prepared_at = models.DateTimeField("编制时间", default=timezone.now)
    submitted_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name="提交人")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approver_union = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name="审核工会")
    approved_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name="审核人")
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_reason = models.TextField("审核意见", blank=True)
    budget_warnings = models.JSONField("预算提醒", default=list, blank=True)
    bank_file_at = models.DateTimeField("代发文件生成时间", null=True, blank=True)
    # The background preparation of the list: its state, progress (households) and lease (exchange/leases.py).
    job_state = models.CharField("名单生成任务", max_length=8, choices=PrepareJob.choices, blank=True, default="")
    job_total = models.PositiveIntegerField("待处理户数", default=0)
    job_processed = models.PositiveIntegerField("已处理户数", default=0)
    job_message = models.CharField("任务说明", max_length=300, blank=True)
    job_attempts = models.PositiveSmallIntegerField("处理次数", default=0)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "union__path"

    class Meta:
        verbose_name = verbose_name_plural = "发放批次"
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="round_number_per_programme"),
            models.CheckConstraint(condition=Q(state__in=RoundState.values), name="round_state_valid"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="round_period_order"),
            models.CheckConstraint(condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("submitted_by")),
                                   name="round_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}第{self.number}批({self.title})"


class LineState(models.TextChoices):
    OPEN = "open", "待发放"
    PAID = "paid", "已发放"
    FAILED = "failed", "发放失败"
    EXCLUDED = "excluded", "未纳入"


class Exclusion(models.TextChoices):
    RULE = "rule", "不符合项目规则"
    EXITED = "exited", "已退出"
    NOT_ARCHIVED = "not_archived", "尚未建档"
    PAID_ELSEWHERE = "paid_elsewhere", "本期已在其他批次发放"
    DECEASED_PAYEE = "deceased_payee", "领款人已死亡"
    NO_ACCOUNT = "no_account", "无有效账户"
    ADJUSTED = "adjusted", "经办人调整剔除"


class Line(models.Model):
    """One household on a round's payment list: included with the rule's reason and amount, or left out and why."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="lines", verbose_name="批次")
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="+")  # for one payment per period
    household = models.ForeignKey(Household, models.PROTECT, related_name="payment_lines", verbose_name="家庭")
    period_key = models.CharField("所属期", max_length=10)
    included = models.BooleanField("纳入", default=True)
    exclusion = models.CharField("未纳入原因类别", max_length=16, choices=Exclusion.choices, blank=True)
    reason = models.CharField("说明", max_length=500)
    computed_amount = models.DecimalField("规则金额(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField("发放金额(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    adjust_reason = models.CharField("调整原因", max_length=200, blank=True)
    state = models.CharField("状态", max_length=12, choices=LineState.choices, default=LineState.OPEN)
    payee_name = models.CharField("领款人", max_length=50, blank=True)
    payee_id_number = models.CharField("领款人身份证号码", max_length=18, blank=True)
    bank_name = models.CharField("开户行", max_length=100, blank=True)
    account_number = models.CharField("账号", max_length=32, blank=True)
    bank_reason = models.CharField("银行返回说明", max_length=200, blank=True)
    entry = models.OneToOneField(LedgerEntry, models.PROTECT, null=True, blank=True, related_name="payment_line")
    measure = models.ForeignKey(Measure, models.PROTECT, null=True, blank=True, related_name="+")
    carried_from = models.OneToOneField("self", models.PROTECT, null=True, blank=True, related_name="carried_to",
                                        verbose_name="转入自")
    settled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "round__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "发放明细"
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "household", "period_key"], name="line_once_per_round"),
            # Nothing is paid twice: one paid line per household, programme and period, whatever the round.
            models.UniqueConstraint(fields=["programme", "period_key", "household"], condition=Q(state="paid"),
                                    name="line_paid_once_per_period"),
            models.CheckConstraint(condition=Q(state__in=LineState.values), name="line_state_valid"),
            models.CheckConstraint(condition=(Q(included=True) & Q(amount__gt=0) & ~Q(state="excluded"))
                                   | (Q(included=False) & Q(state="excluded") & ~Q(exclusion="")),
                                   name="line_included_or_excluded"),
            models.CheckConstraint(condition=~Q(state="paid") | Q(entry__isnull=False), name="line_paid_has_entry"),
        ]
        indexes = [models.Index(fields=["round", "state"], name="line_round_state"),
                   models.Index(fields=["household", "programme", "period_key"], name="line_household_period")]

    def __str__(self) -> str:
        return f"{self.household_id}号家庭 {self.amount or ''} {self.get_state_display()}"


class AccountKind(models.TextChoices):
    CARD = "card", "银行卡"
    ACCOUNT = "account", "存折/对公账户"


class Payee(models.Model):
    """The household's payee (a member) and bank card or account; the number is shown masked."""

    household = models.OneToOneField(Household, models.CASCADE, related_name="payee", verbose_name="家庭")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+", verbose_name="领款人")
    bank_name = models.CharField("开户行", max_length=100)
    account_kind = models.CharField("账户类型", max_length=8, choices=AccountKind.choices, default=AccountKind.CARD)
    account_number = models.CharField("账号", max_length=32)
    updated_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "领款人及账户"

    def __str__(self) -> str:
        return f"{self.bank_name} {mask_account(self.account_number)}"


def mask_account(number: str) -> str:
    """6222**********1234, like ID numbers: the first four and last four digits."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * (len(number) - 2) + number[-2:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


class Reconciliation(models.Model):
    """One bank return file taken in: its counts, and the file with the 错误 column for the rows not taken."""

    round = models.ForeignKey(Round, models.PROTECT, related_name="reconciliations", verbose_name="批次")
    uploaded_by = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    paid = models.PositiveIntegerField("成功", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    errors = models.PositiveIntegerField("错误行", default=0)
    paid_total = models.DecimalField("成功金额(元)", max_digits=14, decimal_places=2, default=0)
    result = models.BinaryField("对账结果文件")
    result_name = models.CharField("对账结果文件名", max_length=100, default="result.xlsx")

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "round__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "回盘对账"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name}:成功{self.paid},失败{self.failed},错误{self.errors}"
