"""Proposing a category from the verified facts (精准识别, Article 26): thresholds are dated parameters, not code."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from bangfu.medical.models import MedicalBill, Source
from bangfu.medical.selectors import mark_all_bills_read
from bangfu.medical.settlement import family_share_since
from bangfu.policy.money import CENT
from bangfu.policy.rules import income
from bangfu.registry import choices as c
from bangfu.registry.assessment import INCOME_MONTHS, income_missing_text
from bangfu.registry.income import income_batch, lines_on
from bangfu.registry.models import Household

from .models import DepartmentFact, FactKind

CATEGORIES = {income.EXTREME: c.Category.EXTREME_HARDSHIP, income.HARDSHIP: c.Category.HARDSHIP,
              income.NONE: c.Category.NONE}


def _parameter(name: str, day: datetime.date, region: str):
    from bangfu.standards.selectors import effective_parameters  # late: reads the database

    value = effective_parameters()[name].at(day, region)
    return None if value is None or value.value is None else value


def _prefetched(household: Household) -> bool:
    """Whether its members, department facts and bills were read already: for many households at once (the start
    page's exit suggestions, bangfu.cases.reviews.exit_suggestions) or for one file (`read_for_identification`)."""
    cache = getattr(household, "_prefetched_objects_cache", {})
    members = "members" in cache or hasattr(household, "active_members")
    return members and all(name in cache for name in ("department_facts", "medical_bills"))


def _listed(household: Household) -> list:
    """The members listed on the file (not removed), from what was read already."""
    if hasattr(household, "active_members"):
        return household.active_members
    return [m for m in household.members.all() if not m.removed]


def read_for_identification(households: list[Household], *, facts: QuerySet | None = None) -> None:
    """Read what identification reads of households, one query per relation whatever their number (department
    facts, bills with their members, and members unless `active_members` were read with the household): then
    `propose_category` and the review's figures read nothing more. `facts`: the query to read the department facts
    with (a file's card lists them: the same rows, read once), all of each household's facts."""
    bills = Prefetch("medical_bills", queryset=MedicalBill.objects.select_related("member"))
    members = [] if all(hasattr(h, "active_members") for h in households) else ["members"]
    prefetch_related_objects(households, *members, Prefetch("department_facts", queryset=facts), bills)
    mark_all_bills_read(households)


def rigid_expenses(household: Household, as_of: datetime.date) -> dict[str, Decimal]:
    """The family's own share of its medical bills in the 12 months up to `as_of` (each bill settled layer by layer,
    Articles 7-11; a 医保 stay recorded before bills were kept counts with 医保's 个人自付), and the school year's
    costs (教育)."""
    since = as_of - datetime.timedelta(days=365)
    medical, school = family_share_since(household, since, as_of), Decimal(0)
    if _prefetched(household):
        billed = {(b.member_id, b.source_key) for b in household.medical_bills.all()
                  if b.source == Source.MEDICAL_SECURITY}
        listed = {m.pk for m in _listed(household)}
        facts = [f for f in household.department_facts.all()
                 if f.member_id in listed and f.kind in (FactKind.HOSPITAL, FactKind.SCHOOL)]
    else:
        billed = set(household.medical_bills.filter(source=Source.MEDICAL_SECURITY)
                     .values_list("member_id", "source_key"))
        facts = DepartmentFact.objects.filter(household=household, member__removed=False,
                                              kind__in=[FactKind.HOSPITAL, FactKind.SCHOOL])
    for fact in facts:
        if fact.kind == FactKind.HOSPITAL:
            if (fact.member_id, fact.key) in billed:
                continue
            admitted = datetime.date.fromisoformat(fact.value.get("admitted", as_of.isoformat()))
            if since < admitted <= as_of:
                medical += Decimal(fact.value.get("self_paid", "0"))
        else:
            school += Decimal(fact.value.get("cost", "0"))
    return {"medical": medical, "school": school}


def counted_members(household: Household) -> tuple[int, int]:
    """(members counted, members left out because 民政 reported them dead and the file still lists them)."""
    if _prefetched(household):
        dead = {f.member_id for f in household.department_facts.all() if f.kind == FactKind.DEATH}
        listed = _listed(household)
        left_out = sum(m.pk in dead for m in listed)
        return len(listed) - left_out, left_out
    dead = set(DepartmentFact.objects.filter(household=household, kind=FactKind.DEATH).values_list("member_id",
                                                                                                  flat=True))
    listed = household.members.filter(removed=False)
    left_out = listed.filter(pk__in=dead).count()
    return listed.count() - left_out, left_out


def as_identified(household: Household, as_of: datetime.date) -> tuple[int, Decimal]:
    """The members counted and the year's rigid expenses (yuan), as identification counts them (the review too)."""
    return counted_members(household)[0], sum(rigid_expenses(household, as_of).values(), Decimal(0))


def propose_category(household: Household, as_of: datetime.date) -> dict:
    """{category, label, reasons, figures, parameters}: a proposal the reviewer confirms or not, never automatic.

    Income against the 低保 line is the engine's rule (`bangfu.policy.rules.income`), exact to the fen."""
    region = household.region_code
    lines = lines_on(as_of, region)
    share_value = _parameter("sync.identification.accident_expense_share", as_of, region)
    expenses = rigid_expenses(household, as_of)
    rigid = sum(expenses.values(), Decimal(0))
    size, left_out = counted_members(household)
    batch = income_batch([household], as_of, INCOME_MONTHS)
    summary = income.income_summary(batch.incomes, np.array([size]), as_of, months=INCOME_MONTHS,
                                    rigid=np.array([income.fen(rigid)]))
    known = bool(summary.known[0])
    annual = income.yuan(summary.annual[0]) if summary.months_recorded[0] else None
    per_capita = income.yuan(summary.per_capita[0]) if known else None
    figures = {"annual_income": annual, "months_recorded": int(summary.months_recorded[0]),
               "medical_self_pay": expenses["medical"], "school_costs": expenses["school"],
               "rigid_expenses": rigid, "members": size, "per_capita_monthly_after_rigid": per_capita,
               "dibao_standard": lines.yuan("dibao")}
    used = {**lines.values, "accident_expense_share": share_value}
    parameters = {name: {"value": v.value, "start": v.start.isoformat(), "reference": v.reference,
                         "status": v.status} for name, v in used.items() if v}
    reasons: list[str] = []
    if left_out:
        reasons.append(f"民政部门报告死亡的{left_out}名成员未计入家庭人数(档案中尚未减员,请核实)")
    if not lines.complete or share_value is None or not size:
        reasons.insert(0, "缺少当地城市低保标准、认定参数或家庭成员,无法测算")
        return _out(None, reasons, figures, parameters)
    if not summary.months_recorded[0]:
        reasons.insert(0, f"{income_missing_text(as_of)},请先登记家庭收入,暂不建议认定类别")
        return _out(None, reasons, figures, parameters)
    category = CATEGORIES[int(income.category_by_income(summary.per_capita, summary.known,
                                                          np.array([lines.extreme]),
                                                          np.array([lines.hardship]))[0])]
    dibao, hardship_line = lines.yuan("dibao"), lines.yuan("hardship")
    factor = lines.values["hardship_factor"].value
    if category == c.Category.EXTREME_HARDSHIP:
        reasons.insert(0, f"扣除刚性支出后家庭人均月收入{per_capita}元,低于当地城市低保标准"
                          f"{_extreme_text(lines)}(深度困难)")
    elif category == c.Category.HARDSHIP:
        reasons.insert(0, f"扣除刚性支出后家庭人均月收入{per_capita}元,低于当地城市低保标准{dibao}元的"
                          f"{factor:g}倍{hardship_line}元(相对困难)")
    share = Decimal(str(share_value.value))
    if rigid > 0 and rigid > (annual * share).quantize(CENT):
        reasons.append(f"刚性支出{rigid}元(医疗自付{expenses['medical']}元、就学{expenses['school']}元)超过家庭年收入"
                       f"{annual}元的{share * 100:g}%(意外致困)")
        if category == c.Category.NONE:
            category = c.Category.HARDSHIP
    if category == c.Category.NONE:
        reasons.insert(0, f"扣除刚性支出后家庭人均月收入{per_capita}元,不低于当地城市低保标准{dibao}元的"
                          f"{factor:g}倍{hardship_line}元")
    return _out(category, reasons, figures, parameters)


def _extreme_text(lines) -> str:
    factor = lines.values["extreme_factor"].value
    if factor == 1:
        return f"{lines.yuan('dibao')}元"
    return f"{lines.yuan('dibao')}元的{factor:g}倍{lines.yuan('extreme')}元"


def _out(category, reasons, figures, parameters) -> dict:
    label = dict(c.Category.choices).get(category, "无法测算") if category else "无法测算"
    return {"category": category, "label": label, "reasons": reasons, "figures": figures, "parameters": parameters}
