"""Setting and withdrawing standard values; each change audited in its own transaction."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from bangfu.accounts.access import in_area
from bangfu.accounts.models import Role
from bangfu.audit.services import audit_log
from bangfu.common.errors import AccessDenied, NotFound, ValidationFailed
from bangfu.policy.parameters import default_parameters
from bangfu.policy.regions import PROVINCE, get_region

from .models import StandardValue, Status


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
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.ADMIN):
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


@transaction.atomic
def standard_value_set(*, actor, parameter: str, region_code: str, start: datetime.date,
                       value: Decimal | str | float | None, document: str, note: str = "",
                       status: str = Status.CONFIRMED) -> StandardValue:
    """Set (or replace) the value of `parameter` in `region_code` from `start` on."""
    names = {p.name for p in default_parameters()}
    if parameter not in names:
        raise ValidationFailed(f"没有这个参数:{parameter}", field="parameter")
    if status not in Status.values:
        raise ValidationFailed(f"状态无效:{status}", field="status")
    if not document.strip():
        raise ValidationFailed("请填写依据文件(每个标准值都要有出处)", field="document")
    area_path = area_path_of(region_code)
    _require_admin_over(actor, area_path)
    number = _clean_value(value)
    row = StandardValue.objects.select_for_update().filter(
        parameter=parameter, region_code=region_code, start=start).first()
    before = _snapshot(row) if row else None
    if row is None:
        row = StandardValue(parameter=parameter, region_code=region_code, start=start)
    row.value, row.status, row.document, row.note = number, status, document.strip(), note.strip()
    row.area_path, row.created_by = area_path, actor
    row.save()
    audit_log(actor=actor, action="standard.set" if before is None else "standard.change",
              object_type="standard_value", object_id=row.pk, area_path=area_path,
              before=before, after=_snapshot(row))
    return row


@transaction.atomic
def standard_value_withdraw(*, actor, standard_id: int) -> None:
    """Remove an administrator's value: the engine's own value applies again.

    A value outside the user's area is "not found", exactly like one that does not exist, so that the answer
    reveals nothing of other areas; inside the area, only an administrator may withdraw it (403)."""
    row = StandardValue.objects.restrict(actor).select_for_update().filter(pk=standard_id).first()
    if row is None:
        raise NotFound("没有这个标准值")
    _require_admin_over(actor, row.area_path)
    audit_log(actor=actor, action="standard.withdraw", object_type="standard_value", object_id=row.pk,
              area_path=row.area_path, before=_snapshot(row))
    row.delete()
