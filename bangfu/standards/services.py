"""Setting and withdrawing standard values; each change audited in its own transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from bangfu.accounts.access import FOUR_EYES, SET_STANDARD, in_area, may
from bangfu.audit.services import audit_log
from bangfu.common import clock
from bangfu.common.errors import AccessDenied, NotFound, ValidationFailed
from bangfu.policy.parameters import default_parameters
from bangfu.policy.regions import PROVINCE, get_region

from .models import RequestKind, RequestState, StandardRequest, StandardValue, Status
from .selectors import forget_effective_parameters


def area_path_of(region_code: str) -> str:
    """The union path that owns a region: the province, a city union, or a county union."""
    if region_code == PROVINCE:
        return f"{PROVINCE}/"
    region = get_region(region_code)
    if region is None:
        raise ValidationFailed(f"{region_code}不是江苏省的市或县级行政区划代码", field="region_code")
    if region.is_city:
        return f"{PROVINCE}/{region.code}/"
    return f"{PROVINCE}/{region.city_code}/{region.code}/"


def _require_admin_over(user, area_path: str) -> None:
    if not may(user, SET_STANDARD):
        raise AccessDenied("只有管理员可以设置政策标准")
    if not in_area(user, area_path):
        raise AccessDenied("只能设置本级及下级地区的政策标准")


def _snapshot(row: StandardValue) -> dict:
    return {"parameter": row.parameter, "region_code": row.region_code, "start": row.start.isoformat(),
            "value": None if row.value is None else str(row.value), "status": row.status,
            "document": row.document, "note": row.note}


def _clean_value(value: Decimal | str | float | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed(f"数值无效:{value}", field="value") from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ValidationFailed(f"数值无效:{value}", field="value")
    return number.quantize(Decimal("0.0001"))


def _check_proposal(parameter: str, region_code: str, status: str, document: str) -> str:
    names = {p.name for p in default_parameters()}
    if parameter not in names:
        raise ValidationFailed(f"没有这个参数:{parameter}", field="parameter")
    if status not in Status.values:
        raise ValidationFailed(f"状态无效:{status}", field="status")
    if not document.strip():
        raise ValidationFailed("请填写依据文件(每个标准值都要有出处)", field="document")
    return area_path_of(region_code)


def _request_snapshot(row: StandardRequest) -> dict:
    return {"kind": row.kind, "parameter": row.parameter, "region_code": row.region_code,
            "start": row.start.isoformat(), "value": None if row.value is None else str(row.value),
            "status": row.status, "document": row.document, "note": row.note, "state": row.state}


def _audit_request(actor, action: str, row: StandardRequest, before: dict | None = None) -> None:
    audit_log(actor=actor, action=action, object_type="standard_request", object_id=row.pk,
              area_path=row.area_path, before=before, after=_request_snapshot(row))


@transaction.atomic
def standard_request_propose(*, actor, parameter: str, region_code: str, start: datetime.date,
                             value: Decimal | str | float | None, document: str, note: str = "",
                             status: str = Status.CONFIRMED) -> StandardRequest:
    """Propose the value of `parameter` in `region_code` from `start` on (a new standard, or the confirmation of
    an illustrative figure with its document); it takes effect when a second administrator approves it."""
    area_path = _check_proposal(parameter, region_code, status, document)
    _require_admin_over(actor, area_path)
    row = StandardRequest.objects.create(
        kind=RequestKind.SET, parameter=parameter, region_code=region_code, start=start, value=_clean_value(value),
        status=status, document=document.strip(), note=note.strip(), area_path=area_path, requested_by=actor)
    _audit_request(actor, "standard.propose", row)
    return row


@transaction.atomic
def standard_request_withdraw(*, actor, standard_id: int) -> StandardRequest:
    """Propose to withdraw an administrator's value (the engine's own value applies again once approved).

    A value outside the user's area is "not found", exactly like one that does not exist, so that the answer
    reveals nothing of other areas; inside the area, only an administrator may propose it (403)."""
    value = StandardValue.objects.restrict(actor).filter(pk=standard_id).first()
    if value is None:
        raise NotFound("没有这个标准值")
    _require_admin_over(actor, value.area_path)
    row = StandardRequest.objects.create(
        kind=RequestKind.WITHDRAW, parameter=value.parameter, region_code=value.region_code, start=value.start,
        value=value.value, status=value.status, document=value.document, note=value.note, target=value,
        area_path=value.area_path, requested_by=actor)
    _audit_request(actor, "standard.propose", row)
    return row


def _lock_pending(actor, request_id: int) -> StandardRequest:
    row = StandardRequest.objects.restrict(actor).select_for_update().filter(pk=request_id).first()
    if row is None:
        raise NotFound("没有这个标准审批事项")
    _require_admin_over(actor, row.area_path)
    if row.state != RequestState.PENDING:
        raise ValidationFailed(f"该事项{row.get_state_display()},不能再审批", field="state")
    return row


@transaction.atomic
def standard_request_approve(*, actor, request_id: int, reason: str = "") -> StandardValue | None:
    """A second administrator over the area approves: the value is written (or withdrawn) and is used by the
    next assessment on every route. The proposer cannot approve (四眼)."""
    row = _lock_pending(actor, request_id)
    if row.requested_by_id == actor.pk:
        raise AccessDenied(FOUR_EYES)
    before = _request_snapshot(row)
    if row.kind == RequestKind.WITHDRAW:
        if row.target_id is None:
            raise ValidationFailed("要撤回的标准值已不存在", field="target")
        written = None
        _withdraw(actor, StandardValue.objects.select_for_update().get(pk=row.target_id))
    else:
        written = _write(actor, row)
    row.state, row.decided_by, row.decided_at = RequestState.APPROVED, actor, clock.now()
    row.decision_reason = reason.strip()
    row.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    _audit_request(actor, "standard.approve", row, before=before)
    return written


@transaction.atomic
def standard_request_reject(*, actor, request_id: int, reason: str) -> StandardRequest:
    """A second administrator sends the proposal back with a reason; nothing changes."""
    row = _lock_pending(actor, request_id)
    if not reason.strip():
        raise ValidationFailed("请填写退回原因", field="reason")
    if row.requested_by_id == actor.pk:
        raise AccessDenied(FOUR_EYES)
    before = _request_snapshot(row)
    row.state, row.decided_by, row.decided_at = RequestState.REJECTED, actor, clock.now()
    row.decision_reason = reason.strip()
    row.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    _audit_request(actor, "standard.reject", row, before=before)
    return row


def _write(actor, request: StandardRequest) -> StandardValue:
    """Set (or replace) the value of the request's parameter, region and start date."""
    row = StandardValue.objects.select_for_update().filter(
        parameter=request.parameter, region_code=request.region_code, start=request.start).first()
    before = _snapshot(row) if row else None
    if row is None:
        row = StandardValue(parameter=request.parameter, region_code=request.region_code, start=request.start)
    row.value, row.status, row.document, row.note = request.value, request.status, request.document, request.note
    row.area_path, row.created_by = request.area_path, request.requested_by
    row.save()
    transaction.on_commit(forget_effective_parameters)
    audit_log(actor=actor, action="standard.set" if before is None else "standard.change",
              object_type="standard_value", object_id=row.pk, area_path=row.area_path,
              before=before, after=_snapshot(row))
    return row


def _withdraw(actor, row: StandardValue) -> None:
    transaction.on_commit(forget_effective_parameters)
    audit_log(actor=actor, action="standard.withdraw", object_type="standard_value", object_id=row.pk,
              area_path=row.area_path, before=_snapshot(row))
    row.delete()
