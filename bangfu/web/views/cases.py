"""The case panel of a household file: state, history (who, when, why), and the moves the user may make now."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bangfu.accounts.access import CHANGE, VIEW, may
from bangfu.cases import selectors as case_selectors
from bangfu.cases import services
from bangfu.cases.reviews import exit_suggestion
from bangfu.cases.workflow import ARCHIVED_STATES, TRANSITIONS, CaseState
from bangfu.common import clock
from bangfu.common.errors import AccessDenied, Conflict, ValidationFailed
from bangfu.exchange.models import OpenState
from bangfu.exchange.selectors import disagreement_list
from bangfu.registry import selectors

from ..access import is_htmx, page
from ..casework import OPEN, action_label, conflict_rows, event_rows, move_options
from ..errors import by_user_alone, stale_message
from ..forms.cases import FollowUpForm, move_form


def panel_context(request, household, *, bound=None, error: str = "", conflict=None) -> dict:
    user = request.user
    case = case_selectors.case_current(user=user, household_id=household.pk, people=True)
    version = case.version if case is not None else 0
    options = move_options(user, household, case)
    flags = open_disagreements(user, household) if any(o.name == "archive" and not o.blocked for o in options) else 0
    forms = {o.name: bound if bound is not None and bound.prefix == o.name
             else move_form(o.name, version=version, household=household, open_disagreements=flags)
             for o in options if not o.blocked}
    state = case.state if case is not None else household.status
    today = clock.today()
    followups = [(f, FollowUpForm(prefix=f"f{f.pk}", initial={"done_on": today}))
                 for f in (case.followups.all() if case is not None and case.state == CaseState.EXITED else [])]
    return {
        "household": household, "case": case, "state": state, "state_label": CaseState(state).label,
        "options": [(o, forms.get(o.name)) for o in options], "version": version,
        "events": event_rows(case_selectors.case_events(case)) if case is not None else [],
        "followups": followups,
        "can_follow_up": may(user, CHANGE),
        "suggestion": exit_suggestion(household, today) if state == CaseState.REVIEW else None,
        "error": error, "conflict": conflict, "archived": state in ARCHIVED_STATES, "year": today.year,
    }


def open_disagreements(user, household) -> int:
    """Flags from other departments' data still open on the household: the archive needs an override reason."""
    return disagreement_list(user=user, household=household, state=OpenState.OPEN).count()


@page(VIEW)
def case_panel(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk)
    return render(request, "web/cases/_panel.html", panel_context(request, household))


def _run(user, household, name: str, form):
    """Call the move's service; a household without a case yet gets one first (in the same transaction)."""
    version = form.cleaned_data["version"]
    case = case_selectors.case_current(user=user, household_id=household.pk)
    if name == OPEN:
        if case is not None and case.version != version:
            raise services.stale_case(case, version)
        return services.case_open(actor=user, household=household, reason=form.cleaned_data["reason"])
    if case is None:
        if version != 0:
            raise ValidationFailed("未找到该帮扶档案,请刷新后重试")
        case = services.case_open(actor=user, household=household)
        version = case.version
    elif version == 0:
        raise services.stale_case(case, version)
    return services.move_service(name)(actor=user, case=case, version=version, **form.service_kwargs())


def _refused(request, household, *, form, message: str, status: int, conflict=None, own: bool = False):
    if is_htmx(request):
        context = panel_context(request, household, bound=form, error=message, conflict=conflict)
        context["conflict_own"] = own
        return render(request, "web/cases/_panel.html", context, status=status)
    messages.error(request, message)
    for row in conflict or []:
        messages.warning(request, f"{row['at']:%Y-%m-%d %H:%M} {row['actor']}:{row['action']} {row['reason']}")
    return redirect("web:household_detail", pk=household.pk)


def _done(request, household, message: str):
    messages.success(request, message)
    url = reverse("web:household_detail", args=[household.pk])
    if is_htmx(request):
        response = HttpResponse("")
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_POST
@page(CHANGE)
def case_move(request, pk: int, move: str):
    if move not in TRANSITIONS and move != OPEN:
        raise Http404("未知的操作")
    household = selectors.household_get(user=request.user, pk=pk)
    flags = open_disagreements(request.user, household) if move == "archive" else 0
    form = move_form(move, version=0, data=request.POST, household=household, open_disagreements=flags)
    if not form.is_valid():
        return _refused(request, household, form=form, message="请检查填写的内容。", status=422)
    try:
        with transaction.atomic():
            _run(request.user, household, move, form)
    except Conflict as exc:
        data = request.POST.copy()
        data[f"{move}-version"] = str(exc.extra.get("version", form.cleaned_data["version"]))
        rebound = move_form(move, version=0, data=data, household=household, open_disagreements=flags)
        rebound.is_valid()
        changes = exc.extra.get("changes", [])
        return _refused(request, household, form=rebound, message=stale_message(exc, request.user), status=409,
                        conflict=conflict_rows(changes, user=request.user),
                        own=by_user_alone(changes, request.user))
    except ValidationFailed as exc:
        form.add_domain_error(exc)
        return _refused(request, household, form=form, message=exc.message, status=422)
    except AccessDenied as exc:
        return _refused(request, household, form=form, message=exc.message, status=403)
    label = "重新申请,已建立新一批次档案" if move == OPEN else action_label(move)
    return _done(request, household, f"已{label}。")


@require_POST
@page(CHANGE)
def followup_record(request, pk: int):
    followup = case_selectors.followup_get(user=request.user, pk=pk, action=CHANGE)
    household_id = followup.case.household_id
    form = FollowUpForm(request.POST, prefix=f"f{pk}")
    if not form.is_valid():
        messages.error(request, "请填写回访日期和回访情况。")
        return redirect("web:household_detail", pk=household_id)
    try:
        services.followup_record(actor=request.user, followup=followup, **form.cleaned_data)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记回访。" + ("发现返贫,可重新申请建档。" if form.cleaned_data["relapse_seen"] else ""))
    return redirect("web:household_detail", pk=household_id)
