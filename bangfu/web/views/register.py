"""Writing households: register one with its members, edit its facts, add or edit a member."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from bangfu.accounts.access import ADD, CHANGE
from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.common.ids import normalise_id_number
from bangfu.registry import selectors, services

from ..access import page
from ..errors import stale_message
from ..forms.households import HouseholdForm, MemberForm, MemberFormSet, member_initial
from ..selectors import active_id_numbers


def _place_conflict(exc: Conflict, member_forms) -> None:
    """The registry's refusal of an ID number active elsewhere, on the member form that holds it."""
    numbers = {}
    for form in member_forms:
        try:
            numbers[normalise_id_number(form.cleaned_data.get("id_number", ""))] = form
        except ValidationFailed:
            continue
    active = active_id_numbers(list(numbers))
    target = next((numbers[n] for n in numbers if n in active), member_forms[0])
    target.add_error("id_number", exc.message)
    target.duplicate_of = exc.extra.get("household_id")


@page(ADD)
def household_create(request):
    form = HouseholdForm(request.POST or None, user=request.user)
    formset = MemberFormSet(request.POST or None, prefix="m", initial=[{"relation": "self"}])
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            household = services.household_create(
                actor=request.user, union=form.selected_union(), data=form.service_data(),
                members=[f.service_data() for f in formset.forms])
        except Conflict as exc:
            _place_conflict(exc, formset.forms)
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已登记{household.pk}号家庭档案。")
            return redirect("web:household_detail", pk=household.pk)
    return render(request, "web/households/form.html", {"form": form, "formset": formset, "creating": True})


@page(CHANGE)
def household_edit(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk, action=CHANGE)
    initial = {k: getattr(household, k) for k in HouseholdForm.base_fields if hasattr(household, k)}
    form = HouseholdForm(request.POST or None, user=request.user, with_union=False, initial=initial)
    form.union_division = household.union.division_code
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(actor=request.user, household=household, data=form.service_data(),
                                      version=form.cleaned_data.get("version"))
        except Conflict as exc:
            form.add_error(None, stale_message(exc, request.user))
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "家庭信息已保存。")
            return redirect("web:household_detail", pk=pk)
    return render(request, "web/households/form.html", {"form": form, "household": household})


def _member_page(request, form, household, member=None):
    form.fields["name"].widget.attrs["autofocus"] = True
    return render(request, "web/households/member_form.html",
                  {"form": form, "household": household, "member": member})


@page(ADD)
def member_add(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk, action=CHANGE)
    form = MemberForm(request.POST or None, initial={"relation": "child"})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(actor=request.user, household=household, data=form.service_data())
        except Conflict as exc:
            _place_conflict(exc, [form])
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已添加成员{member.name}。")
            return redirect("web:household_detail", pk=pk)
    return _member_page(request, form, household)


@page(CHANGE)
def member_edit(request, pk: int):
    member = selectors.member_get(user=request.user, pk=pk, action=CHANGE)
    form = MemberForm(request.POST or None, initial=member_initial(member), current_id_number=member.id_number)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, data=form.service_data(),
                                   version=form.cleaned_data.get("version"))
        except Conflict as exc:
            if exc.field == "version":
                form.add_error(None, stale_message(exc, request.user))
            else:
                _place_conflict(exc, [form])
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"成员{member.name}的信息已保存。")
            return redirect("web:household_detail", pk=member.household_id)
    return _member_page(request, form, member.household, member)
