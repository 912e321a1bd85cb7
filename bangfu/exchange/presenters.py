"""Facts and statements in Chinese for people: `{"employment": "registered_unemployed"}` → 就业状况:登记失业."""

from __future__ import annotations

from bangfu.registry import choices as c

LABELS = {
    # what departments report
    "category": "类别", "start": "起始日期", "amount": "金额(元)", "died_on": "死亡日期", "status": "状态",
    "employer": "单位", "admitted": "入院日期", "discharged": "出院日期", "hospital": "医院", "total": "总费用(元)",
    "self_paid": "个人自付(元)", "stage": "学段", "year": "年级", "school": "学校", "cost": "学年自付费用(元)",
    "kind": "保障方式", "area": "面积(平方米)", "certificate": "残疾证号", "grade": "残疾等级",
    "credit_code": "统一社会信用代码", "name": "主体名称", "type": "主体类型", "founded": "成立日期",
    # what the household said
    "dibao": "享受城市低保", "dibao_edge": "低保边缘户", "verified_category": "核定类别", "active": "在册",
    "employment": "就业状况", "health": "健康状况", "business_kind": "创业类型", "owns_housing": "有自有住房",
}
CODES = {
    "employment": dict(c.Employment.choices), "health": dict(c.Health.choices),
    "stage": dict(c.SchoolStage.choices), "business_kind": dict(c.BusinessKind.choices),
    "verified_category": {value: c.verified_category_label(value) for value in c.Category.values},
}


def _value(key: str, value) -> str:
    if value is None or value == "":
        return "未填"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(CODES.get(key, {}).get(value, value))


def describe(value: dict | None) -> str:
    """One line for a fact or a statement, keys in a stable order; nothing said is 「—」."""
    if not value:
        return "—"
    return ";".join(f"{LABELS.get(key, key)}:{_value(key, item)}" for key, item in value.items())


PARAMETER_LABELS = {"dibao_standard": "当地城市低保标准(元/月)", "extreme_factor": "特困(深度困难)认定倍数",
                    "hardship_factor": "困难(相对困难)认定倍数", "accident_expense_share": "意外致困的刚性支出占比"}


def reference_text(reference) -> str:
    """第26条「…」, or the document a standard came from; with its note."""
    if not isinstance(reference, dict):
        return str(reference or "")
    if reference.get("article"):
        quote = reference.get("quote", "")
        text = f"苏政办发〔2019〕2号第{reference['article']}条" + (f"「{quote[:40]}{'…' if len(quote) > 40 else ''}」"
                                                                 if quote else "")
    else:
        text = str(reference.get("document", ""))
    return text + (f"({reference['note']})" if reference.get("note") else "")


def _number(value) -> str:
    """900.0 → 900, 0.8 → 0.8: a figure as people write it."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def parameter_rows(parameters: dict) -> list[dict]:
    """The figures a proposal used, for people: label, value, since when, source, illustrative or not."""
    return [{"label": PARAMETER_LABELS.get(name, name), "value": _number(item["value"]), "start": item["start"],
             "source": reference_text(item["reference"]), "illustrative": item["status"] == "illustrative"}
            for name, item in parameters.items()]
