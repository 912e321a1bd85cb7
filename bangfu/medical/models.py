"""A member's medical bills (Articles 6-12): what the hospital billed; the settlement is computed from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from bangfu.accounts.access import RestrictedQuerySet
from bangfu.registry.models import Household, Member


class Kind(models.TextChoices):
    INPATIENT = "inpatient", "住院"
    OUTPATIENT = "outpatient", "门诊特殊病种"


class Level(models.TextChoices):
    COMMUNITY = "community", "基层医疗机构"
    SECONDARY = "secondary", "二级医院"
    TERTIARY = "tertiary", "三级医院"


class Scheme(models.TextChoices):
    RESIDENT = "resident", "城乡居民医保"
    EMPLOYEE = "employee", "职工医保"


class Source(models.TextChoices):
    MANUAL = "manual", "经办人录入"
    MEDICAL_SECURITY = "medical_security", "医保部门数据"


class MedicalBill(models.Model):
    """One bill of one member: the day of discharge (or of the outpatient bill) is the day it is settled on."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="medical_bills", verbose_name="家庭")
    member = models.ForeignKey(Member, models.CASCADE, related_name="medical_bills", verbose_name="成员")
    billed_on = models.DateField("出院(结算)日期")
    admitted_on = models.DateField("入院日期", null=True, blank=True)
    hospital = models.CharField("医院名称", max_length=100, blank=True)
    hospital_level = models.CharField("医院等级", max_length=12, choices=Level.choices)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices, default=Kind.INPATIENT)
    scheme = models.CharField("参保类型", max_length=12, choices=Scheme.choices)
    mutual_aid = models.BooleanField("参加职工医疗互助", default=False)
    total = models.DecimalField("医疗总费用(元)", max_digits=12, decimal_places=2)
    in_scope = models.DecimalField("政策范围内费用(元)", max_digits=12, decimal_places=2)
    emergency = models.BooleanField("急救", default=False)
    unpaid = models.BooleanField("无力缴费", default=False)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_key = models.CharField("来源记录标识", max_length=64, blank=True)  # 医保: the admission date
    reported_self_paid = models.DecimalField("医保数据个人自付(元)", max_digits=12, decimal_places=2, null=True,
                                             blank=True)
    notes = models.CharField("备注", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    area_path_field = "household__union__path"

    class Meta:
        verbose_name = verbose_name_plural = "医疗费用单据"
        ordering = ["member_id", "billed_on", "id"]
        indexes = [models.Index(fields=["household", "billed_on"], name="bill_household_day")]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0) & Q(in_scope__gte=0) & Q(in_scope__lte=F("total")),
                                   name="bill_amounts_fit"),
            models.CheckConstraint(condition=Q(hospital_level__in=Level.values), name="bill_level_known"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="bill_kind_known"),
            models.CheckConstraint(condition=Q(scheme__in=Scheme.values), name="bill_scheme_known"),
            models.UniqueConstraint(fields=["member", "source", "source_key"], condition=~Q(source_key=""),
                                    name="bill_one_per_department_record"),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} {self.billed_on} {self.total}元"
