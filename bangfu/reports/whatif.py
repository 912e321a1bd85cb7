"""What-if (测算一项拟调整的标准): a draft figure simulated over the live archive of the user's area with the re-computation's
difference report; saved and shared within the union; turned into a real standard through the four eyes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from bangfu.accounts.access import VIEW, require
from bangfu.audit.services import audit_log
from bangfu.common.bounds import as_of_within
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.registry.models import Household
from bangfu.standards import services as standards
from bangfu.standards.models import StandardValue, Status
from bangfu.standards.selectors import effective_parameters, overlay

from .models import WhatIf
from .recompute import difference, scope


def draft_parameters(*, parameter: str, region_code: str, start: datetime.date, value: Decimal):
    """The system's figures with the draft laid over them (the draft wins over a value of the same date)."""
    rows = list(StandardValue.objects.exclude(parameter=parameter, region_code=region_code, start=start))
    draft = StandardValue(parameter=parameter, region_code=region_code, start=start, value=value,
                          status=Status.CONFIRMED, document="测算方案(草案)")
    return overlay([*rows, draft])


def whatif_simulate(*, user, parameter: str, region_code: str, start: datetime.date, value: Decimal) -> dict:
    """The difference report of the draft over the archived households of its region within the user's area."""
    require(user, VIEW)
    as_of_within(start, field="start")
    area = standards.area_path_of(region_code)
    if parameter not in {p.name for p in effective_parameters()}:
        raise ValidationFailed(f"参数不存在:{parameter}", field="parameter")
    base = Household.objects.restrict(user, VIEW).filter(union__path__startswith=area)
    after = draft_parameters(parameter=parameter, region_code=region_code, start=start, value=value)
    changes, summary = difference(scope(area, base=base), start, effective_parameters(), after)
    summary["distribution"] = _distribution([ch["cash_after"] - ch["cash_before"] for ch in changes])
    return summary


def _distribution(deltas: list[Decimal]) -> list[dict]:
    """Changed households by the size of their yearly change (元/年)."""
    edges = [Decimal(x) for x in ("-inf", "-1000", "-100", "0", "100", "1000", "5000", "inf")]
    labels = ["减少1000以上", "减少100~1000", "减少100以内", "增加100以内", "增加100~1000", "增加1000~5000", "增加5000以上"]
    return [{"label": label, "households": sum(1 for d in deltas if lo < d <= hi)}
            for label, lo, hi in zip(labels, edges[:-1], edges[1:], strict=True)]


@transaction.atomic
def whatif_save(*, actor, name: str, parameter: str, region_code: str, start: datetime.date,
                value: Decimal) -> WhatIf:
    if not name.strip():
        raise ValidationFailed("请填写方案名称", field="name")
    summary = whatif_simulate(user=actor, parameter=parameter, region_code=region_code, start=start, value=value)
    row = WhatIf.objects.create(name=name.strip(), parameter=parameter, region_code=region_code, start=start,
                                value=value, area_path=actor.organisation.path, summary=summary, created_by=actor)
    audit_log(actor=actor, action="whatif.save", object_type="whatif", object_id=row.pk, area_path=row.area_path,
              after={"name": row.name, "parameter": parameter, "region_code": region_code, "start": start.isoformat(),
                     "value": str(value)})
    return row


def whatif_list(*, user):
    return WhatIf.objects.restrict(user, VIEW).select_related("created_by", "request")


def whatif_get(*, user, pk: int) -> WhatIf:
    row = whatif_list(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound("未找到该测算方案")
    return row


@transaction.atomic
def whatif_propose(*, actor, pk: int, document: str):
    """An administrator turns the draft into a standard proposal; a second administrator approves it (four eyes)."""
    row = WhatIf.objects.select_for_update().filter(pk=whatif_get(user=actor, pk=pk).pk).get()
    if row.request_id is not None:
        raise ValidationFailed("该方案已转为标准审批", field="request")
    request = standards.standard_request_propose(
        actor=actor, parameter=row.parameter, region_code=row.region_code, start=row.start, value=row.value,
        document=document, note=f"由测算方案“{row.name}”提出")
    row.request = request
    row.save(update_fields=["request"])
    audit_log(actor=actor, action="whatif.propose", object_type="whatif", object_id=row.pk, area_path=row.area_path,
              after={"request": request.pk})
    return request
