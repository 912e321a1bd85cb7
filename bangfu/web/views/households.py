"""Reading households: the list (htmx-updated), its Excel export, the file (一户一档), its print view."""

from __future__ import annotations

import datetime
import functools

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from bangfu.accounts.access import ADD, CHANGE, EXPORT, VIEW, VIEW_ID_NUMBER, may
from bangfu.cases.workflow import INACTIVE_STATES
from bangfu.common import clock
from bangfu.common.cache import code_fingerprint
from bangfu.common.errors import ValidationFailed
from bangfu.policy.answer_json import answer_json
from bangfu.registry import selectors
from bangfu.registry.exports import household_export
from bangfu.reports.snapshots import below_dibao, cached_figures

from ..access import is_htmx, page, pager_query
from ..entitlements import entitlements_for, page_answer
from ..forms.filters import HouseholdFilterForm
from ..forms.other import DocumentForm, IncomeForm
from .cases import panel_context
from .medical import medical_context, medical_year_asked
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


@functools.cache
def csrf_slot() -> str:
    """Where the viewer's CSRF token goes in the file's cards kept in the shared cache: filled in per request, never
    stored. Derived from the secret key (the same on every server), so that no user can type it into a household's
    data: a note holding it would show each viewer their token in its place."""
    return "csrf-slot-" + salted_hmac("bangfu.web.file_cards", "csrf-slot").hexdigest()[:24]


def file_cards(request, household) -> str:
    """The file's cards (facts, rounds, verification, members, entitlements, medical costs, incomes, documents): what
    the page costs most to read and render. They depend on the household's area's data (`reports.snapshots`'s
    `stamp`: every change writes an audit row in the area, a standard one above it; the engine's shipped parameters;
    today), on the release's code and templates (`code_fingerprint`), on the dates asked for, and on the viewer
    only through their role and area (`restrict`, `may`: which buttons, forms, masked numbers and rounds they
    see): those of today kept in the shared cache under those
    (`cached_figures`; another date asked for is rendered each time, so that no one fills the cache with dates),
    rendered without the request (no user of it in them), the CSRF token filled in afterwards. The caller has read
    the household as the viewer (`household_get`: their area), without its members, incomes and documents: they are
    read here when the cards are rendered, not when they come from the cache."""
    user = request.user
    as_of, year = _as_of(request), medical_year_asked(request)

    def render_cards() -> str:
        # Read again now that the area's stamp is read: a change saved since the view read it (its audit row
        # already in the stamp) would otherwise be kept under that stamp, unseen until the next change.
        selectors.household_reread(household)
        selectors.read_files([household])
        context = file_context(request, household)
        # The verification card reads the household's bills (identification counts them): the medical card then
        # uses them instead of reading them again, so it comes after.
        context.update(**entry_fields(), **verification_context(user, household),
                       **medical_context(request, household), **household_rounds_context(user, household),
                       csrf_token=csrf_slot())
        return render_to_string("web/households/_cards.html", context)

    today = clock.today()
    if as_of != today or year != today.year:  # another date asked for: rendered, not kept (no key per date)
        html = render_cards()
    else:
        key = (f"household-file:{code_fingerprint()}:{household.pk}:{user.role}:{user.department}:"
               f"{user.organisation.path}")
        html = cached_figures(key, household.union, render_cards)  # under the area's stamp of today
    return mark_safe(html.replace(csrf_slot(), get_token(request)))


@page(VIEW)
def household_detail(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk, files=False)
    user, active = request.user, household.status not in INACTIVE_STATES
    cards = file_cards(request, household)  # first: when rendered, the case panel uses the documents they read
    context = {"household": household, "editable": may(user, CHANGE) and active,
               "can_add_member": may(user, ADD) and active, **panel_context(request, household), "file_cards": cards}
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
