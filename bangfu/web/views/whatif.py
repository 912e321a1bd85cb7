"""标准调整测算 (what-if): draft a figure, see who gains and loses and the cost, save it for the union, compare the
saved drafts side by side, and turn one into a standard proposal (a second administrator approves it)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bangfu.accounts.access import SET_STANDARD, VIEW, may
from bangfu.common.errors import AccessDenied, ValidationFailed
from bangfu.reports import whatif as w
from bangfu.standards.selectors import effective_parameters

from ..access import page
from ..forms.base import StyledForm, date_input
from ..forms.standards import region_choices


class WhatIfForm(StyledForm):
    name = forms.CharField(label="方案名称", max_length=100)
    parameter = forms.ChoiceField(label="参数")
    region_code = forms.ChoiceField(label="适用地区")
    start = forms.DateField(label="起始日期", widget=date_input())
    value = forms.DecimalField(label="数值", max_digits=16, decimal_places=4)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parameter"].choices = [(p.name, f"{p.description}({p.unit})") for p in effective_parameters()]
        self.fields["region_code"].choices = region_choices(user)


@page(VIEW)
def whatif_list(request):
    user = request.user
    form = WhatIfForm(request.POST or None, user=user)
    summary = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("parameter", "region_code", "start", "value")}
        try:
            if "save" in request.POST:
                row = w.whatif_save(actor=user, name=data["name"], **fields)
                messages.success(request, "测算方案已保存,本工会及上级工会可查看。")
                return redirect("web:whatif_detail", pk=row.pk)
            summary = w.whatif_simulate(user=user, **fields)
        except ValidationFailed as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    rows = list(w.whatif_list(user=user)[:20])
    return render(request, "web/reports/whatif.html", {"nav": "reports", "form": form, "summary": summary,
                                                       "rows": rows}, status=422 if form.errors else 200)


@page(VIEW)
def whatif_detail(request, pk: int):
    row = w.whatif_get(user=request.user, pk=pk)
    return render(request, "web/reports/whatif_detail.html", {
        "nav": "reports", "row": row, "summary": row.summary,
        "can_propose": may(request.user, SET_STANDARD) and row.request_id is None})


@require_POST
@page(VIEW)
def whatif_propose(request, pk: int):
    try:
        proposal = w.whatif_propose(actor=request.user, pk=pk, document=request.POST.get("document", ""))
        messages.success(request, f"已转为政策标准审批(第{proposal.pk}号),待另一位管理员审批。")
    except (ValidationFailed, AccessDenied) as exc:
        messages.error(request, exc.message)
    return redirect("web:whatif_detail", pk=pk)
