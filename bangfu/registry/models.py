"""Household, Member, IncomeRecord, Document: the household file. Rules live in services, not here."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from bangfu.accounts.access import RestrictedQuerySet
from bangfu.accounts.models import Organisation

from . import choices as c
from . import states


class Household(models.Model):
    union = models.ForeignKey(Organisation, models.PROTECT, related_name="households", verbose_name="所属工会")
    region_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    address = models.CharField("家庭住址", max_length=200)
    phone = models.CharField("联系电话", max_length=20, blank=True, db_index=True)
    # Its current case's state, copied by the case's move (bangfu.registry.states): the states are the workflow's.
    status = models.CharField("状态", max_length=24, choices=states.choices, default=states.initial, db_index=True)
    proposed_category = models.CharField("申请类别", max_length=20, choices=c.Category.choices, default=c.Category.HARDSHIP)
    verified_category = models.CharField(
        "核定类别", max_length=20, choices=c.Category.choices, default=c.Category.NONE, db_index=True
    )
    hardship_causes = models.JSONField("致困原因", default=list, blank=True)
    dibao = models.BooleanField("享受城市低保", default=False)
    dibao_edge = models.BooleanField("低保边缘户", default=False)
    housing_area_m2 = models.DecimalField("住房面积(平方米)", max_digits=8, decimal_places=2, null=True, blank=True)
    owns_housing = models.BooleanField("有自有住房", default=False)
    has_vehicle = models.BooleanField("有机动车", default=False)
    financial_assets = models.DecimalField("金融资产(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    property_notes = models.TextField("财产情况说明", blank=True)
    notes = models.TextField("备注", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "union__path"

    class Meta:
        verbose_name = verbose_name_plural = "困难职工家庭"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_category__in=c.Category.values) & Q(proposed_category__in=c.Category.values),
                name="household_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk}号家庭({self.address})"

    @property
    def archived(self) -> bool:
        """In the union's archive (the spec's `archived`), derived from the status so the two cannot disagree."""
        return states.is_archived(self.status)


class Member(models.Model):
    household = models.ForeignKey(Household, models.CASCADE, related_name="members", verbose_name="家庭")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号码", max_length=18, db_index=True)
    sex = models.CharField("性别", max_length=6, choices=c.Sex.choices)
    birth_date = models.DateField("出生日期")
    relation = models.CharField("与职工本人关系", max_length=12, choices=c.Relation.choices)
    phone = models.CharField("手机号码", max_length=20, blank=True, db_index=True)
    retirement_group = models.CharField("退休年龄类别", max_length=10, choices=c.RetirementGroup.choices, blank=True)
    employment = models.CharField("就业状况", max_length=24, choices=c.Employment.choices, default=c.Employment.NONE)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    work_ability = models.CharField("劳动能力", max_length=8, choices=c.WorkAbility.choices, default=c.WorkAbility.FULL)
    willing_to_work = models.BooleanField("有就业愿望", default=True)
    health = models.CharField("健康状况", max_length=10, choices=c.Health.choices, default=c.Health.HEALTHY)
    disability_grade = models.PositiveSmallIntegerField(
        "残疾等级", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    serious_illness = models.BooleanField("大重病患者", default=False)
    poverty_alleviation_target = models.BooleanField("城乡居民养老保险扶贫对象", default=False)
    resident_medical_insurance = models.BooleanField("参加城乡居民医保", default=False)
    resident_pension_insurance = models.BooleanField("参加城乡居民养老保险", default=False)
    school_name = models.CharField("学校名称", max_length=100, blank=True)
    school_stage = models.CharField("学段", max_length=24, choices=c.SchoolStage.choices, blank=True)
    school_year = models.PositiveSmallIntegerField("年级", null=True, blank=True)
    school_institution = models.CharField("学校性质", max_length=20, choices=c.Institution.choices, blank=True)
    school_excellent = models.BooleanField("品学兼优", default=False)
    business_kind = models.CharField("创业类型", max_length=24, choices=c.BusinessKind.choices, blank=True)
    business_name = models.CharField("经营主体名称", max_length=100, blank=True)
    business_credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    business_registered_on = models.DateField("注册日期", null=True, blank=True)
    business_employees = models.PositiveIntegerField("带动就业人数", default=0)
    business_first_time = models.BooleanField("初次创业", default=False)
    business_premises = models.CharField("经营场所", max_length=10, choices=c.Premises.choices, blank=True)
    business_other_rent_subsidy = models.BooleanField("已享受其他租金补贴", default=False)
    # Left the household (kept in the file for its history).
    removed = models.BooleanField("已移出", default=False)
    # Counts for "one person in one active household": false once removed or once the household has exited.
    active = models.BooleanField("在册", default=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "家庭成员"
        ordering = ["household_id", "position", "id"]
        # Search by the start of a name: LIKE 'x%' needs the pattern opclass on PostgreSQL.
        indexes = [models.Index(fields=["name"], name="member_name_prefix", opclasses=["varchar_pattern_ops"])]
        constraints = [
            # One person is in at most one active household.
            models.UniqueConstraint(fields=["id_number"], condition=Q(active=True), name="member_one_active_household"),
            models.UniqueConstraint(
                fields=["household"], condition=Q(removed=False, relation="self"), name="member_one_worker_per_household"
            ),
            models.CheckConstraint(condition=Q(removed=False) | Q(active=False), name="member_removed_not_active"),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True) | Q(disability_grade__gte=1, disability_grade__lte=4),
                name="member_disability_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_school(self) -> bool:
        return bool(self.school_stage)

    @property
    def has_business(self) -> bool:
        return bool(self.business_kind)


class IncomeRecord(models.Model):
    """One month's income from one source; the household's monthly income is derived from these."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="incomes")
    month = models.DateField("月份")  # the first day of the month
    source = models.CharField("收入来源", max_length=12, choices=c.IncomeSource.choices)
    amount = models.DecimalField("金额(元)", max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    notes = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "家庭收入"
        ordering = ["household_id", "-month", "source"]
        constraints = [
            models.UniqueConstraint(fields=["household", "month", "source"], name="income_one_per_month_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="income_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_source_display()} {self.amount}"


class Document(models.Model):
    household = models.ForeignKey(Household, models.CASCADE, related_name="documents")
    doc_type = models.CharField("材料类型", max_length=24, choices=c.DocumentType.choices)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "证明材料"
        ordering = ["household_id", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()}:{self.original_name}"
