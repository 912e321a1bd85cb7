"""政策标准 (Article 24): every parameter with its dated values; administrators propose a value (a new standard, or
the confirmation of an illustrative figure with its document) and a second administrator approves it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bangfu.accounts.access import SET_STANDARD, VIEW_AUDIT, in_area, may
from bangfu.common.errors import AccessDenied, NotFound, ValidationFailed
from bangfu.reports.services import recomputation_schedule
from bangfu.standards import selectors, services

from ..access import page
from ..forms.standards import StandardForm


def _is_admin(user) -> bool:
    return may(user, SET_STANDARD)


def _decidable(user, requests) -> dict[int, bool]:
    """Which pending proposals this user may decide: an administrator over the area who did not propose it."""
    return {r.pk: _is_admin(user) and in_area(user, r.area_path) and r.requested_by_id != user.pk for r in requests}


@page(VIEW_AUDIT)
def standard_list(request):
    q = request.GET.get("q", "").strip()[:60]
    illustrative_only = request.GET.get("illustrative") == "1"
    pending = list(selectors.standard_request_list(user=request.user, state="pending").order_by("id")[:100])
    context = {"parameters": selectors.parameter_table(q=q, illustrative_only=illustrative_only), "q": q,
               "illustrative_only": illustrative_only, "pending": pending,
               "decidable": _decidable(request.user, pending), "is_admin": _is_admin(request.user)}
    return render(request, "web/standards/list.html", context)


@page(VIEW_AUDIT)
def standard_detail(request, name: str):
    history = selectors.parameter_history(user=request.user, name=name)
    initial = {k: request.GET[k] for k in ("region_code", "start", "value") if request.GET.get(k)}
    form = StandardForm(request.POST or None, initial={"status": "confirmed", **initial}, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_request_propose(actor=request.user, parameter=name, **form.cleaned_data)
        except (ValidationFailed, AccessDenied) as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已提交,待另一名管理员审批后生效。")
            return redirect("web:standard_detail", name=name)
    context = {"p": history, "form": form, "is_admin": _is_admin(request.user),
               "decidable": _decidable(request.user, history["pending"])}
    return render(request, "web/standards/detail.html", context)


def _back(request, default: str = "web:standard_list"):
    name = request.POST.get("parameter", "")
    return redirect("web:standard_detail", name=name) if name else redirect(default)


@require_POST
@page(VIEW_AUDIT)
def standard_withdraw(request, pk: int):
    try:
        services.standard_request_withdraw(actor=request.user, standard_id=pk)
    except (ValidationFailed, AccessDenied) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提出撤回,待另一名管理员审批后生效。")
    return _back(request)


@require_POST
@page(VIEW_AUDIT)
def standard_request_decide(request, pk: int, decision: str):
    if decision not in ("approve", "reject"):
        raise NotFound("没有这个操作")
    try:
        if decision == "approve":
            services.standard_request_approve(actor=request.user, request_id=pk,
                                              reason=request.POST.get("reason", ""))
            if recomputation_schedule(request_id=pk) is not None:
                messages.success(request, "已审批通过,自即日起的测算使用该标准;在档家庭正按新标准重新测算。")
            else:
                messages.success(request, "已审批通过,自即日起的测算使用该标准。")
        else:
            services.standard_request_reject(actor=request.user, request_id=pk, reason=request.POST.get("reason", ""))
            messages.success(request, "已退回。")
    except (ValidationFailed, AccessDenied) as exc:
        messages.error(request, exc.message)
    return _back(request)
