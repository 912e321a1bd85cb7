"""Ledger endpoints: payment and reversal requests, approval, entries, totals, budgets, the Excel export."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from bangfu.accounts.selectors import organisation_list
from bangfu.cases.selectors import measure_get
from bangfu.common import clock
from bangfu.common.bounds import DbId, Year
from bangfu.common.errors import NotFound
from bangfu.common.paging import api_keyset_page, page_schema
from bangfu.registry.selectors import household_get

from . import selectors, services
from .budgets import spent
from .exports import ledger_export
from .schemas import (
    ApprovedOut,
    ApproveIn,
    BudgetIn,
    BudgetOut,
    EntryOut,
    PaymentIn,
    ReasonIn,
    RequestOut,
    TotalsOut,
    UnionTotalOut,
)

router = Router(tags=["ledger"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EntryFilters(Schema):
    household_id: DbId | None = None
    measure_id: DbId | None = None
    fund_source: str = ""
    union_id: DbId | None = None
    year: Year | None = None


def _union(request, union_id: DbId | None):
    if union_id is None:
        return None
    union = organisation_list(user=request.user).filter(pk=union_id).first()
    if union is None:
        raise NotFound("未找到该工会")
    return union


def _filters(request, filters: EntryFilters) -> dict:
    data = filters.dict()
    data["union"] = _union(request, data.pop("union_id"))
    return data


def entry_out(entry) -> dict:
    fields = ("id", "household_id", "union_id", "measure_id", "kind", "amount", "goods_description", "paid_on",
              "fund_source", "description", "reversal_of_id")
    return {**{f: getattr(entry, f) for f in fields}, "recorded_by": str(entry.recorded_by),
            "approved_by": str(entry.approved_by), "reversed": hasattr(entry, "reversed_by")}


def request_out(request, warnings: list[str] = ()) -> dict:
    fields = ("id", "household_id", "union_id", "measure_id", "kind", "amount", "goods_description", "paid_on",
              "fund_source", "description", "reverses_id", "status", "decision_reason", "entry_id")
    return {**{f: getattr(request, f) for f in fields}, "requested_by": str(request.requested_by),
            "decided_by": str(request.decided_by) if request.decided_by else None, "warnings": list(warnings)}


EntryPage = page_schema(EntryOut, "EntryPage", keyset=True)
RequestPage = page_schema(RequestOut, "RequestPage", keyset=True)


@router.get("/entries", response=EntryPage, summary="台账记录(分页)")
def entry_list(request, filters: Query[EntryFilters], page: int = 1, per_page: int = 50, after: int | None = None,
               before: int | None = None):
    """`after`/`before`: keyset cursors (the `next_after`/`previous_before` of a page) for deep pages."""
    qs = selectors.entry_list(user=request.user, **_filters(request, filters))
    return api_keyset_page(qs.select_related("recorded_by", "approved_by", "reversed_by"),
                           order=selectors.ENTRY_ORDER, page=page, per_page=per_page, after=after, before=before,
                           item=entry_out)


@router.get("/entries/{int:entry_id}", response=EntryOut)
def entry_detail(request, entry_id: DbId):
    return entry_out(selectors.entry_get(user=request.user, pk=entry_id))


@router.post("/requests", response={201: RequestOut}, summary="登记发放(待审核)")
def payment_request(request, payload: PaymentIn):
    household = household_get(user=request.user, pk=payload.household_id)
    measure = None if payload.measure_id is None else measure_get(user=request.user, pk=payload.measure_id)
    data = payload.dict(exclude={"household_id", "measure_id"})
    created, warnings = services.ledger_request_payment(actor=request.user, household=household, measure=measure,
                                                        **data)
    return Status(201, request_out(created, warnings))


@router.post("/entries/{int:entry_id}/reversal", response={201: RequestOut}, summary="申请冲正(待审核)")
def reversal_request(request, entry_id: DbId, payload: ReasonIn):
    entry = selectors.entry_get(user=request.user, pk=entry_id)
    return Status(201, request_out(services.ledger_request_reversal(actor=request.user, entry=entry,
                                                                    reason=payload.reason)))


@router.get("/requests", response=RequestPage, summary="登记申请(可按状态筛选,分页)")
def request_list(request, status: str = "", page: int = 1, per_page: int = 50, after: int | None = None,
                 before: int | None = None):
    """`after`/`before`: keyset cursors (the `next_after`/`previous_before` of a page) for deep pages."""
    return api_keyset_page(selectors.request_list(user=request.user, status=status), order=selectors.REQUEST_ORDER,
                           page=page, per_page=per_page, after=after, before=before,
                    item=request_out)


@router.post("/requests/{int:request_id}/approve", response=ApprovedOut, summary="审核入账(审核人,非经办人)")
def request_approve(request, request_id: DbId, payload: ApproveIn):
    pending = selectors.request_get(user=request.user, pk=request_id)
    entry, warnings = services.ledger_approve(actor=request.user, ledger_request=pending, reason=payload.reason)
    return {"entry": entry_out(entry), "warnings": warnings}


@router.post("/requests/{int:request_id}/reject", response=RequestOut, summary="退回")
def request_reject(request, request_id: DbId, payload: ReasonIn):
    pending = selectors.request_get(user=request.user, pk=request_id)
    return request_out(services.ledger_reject(actor=request.user, ledger_request=pending, reason=payload.reason))


@router.get("/totals", response=TotalsOut, summary="合计(可按户、措施、资金来源、年度分组)")
def totals(request, filters: Query[EntryFilters], group_by: str = ""):
    return selectors.ledger_totals(user=request.user, group_by=group_by, **_filters(request, filters))


@router.get("/totals/unions", response=list[UnionTotalOut], summary="按工会(含下级)合计")
def totals_by_union(request, union_id: DbId | None = None, year: Year | None = None, fund_source: str = ""):
    union = _union(request, union_id) or request.user.organisation
    if union is None:
        raise NotFound("未找到该工会")
    return selectors.union_totals(user=request.user, union=union, year=year, fund_source=fund_source)


def budget_out(row: dict) -> dict:
    b = row["budget"]
    return {"id": b.pk, "union_id": b.union_id, "union": b.union.name, "fund_source": b.fund_source,
            "year": b.year, "amount": b.amount, "refuse_over": b.refuse_over, "spent": row["spent"],
            "remaining": row["remaining"]}


@router.get("/budgets", response=list[BudgetOut], summary="预算及执行情况")
def budget_list(request, year: Year | None = None):
    return [budget_out(row) for row in selectors.budget_list(user=request.user, year=year)]


@router.put("/budgets", response=BudgetOut, summary="设置预算(管理员)")
def budget_set(request, payload: BudgetIn):
    union = _union(request, payload.union_id)
    budget = services.budget_set(actor=request.user, union=union, fund_source=payload.fund_source,
                                 year=payload.year, amount=payload.amount, refuse_over=payload.refuse_over)
    used = spent(union.path, budget.fund_source, budget.year)
    return budget_out({"budget": budget, "spent": used, "remaining": budget.amount - used})


@router.get("/export.xlsx", summary="导出发放台账(Excel)")
def export(request, filters: Query[EntryFilters]):
    content = ledger_export(user=request.user, **_filters(request, filters))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ledger-{clock.today():%Y%m%d}.xlsx"'
    return response
