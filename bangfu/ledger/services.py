"""Ledger use cases: record a payment or a reversal, approve it into the ledger (four eyes), reject, set budgets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction

from bangfu.accounts.access import CHANGE, SET_BUDGET, check_area, in_area, may
from bangfu.accounts.models import Organisation
from bangfu.audit.services import audit_log
from bangfu.cases.approvals import check_escalating_approver
from bangfu.cases.models import Measure
from bangfu.cases.services.common import required_reason
from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common import clock
from bangfu.common.bounds import FIRST_YEAR, YEAR_MAX, decimal_within, text_within
from bangfu.common.clock import today
from bangfu.common.errors import AccessDenied, Conflict, ValidationFailed
from bangfu.registry.models import Household

from .budgets import budget_check
from .measures import measures_follow_payments
from .models import Budget, EntryKind, FundSource, LedgerEntry, LedgerRequest, RequestStatus

PAID_FIELDS = ("household_id", "union_id", "measure_id", "kind", "amount", "goods_description", "paid_on",
               "fund_source", "description")


def _money(value, field: str = "amount", model=LedgerRequest, label: str = "金额") -> Decimal:
    """Yuan and fen exactly, within the column of `model.amount`."""
    return decimal_within(model, "amount", value, field=field, label=label, exact=True)


def _snapshot(obj) -> dict:
    return {f: str(getattr(obj, f)) if getattr(obj, f) is not None else None for f in PAID_FIELDS}


def _audit(actor, action: str, obj, after: dict, before: dict | None = None) -> None:
    audit_log(actor=actor, action=action, object_type="ledger", object_id=obj.pk, area_path=obj.union.path,
              before=before, after=after)


def _check_payment(household: Household, measure: Measure | None, amount: Decimal, kind: str, goods: str,
                   paid_on: datetime.date, fund_source: str, description: str) -> None:
    if household.status not in ARCHIVED_STATES:
        raise ValidationFailed("只能向已建档的困难职工家庭发放帮扶资金或物资", field="household")
    if measure is not None and measure.plan.case.household_id != household.pk:
        raise ValidationFailed("该措施不属于本户", field="measure")
    if amount <= 0:
        raise ValidationFailed("金额应大于零(更正请登记冲正记录)", field="amount")
    if kind not in EntryKind.values or (kind == EntryKind.GOODS) != bool(goods.strip()):
        raise ValidationFailed("实物发放须填写实物名称及数量,资金发放不填", field="goods_description")
    if fund_source not in FundSource.values:
        raise ValidationFailed("资金来源无效", field="fund_source")
    if paid_on > today():
        raise ValidationFailed("发放日期不能晚于今天", field="paid_on")
    if not description.strip():
        raise ValidationFailed("须填写事项", field="description")
    text_within(LedgerRequest, "description", description, plain=True)
    text_within(LedgerRequest, "goods_description", goods, plain=True)


@transaction.atomic
def ledger_request_payment(*, actor, household: Household, amount, fund_source: str, paid_on: datetime.date,
                           description: str, measure: Measure | None = None, kind: str = EntryKind.CASH,
                           goods_description: str = "") -> tuple[LedgerRequest, list[str]]:
    """经办: record a payment or delivery awaiting approval; returns it and any budget warnings."""
    check_area(actor, household.union.path, CHANGE, "未找到该家庭档案")
    amount = _money(amount)
    _check_payment(household, measure, amount, kind, goods_description, paid_on, fund_source, description)
    ledger_request = LedgerRequest.objects.create(
        household=household, union=household.union, measure=measure, kind=kind, amount=amount,
        goods_description=goods_description.strip(), paid_on=paid_on, fund_source=fund_source,
        description=description.strip(), requested_by=actor)
    # The requester hears only of budgets in their own subtree; the approver sees every budget it counts against.
    warnings, _ = budget_check(ledger_request.union, fund_source, paid_on.year, amount,
                               within=actor.organisation.path)
    _audit(actor, "ledger.request", ledger_request,
           after={"request": ledger_request.pk, **_snapshot(ledger_request), "warnings": warnings})
    return ledger_request, warnings


@transaction.atomic
def ledger_request_reversal(*, actor, entry: LedgerEntry, reason: str) -> LedgerRequest:
    """冲正: ask for a correcting entry of the opposite sign; an entry is reversed at most once."""
    check_area(actor, entry.union.path, CHANGE, "未找到该台账记录")
    reason = required_reason(reason, "冲正原因")
    if entry.reversal_of_id is not None:
        raise ValidationFailed("冲正记录本身不能再冲正", field="entry")
    if LedgerEntry.objects.filter(reversal_of=entry).exists():
        raise Conflict("该记录已冲正", field="entry")
    try:
        with transaction.atomic():
            ledger_request = LedgerRequest.objects.create(
                household_id=entry.household_id, union_id=entry.union_id, measure_id=entry.measure_id,
                kind=entry.kind, amount=-entry.amount, goods_description=entry.goods_description,
                paid_on=today(), fund_source=entry.fund_source, description=f"冲正:{reason}"[:200],
                reverses=entry, requested_by=actor)
    except IntegrityError as exc:
        raise Conflict("该记录已有待审核的冲正申请", field="entry") from exc
    _audit(actor, "ledger.request_reversal", ledger_request,
           after={"request": ledger_request.pk, "reverses": entry.pk, "reason": reason})
    return ledger_request


def _lock_pending(ledger_request: LedgerRequest) -> LedgerRequest:
    locked = LedgerRequest.objects.select_for_update().get(pk=ledger_request.pk)
    if locked.status != RequestStatus.PENDING:
        raise Conflict(f"该申请{locked.get_status_display()},不能再审核", field="status")
    return locked


def _write_entry(actor, ledger_request: LedgerRequest) -> LedgerEntry:
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                household_id=ledger_request.household_id, union_id=ledger_request.union_id,
                measure_id=ledger_request.measure_id, kind=ledger_request.kind, amount=ledger_request.amount,
                goods_description=ledger_request.goods_description, paid_on=ledger_request.paid_on,
                fund_source=ledger_request.fund_source, description=ledger_request.description,
                recorded_by_id=ledger_request.requested_by_id, approved_by=actor,
                reversal_of_id=ledger_request.reverses_id)
    except IntegrityError as exc:  # the one-reversal-per-entry constraint
        raise Conflict("该记录已冲正", field="entry") from exc


@transaction.atomic
def ledger_approve(*, actor, ledger_request: LedgerRequest,
                   reason: str = "") -> tuple[LedgerEntry, list[str]]:
    """审核: a county reviewer other than the recorder writes the entry (where the county has no other reviewer, the
    union above); over a budget warns (refuses if so set)."""
    check_escalating_approver(actor, ledger_request.union, {ledger_request.requested_by_id})
    ledger_request = _lock_pending(ledger_request)
    warnings: list[str] = []
    if ledger_request.amount > 0:
        warnings, refused = budget_check(ledger_request.union, ledger_request.fund_source,
                                         ledger_request.paid_on.year, ledger_request.amount, lock=True)
        if refused:
            raise ValidationFailed(refused, field="amount", extra={"warnings": warnings})
    entry = _write_entry(actor, ledger_request)
    ledger_request.status, ledger_request.entry = RequestStatus.APPROVED, entry
    ledger_request.decided_by = actor
    ledger_request.decided_at, ledger_request.decision_reason = clock.now(), reason.strip()
    ledger_request.save()
    measures_follow_payments(actor=actor, measure_ids=[entry.measure_id])
    _audit(actor, "ledger.approve", entry, after={"entry": entry.pk, "request": ledger_request.pk,
                                                  "reversal_of": entry.reversal_of_id, **_snapshot(entry),
                                                  "warnings": warnings})
    return entry, warnings


@transaction.atomic
def ledger_reject(*, actor, ledger_request: LedgerRequest, reason: str) -> LedgerRequest:
    """退回: a reviewer sends the request back with a reason; nothing enters the ledger."""
    check_escalating_approver(actor, ledger_request.union, {ledger_request.requested_by_id})
    ledger_request = _lock_pending(ledger_request)
    ledger_request.status = RequestStatus.REJECTED
    ledger_request.decided_by, ledger_request.decided_at = actor, clock.now()
    ledger_request.decision_reason = required_reason(reason, "退回原因")
    ledger_request.save()
    _audit(actor, "ledger.reject", ledger_request,
           after={"request": ledger_request.pk, "reason": ledger_request.decision_reason})
    return ledger_request


@transaction.atomic
def budget_set(*, actor, union: Organisation, fund_source: str, year: int, amount,
               refuse_over: bool = False) -> Budget:
    """An administrator sets the budget of a union under them for a fund source and year."""
    if not may(actor, SET_BUDGET) or not in_area(actor, union.path):
        raise AccessDenied("只有管理员可以设置本级及下级工会的预算")
    if fund_source not in FundSource.values:
        raise ValidationFailed("资金来源无效", field="fund_source")
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= YEAR_MAX:
        raise ValidationFailed(f"预算年度应为{FIRST_YEAR}到{YEAR_MAX}之间的年份", field="year")
    amount = _money(amount, model=Budget, label="预算金额")
    if amount < 0:
        raise ValidationFailed("预算金额不能为负数", field="amount")
    budget = Budget.objects.select_for_update().filter(union=union, fund_source=fund_source, year=year).first()
    before = {"amount": str(budget.amount), "refuse_over": budget.refuse_over} if budget else None
    if budget is None:
        budget = Budget(union=union, fund_source=fund_source, year=year)
    budget.amount, budget.refuse_over, budget.set_by = amount, refuse_over, actor
    budget.save()
    audit_log(actor=actor, action="ledger.budget_set", object_type="budget", object_id=budget.pk,
              area_path=union.path, before=before,
              after={"union": union.pk, "fund_source": fund_source, "year": year, "amount": str(amount),
                     "refuse_over": refuse_over})
    return budget
