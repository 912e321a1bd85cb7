"""Standards endpoints: the parameters with their values, and administrators' dated values."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from bangfu.common.bounds import Day, DbId

from . import selectors, services

router = Router(tags=["standards"])


class StandardIn(Schema):
    parameter: str
    region_code: str
    start: Day
    value: Decimal | None
    document: str
    note: str = ""
    status: str = "confirmed"


class _ValueOut(Schema):
    """What a standard value and a request to set one share: the dated value itself."""

    id: int
    parameter: str
    region_code: str
    start: datetime.date
    value: Decimal | None
    status: str
    document: str
    note: str


class StandardOut(_ValueOut):
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


class RequestOut(_ValueOut):
    kind: str
    state: str
    requested_by: str
    decided_by: str | None
    decision_reason: str


class DecisionIn(Schema):
    reason: str = ""


def _request_out(row) -> RequestOut:
    return RequestOut(id=row.pk, kind=row.kind, parameter=row.parameter, region_code=row.region_code,
                      start=row.start, value=row.value, status=row.status, document=row.document, note=row.note,
                      state=row.state, requested_by=row.requested_by.username,
                      decided_by=row.decided_by.username if row.decided_by else None,
                      decision_reason=row.decision_reason)


@router.post("", response={201: RequestOut}, summary="提出设置(或更正)一个标准值,经另一名管理员审批后生效")
def standard_propose(request: HttpRequest, body: StandardIn) -> Status:
    row = services.standard_request_propose(actor=request.user, **body.dict())
    return Status(201, _request_out(row))


@router.delete("/{int:standard_id}", response={201: RequestOut}, summary="提出撤回一个标准值,经另一名管理员审批后生效")
def standard_withdraw(request: HttpRequest, standard_id: DbId) -> Status:
    row = services.standard_request_withdraw(actor=request.user, standard_id=standard_id)
    return Status(201, _request_out(row))


@router.get("/requests", response=list[RequestOut], summary="本级及下级地区的标准变更审批事项")
def request_list(request: HttpRequest, state: str | None = None) -> list[RequestOut]:
    return [_request_out(row) for row in selectors.standard_request_list(user=request.user, state=state)]


@router.post("/requests/{request_id}/approve", response=RequestOut, summary="审批通过(提出人本人不能审批)")
def request_approve(request: HttpRequest, request_id: DbId, body: DecisionIn) -> RequestOut:
    services.standard_request_approve(actor=request.user, request_id=request_id, reason=body.reason)
    return _request_out(selectors.standard_request_get(user=request.user, pk=request_id))


@router.post("/requests/{request_id}/reject", response=RequestOut, summary="退回(须填写原因)")
def request_reject(request: HttpRequest, request_id: DbId, body: DecisionIn) -> RequestOut:
    row = services.standard_request_reject(actor=request.user, request_id=request_id, reason=body.reason)
    return _request_out(row)
