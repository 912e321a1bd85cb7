"""A household's ledger: record a payment or delivery (against a measure), approve or reject it, reverse an entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bangfu.accounts.access import CHANGE, VIEW, may
from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common import clock
from bangfu.common.errors import AccessDenied, Conflict, ValidationFailed
from bangfu.ledger import selectors as ledger_selectors
from bangfu.ledger import services
from bangfu.ledger.models import FundSource, RequestStatus
from bangfu.registry import selectors

from ..access import page
from ..forms.plans import DecisionForm, PaymentForm
from ..selectors import household_measures, may_approve

SOURCES = dict(FundSource.choices)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}:{' '.join(errors)}" if label else " ".join(errors))


def _record(request, household, form) -> bool:
    try:
        _, warnings = services.ledger_request_payment(actor=request.user, household=household,
                                                      **form.service_kwargs())
    except ValidationFailed as exc:
        form.add_domain_error(exc)
        return False
    messages.success(request, "已登记,待审核人审核后记入台账。")
    for warning in warnings:
        messages.warning(request, f"预算提醒:{warning}")
    return True


def _totals(user, pk: int) -> dict:
    by_source = ledger_selectors.ledger_totals(user=user, household_id=pk, group_by="fund_source")
    for group in by_source["groups"]:
        group["label"] = SOURCES.get(group["key"], group["key"])
    return by_source


@page(VIEW)
def household_ledger(request, pk: int):
    user = request.user
    household = selectors.household_get(user=user, pk=pk)
    can_record = may(user, CHANGE) and household.status in ARCHIVED_STATES
    measures = household_measures(user=user, household_id=pk) if can_record else []
    initial = {"paid_on": clock.today(), "measure": request.GET.get("measure")}
    form = PaymentForm(request.POST or None, measures=measures, initial=initial)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied("该户不能登记发放")
        if form.is_valid() and _record(request, household, form):
            return redirect("web:household_ledger", pk=pk)
    entries = list(ledger_selectors.entry_list(user=user, household_id=pk)
                   .select_related("recorded_by", "approved_by", "measure", "reversed_by"))
    pending = list(ledger_selectors.request_list(user=user, status=RequestStatus.PENDING)
                   .filter(household_id=pk).select_related("measure").order_by("id"))
    reversing = {r.reverses_id for r in pending if r.reverses_id}
    context = {"household": household, "form": form, "can_record": can_record, "entries": entries,
               "pending": pending, "reversing": reversing, "totals": _totals(user, pk),
               "approver": may_approve(user, household.union.path), "can_change": may(user, CHANGE),
               "decision_form": DecisionForm()}
    return render(request, "web/ledger/household.html", context, status=422 if form.errors else 200)


def _back(request, item):
    if request.POST.get("back") == "queue":
        return redirect("web:ledger_requests")
    return redirect("web:household_ledger", pk=item.household_id)


@require_POST
@page(CHANGE)
def request_approve(request, pk: int):
    item = ledger_selectors.request_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        entry, warnings = services.ledger_approve(actor=request.user, ledger_request=item,
                                                  reason=form.cleaned_data.get("reason", ""))
    except (ValidationFailed, Conflict, AccessDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已审核入账:{entry.description} {entry.amount}元。")
        for warning in warnings:
            messages.warning(request, f"预算提醒:{warning}")
    return _back(request, item)


@require_POST
@page(CHANGE)
def request_reject(request, pk: int):
    item = ledger_selectors.request_get(user=request.user, pk=pk)
    try:
        services.ledger_reject(actor=request.user, ledger_request=item, reason=request.POST.get("reason", ""))
    except (ValidationFailed, Conflict, AccessDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已退回该登记。")
    return _back(request, item)


@require_POST
@page(CHANGE)
def entry_reverse(request, pk: int):
    entry = ledger_selectors.entry_get(user=request.user, pk=pk)
    try:
        services.ledger_request_reversal(actor=request.user, entry=entry, reason=request.POST.get("reason", ""))
    except (ValidationFailed, Conflict, AccessDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记冲正申请,待审核人审核。")
    return redirect("web:household_ledger", pk=entry.household_id)
