"""政策明白纸: a one-page leaflet for the family from its file; printing it is recorded in the file's history."""

from __future__ import annotations

from django import forms
from django.shortcuts import render

from bangfu.accounts.access import CHANGE
from bangfu.cases import selectors as case_selectors
from bangfu.cases.services import case_leaflet_print
from bangfu.common import clock
from bangfu.common.errors import DomainError
from bangfu.policy.departments import where_to_apply
from bangfu.registry import selectors

from ..access import page
from ..entitlements import entitlements_for
from ..forms.base import StyledForm

RECEIVED = frozenset({"cash", "subsidy", "service"})


class LeafletForm(StyledForm):
    caseworker = forms.CharField(label="经办人姓名", max_length=40)
    phone = forms.CharField(label="经办人联系电话", max_length=20)


@page(CHANGE)
def household_leaflet(request, pk: int):
    """GET: the caseworker's name and phone; POST: the leaflet, its printing recorded in the file."""
    household = selectors.household_get(user=request.user, pk=pk)
    case = case_selectors.case_current(user=request.user, household_id=household.pk)
    name = request.user.get_full_name() or request.user.username
    form = LeafletForm(request.POST or None, initial={"caseworker": name})
    context = {"household": household, "household_id": household.pk, "form": form, "case": case}
    if case is None:  # said on the page, not as a form error: an unbound form (a GET) has nothing to add it to
        context["refusal"] = "该家庭尚未建立帮扶档案,不能打印政策明白纸"
        return render(request, "web/households/leaflet_form.html", context,
                      status=409 if request.method == "POST" else 200)
    if request.method != "POST" or not form.is_valid():
        return render(request, "web/households/leaflet_form.html", context, status=422 if form.errors else 200)
    try:
        case_leaflet_print(actor=request.user, case=case, **form.cleaned_data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "web/households/leaflet_form.html", context, status=exc.status)
    today = clock.today()
    answer = entitlements_for(household, today)
    rows = [{**b, "where": where_to_apply(b["code"], b["kind"])} for b in answer.benefits]
    context.update(today=today, printed_at=clock.local_now(), answer=answer,
                   received=[r for r in rows if r["kind"] in RECEIVED],
                   to_apply=[r for r in rows if r["kind"] not in RECEIVED], **form.cleaned_data)
    return render(request, "web/households/leaflet.html", context)
