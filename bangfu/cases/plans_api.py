"""Plan and measure endpoints (一户一计划、一户一措施), mounted with the case router."""

from __future__ import annotations

from ninja import Router, Status

from bangfu.accounts.models import User
from bangfu.common import clock
from bangfu.common.bounds import Day, DbId

from . import selectors, services
from .presenters import measure_out, mismatches_out, plan_out
from .schemas import EntitlementMeasureIn, MeasureIn, MeasureOut, MeasurePatch, PlanIn, PlanOut, PlanPatch

router = Router(tags=["plans"])


def _owner(owner_id: DbId | None) -> User | None:
    """The named user; whether they may own the measure is the service's check."""
    return None if owner_id is None else User.objects.select_related("organisation").filter(pk=owner_id).first()


@router.get("/{int:case_id}/plans", response=list[PlanOut], summary="该档案的年度帮扶计划")
def plan_list(request, case_id: DbId):
    case = selectors.case_get(user=request.user, pk=case_id)
    return [plan_out(p) for p in selectors.plan_list(user=request.user, case=case)]


@router.post("/{int:case_id}/plans", response={201: PlanOut}, summary="制定年度帮扶计划")
def plan_create(request, case_id: DbId, payload: PlanIn):
    case = selectors.case_get(user=request.user, pk=case_id)
    data = payload.dict(exclude={"year"})
    plan = services.plan_create(actor=request.user, case=case, year=payload.year, data=data)
    return Status(201, plan_out(plan))


@router.get("/plans/{int:plan_id}", response=PlanOut)
def plan_detail(request, plan_id: DbId):
    return plan_out(selectors.plan_get(user=request.user, pk=plan_id))


@router.patch("/plans/{int:plan_id}", response=PlanOut)
def plan_update(request, plan_id: DbId, payload: PlanPatch):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    data = {k: v for k, v in payload.dict(exclude={"version"}).items() if v is not None}
    return plan_out(services.plan_update(actor=request.user, plan=plan, version=payload.version, data=data))


@router.get("/plans/{int:plan_id}/mismatches", summary="与引擎当前测算不一致的措施及尚无措施的待遇")
def plan_mismatches(request, plan_id: DbId, as_of: Day | None = None):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    return mismatches_out(selectors.plan_mismatches(plan, as_of or clock.today()))


@router.post("/plans/{int:plan_id}/measures", response={201: MeasureOut}, summary="添加帮扶措施")
def measure_create(request, plan_id: DbId, payload: MeasureIn):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    data = payload.dict(exclude={"owner_id"})
    measure = services.measure_create(actor=request.user, plan=plan, owner=_owner(payload.owner_id), **data)
    return Status(201, measure_out(measure))


@router.post("/plans/{int:plan_id}/measures/from-entitlement", response={201: MeasureOut},
             summary="将引擎测算的待遇转为帮扶措施")
def measure_from_entitlement(request, plan_id: DbId, payload: EntitlementMeasureIn):
    plan = selectors.plan_get(user=request.user, pk=plan_id)
    measure = services.measure_from_entitlement(
        actor=request.user, plan=plan, code=payload.code, member=payload.member, owner=_owner(payload.owner_id),
        due_on=payload.due_on, as_of=payload.as_of)
    return Status(201, measure_out(measure))


@router.get("/measures/{int:measure_id}", response=MeasureOut)
def measure_detail(request, measure_id: DbId):
    return measure_out(selectors.measure_get(user=request.user, pk=measure_id))


@router.patch("/measures/{int:measure_id}", response=MeasureOut)
def measure_update(request, measure_id: DbId, payload: MeasurePatch):
    measure = selectors.measure_get(user=request.user, pk=measure_id)
    data = payload.dict(exclude={"version"}, exclude_unset=True)
    if "owner_id" in data:
        data["owner"] = _owner(data.pop("owner_id"))
    return measure_out(services.measure_update(actor=request.user, measure=measure, version=payload.version,
                                               data=data))
