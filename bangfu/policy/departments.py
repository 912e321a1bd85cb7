"""Which department answers for each benefit of the notice (its co-signing departments), and where to apply.

The engine's to own: answers say where a family applies, and the case service files each measure under the
same department (cases.models.Department is built from `DEPARTMENTS`).
"""

from __future__ import annotations

from functools import cache

# Code -> Chinese name, in the order the service lists them.
DEPARTMENTS: dict[str, str] = {
    "union": "工会",
    "civil_affairs": "民政",
    "development_reform": "发展改革",
    "education": "教育",
    "human_resources": "人力资源社会保障",
    "medical_security": "医保",
    "health": "卫生健康",
    "housing": "住房城乡建设",
    "justice": "司法",
    "finance": "财政",
    "tax": "税务",
    "society": "慈善/社会力量",
}

# Exact codes first; where a chapter's benefits share a department, the prefix below decides.
BY_CODE: dict[str, str] = {
    "living.minimum_living_guarantee": "civil_affairs",  # Article 2: 纳入社会救助体系
    "entrepreneurship.tax_relief": "tax",  # Article 4: 创业税收优惠
    "medical.pay_after_treatment": "health",  # Article 9: 定点医疗机构
    "medical.emergency_relief": "health",  # Article 10: 疾病应急救助基金
    "medical.mutual_aid": "union",  # Article 11: 职工医疗互助保障
    "living.free_electricity": "development_reform",  # Article 18: 价格
    "living.utility_relief": "development_reform",
    "living.cable_tv": "development_reform",
    "living.price_subsidy": "development_reform",  # Article 19: 物价补贴联动机制
    "living.pension_contribution": "human_resources",  # Article 20: 城乡居民基本养老保险
    "living.union_living_subsidy": "union",  # Article 22: 县级以上总工会
    "living.dibao_special_hardship_aid": "union",  # Article 24: 工会……给予帮扶救助
}
BY_PREFIX: dict[str, str] = {
    "employment.": "human_resources",
    "entrepreneurship.": "human_resources",
    "medical.": "medical_security",
    "education.": "education",
    "housing.": "housing",
    "legal.": "justice",
    "living.": "civil_affairs",
}


def department_for(code: str) -> str:
    """The responsible department of a benefit code (工会 when the code is unknown: the union leads, Article 25)."""
    if code in BY_CODE:
        return BY_CODE[code]
    for prefix, department in BY_PREFIX.items():
        if code.startswith(prefix):
            return department
    return "union"


@cache
def where_to_apply(code: str, kind: str) -> str:
    """The sentence an answer ends with: which local office a family goes to for this benefit."""
    department = department_for(code)
    office = "当地工会" if department == "union" else f"当地{DEPARTMENTS[department]}部门"
    return f"由{office}办理。" if kind in ("priority", "service") else f"可向{office}申请。"
