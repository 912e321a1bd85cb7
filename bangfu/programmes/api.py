"""Programme endpoints (/api/v1/programmes/…): programmes, rounds, lines, approval, bank file, return file, payees."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from bangfu.accounts.selectors import organisation_list
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.common.ids import mask_id_number
from bangfu.registry.models import Member
from bangfu.registry.selectors import household_get

from . import selectors, services
from .exports import round_export
from .models import BankFormat, mask_account

router = Router(tags=["programmes"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 200
MAX_UPLOAD = 50 * 1024 * 1024


class ProgrammeIn(Schema):
    union_id: int
    name: str
    kind: str
    fund_source: str
    budget: Decimal | None = None
    refuse_over_budget: bool = False
    period_kind: str = "year"
    delivery: str = "bank"
    goods_description: str = ""
    fixed_amount: Decimal | None = None
    bank_format: str = "generic"


class RoundIn(Schema):
    union_id: int
    paid_on: datetime.date
    title: str = ""
    period_day: datetime.date | None = None


class VersionIn(Schema):
    version: int


class DecisionIn(Schema):
    version: int
    reason: str = ""


class AdjustIn(Schema):
    version: int
    reason: str
    amount: Decimal | None = None
    include: bool = True


class DeliveryIn(Schema):
    failed: dict[int, str] = {}


class PayeeIn(Schema):
    member_id: int
    bank_name: str
    account_number: str
    account_kind: str = "card"
    version: int | None = None  # the payee's version as read (GET …/payee); 0 or none when it had no payee


class LineFilters(Schema):
    included: bool | None = None
    state: str = ""
    exclusion: str = ""
    offset: int = 0


def programme_out(p) -> dict:
    return {"id": p.pk, "name": p.name, "kind": p.kind, "union_id": p.union_id, "union": p.union.name,
            "fund_source": p.fund_source, "budget": p.budget, "refuse_over_budget": p.refuse_over_budget,
            "period_kind": p.period_kind, "delivery": p.delivery, "goods_description": p.goods_description,
            "fixed_amount": p.fixed_amount, "active": p.active}


def round_out(r, report: bool = False) -> dict:
    out = {"id": r.pk, "programme_id": r.programme_id, "programme": r.programme.name, "union_id": r.union_id,
           "number": r.number, "title": r.title, "paid_on": r.paid_on, "period": r.period_key, "state": r.state,
           "state_label": r.get_state_display(), "version": r.version,
           "approver_union": r.approver_union.name if r.approver_union_id else None,
           "budget_warnings": r.budget_warnings, "decision_reason": r.decision_reason,
           "preparing": {"state": r.job_state, "state_label": r.get_job_state_display() if r.job_state else "",
                         "processed": r.job_processed, "total": r.job_total, "message": r.job_message}}
    if report:
        out["report"] = selectors.round_report(round_=r)
    return out


def line_out(line) -> dict:
    return {"id": line.pk, "household_id": line.household_id, "period": line.period_key, "included": line.included,
            "exclusion": line.exclusion, "reason": line.reason, "computed_amount": line.computed_amount,
            "amount": line.amount, "adjust_reason": line.adjust_reason, "state": line.state,
            "payee_name": line.payee_name, "payee_id_number": mask_id_number(line.payee_id_number),
            "bank_name": line.bank_name, "account_number": mask_account(line.account_number),
            "bank_reason": line.bank_reason, "entry_id": line.entry_id, "measure_id": line.measure_id,
            "carried_from_id": line.carried_from_id, "version": line.version}


def _union(request, union_id: int):
    union = organisation_list(user=request.user).filter(pk=union_id).first()
    if union is None:
        raise NotFound("未找到该工会")
    return union


@router.get("/", summary="帮扶项目")
def programme_list(request):
    return [programme_out(p) for p in selectors.programme_list(user=request.user)[:500]]


@router.post("/", summary="设立帮扶项目", response={201: dict})
def programme_create(request, data: ProgrammeIn):
    fmt = BankFormat.objects.filter(code=data.bank_format).first()
    if fmt is None and data.delivery == "bank":
        raise ValidationFailed("代发文件格式无效", field="bank_format")
    fields = data.dict(exclude={"union_id", "bank_format"})
    programme = services.programme_create(actor=request.user, union=_union(request, data.union_id),
                                          bank_format=fmt, **fields)
    return Status(201, programme_out(programme))


@router.get("/{int:programme_id}", summary="帮扶项目及其批次")
def programme_detail(request, programme_id: int):
    programme = selectors.programme_get(user=request.user, pk=programme_id)
    return {**programme_out(programme),
            "rounds": [round_out(r) for r in selectors.round_list(user=request.user, programme=programme)],
            "series": selectors.programme_series(user=request.user, programme=programme)}


@router.post("/{int:programme_id}/rounds", summary="新建批次并生成名单", response={201: dict})
def round_create(request, programme_id: int, data: RoundIn):
    programme = selectors.programme_get(user=request.user, pk=programme_id)
    round_ = services.round_create(actor=request.user, programme=programme, union=_union(request, data.union_id),
                                   paid_on=data.paid_on, title=data.title, period_day=data.period_day)
    return Status(201, round_out(round_, report=True))


@router.get("/rounds/waiting", summary="待我处理的批次")
def rounds_waiting(request):
    return [round_out(r) for r in selectors.rounds_waiting(user=request.user)]


@router.get("/rounds/{int:round_id}", summary="批次及其报表")
def round_detail(request, round_id: int):
    return round_out(selectors.round_get(user=request.user, pk=round_id), report=True)


@router.get("/rounds/{int:round_id}/lines", summary="发放明细(每页200条)")
def line_list(request, round_id: int, filters: Query[LineFilters]):
    round_ = selectors.round_get(user=request.user, pk=round_id)
    qs = selectors.line_list(user=request.user, round_=round_, included=filters.included, state=filters.state,
                             exclusion=filters.exclusion)
    offset = max(filters.offset, 0)
    return {"count": qs.count(), "offset": offset, "items": [line_out(x) for x in qs[offset:offset + PAGE]]}


def _round_action(request, round_id: int, action, **kwargs):
    round_ = selectors.round_get(user=request.user, pk=round_id)
    return action(actor=request.user, round_=round_, **kwargs)


@router.post("/rounds/{int:round_id}/prepare", summary="重新生成名单")
def round_prepare(request, round_id: int, data: VersionIn):
    return {"counts": _round_action(request, round_id, services.round_prepare, version=data.version)}


@router.post("/rounds/{int:round_id}/discard", summary="作废编制中的批次")
def round_discard(request, round_id: int, data: VersionIn):
    _round_action(request, round_id, services.round_discard, version=data.version)
    return {"discarded": round_id}


@router.post("/rounds/{int:round_id}/submit", summary="提交审核")
def round_submit(request, round_id: int, data: VersionIn):
    return round_out(_round_action(request, round_id, services.round_submit, version=data.version))


@router.post("/rounds/{int:round_id}/approve", summary="审核通过(不入账,发放成功后入账)")
def round_approve(request, round_id: int, data: DecisionIn):
    round_, warnings = _round_action(request, round_id, services.round_approve, version=data.version,
                                     reason=data.reason)
    return {**round_out(round_), "warnings": warnings}


@router.post("/rounds/{int:round_id}/reject", summary="退回")
def round_reject(request, round_id: int, data: DecisionIn):
    return round_out(_round_action(request, round_id, services.round_reject, version=data.version,
                                   reason=data.reason))


@router.post("/lines/{int:line_id}/adjust", summary="调整发放明细")
def line_adjust(request, line_id: int, data: AdjustIn):
    line = selectors.line_get(user=request.user, pk=line_id)
    return line_out(services.line_adjust(actor=request.user, line=line, version=data.version, reason=data.reason,
                                         amount=data.amount, include=data.include))


@router.get("/rounds/{int:round_id}/bank-file", summary="银行代发文件(xlsx 或 csv)")
def bank_file(request, round_id: int, kind: str = "xlsx"):
    content, name = _round_action(request, round_id, services.round_bank_file, kind=kind)
    response = HttpResponse(content, content_type=XLSX if kind == "xlsx" else "text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/rounds/{int:round_id}/reconcile", summary="导入银行回盘文件", response={201: dict})
def reconcile(request, round_id: int, file: File[UploadedFile]):
    if file.size > MAX_UPLOAD:
        raise ValidationFailed("文件过大(不超过50MB)", field="file")
    record = _round_action(request, round_id, services.round_reconcile, content=file.read(), file_name=file.name)
    return Status(201, {"id": record.pk, "paid": record.paid, "failed": record.failed, "errors": record.errors,
                        "paid_total": record.paid_total})


@router.get("/reconciliations/{int:pk}/result", summary="对账结果文件(含错误列)")
def reconcile_result(request, pk: int):
    record = selectors.reconciliation_get(user=request.user, pk=pk)
    kind = record.result_name.rsplit(".", 1)[-1]
    response = HttpResponse(bytes(record.result), content_type=XLSX if kind == "xlsx" else "text/csv")
    response["Content-Disposition"] = f'attachment; filename="{record.result_name}"'
    return response


@router.post("/rounds/{int:round_id}/delivery", summary="登记签领结果(现金、实物)")
def delivery(request, round_id: int, data: DeliveryIn):
    return _round_action(request, round_id, services.round_record_delivery, failed=data.failed)


@router.get("/rounds/{int:round_id}/report.xlsx", summary="批次报表 Excel")
def report_xlsx(request, round_id: int):
    content = _round_action(request, round_id, round_export)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="round-{round_id}.xlsx"'
    return response


def _payee_out(payee) -> dict | None:
    if payee is None:
        return None
    return {"member_id": payee.member_id, "member": payee.member.name, "bank_name": payee.bank_name,
            "account_kind": payee.account_kind, "account_number": mask_account(payee.account_number),
            "version": payee.version}


@router.get("/households/{int:household_id}/payee", summary="领款人及账户(账号脱敏)")
def payee_get(request, household_id: int):
    household = household_get(user=request.user, pk=household_id)
    return {"payee": _payee_out(services.payee_get(user=request.user, household=household)),
            "rounds": [{"round_id": x.round_id, "programme": x.round.programme.name, "number": x.round.number,
                        "period": x.period_key, "amount": x.amount, "state": x.state}
                       for x in selectors.household_lines(user=request.user, household_id=household_id)]}


@router.put("/households/{int:household_id}/payee", summary="设置领款人及账户")
def payee_set(request, household_id: int, data: PayeeIn):
    household = household_get(user=request.user, pk=household_id)
    member = Member.objects.filter(pk=data.member_id, household=household).first()
    if member is None:
        raise ValidationFailed("领款人须为本户成员", field="member_id")
    payee = services.payee_set(actor=request.user, household=household, member=member, bank_name=data.bank_name,
                               account_number=data.account_number, account_kind=data.account_kind,
                               version=data.version)
    return _payee_out(payee)


@router.post("/households/{int:household_id}/payee/reveal", summary="查看完整账号(记录日志)")
def payee_reveal(request, household_id: int):
    household = household_get(user=request.user, pk=household_id)
    payee = services.payee_get(user=request.user, household=household)
    if payee is None:
        raise NotFound("该户未登记领款人账户")
    return {"account_number": services.payee_reveal_account(actor=request.user, payee=payee)}
