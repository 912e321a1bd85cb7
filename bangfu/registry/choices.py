"""Enumerations of the household file; codes are the assessment format's, labels are Chinese."""

from django.db import models


class Category(models.TextChoices):
    NONE = "none", "非困难"
    HARDSHIP = "hardship", "困难"
    EXTREME_HARDSHIP = "extreme_hardship", "特困"


# 核定类别 before archiving: the default `none` means "not decided yet", which a reader must not take for a refusal.
UNDECIDED = "未核定"


def verified_category_label(code: str) -> str:
    """The verified category as pages, reports and exports show it: 未核定 until a case archives the household."""
    return UNDECIDED if code == Category.NONE else Category(code).label


class Cause(models.TextChoices):
    ILLNESS = "illness", "因病"
    DISABILITY = "disability", "因残"
    EDUCATION = "education", "因学"
    DISASTER = "disaster", "因灾"
    ACCIDENT = "accident", "意外"  # assessment format version 2
    UNEMPLOYMENT = "unemployment", "失业"
    SINGLE_PARENT = "single_parent", "单亲"
    WORK_INJURY = "work_injury", "工伤"
    ENTERPRISE_DIFFICULTY = "enterprise_difficulty", "企业困难"
    OTHER = "other", "其他"


class IncomeSource(models.TextChoices):
    WAGES = "wages", "工资性收入"
    BUSINESS = "business", "经营性收入"
    PROPERTY = "property", "财产性收入"
    PENSION = "pension", "养老金"
    TRANSFER = "transfer", "转移性收入"
    OTHER = "other", "其他收入"


class Relation(models.TextChoices):
    SELF = "self", "本人"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    SIBLING = "sibling", "兄弟姐妹"
    GRANDCHILD = "grandchild", "孙子女"
    OTHER = "other", "其他"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class RetirementGroup(models.TextChoices):
    MALE = "male", "男职工(60周岁)"
    FEMALE_50 = "female_50", "女工人(50周岁)"
    FEMALE_55 = "female_55", "女干部(55周岁)"


class Employment(models.TextChoices):
    EMPLOYED = "employed", "在业"
    REGISTERED_UNEMPLOYED = "registered_unemployed", "登记失业"
    UNEMPLOYED = "unemployed", "失业(未登记)"
    RETIRED = "retired", "退休"
    STUDENT = "student", "在校学生"
    NONE = "none", "无业"


class WorkAbility(models.TextChoices):
    FULL = "full", "有劳动能力"
    PARTIAL = "partial", "部分丧失劳动能力"
    NONE = "none", "完全丧失劳动能力"


class Health(models.TextChoices):
    HEALTHY = "healthy", "健康"
    CHRONIC = "chronic", "慢性病"
    SERIOUS = "serious", "大重病"
    DISABLED = "disabled", "残疾"


class SchoolStage(models.TextChoices):
    PRESCHOOL = "preschool", "学前教育"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR_HIGH = "senior_high", "普通高中"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中等职业教育"
    HIGHER = "higher", "全日制本专科"
    ADULT_HIGHER_REGULAR = "adult_higher_regular", "成人高校普通班"


class Institution(models.TextChoices):
    PUBLIC = "public", "公办"
    PRIVATE_INCLUSIVE = "private_inclusive", "普惠性民办"
    PRIVATE_NONPROFIT = "private_nonprofit", "非营利性民办"
    PRIVATE_FORPROFIT = "private_forprofit", "营利性民办"


class BusinessKind(models.TextChoices):
    INDIVIDUAL = "individual", "个体工商户"
    ENTERPRISE = "enterprise", "企业"
    FARMER_COOPERATIVE = "farmer_cooperative", "农民专业合作社"
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", "民办非企业单位"
    ONLINE = "online", "网络创业"


class Premises(models.TextChoices):
    INCUBATOR = "incubator", "创业孵化基地"
    RENTED = "rented", "租赁场地"
    OWN = "own", "自有场地"
    NONE = "none", "无经营场所"


class DocumentType(models.TextChoices):
    APPLICATION_FORM = "application_form", "申请表"
    INCOME_PROOF = "income_proof", "收入证明"
    DIAGNOSIS = "diagnosis", "诊断证明"
    DISABILITY_CERTIFICATE = "disability_certificate", "残疾证"
    STUDENT_PROOF = "student_proof", "在学证明"
    AUTHORISATION = "authorisation", "家庭经济状况核对授权书"
    OTHER = "other", "其他"
