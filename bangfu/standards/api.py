"""Standards endpoints: the parameters with their values, and administrators' dated values."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from . import selectors, services

router = Router(tags=["standards"])


class StandardIn(Schema):
    parameter: str
    region_code: str
    start: datetime.date
    value: Decimal | None
    document: str
    note: str = ""
    status: str = "confirmed"


class StandardOut(Schema):
    id: int
    parameter: str
    region_code: str
    start: datetime.date
    value: Decimal | None
    status: str
    document: str
    note: str
    created_by: str
    updated_at: datetime.datetime


def _out(row) -> StandardOut:
    return StandardOut(id=row.pk, parameter=row.parameter, region_code=row.region_code, start=row.start,
                       value=row.value, status=row.status, document=row.document, note=row.note,
                       created_by=row.created_by.username, updated_at=row.updated_at)


@router.get("/parameters", summary="全部政策参数及其分地区、分日期的取值")
def parameters(request: HttpRequest) -> list[dict]:
    return selectors.parameter_overview()


@router.get("", response=list[StandardOut], summary="本级及下级地区设置的标准值")
def standard_list(request: HttpRequest) -> list[StandardOut]:
    return [_out(row) for row in selectors.standard_value_list(user=request.user)]


@router.post("", response={201: StandardOut}, summary="设置(或更正)一个标准值")
def standard_set(request: HttpRequest, body: StandardIn) -> Status:
    row = services.standard_value_set(actor=request.user, **body.dict())
    return Status(201, _out(row))


@router.delete("/{standard_id}", response={204: None}, summary="撤回一个标准值")
def standard_withdraw(request: HttpRequest, standard_id: int) -> Status:
    services.standard_value_withdraw(actor=request.user, standard_id=standard_id)
    return Status(204, None)
