"""Reads of cases, plans and measures; each starts from a queryset restricted to the user's area and role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from bangfu.accounts.access import CHANGE, VIEW, in_area, may
from bangfu.cases.workflow import INACTIVE_STATES
from bangfu.common import clock
from bangfu.common.bounds import FIRST_YEAR
from bangfu.common.errors import DomainError, NotFound
from bangfu.policy.money import CENT

from .approvals import check_approver, proposer_ids
from .models import LIVE_MEASURE, Case, FollowUp, Measure, MeasureStatus, Plan
from .workflow import TRANSITIONS, guard_refusal, moves_from

OPEN = "open"  # a new episode (case_open) after exit, relief or refusal
FOUR_EYES_BLOCK = "双人审核:您提交或发起了该事项,须由另一名审核人审批"
_UNKNOWN = object()


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


CASE_PEOPLE = ("submitted_by", "visited_by", "approved_by")  # the people the case panel names


def case_current(*, user, household_id: int, people: bool = False) -> Case | None:
    """The household's latest episode (open or the last closed one), or None before any; `people`: with those
    who submitted, visited and approved it, in one query when there are any (the case panel names them; a case
    taken over from the old archive has none)."""
    case = case_list(user=user, household_id=household_id).order_by("-episode").first()
    ids = {getattr(case, f"{name}_id") for name in CASE_PEOPLE} - {None} if people and case is not None else set()
    if ids:
        found = get_user_model().objects.in_bulk(ids)
        for name in CASE_PEOPLE:
            if getattr(case, f"{name}_id") is not None:
                setattr(case, name, found[getattr(case, f"{name}_id")])
    return case


def case_events(case: Case) -> QuerySet:
    return case.events.select_related("actor").order_by("id")


def case_changes(case: Case, version: int) -> list[dict]:
    """What others did since `version`: shown with a refused stale save, so nothing is silently lost."""
    events = case.events.filter(version__gt=version).select_related("actor").order_by("id")
    return [{"at": e.at.isoformat(), "actor": str(e.actor) if e.actor else "", "action": e.action,
             "from_state": e.from_state, "to_state": e.to_state, "reason": e.reason, "data": e.data,
             "version": e.version} for e in events]


@dataclass(frozen=True)
class AllowedMove:
    name: str  # a key of `workflow.TRANSITIONS`, or OPEN
    approval: bool = False
    blocked: str = ""  # why this user may not make it now (four eyes, or the guard: notice not over), said instead


def _approver_block(user, case: Case | None, path: str) -> str | None:
    """None when the user approves nothing here; "" when they may approve; else the four-eyes reason."""
    try:
        check_approver(user, path)
    except DomainError:
        return None
    return FOUR_EYES_BLOCK if case is not None and user.pk in proposer_ids(case) else ""


def allowed_moves(*, user, household, case: Case | None) -> list[AllowedMove]:
    """The moves `user` may make now on the household's current case (before any case: from its registry state),
    in the workflow's order. An approval the user could make but for the four eyes comes back `blocked`, so the
    interface can say why; approvals of others and moves the role may not make are left out. A hint for the
    interface: the services still decide every move."""
    if not may(user, VIEW) or not in_area(user, household.union.path):
        return []
    state = case.state if case is not None else household.status
    if state in INACTIVE_STATES:
        return [AllowedMove(OPEN)] if may(user, CHANGE) else []
    out, approver = [], _UNKNOWN
    for name in moves_from(state):
        if TRANSITIONS[name].approval:
            if approver is _UNKNOWN:
                approver = _approver_block(user, case, household.union.path)
            if approver is not None:
                out.append(AllowedMove(name, approval=True, blocked=approver or _not_yet(case, name)))
        elif may(user, CHANGE):
            out.append(AllowedMove(name, blocked=_not_yet(case, name)))
    return out


def _not_yet(case: Case | None, name: str) -> str:
    """Why the case's history does not allow the move yet (the workflow's guard, before any input), or ""."""
    refusal = guard_refusal(case, name, clock.today()) if case is not None else None
    return refusal[1] if refusal else ""


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


def plan_years() -> range:
    """The years a plan may be made for: from the notice's year to next year (a year outside is no plan year at
    all, for the service and the pages alike)."""
    return range(FIRST_YEAR, clock.today().year + 2)
