"""Reading households: the list (htmx-updated), its Excel export, the file (一户一档), its print view."""

from __future__ import annotations

import datetime
import functools

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from bangfu.accounts.access import ADD, CHANGE, EXPORT, VIEW, VIEW_ID_NUMBER, may
from bangfu.cases.workflow import INACTIVE_STATES
from bangfu.common import clock
from bangfu.common.errors import ValidationFailed
from bangfu.policy.answer_json import answer_json
from bangfu.registry import selectors
from bangfu.registry.exports import household_export
from bangfu.reports.snapshots import below_dibao

from ..access import is_htmx, page, pager_query
from ..entitlements import entitlements_for, page_answer
from ..forms.filters import HouseholdFilterForm
from ..forms.other import DocumentForm, IncomeForm
from .cases import panel_context
from .medical import medical_context
from .programmes import household_rounds_context
from .verification import verification_context

PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dibao_stored(user, filters: dict):
    """For a list filtered against the 低保 line: the stored comparison it pages through (its time, and whether it is
    being recomputed after a change), read in the list's request already (`below_dibao`)."""
    union = filters.get("union") or user.organisation
    return below_dibao(union=union) if filters.get("dibao") and union is not None else None


@page(VIEW)
def household_list(request):
    form = HouseholdFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    result = selectors.household_list(user=request.user, page=form.page_number(), per_page=PER_PAGE,
                                      after=request.GET.get("after"), before=request.GET.get("before"), **filters)
    context = {"form": form, "result": result, "query": pager_query(request), "can_export": may(request.user, EXPORT),
               "can_add": may(request.user, ADD), "dibao_stored": _dibao_stored(request.user, filters)}
    template = "web/households/_results.html" if is_htmx(request) else "web/households/list.html"
    return render(request, template, context)


@page(EXPORT)
def household_export_view(request):
    form = HouseholdFilterForm(request.GET, user=request.user)
    content = household_export(user=request.user, **form.filters())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="households-{clock.today():%Y%m%d}.xlsx"'
    return response


def _as_of(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return clock.today()


def file_context(request, household) -> dict:
    user = request.user
    return {
        "household": household, "members": household.active_members,
        "entitlements": entitlements_for(household, _as_of(request)),
        "editable": may(user, CHANGE) and household.status not in INACTIVE_STATES,
        "can_reveal": may(user, VIEW_ID_NUMBER),
        "can_add_member": may(user, ADD) and household.status not in INACTIVE_STATES,
    }


@functools.cache
def entry_fields() -> dict[str, str]:
    """The file's blank income and document fields. Nothing of the household, the user, the day or the database is
    in them (their choices are code), so their HTML is the same on every view: rendered once per process, as form
    widgets are the costliest part of the page's templates."""
    forms = {"income": ("_income_fields.html", {"income_form": IncomeForm()}),
             "document": ("_document_fields.html", {"document_form": DocumentForm()})}
    return {f"{name}_fields": mark_safe(render_to_string(f"web/households/{template}", context).strip())
            for name, (template, context) in forms.items()}


@page(VIEW)
def household_detail(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk)
    context = file_context(request, household)
    # The verification card reads the household's bills (identification counts them): the medical card then
    # uses them instead of reading them again, so it comes after.
    context.update(**entry_fields(), **panel_context(request, household),
                   **verification_context(request.user, household), **medical_context(request, household),
                   **household_rounds_context(request.user, household))
    return render(request, "web/households/detail.html", context)


@page(VIEW)
def household_entitlements(request, pk: int):
    """The entitlements panel alone, for another assessment date (htmx)."""
    household = selectors.household_get(user=request.user, pk=pk)
    return render(request, "web/households/_entitlements.html", file_context(request, household))


@page(VIEW)
def household_entitlements_json(request, pk: int):
    """The answer the page shows, as the assessment format's JSON: the same bytes as the API and the command line."""
    household = selectors.household_get(user=request.user, pk=pk)
    try:
        answer = page_answer(household, _as_of(request))
    except ValidationFailed as exc:
        return JsonResponse({"detail": exc.message}, status=422)
    response = HttpResponse(answer_json(answer), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="household-{household.pk}-entitlements.json"'
    return response


@page(VIEW)
def household_print(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk)
    context = file_context(request, household)
    context.update(printed_at=clock.local_now(), household_id=household.pk)
    return render(request, "web/households/print.html", context)
