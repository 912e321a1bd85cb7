"""Medical bill endpoints: each parses its input, calls one service or selector, returns the bill and its settlement."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from bangfu.accounts.access import CHANGE, DELETE
from bangfu.common import clock
from bangfu.common.bounds import FIRST_YEAR, Count, Day, DbId, Year
from bangfu.common.errors import ValidationFailed
from bangfu.registry import selectors as registry

from . import selectors, services
from .settlement import Settled

router = Router(tags=["medical"])


class BillIn(Schema):
    member_id: DbId
    billed_on: Day
    admitted_on: Day | None = None
    hospital: str = ""
    hospital_level: str
    kind: str = "inpatient"
    scheme: str
    mutual_aid: bool = False
    total: Decimal
    in_scope: Decimal
    emergency: bool = False
    unpaid: bool = False
    notes: str = ""


class BillPatch(Schema):
    """Only the fields sent are changed; `version` is the bill's version as read (a stale one is refused)."""

    version: Count
    billed_on: Day | None = None
    admitted_on: Day | None = None
    hospital: str | None = None
    hospital_level: str | None = None
    kind: str | None = None
    scheme: str | None = None
    mutual_aid: bool | None = None
    total: Decimal | None = None
    in_scope: Decimal | None = None
    emergency: bool | None = None
    unpaid: bool | None = None
    notes: str | None = None


class BillOut(Schema):
    id: int
    household_id: int
    member_id: int
    member_name: str
    billed_on: datetime.date
    admitted_on: datetime.date | None
    hospital: str
    hospital_level: str
    kind: str
    scheme: str
    mutual_aid: bool
    total: Decimal
    in_scope: Decimal
    emergency: bool
    unpaid: bool
    source: str
    reported_self_paid: Decimal | None
    notes: str
    version: int
    settlement: dict | None  # spec/settlement.md's answer, the member's earlier bills of the year chained in
    family_share: Decimal | None
    error: str = ""


def _out(s: Settled) -> dict:
    b = s.bill
    return {"id": b.pk, "household_id": b.household_id, "member_id": b.member_id, "member_name": b.member.name,
            **{k: getattr(b, k) for k in ("billed_on", "admitted_on", "hospital", "hospital_level", "kind", "scheme",
                                          "mutual_aid", "total", "in_scope", "emergency", "unpaid", "source",
                                          "reported_self_paid", "notes", "version")},
            "settlement": s.answer, "family_share": s.family_share, "error": s.error}


@router.get("/households/{int:household_id}/medical-bills", response=list[BillOut],
            summary="一户某年度的医疗费用单据及其一站式结算")
def bill_list(request: HttpRequest, household_id: DbId, year: Year | None = None):
    household = registry.household_get(user=request.user, pk=household_id)
    today = clock.today()
    year = year or today.year
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationFailed("年度无效", field="year")
    summary = selectors.medical_year(user=request.user, household=household, year=year,
                                     as_of=min(today, datetime.date(year, 12, 31)))
    return [_out(s) for s in summary.settled]


@router.post("/households/{int:household_id}/medical-bills", response={201: BillOut}, summary="录入一张医疗费用单据")
def bill_create(request: HttpRequest, household_id: DbId, payload: BillIn):
    household = registry.household_get(user=request.user, pk=household_id)
    data = payload.dict()
    member = registry.member_get(user=request.user, pk=data.pop("member_id"))
    bill = services.medical_bill_record(actor=request.user, household=household, member=member, data=data)
    return Status(201, _out(selectors.medical_bill_settled(user=request.user, pk=bill.pk)))


@router.get("/medical-bills/{int:bill_id}", response=BillOut, summary="一张单据及其结算(结算单)")
def bill_get(request: HttpRequest, bill_id: DbId):
    return _out(selectors.medical_bill_settled(user=request.user, pk=bill_id))


@router.patch("/medical-bills/{int:bill_id}", response=BillOut, summary="修改单据(须带读取时的版本号)")
def bill_update(request: HttpRequest, bill_id: DbId, payload: BillPatch):
    bill = selectors.medical_bill_get(user=request.user, pk=bill_id, action=CHANGE)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.medical_bill_update(actor=request.user, bill=bill, data=data, version=version)
    return _out(selectors.medical_bill_settled(user=request.user, pk=bill_id))


@router.delete("/medical-bills/{int:bill_id}", response={204: None}, summary="删除单据")
def bill_delete(request: HttpRequest, bill_id: DbId):
    bill = selectors.medical_bill_get(user=request.user, pk=bill_id, action=DELETE)
    services.medical_bill_delete(actor=request.user, bill=bill)
    return Status(204, None)
