"""一户一计划、一户一措施: the plan page per household and year, entitlements turned into measures, measures."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bangfu.accounts.access import CHANGE, VIEW, may
from bangfu.cases import selectors as case_selectors
from bangfu.cases import services
from bangfu.cases.models import LIVE_MEASURE, MeasureStatus
from bangfu.cases.workflow import ARCHIVED_STATES, CaseState
from bangfu.common import clock
from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.registry import choices as c
from bangfu.registry import selectors

from ..access import page
from ..forms.plans import MeasureForm, MeasureUpdateForm, PlanForm
from ..selectors import owner_choices

TITLES = dict(PlanForm.base_fields.items())


def _initial_text(household) -> dict:
    """A new plan starts from what the file already says."""
    members = household.active_members
    return {"family_situation": f"家庭共{len(members)}人:" + "、".join(
                f"{m.name}({m.get_relation_display()},{m.get_employment_display()})" for m in members),
            "hardship_causes": "、".join(dict(c.Cause.choices).get(x, x) for x in household.hardship_causes)}


def _due(year: int) -> datetime.date:
    today = clock.today()
    end = datetime.date(year, 12, 31)
    return end if end >= today else today + datetime.timedelta(days=30)


def _save_plan(request, household, case, plan, year, form):
    if plan is None:
        with transaction.atomic():
            if case is None:  # a file archived by the registry alone: its case is adopted first
                case = services.case_open(actor=request.user, household=household)
            return services.plan_create(actor=request.user, case=case, year=year, data=form.plan_data())
    return services.plan_update(actor=request.user, plan=plan, version=form.cleaned_data["version"],
                                data=form.plan_data())


def _measure_rows(plan, owners, can_edit: bool) -> list:
    rows = []
    for m in case_selectors.measure_list(plan):
        form = None
        if can_edit and m.status in LIVE_MEASURE:
            form = MeasureUpdateForm(owners=owners, prefix=f"m{m.pk}", initial={
                "version": m.version, "status": m.status, "owner": m.owner_id, "due_on": m.due_on})
        rows.append((m, form))
    return rows


@page(VIEW)
def plan_detail(request, pk: int, year: int):
    if year not in case_selectors.plan_years():
        raise Http404("计划年度无效")
    user = request.user
    household = selectors.household_get(user=user, pk=pk)
    case = case_selectors.case_current(user=user, household_id=pk)
    plan = case_selectors.plan_list(user=user, case=case).filter(year=year).first() if case else None
    state = case.state if case else household.status
    can_edit = may(user, CHANGE) and state in ARCHIVED_STATES
    initial = ({f: getattr(plan, f) for f in PlanForm.base_fields if hasattr(plan, f)} if plan
               else _initial_text(household))
    form = PlanForm(request.POST or None, initial=initial)
    conflict, version = None, plan.version if plan else 0
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您不能修改该户的帮扶计划")
        if form.is_valid():
            try:
                _save_plan(request, household, case, plan, year, form)
            except Conflict as exc:
                form.add_error(None, exc.message)
                version = exc.extra.get("version", version)
                conflict = [(TITLES[k].label, v) for k, v in exc.extra.get("current", {}).items() if k in TITLES]
            except ValidationFailed as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"{year}年帮扶计划已保存。")
                return redirect("web:plan_detail", pk=pk, year=year)
    owners = owner_choices(household) if can_edit else []
    context = {"household": household, "case": case, "plan": plan, "year": year, "form": form,
               "conflict": conflict, "version": version, "can_edit": can_edit, "archived": state in ARCHIVED_STATES,
               "years": [year - 1, year, year + 1], "state_label": CaseState(state).label}
    if plan is not None:
        context.update(_plan_parts(plan, household, owners, can_edit, user, request.GET))
    status = 409 if conflict else 422 if form.errors else 200
    return render(request, "web/plans/detail.html", context, status=status)


# A measure suggested from elsewhere in the file (the medical card's remaining family share, Articles 12 and 22):
# the form starts from these query values, the caseworker still submits it.
SUGGESTED = ("kind", "title", "amount", "department", "notes")


def _plan_parts(plan, household, owners, can_edit: bool, user, query=None) -> dict:
    names = {f"m{m.pk}": m.name for m in household.active_members}
    try:
        mismatches = case_selectors.plan_mismatches(plan, clock.today())
    except ValidationFailed as exc:
        mismatches = {"error": exc.message, "gone": [], "changed": [], "missing": []}
    for benefit in mismatches["missing"]:
        benefit["member_name"] = names.get(benefit["member"], "全户")
    return {"measures": _measure_rows(plan, owners, can_edit), "mismatches": mismatches,
            "measure_form": MeasureForm(owners=owners, initial={
                "due_on": _due(plan.year), "owner": user.pk,
                **{k: query[k][:200] for k in SUGGESTED if query and query.get(k)}})}


def _plan_for_change(request, pk: int):
    return case_selectors.plan_get(user=request.user, pk=pk, action=CHANGE)


def _back(plan):
    return redirect("web:plan_detail", pk=plan.case.household_id, year=plan.year)


@require_POST
@page(CHANGE)
def measure_from_entitlement_view(request, pk: int):
    """One click: the engine's benefit (code, member) becomes a measure owned by the user, due at the year's end."""
    plan = _plan_for_change(request, pk)
    code, member = request.POST.get("code", ""), request.POST.get("member") or None
    try:
        measure = services.measure_from_entitlement(actor=request.user, plan=plan, code=code, member=member,
                                                    owner=request.user, due_on=_due(plan.year))
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已转为措施:{measure.title}")
    return _back(plan)


@require_POST
@page(CHANGE)
def measure_create_view(request, pk: int):
    plan = _plan_for_change(request, pk)
    form = MeasureForm(request.POST, owners=owner_choices(plan.case.household))
    if form.is_valid():
        try:
            measure = services.measure_create(actor=request.user, plan=plan, **form.service_kwargs())
        except (ValidationFailed, Conflict) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已添加措施:{measure.title}")
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}:{' '.join(errors)}" if label else " ".join(errors))
    return _back(plan)


@require_POST
@page(CHANGE)
def measure_update_view(request, pk: int):
    measure = case_selectors.measure_get(user=request.user, pk=pk, action=CHANGE)
    form = MeasureUpdateForm(request.POST, owners=owner_choices(measure.plan.case.household), prefix=f"m{pk}")
    if form.is_valid():
        try:
            services.measure_update(actor=request.user, measure=measure, version=form.cleaned_data["version"],
                                    data=form.service_data())
        except Conflict as exc:
            current = exc.extra.get("current", {})
            messages.error(request, f"{exc.message}。当前:状态「{dict(MeasureStatus.choices).get(current.get('status'), '')}」,"
                                    f"完成期限{current.get('due_on', '')}")
        except ValidationFailed as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"措施已更新:{measure.title}")
    else:
        messages.error(request, "措施信息填写有误,请检查。")
    return _back(measure.plan)
