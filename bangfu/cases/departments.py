"""Which department answers for each benefit of the notice (the co-signing departments of 苏政办发[2019]2号)."""

from __future__ import annotations

from .models import Department as D

# Exact codes first; where a chapter's benefits share a department, the prefix below decides.
BY_CODE: dict[str, str] = {
    "living.minimum_living_guarantee": D.CIVIL_AFFAIRS,  # Article 2: 纳入社会救助体系
    "entrepreneurship.tax_relief": D.TAX,  # Article 4: 创业税收优惠
    "medical.pay_after_treatment": D.HEALTH,  # Article 9: 定点医疗机构
    "medical.emergency_relief": D.HEALTH,  # Article 10: 疾病应急救助基金
    "medical.mutual_aid": D.UNION,  # Article 11: 职工医疗互助保障
    "living.free_electricity": D.DEVELOPMENT_REFORM,  # Article 18: 价格
    "living.utility_relief": D.DEVELOPMENT_REFORM,
    "living.cable_tv": D.DEVELOPMENT_REFORM,
    "living.price_subsidy": D.DEVELOPMENT_REFORM,  # Article 19: 物价补贴联动机制
    "living.pension_contribution": D.HUMAN_RESOURCES,  # Article 20: 城乡居民基本养老保险
    "living.union_living_subsidy": D.UNION,  # Article 22: 县级以上总工会
    "living.dibao_special_hardship_aid": D.UNION,  # Article 24: 工会……给予帮扶救助
}
BY_PREFIX: dict[str, str] = {
    "employment.": D.HUMAN_RESOURCES,
    "entrepreneurship.": D.HUMAN_RESOURCES,
    "medical.": D.MEDICAL_SECURITY,
    "education.": D.EDUCATION,
    "housing.": D.HOUSING,
    "legal.": D.JUSTICE,
    "living.": D.CIVIL_AFFAIRS,
}


def department_for(code: str) -> str:
    """The responsible department of a benefit code (工会 when the code is unknown: the union leads, Article 25)."""
    if code in BY_CODE:
        return BY_CODE[code]
    for prefix, department in BY_PREFIX.items():
        if code.startswith(prefix):
            return department
    return D.UNION
