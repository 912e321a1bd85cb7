"""Verification on a household file (Article 26): other departments' facts, flags resolved with a note, the
printable 核对报告; and alerts resolved from the start page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bangfu.accounts.access import CHANGE, VIEW, may
from bangfu.common import clock
from bangfu.common.errors import ValidationFailed
from bangfu.common.paging import keyset_page
from bangfu.exchange import selectors, services
from bangfu.exchange.identification import propose_category, read_for_identification
from bangfu.exchange.models import OpenState
from bangfu.exchange.presenters import describe, parameter_rows

from ..access import is_htmx, page, pager_query
from ..forms.exchange import AlertFilterForm, NoteForm
from ..selectors import alert_page_queryset

ALERTS = 20  # alerts listed on the start page


def verification_context(user, household, *, bound: dict | None = None, error: str = "") -> dict:
    """The file's 部门核对 card: the proposed category from the verified facts (Article 26), open flags (each with
    its resolve form), then closed ones, then the facts."""
    household_id = household.pk
    flags = list(selectors.disagreement_list(user=user, household=household).order_by("-id"))
    for flag in flags:
        flag.declared_text, flag.reported_text = describe(flag.declared), describe(flag.reported)
        flag.form = (bound or {}).get(flag.pk) or NoteForm(prefix=f"d{flag.pk}")
    # The card's facts are those identification counts (the household's area is the user's): read once.
    read_for_identification([household], facts=selectors.fact_list(user=user, household=household))
    facts = list(household.department_facts.all())
    for fact in facts:
        fact.value_text, fact.declared_text = describe(fact.value), describe(fact.declared)
    return {"household_id": household_id, "proposal": propose_category(household, clock.today()),
            "open_flags": [f for f in flags if f.state == OpenState.OPEN],
            "closed_flags": [f for f in flags if f.state != OpenState.OPEN], "dept_facts": facts,
            "can_resolve": may(user, CHANGE), "verification_error": error}


@require_POST
@page(CHANGE)
def disagreement_resolve(request, pk: int):
    flag = selectors.disagreement_get(user=request.user, pk=pk)
    household_id = flag.household_id
    form = NoteForm(request.POST, prefix=f"d{pk}")
    error, status = "", 200
    if form.is_valid():
        try:
            services.disagreement_resolve(actor=request.user, disagreement=flag, note=form.cleaned_data["note"])
        except ValidationFailed as exc:
            form.add_domain_error(exc)
            error, status = exc.message, 422
    else:
        error, status = "请填写处理说明。", 422
    if is_htmx(request):
        context = verification_context(request.user, flag.household, bound={pk: form} if status != 200 else None,
                                       error=error)
        if status == 200:
            context["verification_done"] = f"已处理:{flag.message}"
        return render(request, "web/households/_verification.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"已处理:{flag.message}")
    return redirect("web:household_detail", pk=household_id)


@page(VIEW)
def verification_report(request, pk: int):
    """核对报告, printable: each fact, who said it, each disagreement and the proposed category."""
    report = selectors.verification_report(user=request.user, household_id=pk, as_of=clock.today())
    for fact in report["facts"]:
        fact["reported_text"], fact["declared_text"] = describe(fact["reported"]), describe(fact["declared"])
    for flag in report["disagreements"]:
        flag["reported_text"], flag["declared_text"] = describe(flag["reported"]), describe(flag["declared"])
        at = flag["resolved_at"]
        flag["resolved_at_text"] = f"{timezone.localtime(datetime.datetime.fromisoformat(at)):%Y-%m-%d %H:%M}" if at else ""
    return render(request, "web/households/report.html",
                  {"report": report, "parameters": parameter_rows(report["proposal"]["parameters"]), "household_id": pk,
                   "printed_at": clock.local_now()})


def open_alerts(user) -> dict:
    """The first open alerts of the user's area as plain rows (the start page keeps them in the cache), and how many
    are open."""
    alerts = [{"pk": a.pk, "kind": a.get_kind_display(), "household_id": a.household_id, "worker_name": a.worker_name,
               "union": a.household.union.name, "created_at": a.created_at, "message": a.message}
              for a in alert_page_queryset(user=user, state=OpenState.OPEN)[:ALERTS]]
    count = selectors.alerts_for(user).count() if len(alerts) == ALERTS else len(alerts)
    return {"alerts": alerts, "alert_count": count, "alert_more": count - len(alerts)}


def alerts_context(user, alerts: dict | None = None) -> dict:
    """The alerts card: the open alerts (`open_alerts`, read now unless given) and whether the user may close them."""
    return {**(open_alerts(user) if alerts is None else alerts), "can_resolve_alerts": may(user, CHANGE)}


@require_POST
@page(CHANGE)
def alert_resolve(request, pk: int):
    alert = selectors.alert_get(user=request.user, pk=pk)
    form = NoteForm(request.POST, prefix=f"a{pk}")
    error = ""
    if not form.is_valid():
        error = "请填写处理说明。"
    else:
        try:
            services.alert_resolve(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        except ValidationFailed as exc:
            error = exc.message
    if is_htmx(request):
        context = {**alerts_context(request.user), "alert_error": error,
                   "alert_done": "" if error else f"已处理预警:{alert.message}"}
        return render(request, "web/_alerts.html", context, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"已处理预警:{alert.message}")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/alerts/") else "web:home")


ALERTS_PER_PAGE = 50


@page(VIEW)
def alert_list(request):
    """All alerts of the area, filtered by type and state, 50 a page; each open one can be closed with a note."""
    form = AlertFilterForm(request.GET or None)
    result = keyset_page(alert_page_queryset(user=request.user, **form.filters()), order=selectors.ALERT_ORDER,
                         page=request.GET.get("page"), per_page=ALERTS_PER_PAGE, after=request.GET.get("after"),
                         before=request.GET.get("before"), count=False)
    return render(request, "web/exchange/alerts.html", {
        "form": form, "rows": result.items, "result": result, "query": pager_query(request), "can_resolve_alerts": may(request.user, CHANGE),
        "here": request.get_full_path()})
