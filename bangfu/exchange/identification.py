"""Proposing a category from the verified facts (精准识别, Article 26): thresholds are dated parameters, not code."""

from __future__ import annotations

import datetime
from decimal import Decimal

from bangfu.registry import choices as c
from bangfu.registry.assessment import monthly_income
from bangfu.registry.models import Household

from .models import DepartmentFact, FactKind

CENT = Decimal("0.01")


def _parameter(name: str, day: datetime.date, region: str):
    from bangfu.standards.selectors import effective_parameters  # late: reads the database

    value = effective_parameters()[name].at(day, region)
    return None if value is None or value.value is None else value


def rigid_expenses(household: Household, as_of: datetime.date) -> dict[str, Decimal]:
    """Medical self-pay of hospital stays in the 12 months up to `as_of`, and the school year's costs (教育)."""
    since = as_of - datetime.timedelta(days=365)
    medical, school = Decimal(0), Decimal(0)
    for fact in DepartmentFact.objects.filter(household=household, member__removed=False,
                                              kind__in=[FactKind.HOSPITAL, FactKind.SCHOOL]):
        if fact.kind == FactKind.HOSPITAL:
            admitted = datetime.date.fromisoformat(fact.value.get("admitted", as_of.isoformat()))
            if since < admitted <= as_of:
                medical += Decimal(fact.value.get("self_paid", "0"))
        else:
            school += Decimal(fact.value.get("cost", "0"))
    return {"medical": medical, "school": school}


def _members(household: Household) -> tuple[int, int]:
    """(members counted, members left out because 民政 reported them dead and the file still lists them)."""
    dead = set(DepartmentFact.objects.filter(household=household, kind=FactKind.DEATH).values_list("member_id",
                                                                                                  flat=True))
    listed = household.members.filter(removed=False)
    left_out = listed.filter(pk__in=dead).count()
    return listed.count() - left_out, left_out


def propose_category(household: Household, as_of: datetime.date) -> dict:
    """{category, label, reasons, figures, parameters}: a proposal the reviewer confirms or not, never automatic."""
    region = household.region_code
    standard = _parameter("sync.dibao.standard", as_of, region)
    factors = {name: _parameter(f"sync.identification.{name}", as_of, region)
               for name in ("extreme_factor", "hardship_factor", "accident_expense_share")}
    annual = (monthly_income(household, as_of) * 12).quantize(CENT)
    expenses = rigid_expenses(household, as_of)
    rigid = sum(expenses.values(), Decimal(0))
    size, left_out = _members(household)
    per_capita = ((annual - rigid) / 12 / size).quantize(CENT) if size else None
    figures = {"annual_income": annual, "medical_self_pay": expenses["medical"], "school_costs": expenses["school"],
               "rigid_expenses": rigid, "members": size, "per_capita_monthly_after_rigid": per_capita,
               "dibao_standard": None if standard is None else Decimal(str(standard.value)).quantize(CENT)}
    parameters = {name: {"value": v.value, "start": v.start.isoformat(), "reference": v.reference,
                         "status": v.status} for name, v in {"dibao_standard": standard, **factors}.items() if v}
    reasons: list[str] = []
    category = c.Category.NONE
    if standard is None or per_capita is None or any(v is None for v in factors.values()):
        reasons.append("缺少当地城市低保标准、认定参数或家庭成员,无法测算")
        return _out(None, reasons, figures, parameters)
    dibao = figures["dibao_standard"]
    extreme_line = (dibao * Decimal(str(factors["extreme_factor"].value))).quantize(CENT)
    hardship_line = (dibao * Decimal(str(factors["hardship_factor"].value))).quantize(CENT)
    if per_capita < extreme_line:
        category = c.Category.EXTREME_HARDSHIP
        reasons.append(f"扣除刚性支出后家庭人均月收入{per_capita}元,低于当地城市低保标准{dibao}元(深度困难)")
    elif per_capita < hardship_line:
        category = c.Category.HARDSHIP
        reasons.append(f"扣除刚性支出后家庭人均月收入{per_capita}元,低于当地城市低保标准的"
                       f"{factors['hardship_factor'].value:g}倍{hardship_line}元(相对困难)")
    share = Decimal(str(factors["accident_expense_share"].value))
    if rigid > 0 and rigid > (annual * share).quantize(CENT):
        reasons.append(f"刚性支出{rigid}元(医疗自付{expenses['medical']}元、就学{expenses['school']}元)超过家庭年收入"
                       f"{annual}元的{share * 100:g}%(意外致困)")
        if category == c.Category.NONE:
            category = c.Category.HARDSHIP
    if category == c.Category.NONE:
        reasons.append(f"扣除刚性支出后家庭人均月收入{per_capita}元,不低于当地城市低保标准的"
                       f"{factors['hardship_factor'].value:g}倍{hardship_line}元")
    if left_out:
        reasons.append(f"民政部门报告死亡的{left_out}名成员未计入家庭人数(档案中尚未减员,请核实)")
    return _out(category, reasons, figures, parameters)


def _out(category, reasons, figures, parameters) -> dict:
    label = dict(c.Category.choices).get(category, "无法测算") if category else "无法测算"
    return {"category": category, "label": label, "reasons": reasons, "figures": figures, "parameters": parameters}
