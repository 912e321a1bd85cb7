"""Reads of cases, plans and measures; each starts from a queryset restricted to the user's area and role."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import QuerySet

from bangfu.accounts.access import VIEW
from bangfu.common.errors import NotFound

from .models import LIVE_MEASURE, Case, FollowUp, Measure, MeasureStatus, Plan

CENT = Decimal("0.01")


def case_list(*, user, state: str = "", household_id: int | None = None) -> QuerySet[Case]:
    qs = Case.objects.restrict(user, VIEW).select_related("household__union")
    if state:
        qs = qs.filter(state=state)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs.order_by("-id")


def case_get(*, user, pk: int, action: str = VIEW) -> Case:
    case = Case.objects.restrict(user, action).select_related("household__union", "previous").filter(pk=pk).first()
    if case is None:
        raise NotFound("未找到该帮扶档案")
    return case


def case_current(*, user, household_id: int) -> Case | None:
    """The household's latest episode (open or the last closed one), or None before any."""
    return case_list(user=user, household_id=household_id).order_by("-episode").first()


def case_events(case: Case) -> QuerySet:
    return case.events.select_related("actor").order_by("id")


def plan_get(*, user, pk: int, action: str = VIEW) -> Plan:
    plan = Plan.objects.restrict(user, action).select_related("case__household__union").filter(pk=pk).first()
    if plan is None:
        raise NotFound("未找到该帮扶计划")
    return plan


def plan_list(*, user, case: Case) -> QuerySet[Plan]:
    return Plan.objects.restrict(user, VIEW).filter(case=case).order_by("-year")


def measure_list(plan: Plan) -> QuerySet[Measure]:
    return plan.measures.select_related("owner", "member").order_by("id")


def measure_get(*, user, pk: int, action: str = VIEW) -> Measure:
    measure = (Measure.objects.restrict(user, action).select_related("plan__case__household__union")
               .filter(pk=pk).first())
    if measure is None:
        raise NotFound("未找到该帮扶措施")
    return measure


def followup_get(*, user, pk: int, action: str = VIEW) -> FollowUp:
    followup = FollowUp.objects.restrict(user, action).select_related("case__household__union").filter(pk=pk).first()
    if followup is None:
        raise NotFound("未找到该回访记录")
    return followup


def _engine_amount(benefit: dict) -> Decimal | None:
    return None if benefit["amount"] is None else Decimal(str(benefit["amount"])).quantize(CENT)


def plan_mismatches(plan: Plan, as_of: datetime.date) -> dict:
    """Which live measures no longer match the engine's answer on `as_of` (benefit gone, amount changed), and
    which entitlements have no measure yet (done measures count as covering theirs)."""
    from bangfu.registry.assessment import household_entitlements

    answer = household_entitlements(plan.case.household, as_of)
    benefits = {(b["code"], b["member"] or ""): b for b in answer["benefits"]}
    measures = [m for m in measure_list(plan) if m.benefit_code and m.status != MeasureStatus.CANCELLED]
    gone, changed = [], []
    for m in measures:
        if m.status not in LIVE_MEASURE:
            continue
        benefit = benefits.get((m.benefit_code, m.benefit_member))
        if benefit is None:
            gone.append({"measure": m, "code": m.benefit_code, "member": m.benefit_member or None})
        elif _engine_amount(benefit) != m.amount:
            changed.append({"measure": m, "code": m.benefit_code, "member": m.benefit_member or None,
                            "recorded_amount": m.amount, "engine_amount": _engine_amount(benefit)})
    covered = {(m.benefit_code, m.benefit_member) for m in measures}
    missing = [b for key, b in benefits.items() if key not in covered]
    return {"as_of": as_of.isoformat(), "gone": gone, "changed": changed, "missing": missing}
